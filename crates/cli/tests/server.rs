//! `synthome serve` on loopback: the hosted API's paths and shapes, the Arrow answer, auth,
//! limits, and results that survive a restart.

mod common;

use std::time::{Duration, Instant};

use common::server::{Server, agent, data_dir};
use common::{
    INVALID_QUERY, N_GENES, QUERY, UNGENERATABLE_QUERY, assert_the_tissue_error_suggests_liver,
};
use serde_json::Value;

fn read_json(response: &mut ureq::http::Response<ureq::Body>) -> Value {
    let text = response
        .body_mut()
        .read_to_string()
        .unwrap_or_else(|error| panic!("body: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

fn get(agent: &ureq::Agent, url: &str) -> (u16, Value) {
    let mut response = agent
        .get(url)
        .call()
        .unwrap_or_else(|error| panic!("GET {url}: {error}"));
    (response.status().as_u16(), read_json(&mut response))
}

fn post(agent: &ureq::Agent, url: &str, body: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut request = agent.post(url).header("Content-Type", "application/json");
    if let Some(key) = bearer {
        request = request.header("Authorization", &format!("Bearer {key}"));
    }
    let mut response = request
        .send(body)
        .unwrap_or_else(|error| panic!("POST {url}: {error}"));
    (response.status().as_u16(), read_json(&mut response))
}

/// Polls a job until it is ready or failed; returns the final status document.
fn wait_for(agent: &ureq::Agent, server: &Server, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = get(
            agent,
            &format!("{}/api/model-queries/{id}/status", server.url),
        );
        assert_eq!(status, 200, "{body}");
        if body["status"] != "running" {
            return body;
        }
        assert!(Instant::now() < deadline, "job {id} did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_hosted_flow_lists_predicts_polls_and_downloads() {
    let dir = data_dir("hosted");
    let server = Server::start(&dir, &[]);
    let agent = agent();
    let (status, models) = get(&agent, &format!("{}/api/models", server.url));
    assert_eq!(status, 200);
    assert!(
        models["models"].as_array().is_some_and(|models| models
            .iter()
            .any(|model| model["model_id"] == "synthome-bulk-v1")),
        "{models}"
    );
    let (status, example) = get(
        &agent,
        &format!("{}/api/models/gem-1-bulk/example-query", server.url),
    );
    assert_eq!(status, 200);
    assert!(example["example_query"]["inputs"].is_array(), "{example}");
    let (status, started) = post(
        &agent,
        &format!("{}/api/models/gem-1-bulk/predict", server.url),
        QUERY,
        Some("ignored-when-auth-is-off"),
    );
    assert_eq!(status, 200, "{started}");
    let id = started["modelQueryId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(id.len(), 32);
    let done = wait_for(&agent, &server, &id);
    assert_eq!(done["status"], "ready", "{done}");
    let url = done["downloadUrl"].as_str().unwrap_or_default().to_string();
    assert!(
        url.starts_with(&format!("{}/api/downloads/", server.url)),
        "{url}"
    );
    assert_eq!(
        url.rsplit('/').next().map(str::len),
        Some(64),
        "an unguessable token"
    );
    let (status, result) = get(&agent, &url);
    assert_eq!(status, 200);
    assert_eq!(result["outputs"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        result["outputs"][0]["counts"].as_array().map(Vec::len),
        Some(N_GENES)
    );
    assert_eq!(result["gene_order"].as_array().map(Vec::len), Some(N_GENES));
    assert_eq!(result["model_version"], "0.0.1-test");
    assert_eq!(result["seed"], 11);
    let (status, _) = get(
        &agent,
        &format!("{}/api/model-queries/{}/status", server.url, "0".repeat(32)),
    );
    assert_eq!(status, 404);
    let (status, missing) = get(
        &agent,
        &format!("{}/api/downloads/{}", server.url, "0".repeat(64)),
    );
    assert_eq!(status, 404);
    assert!(
        missing["message"]
            .as_str()
            .is_some_and(|message| message.contains("expire"))
    );
    assert!(server.terminate(), "graceful shutdown exits 0");
}

#[test]
fn invalid_queries_get_422_with_every_error_and_unknown_models_404() {
    let dir = data_dir("invalid");
    let server = Server::start(&dir, &["--max-samples", "4"]);
    let agent = agent();
    let (status, answer) = post(
        &agent,
        &format!("{}/api/models/gem-1-bulk/predict", server.url),
        INVALID_QUERY,
        None,
    );
    assert_eq!(status, 422);
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("UBERON:0002108") && message.contains("disease_ontology_id"),
        "{message}"
    );
    let tissue = assert_the_tissue_error_suggests_liver(&answer);
    assert!(tissue["reason"].is_string());
    let (status, too_many) = post(
        &agent,
        &format!("{}/api/models/gem-1-bulk/predict", server.url),
        QUERY,
        None,
    );
    assert_eq!(status, 422, "5 samples over a limit of 4: {too_many}");
    let (status, unknown) = post(
        &agent,
        &format!("{}/api/models/gem-9/predict", server.url),
        QUERY,
        None,
    );
    assert_eq!(status, 404);
    assert!(
        unknown["message"]
            .as_str()
            .is_some_and(|message| message.contains("gem-1-bulk")),
        "{unknown}"
    );
    let (status, not_json) = post(
        &agent,
        &format!("{}/api/models/gem-1-bulk/predict", server.url),
        "{",
        None,
    );
    assert_eq!(status, 422, "{not_json}");
}

#[test]
fn large_bodies_get_a_clear_413() {
    let dir = data_dir("limits");
    let server = Server::start(&dir, &["--max-body-bytes", "200"]);
    let padded = format!("{}{}", QUERY, " ".repeat(300));
    let (status, answer) = post(
        &agent(),
        &format!("{}/api/models/gem-1-bulk/predict", server.url),
        &padded,
        None,
    );
    assert_eq!(status, 413);
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|message| message.contains("limit of 200 bytes")),
        "{answer}"
    );
}

#[test]
fn the_arrow_answer_carries_counts_metadata_and_gene_order() {
    let dir = data_dir("arrow");
    let server = Server::start(&dir, &[]);
    let mut response = agent()
        .post(&format!("{}/api/models/gem-1-bulk/predict", server.url))
        .header("Accept", "application/vnd.apache.arrow.stream")
        .header("Content-Type", "application/json")
        .send(QUERY)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/vnd.apache.arrow.stream");
    let bytes = response
        .body_mut()
        .read_to_vec()
        .unwrap_or_else(|error| panic!("{error}"));
    let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)
        .unwrap_or_else(|error| panic!("{error}"));
    let metadata = reader.schema().metadata().clone();
    assert_eq!(
        metadata.get("request_type").map(String::as_str),
        Some("baseline")
    );
    assert_eq!(
        metadata.get("model_version").map(String::as_str),
        Some("0.0.1-test")
    );
    let genes: Vec<String> =
        serde_json::from_str(metadata.get("gene_order").map_or("[]", String::as_str))
            .unwrap_or_default();
    assert_eq!(genes.len(), N_GENES);
    let rows: usize = reader
        .map(|batch| batch.map(|batch| batch.num_rows()).unwrap_or(0))
        .sum();
    assert_eq!(rows, 5);
}

#[test]
fn auth_protects_the_api_but_not_the_unguessable_download() {
    let dir = data_dir("auth");
    let keys = dir.join("keys.txt");
    std::fs::write(&keys, "# keys\nsecret-one\n").unwrap_or_else(|error| panic!("{error}"));
    let keys_arg = keys.display().to_string();
    let server = Server::start(&dir, &["--api-keys-file", &keys_arg]);
    let agent = agent();
    let predict = format!("{}/api/models/gem-1-bulk/predict", server.url);
    let (status, refused) = post(&agent, &predict, QUERY, None);
    assert_eq!(status, 401);
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|message| message.contains("Authorization: Bearer"))
    );
    assert_eq!(post(&agent, &predict, QUERY, Some("wrong")).0, 401);
    let (status, started) = post(&agent, &predict, QUERY, Some("secret-one"));
    assert_eq!(status, 200);
    let id = started["modelQueryId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let status_url = format!("{}/api/model-queries/{id}/status", server.url);
    assert_eq!(get(&agent, &status_url).0, 401);
    let deadline = Instant::now() + Duration::from_secs(30);
    let url = loop {
        let mut response = agent
            .get(&status_url)
            .header("Authorization", "Bearer secret-one")
            .call()
            .unwrap_or_else(|error| panic!("{error}"));
        let body = read_json(&mut response);
        if body["status"] == "ready" {
            break body["downloadUrl"].as_str().unwrap_or_default().to_string();
        }
        assert!(
            Instant::now() < deadline && body["status"] == "running",
            "{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(get(&agent, &url).0, 200, "downloads need no key");
}

#[test]
fn finished_results_survive_a_restart() {
    let dir = data_dir("restart");
    let agent = agent();
    let first = Server::start(&dir, &[]);
    let (_, started) = post(
        &agent,
        &format!("{}/api/models/gem-1-bulk/predict", first.url),
        QUERY,
        None,
    );
    let id = started["modelQueryId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let done = wait_for(&agent, &first, &id);
    let (_, before) = get(&agent, done["downloadUrl"].as_str().unwrap_or_default());
    assert!(first.terminate());
    let second = Server::start(&dir, &[]);
    let done_again = wait_for(&agent, &second, &id);
    assert_eq!(done_again["status"], "ready");
    let (status, after) = get(
        &agent,
        done_again["downloadUrl"].as_str().unwrap_or_default(),
    );
    assert_eq!(status, 200);
    assert_eq!(before, after, "the same result after the restart");
}

#[test]
fn cors_allows_configured_origins_only() {
    let dir = data_dir("cors");
    let server = Server::start(&dir, &["--cors-origin", "https://app.example.org"]);
    let agent = agent();
    let preflight = |origin: &str| {
        let response = agent
            .options(&format!("{}/api/models/gem-1-bulk/predict", server.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type",
            )
            .call()
            .unwrap_or_else(|error| panic!("{error}"));
        response
            .headers()
            .get("access-control-allow-origin")
            .and_then(|value| value.to_str().ok())
            .map(String::from)
    };
    assert_eq!(
        preflight("https://app.example.org").as_deref(),
        Some("https://app.example.org")
    );
    assert_eq!(preflight("https://evil.example.com"), None);
}

#[test]
fn the_web_app_is_served_at_the_root_or_a_note_says_where_it_is_missing() {
    let dir = data_dir("static");
    let app = dir.join("dist");
    std::fs::create_dir_all(&app).unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(app.join("index.html"), "<!doctype html><title>app</title>")
        .unwrap_or_else(|error| panic!("{error}"));
    let app_arg = app.display().to_string();
    let with_app = Server::start(&dir.join("a"), &["--app-dir", &app_arg]);
    let agent = agent();
    let mut page = agent
        .get(&format!("{}/", with_app.url))
        .call()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        page.body_mut().read_to_string().unwrap_or_default(),
        "<!doctype html><title>app</title>"
    );
    let without = Server::start(&dir.join("b"), &[]);
    let mut note = agent
        .get(&format!("{}/", without.url))
        .call()
        .unwrap_or_else(|error| panic!("{error}"));
    let text = note
        .body_mut()
        .read_to_string()
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(text.contains("/nonexistent-app-dir"), "{text}");
}

#[test]
fn a_job_that_fails_later_reports_failed_with_the_models_message() {
    let dir = data_dir("failed");
    let server = Server::start(
        &dir,
        &["--public-url", "http://synthome.example.test/base/"],
    );
    let agent = agent();
    let predict = format!("{}/api/models/gem-1-bulk/predict", server.url);
    let (status, started) = post(&agent, &predict, UNGENERATABLE_QUERY, None);
    assert_eq!(status, 200, "valid for the vocabulary: {started}");
    let id = started["modelQueryId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let done = wait_for(&agent, &server, &id);
    assert_eq!(done["status"], "failed", "{done}");
    assert!(
        done["message"]
            .as_str()
            .is_some_and(|message| message.contains("inputs[0]")),
        "{done}"
    );
    let (_, started) = post(&agent, &predict, QUERY, None);
    let id = started["modelQueryId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let done = wait_for(&agent, &server, &id);
    let url = done["downloadUrl"].as_str().unwrap_or_default();
    assert!(
        url.starts_with("http://synthome.example.test/base/api/downloads/"),
        "built from --public-url: {url}"
    );
    let mut response = agent
        .post(&predict)
        .header("Accept", "application/vnd.apache.arrow.stream")
        .header("Content-Type", "application/json")
        .send(UNGENERATABLE_QUERY)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        response.status().as_u16(),
        422,
        "the synchronous form answers at once"
    );
    assert!(
        read_json(&mut response)["message"]
            .as_str()
            .is_some_and(|message| message.contains("inputs[0]"))
    );
}

#[test]
fn unknown_api_paths_get_a_json_404_naming_the_path() {
    let dir = data_dir("unknown-api");
    let server = Server::start(&dir, &[]);
    let agent = agent();
    for path in [
        "/api/nope",
        "/api/models/gem-1-bulk/nonsense/deeper",
        "/api/",
    ] {
        let mut response = agent
            .get(&format!("{}{path}", server.url))
            .call()
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(response.status().as_u16(), 404, "{path}");
        let body = read_json(&mut response);
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|message| message.contains(path)),
            "{path}: {body}"
        );
    }
    let (status, _) = post(
        &agent,
        &format!("{}/api/not-a-route", server.url),
        "{}",
        None,
    );
    assert_eq!(status, 404);
}

#[test]
fn a_store_failure_answers_503_with_retry_after_and_without_file_system_paths() {
    let dir = data_dir("store-failure");
    let server = Server::start(&dir, &[]);
    let agent = agent();
    // The jobs folder turns into a file: every record write fails.
    std::fs::remove_dir_all(dir.join("jobs")).unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(dir.join("jobs"), "not a folder").unwrap_or_else(|error| panic!("{error}"));
    let mut response = agent
        .post(&format!("{}/api/models/gem-1-bulk/predict", server.url))
        .header("Content-Type", "application/json")
        .send(QUERY)
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().get("retry-after").is_some());
    let body = read_json(&mut response);
    let message = body["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{body}");
    assert!(
        !message.contains('/') && !message.contains(&*dir.display().to_string()),
        "no file-system path in the answer: {message}"
    );
}

#[test]
fn a_full_queue_answers_503_with_retry_after() {
    let dir = data_dir("queue-full");
    let server = Server::start(&dir, &["--concurrency", "1", "--queue-size", "1"]);
    let agent = agent();
    let slow = r#"{"sampling_strategy": "sample generation", "seed": 3,
      "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 10000}]}"#;
    let predict = format!("{}/api/models/gem-1-bulk/predict", server.url);
    let refused = (0..50).find_map(|_| {
        let mut response = agent
            .post(&predict)
            .header("Content-Type", "application/json")
            .send(slow)
            .unwrap_or_else(|error| panic!("{error}"));
        (response.status().as_u16() == 503).then(|| {
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok())
                .map(String::from);
            (retry_after, read_json(&mut response))
        })
    });
    let (retry_after, body) = refused.unwrap_or_else(|| panic!("the queue never filled"));
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|message| message.contains("queue is full")),
        "{body}"
    );
    let seconds = retry_after.unwrap_or_else(|| panic!("no Retry-After header"));
    assert!(
        seconds.parse::<u64>().is_ok_and(|seconds| seconds > 0),
        "{seconds}"
    );
}

