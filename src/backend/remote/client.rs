//! The browser side of a remote job: requests with a time limit (`gloo-net` with an
//! `AbortController` a timer aborts), submit, poll every 2 s, download. Thin: the decisions are in [`super::jobs`]. Never logs;
//! the API key goes only into the `Authorization` header of the API's own endpoints.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Headers, Method, RequestBuilder};
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, RequestMode};

use super::error::{RemoteError, from_status};
use super::jobs::{
    DOWNLOAD_TIMEOUT_MS, JOB_TIMEOUT_MS, REQUEST_TIMEOUT_MS, Step, job_id, job_status, next_step,
};
use super::settings::RemoteSettings;

/// Where a remote job stands, for the progress line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Sending the query.
    Submitting,
    /// The job runs on the server: its status word and seconds waited.
    Waiting {
        /// The server's status word.
        status: String,
        /// Seconds since the job was accepted.
        seconds: u64,
    },
    /// Fetching the result.
    Downloading,
}

impl Phase {
    /// The progress line's text.
    pub fn describe(&self, base: &str) -> String {
        match self {
            Phase::Submitting => format!("Sending the query to {base}…"),
            Phase::Waiting { status, seconds } => {
                format!("The server is working on it ({status}, {seconds} s)…")
            }
            Phase::Downloading => "Downloading the result…".to_string(),
        }
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    body: String,
}

/// Why a request got no answer.
enum NoAnswer {
    /// Refused, unreachable, or blocked by CORS (the browser does not say which).
    Network,
    /// The time limit passed.
    Timeout,
    /// The browser would not even build the request.
    BadUrl(String),
}

/// Runs `query` on `model_id` at the remote server; the result JSON text, or `None` when
/// `cancelled()` became true on the way.
pub async fn run_job(
    settings: &RemoteSettings,
    model_id: &str,
    query: &str,
    on_phase: &dyn Fn(Phase),
    cancelled: &dyn Fn() -> bool,
) -> Result<Option<String>, RemoteError> {
    let base = settings.base()?;
    let authorization = settings.authorization();
    on_phase(Phase::Submitting);
    let predict_url = settings.predict_url(model_id)?;
    let answer = request(
        Method::POST,
        &predict_url,
        Some(query),
        authorization.as_deref(),
        REQUEST_TIMEOUT_MS,
    )
    .await
    .map_err(|failure| unanswered(failure, &base, "the query", REQUEST_TIMEOUT_MS))?;
    if answer.status >= 400 {
        return Err(from_status(answer.status, &answer.body, &predict_url));
    }
    let id = job_id(&answer.body)?;
    let status_url = settings.status_url(&id)?;
    let started = now_ms();
    let download_url = loop {
        if cancelled() {
            return Ok(None);
        }
        let answer = request(
            Method::GET,
            &status_url,
            None,
            authorization.as_deref(),
            REQUEST_TIMEOUT_MS,
        )
        .await
        .map_err(|failure| unanswered(failure, &base, "a status request", REQUEST_TIMEOUT_MS))?;
        if answer.status >= 400 {
            return Err(from_status(answer.status, &answer.body, &status_url));
        }
        let status = job_status(&answer.body)?;
        let elapsed = now_ms() - started;
        if let super::jobs::JobStatus::Pending(word) = &status {
            on_phase(Phase::Waiting {
                status: word.clone(),
                seconds: (elapsed / 1_000.0) as u64,
            });
        }
        match next_step(status, elapsed, JOB_TIMEOUT_MS) {
            Step::Wait(ms) => TimeoutFuture::new(ms as u32).await,
            Step::Download(url) => break url,
            Step::Stop(error) => return Err(error),
        }
    };
    if cancelled() {
        return Ok(None);
    }
    on_phase(Phase::Downloading);
    // The download link is a capability of its own: no key goes with it.
    let answer = request(Method::GET, &download_url, None, None, DOWNLOAD_TIMEOUT_MS)
        .await
        .map_err(|failure| {
            unanswered(failure, &base, "the result download", DOWNLOAD_TIMEOUT_MS)
        })?;
    if answer.status >= 400 {
        return Err(from_status(
            answer.status,
            &answer.body,
            "the result download",
        ));
    }
    Ok((!cancelled()).then_some(answer.body))
}

/// Checks the base URL and key with `GET {base}/api/models`; the number of models listed.
pub async fn check_connection(settings: &RemoteSettings) -> Result<usize, RemoteError> {
    let url = settings.models_url()?;
    let base = settings.base()?;
    let answer = request(
        Method::GET,
        &url,
        None,
        settings.authorization().as_deref(),
        REQUEST_TIMEOUT_MS,
    )
    .await
    .map_err(|failure| unanswered(failure, &base, "the model list", REQUEST_TIMEOUT_MS))?;
    if answer.status >= 400 {
        return Err(from_status(answer.status, &answer.body, &url));
    }
    let value: serde_json::Value = serde_json::from_str(&answer.body)
        .map_err(|_| RemoteError::Malformed("the model list is not JSON".into()))?;
    let list = value
        .as_array()
        .or_else(|| value.get("models").and_then(serde_json::Value::as_array));
    Ok(list.map_or(0, Vec::len))
}

/// The error for a request to `base` that got no answer.
fn unanswered(failure: NoAnswer, base: &str, what: &'static str, timeout_ms: f64) -> RemoteError {
    match failure {
        NoAnswer::Network => RemoteError::Network {
            base: base.to_string(),
            origin: page_origin(),
        },
        NoAnswer::Timeout => RemoteError::RequestTimeout {
            what,
            seconds: (timeout_ms / 1_000.0) as u64,
        },
        NoAnswer::BadUrl(reason) => RemoteError::BadBaseUrl(reason),
    }
}

/// One request with a time limit covering the answer's body too: `gloo-net` sends it with an
/// `AbortController`'s signal, which a timer aborts when the limit passes.
async fn request(
    method: Method,
    url: &str,
    body: Option<&str>,
    authorization: Option<&str>,
    timeout_ms: f64,
) -> Result<Answer, NoAnswer> {
    let bad_url = |error: JsValue| NoAnswer::BadUrl(format!("{url}: {}", js_message(&error)));
    // Headers are set here rather than with `RequestBuilder::header`, which panics on a value
    // a header cannot carry.
    let headers = web_sys::Headers::new().map_err(bad_url)?;
    headers.set("Accept", "application/json").map_err(bad_url)?;
    if body.is_some() {
        headers
            .set("Content-Type", "application/json")
            .map_err(bad_url)?;
    }
    if let Some(value) = authorization {
        headers.set("Authorization", value).map_err(|_| {
            NoAnswer::BadUrl("the API key has characters a header cannot carry".into())
        })?;
    }
    let controller = AbortController::new().map_err(bad_url)?;
    let builder = RequestBuilder::new(url)
        .method(method)
        .mode(RequestMode::Cors)
        .headers(Headers::from_raw(headers))
        .abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(text) => builder.body(text),
        None => builder.build(),
    }
    .map_err(|error| NoAnswer::BadUrl(format!("{url}: {error}")))?;

    let timed_out = Rc::new(Cell::new(false));
    let flag = timed_out.clone();
    let timer = Timeout::new(timeout_ms as u32, move || {
        flag.set(true);
        controller.abort();
    });
    let outcome = async {
        let response = request.send().await.map_err(|_| ())?;
        let status = response.status();
        let body = response.text().await.map_err(|_| ())?;
        Ok::<_, ()>(Answer { status, body })
    }
    .await;
    timer.cancel();
    outcome.map_err(|()| {
        if timed_out.get() {
            NoAnswer::Timeout
        } else {
            NoAnswer::Network
        }
    })
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn page_origin() -> String {
    leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_else(|_| "this page".into())
}

fn js_message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the browser refused it".into())
}
