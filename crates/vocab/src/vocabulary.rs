//! The vocabulary of a model: for each metadata key it models, the values it accepts

use std::collections::BTreeMap;

use crate::domain::KeyDomain;
use crate::error::VocabError;
use crate::search::MatchKind;
use crate::term::Term;

/// For each metadata key a model models, the values it accepts; a key absent is not modelled
///
/// Keys are kept in name order.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    domains: BTreeMap<String, KeyDomain>,
}

/// A term found by [`Vocabulary::search`]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchHit<'a> {
    /// The metadata key whose domain holds the term
    pub key: &'a str,
    /// The term
    pub term: &'a Term,
    /// The id, label or synonym that matched, as written in the term
    pub matched: &'a str,
    /// How it matched
    pub kind: MatchKind,
    /// Ranking score: larger is better
    pub score: u32,
}

impl Vocabulary {
    /// An empty vocabulary (a model that models no key)
    pub fn new() -> Vocabulary {
        Vocabulary::default()
    }

    /// Adds the domain of `key`
    ///
    /// Fails when the key is already present, or when a numeric domain has non-finite bounds,
    /// `min > max` or a non-finite known value (known values are sorted and deduplicated).
    pub fn insert(&mut self, key: impl Into<String>, domain: KeyDomain) -> Result<(), VocabError> {
        let key = key.into();
        if self.domains.contains_key(&key) {
            return Err(VocabError::DuplicateKey { key });
        }
        let domain = domain.checked(&key)?;
        self.domains.insert(key, domain);
        Ok(())
    }

    /// The domain of `key`, or `None` when the model does not model it
    pub fn domain(&self, key: &str) -> Option<&KeyDomain> {
        self.domains.get(key)
    }

    /// The modelled keys and their domains, in key order
    pub fn iter(&self) -> impl Iterator<Item = (&str, &KeyDomain)> {
        self.domains
            .iter()
            .map(|(key, domain)| (key.as_str(), domain))
    }

    /// The modelled keys, in order
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.domains.keys().map(String::as_str)
    }

    /// Number of modelled keys
    pub fn len(&self) -> usize {
        self.domains.len()
    }

    /// Whether no key is modelled
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }

    /// The term of `key` whose id or alternative id is `value` (exactly, else ignoring case)
    pub fn resolve(&self, key: &str, value: &str) -> Option<&Term> {
        self.domain(key)?.terms()?.resolve(value)
    }

    /// Terms matching `text` in the domain of `key` (or of every term key when `None`), best
    /// first, at most `limit`; ties across keys go to the key that comes first
    pub fn search(&self, key: Option<&str>, text: &str, limit: usize) -> Vec<SearchHit<'_>> {
        let mut hits: Vec<SearchHit<'_>> = Vec::new();
        for (name, domain) in &self.domains {
            if key.is_some_and(|wanted| wanted != name) {
                continue;
            }
            let Some(index) = domain.terms() else {
                continue;
            };
            hits.extend(index.search(text, limit).into_iter().map(|hit| SearchHit {
                key: name,
                term: hit.term,
                matched: hit.matched,
                kind: hit.kind,
                score: hit.score,
            }));
        }
        // A stable sort keeps key order, then each key's own order, among equal scores
        hits.sort_by_key(|hit| std::cmp::Reverse(hit.score));
        hits.truncate(limit);
        hits
    }

    /// Up to `n` terms of `key` closest to `value`, for "did you mean" messages
    pub fn nearest(&self, key: &str, value: &str, n: usize) -> Vec<&Term> {
        match self.domain(key).and_then(KeyDomain::terms) {
            Some(index) => index.nearest(value, n),
            None => Vec::new(),
        }
    }
}
