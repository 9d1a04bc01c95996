//! `synthome serve` under hostile clients and faults, on loopback, each test bounded in time and
//! stopping its server: clients that hang up, slow headers and bodies, idle connection floods,
//! SIGTERM with a half-open connection, requests a web page could forge (DNS rebinding, CSRF),
//! kill -9 in the middle of writes followed by a restart, and a store whose disk refuses writes
//! (the injected writer errors and the bounds of kept jobs are unit tests of `serve::jobs`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::QUERY;
use common::server::{Server, agent, data_dir};

/// A query that keeps one generation busy for a few seconds in a debug build (100,000 samples).
fn slow_query() -> String {
    let input = r#"{"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 10000}"#;
    format!(
        r#"{{"sampling_strategy": "sample generation", "seed": 3, "inputs": [{}]}}"#,
        [input; 10].join(",")
    )
}

/// CPU time the process has used, in clock ticks (user + system).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |index: usize| {
        fields
            .get(index)
            .and_then(|value| value.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

/// Open file descriptors of the process.
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

/// A raw connection with a read timeout.
fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).unwrap_or_else(|error| panic!("{error}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(8)))
        .unwrap_or_else(|error| panic!("{error}"));
    stream
}

/// Reads until the server closes the connection (or the read timeout); returns what came and
/// whether the server closed it.
fn read_to_close(stream: &mut TcpStream) -> (String, bool) {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (String::from_utf8_lossy(&answer).into_owned(), true),
            Ok(read) => answer.extend_from_slice(&buffer[..read]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return (String::from_utf8_lossy(&answer).into_owned(), false);
            }
            Err(_) => return (String::from_utf8_lossy(&answer).into_owned(), true),
        }
    }
}

