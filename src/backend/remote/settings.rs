//! Where the remote backend is and how to sign in: base URL and API key, the endpoints built
//! from them, and the form they are remembered in (only when the user asks).

use serde::{Deserialize, Serialize};

use super::error::RemoteError;
use crate::backend::Backend;
use crate::percent::percent_encode;

/// The remote backend's settings. `Debug` never shows the key.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteSettings {
    /// Base URL, e.g. `http://127.0.0.1:8080` or `https://app.synthesize.bio`.
    pub base_url: String,
    /// The API key sent as `Authorization: Bearer <key>` (empty: no header).
    pub api_key: String,
    /// Whether to keep the settings in this browser's local storage.
    pub remember: bool,
}

impl std::fmt::Debug for RemoteSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSettings")
            .field("base_url", &self.base_url)
            .field(
                "api_key",
                &if self.api_key.is_empty() {
                    "(none)"
                } else {
                    "(hidden)"
                },
            )
            .field("remember", &self.remember)
            .finish()
    }
}

/// What is kept in local storage when the user ticks "remember".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// The backend in use.
    pub backend: Backend,
    /// The settings (with `remember` true).
    pub settings: RemoteSettings,
}

/// The local storage key of [`Remembered`].
pub const STORAGE_KEY: &str = "synthome.remote";

impl Remembered {
    /// The stored text, or `None` when nothing may be stored (remember is off).
    pub fn to_storage(backend: Backend, settings: &RemoteSettings) -> Option<String> {
        settings.remember.then(|| {
            serde_json::to_string(&Remembered {
                backend,
                settings: settings.clone(),
            })
            .unwrap_or_default()
        })
    }

    /// Reads stored text; anything unreadable counts as nothing stored.
    pub fn from_storage(text: &str) -> Option<Remembered> {
        serde_json::from_str::<Remembered>(text)
            .ok()
            .filter(|remembered| remembered.settings.remember)
    }
}

impl RemoteSettings {
    /// The base URL checked and without a trailing slash.
    pub fn base(&self) -> Result<String, RemoteError> {
        let given = self.base_url.trim();
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|scheme| given.starts_with(scheme));
        let Some(scheme) = scheme else {
            return Err(RemoteError::BadBaseUrl(format!(
                "{given:?} does not start with http:// or https://"
            )));
        };
        let rest = given[scheme.len()..].trim_end_matches('/');
        if rest.is_empty() || rest.starts_with('/') {
            return Err(RemoteError::BadBaseUrl(format!("{given:?} names no host")));
        }
        if rest.contains(['?', '#', ' ']) {
            return Err(RemoteError::BadBaseUrl(format!(
                "{given:?} has a space, ? or #; give only scheme, host, port and path"
            )));
        }
        Ok(format!("{scheme}{rest}"))
    }

    /// `POST` here to start a job.
    pub fn predict_url(&self, model_id: &str) -> Result<String, RemoteError> {
        Ok(format!(
            "{}/api/models/{}/predict",
            self.base()?,
            percent_encode(model_id)
        ))
    }

    /// `GET` here for a job's status.
    pub fn status_url(&self, job_id: &str) -> Result<String, RemoteError> {
        Ok(format!(
            "{}/api/model-queries/{}/status",
            self.base()?,
            percent_encode(job_id)
        ))
    }

    /// `GET` here to check the connection and the key.
    pub fn models_url(&self) -> Result<String, RemoteError> {
        Ok(format!("{}/api/models", self.base()?))
    }

    /// The `Authorization` header value, when a key is set.
    pub fn authorization(&self) -> Option<String> {
        let key = self.api_key.trim();
        (!key.is_empty()).then(|| format!("Bearer {key}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(base: &str) -> RemoteSettings {
        RemoteSettings {
            base_url: base.into(),
            api_key: "secret-key".into(),
            remember: false,
        }
    }

    #[test]
    fn endpoints_follow_the_hosted_api() {
        let remote = settings(" http://127.0.0.1:8080/ ");
        assert_eq!(
            remote.predict_url("gem-1-bulk").expect("url"),
            "http://127.0.0.1:8080/api/models/gem-1-bulk/predict"
        );
        assert_eq!(
            remote.status_url("a b/c").expect("url"),
            "http://127.0.0.1:8080/api/model-queries/a%20b%2Fc/status"
        );
        assert_eq!(
            settings("https://example.org/synthome")
                .models_url()
                .expect("url"),
            "https://example.org/synthome/api/models"
        );
        assert_eq!(remote.authorization().as_deref(), Some("Bearer secret-key"));
        assert_eq!(
            settings("http://x").authorization().as_deref(),
            Some("Bearer secret-key")
        );
        let no_key = RemoteSettings {
            api_key: "  ".into(),
            ..settings("http://x")
        };
        assert_eq!(no_key.authorization(), None);
    }

    #[test]
    fn bad_base_urls_are_explained() {
        for (base, expected) in [
            ("127.0.0.1:8080", "does not start with http"),
            ("", "does not start with http"),
            ("http://", "names no host"),
            ("http://host/?x=1", "has a space"),
        ] {
            let error = settings(base).base().expect_err(base);
            assert!(error.to_string().contains(expected), "{base}: {error}");
        }
    }

    #[test]
    fn the_key_is_never_in_debug_output_and_stored_only_when_remembered() {
        let remote = settings("http://x");
        assert!(!format!("{remote:?}").contains("secret-key"));
        assert_eq!(Remembered::to_storage(Backend::Remote, &remote), None);
        let kept = RemoteSettings {
            remember: true,
            ..remote
        };
        let text = Remembered::to_storage(Backend::Remote, &kept).expect("stored");
        let back = Remembered::from_storage(&text).expect("read");
        assert_eq!(back.backend, Backend::Remote);
        assert_eq!(back.settings, kept);
        assert_eq!(Remembered::from_storage("{not json"), None);
        let unticked = text.replace("\"remember\":true", "\"remember\":false");
        assert_eq!(Remembered::from_storage(&unticked), None);
    }
}
