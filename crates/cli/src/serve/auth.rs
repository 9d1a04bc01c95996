//! Optional bearer-token auth: keys from a file or the environment, compared in constant time
//! (as SHA-256 digests, so neither content nor length leaks), never logged.

use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The accepted API keys (their digests). Empty means auth is off.
#[derive(Clone, Default)]
pub struct ApiKeys {
    digests: Vec<[u8; 32]>,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKeys({} keys)", self.digests.len())
    }
}

impl ApiKeys {
    /// Keys from a file (one per line; blank lines and `#` comments skipped) and a
    /// comma-separated list.
    pub fn load(file: Option<&Path>, list: Option<&str>) -> anyhow::Result<Self> {
        let mut keys: Vec<String> = Vec::new();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("could not read the API keys file {}", path.display()))?;
            keys.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty() && !line.starts_with('#'))
                    .map(String::from),
            );
        }
        if let Some(list) = list {
            keys.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|key| !key.is_empty())
                    .map(String::from),
            );
        }
        Ok(Self {
            digests: keys.iter().map(|key| digest(key)).collect(),
        })
    }

    /// Whether auth is on.
    pub fn enabled(&self) -> bool {
        !self.digests.is_empty()
    }

    /// Whether an `Authorization` header value carries an accepted key (`Bearer <key>`; the
    /// scheme is case-insensitive, RFC 7235).
    pub fn accepts(&self, authorization: Option<&str>) -> bool {
        let Some(token) = authorization
            .and_then(|value| value.split_once(' '))
            .and_then(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer").then_some(token))
        else {
            return false;
        };
        let presented = digest(token.trim());
        // Visit every key so the time does not depend on which one matched.
        self.digests
            .iter()
            .fold(0u8, |found, key| found | key.ct_eq(&presented).unwrap_u8())
            == 1
    }
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_keys_with_the_bearer_scheme_pass() -> anyhow::Result<()> {
        let keys = ApiKeys::load(None, Some("alpha, beta,,"))?;
        assert!(keys.enabled());
        assert!(keys.accepts(Some("Bearer alpha")));
        assert!(keys.accepts(Some("Bearer beta")));
        assert!(!keys.accepts(Some("Bearer alph")));
        assert!(!keys.accepts(Some("alpha")));
        assert!(!keys.accepts(None));
        assert!(!ApiKeys::load(None, None)?.enabled());
        assert_eq!(format!("{keys:?}"), "ApiKeys(2 keys)");
        Ok(())
    }

    #[test]
    fn the_scheme_is_case_insensitive() -> anyhow::Result<()> {
        let keys = ApiKeys::load(None, Some("alpha"))?;
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            assert!(keys.accepts(Some(&format!("{scheme} alpha"))), "{scheme}");
        }
        assert!(!keys.accepts(Some("Basic alpha")));
        assert!(!keys.accepts(Some("Beareralpha")));
        Ok(())
    }

    #[test]
    fn key_files_skip_comments_and_blank_lines() -> anyhow::Result<()> {
        let path = std::env::temp_dir().join(format!("synthome-keys-{}", std::process::id()));
        std::fs::write(&path, "# team keys\n\n  gamma  \n")?;
        let keys = ApiKeys::load(Some(&path), None)?;
        std::fs::remove_file(&path)?;
        assert!(keys.accepts(Some("Bearer gamma")));
        assert!(!keys.accepts(Some("Bearer # team keys")));
        Ok(())
    }
}
