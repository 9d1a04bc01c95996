//! Everything that can go wrong with the remote backend, worded for the person at the page:
//! what happened, and what to do about it.

/// A remote generation that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// The editor's text is not a JSON object, so there is nothing to send.
    #[error("the query is not a JSON object; fix it in the editor first")]
    QueryNotAnObject,
    /// The base URL in the settings is unusable.
    #[error("the remote server's base URL is not usable: {0}")]
    BadBaseUrl(String),
    /// The request never got an answer the page may read.
    #[error(
        "could not reach {base}: the server is not running, the address is wrong, or it does not allow requests from this page ({origin}) (CORS). \
         Hint: run the Synthome server, `synthome serve --cors-origin {origin}`, and use its address here; \
         for an API this page may not call, use the Python, R or curl code below instead"
    )]
    Network {
        /// The base URL tried.
        base: String,
        /// This page's origin, for the CORS hint.
        origin: String,
    },
    /// 401 or 403.
    #[error(
        "the server refused the API key (HTTP {status}): {message}. Check the key in the remote settings"
    )]
    Unauthorized {
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// 400 or 422: the server rejected the query.
    #[error("the server rejected the query (HTTP {status}): {message}")]
    Invalid {
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// 404.
    #[error("{url} was not found (HTTP 404): {message}. Check the base URL and the model")]
    NotFound {
        /// The URL asked for.
        url: String,
        /// The server's message.
        message: String,
    },
    /// Any other HTTP error.
    #[error("the server answered HTTP {status}: {message}")]
    Http {
        /// The HTTP status.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// One request got no answer in time.
    #[error("{what} got no answer within {seconds} s; the server may be overloaded or unreachable")]
    RequestTimeout {
        /// Which request.
        what: &'static str,
        /// The limit.
        seconds: u64,
    },
    /// The job did not finish in time.
    #[error(
        "the server did not finish the job within {seconds} s (it was still {status}); ask for fewer samples or try again later"
    )]
    Timeout {
        /// The limit.
        seconds: u64,
        /// The last status seen.
        status: String,
    },
    /// The job failed on the server.
    #[error("the server could not generate the data: {0}")]
    Failed(String),
    /// The server answered something this app does not understand.
    #[error("the server's answer is not what the API promises: {0}")]
    Malformed(String),
}

/// The error for an HTTP error answer with `body`, to the request for `url`.
pub fn from_status(status: u16, body: &str, url: &str) -> RemoteError {
    let message = server_message(body);
    match status {
        401 | 403 => RemoteError::Unauthorized { status, message },
        400 | 422 => RemoteError::Invalid { status, message },
        404 => RemoteError::NotFound {
            url: url.to_string(),
            message,
        },
        _ => RemoteError::Http { status, message },
    }
}

/// The `message` of a JSON error body, else the body's start, else "no message".
pub fn server_message(body: &str) -> String {
    let from_json = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| {
            value
                .get("message")
                .or_else(|| value.get("detail"))
                .or_else(|| value.get("error"))
                .and_then(serde_json::Value::as_str)
                .map(String::from)
        });
    match from_json {
        Some(message) => message,
        None if body.trim().is_empty() => "no message".into(),
        None => {
            let text: String = body.trim().chars().take(300).collect();
            if text.len() < body.trim().len() {
                format!("{text}…")
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_plain_messages() {
        let unauthorized = from_status(
            401,
            r#"{"message":"missing or unknown API key"}"#,
            "http://x/api/models/m/predict",
        );
        assert_eq!(
            unauthorized.to_string(),
            "the server refused the API key (HTTP 401): missing or unknown API key. Check the key in the remote settings"
        );
        let invalid = from_status(
            422,
            r#"{"message":"inputs[0].sex: \"x\" is not valid","errors":[]}"#,
            "u",
        );
        assert!(
            invalid
                .to_string()
                .ends_with("(HTTP 422): inputs[0].sex: \"x\" is not valid"),
            "{invalid}"
        );
        assert!(matches!(
            from_status(404, "", "u"),
            RemoteError::NotFound { .. }
        ));
        let other = from_status(503, &"x".repeat(400), "u");
        assert!(
            other
                .to_string()
                .starts_with("the server answered HTTP 503: xxx")
        );
        assert!(other.to_string().ends_with('…'), "{other}");
    }

    #[test]
    fn the_network_error_hints_at_the_synthome_server() {
        let error = RemoteError::Network {
            base: "http://127.0.0.1:9".into(),
            origin: "http://127.0.0.1:4000".into(),
        };
        let text = error.to_string();
        assert!(
            text.starts_with("could not reach http://127.0.0.1:9"),
            "{text}"
        );
        assert!(text.contains("CORS"), "{text}");
        assert!(
            text.contains("synthome serve --cors-origin http://127.0.0.1:4000"),
            "{text}"
        );
    }
}
