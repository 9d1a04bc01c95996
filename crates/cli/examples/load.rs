//! A bounded load bench of `synthome serve` on loopback: for the hosted asynchronous flow
//! (predict + status polls + download of the JSON) and the synchronous Arrow form, at 10 and
//! 1,000 samples of the embedded bulk model, it starts a fresh server, sends N requests over C
//! threads (each scenario stops after its N requests or 120 s), and prints throughput, p50/p99
//! latency, errors and the server's peak memory (VmHWM).
//!
//! ```text
//! cargo build --release -p synthome-cli --bin synthome --example load
//! target/release/examples/load [--concurrency K]     # the server binary beside the example's folder
//! SYNTHOME_BIN=path/to/synthome target/release/examples/load
//! ```
//! Only loopback is used: the server listens on 127.0.0.1 with an ephemeral port.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest one scenario runs.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// One row of the table: a form, a query size, how many requests over how many threads.
struct Scenario {
    form: Form,
    samples: u32,
    requests: usize,
    threads: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Form {
    Hosted,
    Arrow,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let concurrency = match args.as_slice() {
        [] => 2,
        [flag, value] if flag == "--concurrency" => value.parse()?,
        _ => return Err("usage: load [--concurrency K]".into()),
    };
    let binary = server_binary()?;
    let scenarios = [
        Scenario {
            form: Form::Hosted,
            samples: 10,
            requests: 200,
            threads: 8,
        },
        Scenario {
            form: Form::Arrow,
            samples: 10,
            requests: 200,
            threads: 8,
        },
        Scenario {
            form: Form::Hosted,
            samples: 1000,
            requests: 20,
            threads: 4,
        },
        Scenario {
            form: Form::Arrow,
            samples: 1000,
            requests: 20,
            threads: 4,
        },
    ];
    println!("server: {} --concurrency {concurrency}", binary.display());
    println!(
        "| form | samples | requests x threads | ok | errors | requests/s | p50 ms | p99 ms | server peak RSS MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for scenario in &scenarios {
        let data_dir = std::env::temp_dir().join(format!("synthome-load-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        let mut server = Server::start(&binary, &data_dir, concurrency)?;
        let report = run(&server.url, scenario);
        let peak_mb = peak_rss_kb(server.child.id()) as f64 / 1024.0;
        server.stop();
        let _ = std::fs::remove_dir_all(&data_dir);
        let form = match scenario.form {
            Form::Hosted => "hosted (async JSON)",
            Form::Arrow => "self-hosted (Arrow)",
        };
        println!(
            "| {form} | {} | {} x {} | {} | {} | {:.1} | {:.1} | {:.1} | {peak_mb:.0} |",
            scenario.samples,
            scenario.requests,
            scenario.threads,
            report.ok,
            report.errors,
            report.ok as f64 / report.seconds,
            report.p50_ms,
            report.p99_ms
        );
    }
    Ok(())
}

/// `$SYNTHOME_BIN`, else the `synthome` binary of the same build as this example.
fn server_binary() -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(path) = std::env::var_os("SYNTHOME_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe()?;
    let beside = exe
        .parent()
        .and_then(|examples| examples.parent())
        .map(|profile| profile.join("synthome"))
        .ok_or("no folder above the example")?;
    if beside.is_file() {
        Ok(beside)
    } else {
        Err(format!(
            "{} not found: build it (cargo build --release -p synthome-cli) or set SYNTHOME_BIN",
            beside.display()
        )
        .into())
    }
}

/// A `synthome serve` child on 127.0.0.1 with an ephemeral port.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(
        binary: &PathBuf,
        data_dir: &PathBuf,
        concurrency: usize,
    ) -> Result<Server, Box<dyn std::error::Error>> {
        let mut child = Command::new(binary)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--app-dir",
                "/nonexistent",
            ])
            .arg("--data-dir")
            .arg(data_dir)
            .args([
                "--concurrency",
                &concurrency.to_string(),
                "--queue-size",
                "1024",
            ])
            .env("SYNTHOME_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("unexpected first line {line:?}"))?
            .to_string();
        Ok(Server { child, url })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The process's peak resident set (VmHWM), KiB.
fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

struct Report {
    ok: usize,
    errors: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn run(url: &str, scenario: &Scenario) -> Report {
    let query = format!(
        r#"{{"sampling_strategy": "sample generation", "inputs": [{{"metadata": {{"tissue_ontology_id": "UBERON:0002107"}}, "num_samples": {}}}]}}"#,
        scenario.samples
    );
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(scenario.requests)));
    let started = Instant::now();
    let workers: Vec<_> = (0..scenario.threads)
        .map(|_| {
            let (url, query, form, requests) = (
                url.to_string(),
                query.clone(),
                scenario.form,
                scenario.requests,
            );
            let (next, errors, latencies) = (next.clone(), errors.clone(), latencies.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                while next.fetch_add(1, Ordering::SeqCst) < requests
                    && started.elapsed() < TIME_LIMIT
                {
                    let begin = Instant::now();
                    let outcome = match form {
                        Form::Arrow => arrow(&agent, &url, &query),
                        Form::Hosted => hosted(&agent, &url, &query),
                    };
                    match outcome {
                        Ok(()) => latencies
                            .lock()
                            .map(|mut list| list.push(begin.elapsed()))
                            .unwrap_or(()),
                        Err(error) => {
                            eprintln!("error: {error}");
                            errors.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut latencies = latencies
        .lock()
        .map(|list| list.clone())
        .unwrap_or_default();
    latencies.sort();
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return f64::NAN;
        }
        let index = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[index].as_secs_f64() * 1e3
    };
    Report {
        ok: latencies.len(),
        errors: errors.load(Ordering::SeqCst),
        seconds,
        p50_ms: percentile(0.5),
        p99_ms: percentile(0.99),
    }
}

fn hosted(agent: &ureq::Agent, url: &str, query: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut response = agent
        .post(&format!("{url}/api/models/gem-1-bulk/predict"))
        .header("Content-Type", "application/json")
        .send(query)?;
    let started: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
    let id = started["modelQueryId"]
        .as_str()
        .ok_or_else(|| format!("no modelQueryId: {started}"))?;
    let deadline = Instant::now() + Duration::from_secs(110);
    loop {
        let mut response = agent
            .get(&format!("{url}/api/model-queries/{id}/status"))
            .call()?;
        let status: serde_json::Value =
            serde_json::from_str(&response.body_mut().read_to_string()?)?;
        match status["status"].as_str() {
            Some("ready") => {
                let download = status["downloadUrl"].as_str().ok_or("no downloadUrl")?;
                let mut result = agent.get(download).call()?;
                let bytes = result
                    .body_mut()
                    .with_config()
                    .limit(1 << 32)
                    .read_to_vec()?;
                return if result.status().is_success() && !bytes.is_empty() {
                    Ok(())
                } else {
                    Err("bad download".into())
                };
            }
            Some("running") if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => return Err(format!("job ended as {status}").into()),
        }
    }
}

fn arrow(agent: &ureq::Agent, url: &str, query: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut response = agent
        .post(&format!("{url}/api/models/gem-1-bulk/predict"))
        .header("Content-Type", "application/json")
        .header("Accept", "application/vnd.apache.arrow.stream")
        .send(query)?;
    let bytes = response
        .body_mut()
        .with_config()
        .limit(1 << 32)
        .read_to_vec()?;
    if response.status().is_success() && !bytes.is_empty() {
        Ok(())
    } else {
        Err(format!("status {}", response.status()).into())
    }
}
