//! With auth off, the API must not be drivable by the web pages the user visits: a page on
//! another site can POST to a local server (CSRF) or reach it under its own DNS name rebound to
//! 127.0.0.1 (DNS rebinding). So, when no API key is required, an API request is refused unless
//! - its `Host` is an IP literal, `localhost` (or a `*.localhost` name) or the public URL's
//!   host (a rebound name is none of these);
//! - its `Origin`, when sent, is the public URL's origin, an origin allowed by `--cors-origin`
//!   or the origin of its own `Host` (the web app served by this server);
//! - a `POST` declares its body as JSON (`Content-Type: application/json`), which a page can
//!   only send after a CORS preflight that the server answers for allowed origins only.

use std::net::IpAddr;

use axum::http::{HeaderMap, Method, header};

/// The hosts and origins an auth-less API answers to.
#[derive(Debug, Clone)]
pub struct RequestGuard {
    public_host: String,
    origins: Vec<String>,
    any_origin: bool,
}

/// Why a request was refused (each message names the header, its value and what is accepted).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No `Host` header, or one that is not this server's.
    #[error(
        "the Host header {0:?} is not this server's (accepted: an IP address, localhost or {1:?}); \
         start the server with --public-url for the name clients use, or with API keys"
    )]
    Host(String, String),
    /// An `Origin` of another site.
    #[error(
        "requests from the origin {0:?} are not accepted (allowed: this server's own origin and \
         --cors-origin values); start the server with API keys to accept any origin"
    )]
    Origin(String),
    /// A `POST` whose body is not declared as JSON.
    #[error(
        "the Content-Type {0:?} is not accepted: send the query with Content-Type: application/json"
    )]
    ContentType(String),
}

impl RequestGuard {
    /// The guard of a server reached at `public_url`, allowing `cors_origins` too (`*`: any).
    pub fn new(public_url: &str, cors_origins: &[String]) -> Self {
        let after_scheme = public_url.find("://").map_or(0, |index| index + 3);
        let authority = public_url[after_scheme..]
            .split('/')
            .next()
            .unwrap_or_default();
        let mut origins = vec![public_url[..after_scheme + authority.len()].to_ascii_lowercase()];
        origins.extend(
            cors_origins
                .iter()
                .map(|origin| origin.trim_end_matches('/').to_ascii_lowercase()),
        );
        Self {
            public_host: host_name(authority),
            origins,
            any_origin: cors_origins.iter().any(|origin| origin == "*"),
        }
    }

    /// Whether a request with this method and these headers may reach the API.
    pub fn check(&self, method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        };
        let host = text(header::HOST).unwrap_or_default();
        if !self.accepts_host(&host) {
            return Err(Refusal::Host(host, self.public_host.clone()));
        }
        if let Some(origin) = text(header::ORIGIN) {
            let origin = origin.trim_end_matches('/').to_ascii_lowercase();
            let own = ["http://", "https://"]
                .iter()
                .any(|scheme| origin == format!("{scheme}{}", host.to_ascii_lowercase()));
            if !(self.any_origin || own || self.origins.contains(&origin)) {
                return Err(Refusal::Origin(origin));
            }
        }
        if method == Method::POST {
            let content_type = text(header::CONTENT_TYPE).unwrap_or_default();
            let media_type = content_type.split(';').next().unwrap_or_default().trim();
            if !media_type.eq_ignore_ascii_case("application/json") {
                return Err(Refusal::ContentType(content_type));
            }
        }
        Ok(())
    }

    fn accepts_host(&self, host: &str) -> bool {
        let name = host_name(host);
        !name.is_empty()
            && (name.parse::<IpAddr>().is_ok()
                || name == "localhost"
                || name.ends_with(".localhost")
                || name == self.public_host)
    }
}

/// The host of an authority (`name:port`, `[v6]:port`), lower case, without the port.
fn host_name(authority: &str) -> String {
    let authority = authority.trim();
    let host = if let Some(rest) = authority.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                name.clone(),
                HeaderValue::from_str(value).unwrap_or_else(|error| panic!("{error}")),
            );
        }
        map
    }

    const JSON: &str = "application/json; charset=utf-8";

    #[test]
    fn local_clients_pass() {
        let guard = RequestGuard::new("http://127.0.0.1:8080", &[]);
        for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "10.0.0.5"] {
            let request = headers(&[(header::HOST, host), (header::CONTENT_TYPE, JSON)]);
            assert_eq!(guard.check(&Method::POST, &request), Ok(()), "{host}");
        }
        let app = headers(&[
            (header::HOST, "localhost:8080"),
            (header::ORIGIN, "http://localhost:8080"),
            (header::CONTENT_TYPE, "application/json"),
        ]);
        assert_eq!(guard.check(&Method::POST, &app), Ok(()));
    }

    #[test]
    fn rebound_names_other_origins_and_text_bodies_are_refused() {
        let guard = RequestGuard::new("http://127.0.0.1:8080", &[]);
        let rebound = headers(&[
            (header::HOST, "evil.example:8080"),
            (header::CONTENT_TYPE, JSON),
        ]);
        assert!(matches!(
            guard.check(&Method::POST, &rebound),
            Err(Refusal::Host(..))
        ));
        assert!(matches!(
            guard.check(&Method::GET, &headers(&[])),
            Err(Refusal::Host(..))
        ));
        let csrf = headers(&[
            (header::HOST, "127.0.0.1:8080"),
            (header::ORIGIN, "https://evil.example"),
            (header::CONTENT_TYPE, JSON),
        ]);
        assert_eq!(
            guard.check(&Method::POST, &csrf),
            Err(Refusal::Origin("https://evil.example".into()))
        );
        let text = headers(&[
            (header::HOST, "127.0.0.1:8080"),
            (header::CONTENT_TYPE, "text/plain"),
        ]);
        assert_eq!(
            guard.check(&Method::POST, &text),
            Err(Refusal::ContentType("text/plain".into()))
        );
        // GETs need no body type.
        let get = headers(&[(header::HOST, "127.0.0.1:8080")]);
        assert_eq!(guard.check(&Method::GET, &get), Ok(()));
    }

    #[test]
    fn the_public_name_and_cors_origins_are_accepted() {
        let guard = RequestGuard::new(
            "https://synthome.example.org/app/",
            &["https://notebook.example.com/".into()],
        );
        let proxied = headers(&[
            (header::HOST, "Synthome.Example.org"),
            (header::ORIGIN, "https://notebook.example.com"),
            (header::CONTENT_TYPE, JSON),
        ]);
        assert_eq!(guard.check(&Method::POST, &proxied), Ok(()));
        let any = RequestGuard::new("http://127.0.0.1:1", &["*".into()]);
        let elsewhere = headers(&[
            (header::HOST, "127.0.0.1:1"),
            (header::ORIGIN, "https://anywhere.example"),
        ]);
        assert_eq!(any.check(&Method::GET, &elsewhere), Ok(()));
    }
}