#[test]
fn precompressed_bundles_are_sent_gzip_encoded_to_browsers_that_accept_it() {
    let dir = data_dir("precompressed");
    let models = dir.join("dist").join("models");
    std::fs::create_dir_all(&models).unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(dir.join("dist").join("index.html"), "<!doctype html>")
        .unwrap_or_else(|error| panic!("{error}"));
    let raw = b"a model bundle, uncompressed".to_vec();
    let gzipped = b"\x1f\x8b pretend gzip bytes".to_vec();
    std::fs::write(models.join("m.bundle"), &raw).unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(models.join("m.bundle.gz"), &gzipped).unwrap_or_else(|error| panic!("{error}"));
    let app_arg = dir.join("dist").display().to_string();
    let server = Server::start(&dir.join("data"), &["--app-dir", &app_arg]);
    let agent = agent();
    let url = format!("{}/models/m.bundle", server.url);
    let mut encoded = agent
        .get(&url)
        .header("Accept-Encoding", "gzip, deflate, br")
        .call()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        encoded
            .headers()
            .get("content-encoding")
            .and_then(|value| value.to_str().ok()),
        Some("gzip")
    );
    let body = encoded
        .body_mut()
        .read_to_vec()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(body, gzipped);
    let mut plain = agent
        .get(&url)
        .call()
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(plain.headers().get("content-encoding").is_none());
    let body = plain
        .body_mut()
        .read_to_vec()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(body, raw);
}
