//! A bounded load test of a running `synthome serve` on loopback: N requests over C threads,
//! stopping after N requests or 120 s, whichever comes first. Prints requests per second,
//! p50/p99 latency and the error count.
//!
//! ```text
//! synthome serve --addr 127.0.0.1:8080 --concurrency 2 --queue-size 256 &
//! cargo run --release -p synthome-cli --example load -- http://127.0.0.1:8080 hosted 200 8 query.json
//! ```
//! `hosted` times predict + status polls + download of the JSON; `arrow` times the synchronous
//! Arrow answer. Only loopback URLs are accepted.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(120);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, mode, requests, threads, query_path] = args.as_slice() else {
        return Err("usage: load URL hosted|arrow REQUESTS THREADS QUERY_FILE".into());
    };
    if !(url.starts_with("http://127.")
        || url.starts_with("http://localhost")
        || url.starts_with("http://[::1]"))
    {
        return Err("only loopback URLs are accepted".into());
    }
    let requests: usize = requests.parse()?;
    let threads: usize = threads.parse()?;
    let query = std::fs::read_to_string(query_path)?;
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (url, mode, query) = (url.clone(), mode.clone(), query.clone());
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
                    let ok = if mode == "arrow" {
                        arrow(&agent, &url, &query)
                    } else {
                        hosted(&agent, &url, &query)
                    };
                    match ok {
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
    let elapsed = started.elapsed().as_secs_f64();
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
    println!(
        "{mode}: {} ok, {} errors in {elapsed:.2} s: {:.1} requests/s, p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        errors.load(Ordering::SeqCst),
        latencies.len() as f64 / elapsed,
        percentile(0.5),
        percentile(0.99)
    );
    Ok(())
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
    let deadline = Instant::now() + Duration::from_secs(60);
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
                    .limit(1 << 30)
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
        .limit(1 << 30)
        .read_to_vec()?;
    if response.status().is_success() && !bytes.is_empty() {
        Ok(())
    } else {
        Err(format!("status {}", response.status()).into())
    }
}