#[test]
fn clients_that_hang_up_leave_no_generation_running() {
    let dir = data_dir("hang-up");
    let server = Server::start(&dir, &["--concurrency", "1", "--max-samples", "100000"]);
    let request = format!(
        "POST /api/models/gem-1-bulk/predict HTTP/1.1\r\nHost: {}\r\nAccept: application/vnd.apache.arrow.stream\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        server.addr(),
        slow_query().len(),
        slow_query()
    );
    let clients: Vec<TcpStream> = (0..6)
        .map(|_| {
            let mut stream = connect(&server);
            stream
                .write_all(request.as_bytes())
                .unwrap_or_else(|error| panic!("{error}"));
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(clients);
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(server.pid());
    std::thread::sleep(Duration::from_secs(1));
    let used = cpu_ticks(server.pid()) - before;
    // Before the fix the abandoned generations ran on (a full core or more: 100+ ticks).
    assert!(
        used < 30,
        "the server used {used} ticks in 1 s after its clients hung up"
    );
    // The slot is free again: a new request is answered.
    let (status, _) = {
        let mut response = agent()
            .post(&format!("{}/api/models/gem-1-bulk/predict", server.url))
            .header("Content-Type", "application/json")
            .send(QUERY)
            .unwrap_or_else(|error| panic!("{error}"));
        (
            response.status().as_u16(),
            response.body_mut().read_to_string(),
        )
    };
    assert_eq!(status, 200);
}

#[test]
fn half_sent_headers_and_trickled_bodies_are_cut_off() {
    let dir = data_dir("slow-clients");
    let server = Server::start(
        &dir,
        &["--header-timeout-secs", "1", "--body-timeout-secs", "1"],
    );
    let started = Instant::now();
    let mut half = connect(&server);
    half.write_all(b"POST /api/models/gem-1-bulk/predict HTTP/1.1\r\nHost: 127")
        .unwrap_or_else(|error| panic!("{error}"));
    let (_, closed) = read_to_close(&mut half);
    assert!(closed, "a connection with half its headers stays open");
    assert!(started.elapsed() < Duration::from_secs(5));

    let mut trickle = connect(&server);
    let head = format!(
        "POST /api/models/gem-1-bulk/predict HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.addr(),
        QUERY.len()
    );
    trickle
        .write_all(head.as_bytes())
        .unwrap_or_else(|error| panic!("{error}"));
    let started = Instant::now();
    for byte in QUERY.bytes().take(6) {
        if trickle.write_all(&[byte]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(400));
    }
    let (answer, _) = read_to_close(&mut trickle);
    assert!(
        answer.starts_with("HTTP/1.1 408"),
        "a trickled body is refused: {answer:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(6));
}

#[test]
fn an_idle_connection_flood_neither_exhausts_files_nor_blocks_new_clients() {
    let dir = data_dir("idle-flood");
    let server = Server::start(
        &dir,
        &["--header-timeout-secs", "1", "--max-connections", "32"],
    );
    let baseline = open_files(server.pid());
    let idle: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect(server.addr()).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let during = open_files(server.pid());
    assert!(
        during <= baseline + 32 + 4,
        "{during} files open with a cap of 32 connections (baseline {baseline})"
    );
    // The idle ones are closed after the header timeout; new clients get answers.
    std::thread::sleep(Duration::from_millis(1500));
    let (status, _) = {
        let mut response = agent()
            .get(&format!("{}/api/models", server.url))
            .call()
            .unwrap_or_else(|error| panic!("{error}"));
        (
            response.status().as_u16(),
            response.body_mut().read_to_string(),
        )
    };
    assert_eq!(status, 200);
    drop(idle);
}

#[test]
fn sigterm_exits_within_the_deadline_despite_a_half_open_connection() {
    let dir = data_dir("sigterm");
    let mut server = Server::start(
        &dir,
        &[
            "--shutdown-timeout-secs",
            "1",
            "--header-timeout-secs",
            "30",
        ],
    );
    let mut half = connect(&server);
    half.write_all(b"GET /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap_or_else(|error| panic!("{error}"));
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        server.terminate_within(Duration::from_secs(6)),
        "the server did not exit after SIGTERM"
    );
}

#[test]
fn requests_a_web_page_could_forge_are_refused_when_auth_is_off() {
    let dir = data_dir("forged");
    let server = Server::start(&dir, &[]);
    let predict = format!("{}/api/models/gem-1-bulk/predict", server.url);
    let status = |request: ureq::RequestBuilder<ureq::typestate::WithBody>| {
        request
            .send(QUERY)
            .map(|response| response.status().as_u16())
            .unwrap_or_else(|error| panic!("{error}"))
    };
    let agent = agent();
    // DNS rebinding: a page's own name resolved to 127.0.0.1.
    let rebound = agent
        .post(&predict)
        .header("Host", "rebound.example:80")
        .header("Content-Type", "application/json");
    assert_eq!(status(rebound), 403);
    // CSRF: a form or fetch from another site, as text/plain (no CORS preflight).
    let csrf = agent
        .post(&predict)
        .header("Origin", "https://evil.example")
        .header("Content-Type", "text/plain");
    assert_eq!(status(csrf), 403);
    let text = agent.post(&predict).header("Content-Type", "text/plain");
    assert_eq!(status(text), 403);
    let json = agent
        .post(&predict)
        .header("Content-Type", "application/json");
    assert_eq!(status(json), 200);
}

#[test]
fn kill_9_during_writes_then_a_restart_loses_no_finished_result_and_leaves_no_temporary_file() {
    let dir = data_dir("kill-9");
    let agent = agent();
    let submit = |server: &Server, query: &str| -> String {
        let mut response = agent
            .post(&format!("{}/api/models/gem-1-bulk/predict", server.url))
            .header("Content-Type", "application/json")
            .send(query)
            .unwrap_or_else(|error| panic!("{error}"));
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        body["modelQueryId"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let server = Server::start(&dir, &["--concurrency", "2", "--max-samples", "100000"]);
    let quick = submit(&server, QUERY);
    let mut ids = vec![quick.clone()];
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..4 {
        ids.push(submit(&server, &slow_query()));
    }
    // Kill while the big results are being generated and written.
    std::thread::sleep(Duration::from_millis(1500));
    drop(server);

    let server = Server::start(&dir, &["--concurrency", "2", "--max-samples", "100000"]);
    let deadline = Instant::now() + Duration::from_secs(120);
    for id in &ids {
        loop {
            let mut response = agent
                .get(&format!("{}/api/model-queries/{id}/status", server.url))
                .call()
                .unwrap_or_else(|error| panic!("{error}"));
            let text = response.body_mut().read_to_string().unwrap_or_default();
            let body: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if body["status"] == "ready" {
                let url = body["downloadUrl"].as_str().unwrap_or_default();
                let result = agent
                    .get(url)
                    .call()
                    .unwrap_or_else(|error| panic!("{error}"))
                    .body_mut()
                    .with_config()
                    .limit(1 << 30)
                    .read_to_string()
                    .unwrap_or_default();
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(&result);
                assert!(parsed.is_ok(), "job {id}: the result is whole JSON");
                break;
            }
            assert_eq!(body["status"], "running", "job {id}: {body}");
            assert!(
                Instant::now() < deadline,
                "job {id} did not finish after the restart"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    drop(server);
    // The restart swept what the killed process left half-written; nothing is left now.
    for folder in ["jobs", "results"] {
        let left = std::fs::read_dir(dir.join(folder))
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|path| path.extension().is_some_and(|ext| ext == "tmp"))
                    .count()
            })
            .unwrap_or(0);
        assert_eq!(left, 0, "{folder} has temporary files after the restart");
    }
}

#[test]
fn corrupt_records_crafted_ids_and_stray_temporary_files_do_not_stop_the_start() {
    let dir = data_dir("corrupt");
    let jobs = dir.join("jobs");
    let results = dir.join("results");
    for folder in [&jobs, &results] {
        std::fs::create_dir_all(folder).unwrap_or_else(|error| panic!("{error}"));
    }
    let token = "ab".repeat(32);
    let truncated = format!(
        r#"{{"format_version": 1, "id": "{}", "model_id": "synthome-bulk-v1", "query": "{{}}", "seed": 1, "status": "ready", "download_token": "{token}", "created_"#,
        "1".repeat(32)
    );
    let crafted = r#"{"format_version": 1, "id": "../../escaped", "model_id": "synthome-bulk-v1", "query": "{}", "seed": 1, "status": "running", "created_unix": 1}"#.to_string();
    let writes = [
        (jobs.join(format!("{}.json", "1".repeat(32))), truncated),
        (jobs.join(format!("{}.json", "2".repeat(32))), crafted),
        (
            jobs.join(format!("{}.json.0badf00d.tmp", "3".repeat(32))),
            "{".into(),
        ),
        (results.join(format!("{token}.json")), "{}".into()),
        (
            results.join(format!("{token}.json.01234567.tmp")),
            "[".into(),
        ),
    ];
    for (path, text) in &writes {
        std::fs::write(path, text).unwrap_or_else(|error| panic!("{error}"));
    }
    let server = Server::start(&dir, &[]);
    let agent = agent();
    let status = |path: &str| {
        agent
            .get(&format!("{}{path}", server.url))
            .call()
            .map(|response| response.status().as_u16())
            .unwrap_or_else(|error| panic!("{error}"))
    };
    assert_eq!(status("/api/models"), 200, "the server started");
    assert_eq!(
        status(&format!("/api/downloads/{token}")),
        404,
        "a truncated record's result is not served"
    );
    assert_eq!(
        status(&format!("/api/model-queries/{}/status", "2".repeat(32))),
        404
    );
    assert!(
        !dir.join("escaped.json").exists()
            && !dir
                .parent()
                .is_some_and(|parent| parent.join("escaped.json").exists())
    );
    for (path, _) in &writes[2..] {
        assert!(!path.exists(), "{} is left", path.display());
    }
}
