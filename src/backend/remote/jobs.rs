//! The asynchronous job protocol of the hosted API, as plain functions: read the predict answer
//! (`{"modelQueryId": id}`), read a status answer, and decide after each one whether to wait,
//! download or give up.

use serde_json::Value;

use super::error::RemoteError;

/// Milliseconds between status requests (the official clients' 2 s).
pub const POLL_INTERVAL_MS: f64 = 2_000.0;

/// How long a job may take before the page gives up (the official clients' 15 minutes).
pub const JOB_TIMEOUT_MS: f64 = 15.0 * 60.0 * 1_000.0;

/// Milliseconds one request may take before it is abandoned.
pub const REQUEST_TIMEOUT_MS: f64 = 30_000.0;

/// Milliseconds the result download may take.
pub const DOWNLOAD_TIMEOUT_MS: f64 = 5.0 * 60.0 * 1_000.0;

/// Where a job stands, from its status answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStatus {
    /// Still going; the server's word for it (`running`, `queued`, ...).
    Pending(String),
    /// Done; fetch the result here (no credentials).
    Ready(String),
    /// The job failed, with the server's message.
    Failed(String),
}

/// What to do after a status answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Ask again after this many milliseconds.
    Wait(f64),
    /// Download the result from this URL.
    Download(String),
    /// Stop with this error.
    Stop(RemoteError),
}

/// The job id in the predict answer.
pub fn job_id(body: &str) -> Result<String, RemoteError> {
    let value: Value = serde_json::from_str(body).map_err(|_| {
        RemoteError::Malformed(format!(
            "the predict answer is not JSON: {}",
            start_of(body)
        ))
    })?;
    match value.get("modelQueryId") {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(id.trim().to_string()),
        Some(Value::Number(id)) => Ok(id.to_string()),
        _ => Err(RemoteError::Malformed(format!(
            "the predict answer has no modelQueryId: {}",
            start_of(body)
        ))),
    }
}

/// The job status in a status answer.
pub fn job_status(body: &str) -> Result<JobStatus, RemoteError> {
    let value: Value = serde_json::from_str(body).map_err(|_| {
        RemoteError::Malformed(format!("the status answer is not JSON: {}", start_of(body)))
    })?;
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
    match text("status").as_deref() {
        Some("ready") => text("downloadUrl")
            .filter(|url| !url.is_empty())
            .map(JobStatus::Ready)
            .ok_or_else(|| {
                RemoteError::Malformed("the job is ready but the answer has no downloadUrl".into())
            }),
        Some("failed") => {
            Ok(JobStatus::Failed(text("message").unwrap_or_else(|| {
                "the job failed and the server gave no message".into()
            })))
        }
        Some(other) => Ok(JobStatus::Pending(other.to_string())),
        None => Err(RemoteError::Malformed(format!(
            "the status answer has no status: {}",
            start_of(body)
        ))),
    }
}

/// The next step after `status`, `elapsed_ms` after the job started, with a job time limit.
pub fn next_step(status: JobStatus, elapsed_ms: f64, timeout_ms: f64) -> Step {
    match status {
        JobStatus::Ready(url) => Step::Download(url),
        JobStatus::Failed(message) => Step::Stop(RemoteError::Failed(message)),
        JobStatus::Pending(word) if elapsed_ms + POLL_INTERVAL_MS > timeout_ms => {
            Step::Stop(RemoteError::Timeout {
                seconds: (timeout_ms / 1_000.0).round() as u64,
                status: word,
            })
        }
        JobStatus::Pending(_) => Step::Wait(POLL_INTERVAL_MS),
    }
}

fn start_of(body: &str) -> String {
    let text: String = body.trim().chars().take(200).collect();
    if text.is_empty() {
        "(empty)".into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predict_answers_give_the_job_id() {
        assert_eq!(job_id(r#"{"modelQueryId":"abc123"}"#), Ok("abc123".into()));
        assert_eq!(job_id(r#"{"modelQueryId":42}"#), Ok("42".into()));
        for bad in ["", "<html>", r#"{"id":"x"}"#, r#"{"modelQueryId":""}"#] {
            let error = job_id(bad).expect_err(bad);
            assert!(
                matches!(error, RemoteError::Malformed(_)),
                "{bad}: {error:?}"
            );
        }
    }

    #[test]
    fn status_answers_are_read() {
        assert_eq!(
            job_status(r#"{"status":"running"}"#),
            Ok(JobStatus::Pending("running".into()))
        );
        assert_eq!(
            job_status(r#"{"status":"ready","downloadUrl":"http://x/d/1"}"#),
            Ok(JobStatus::Ready("http://x/d/1".into()))
        );
        assert_eq!(
            job_status(r#"{"status":"failed","message":"out of memory"}"#),
            Ok(JobStatus::Failed("out of memory".into()))
        );
        assert!(job_status(r#"{"status":"ready"}"#).is_err());
        assert!(job_status(r#"{"message":"no"}"#).is_err());
    }

    #[test]
    fn polling_waits_two_seconds_then_downloads_fails_or_times_out() {
        let pending = || JobStatus::Pending("running".into());
        assert_eq!(
            next_step(pending(), 0.0, JOB_TIMEOUT_MS),
            Step::Wait(2_000.0)
        );
        assert_eq!(
            next_step(JobStatus::Ready("u".into()), 1e9, JOB_TIMEOUT_MS),
            Step::Download("u".into())
        );
        let Step::Stop(failed) = next_step(JobStatus::Failed("bad".into()), 0.0, JOB_TIMEOUT_MS)
        else {
            panic!("a failed job must stop");
        };
        assert_eq!(
            failed.to_string(),
            "the server could not generate the data: bad"
        );
        let Step::Stop(timeout) = next_step(pending(), 59_000.0, 60_000.0) else {
            panic!("a job past its limit must stop");
        };
        assert_eq!(
            timeout.to_string(),
            "the server did not finish the job within 60 s (it was still running); ask for fewer samples or try again later"
        );
    }
}
