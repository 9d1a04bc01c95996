//! A set of terms with id look-up and the precomputed forms search needs (lower-case and
//! punctuation-free strings, a sorted word dictionary)

use std::collections::BTreeMap;

use crate::error::VocabError;
use crate::term::Term;

/// The terms a model accepts for one key, indexed for id resolution and search
///
/// Built once (in the constructor or when decoding); every search then reuses the lower-cased
/// forms and the sorted word dictionary.
#[derive(Debug, Clone)]
pub struct TermIndex {
    terms: Vec<Term>,
    by_id: BTreeMap<String, u32>,
    by_folded_id: BTreeMap<String, u32>,
    pub(crate) fields: Vec<Field>,
    /// `fields[field_starts[t]..field_starts[t + 1]]` are the fields of term `t`
    pub(crate) field_starts: Vec<u32>,
    /// Sorted, deduplicated lower-case words of every field
    pub(crate) words: Vec<Box<str>>,
}

/// Which string of a term a field holds
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// The primary id
    Id,
    /// An alternative id (its position in `alternative_ids`)
    AlternativeId(u32),
    /// The label
    Label,
    /// A synonym (its position in `synonyms`)
    Synonym(u32),
}

/// One searchable string of a term in its precomputed forms
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) kind: FieldKind,
    /// Lower case
    pub(crate) lower: Box<str>,
    /// Lower case, letters and digits only
    pub(crate) compact: Box<str>,
    /// Indexes into `TermIndex::words`
    pub(crate) words: Box<[u32]>,
}

impl TermIndex {
    /// Indexes `terms`, keeping their order (search breaks ties by it)
    ///
    /// Fails when a term has an empty id or when an id or alternative id belongs to two terms.
    pub fn new(terms: Vec<Term>) -> Result<TermIndex, VocabError> {
        let mut by_id: BTreeMap<String, u32> = BTreeMap::new();
        let mut by_folded_id: BTreeMap<String, u32> = BTreeMap::new();
        for (position, term) in terms.iter().enumerate() {
            if term.id.trim().is_empty() {
                return Err(VocabError::EmptyId {
                    label: term.label.clone(),
                });
            }
            let position = to_u32(position);
            let ids = std::iter::once(&term.id).chain(term.alternative_ids.iter());
            for id in ids.filter(|id| !id.is_empty()) {
                if let Some(&other) = by_id.get(id.as_str()) {
                    if other != position {
                        return Err(VocabError::DuplicateId {
                            id: id.clone(),
                            first: terms[other as usize].id.clone(),
                            second: term.id.clone(),
                        });
                    }
                    continue;
                }
                by_id.insert(id.clone(), position);
                by_folded_id.entry(id.to_lowercase()).or_insert(position);
            }
        }
        let mut raw_fields: Vec<(FieldKind, Box<str>, Box<str>)> = Vec::new();
        let mut field_starts = Vec::with_capacity(terms.len() + 1);
        for term in &terms {
            field_starts.push(to_u32(raw_fields.len()));
            let mut push = |kind: FieldKind, text: &str| {
                let lower = text.to_lowercase();
                let compact = compact(&lower);
                if !compact.is_empty() {
                    raw_fields.push((kind, lower.into_boxed_str(), compact.into_boxed_str()));
                }
            };
            push(FieldKind::Id, &term.id);
            for (n, id) in term.alternative_ids.iter().enumerate() {
                push(FieldKind::AlternativeId(to_u32(n)), id);
            }
            push(FieldKind::Label, &term.label);
            for (n, synonym) in term.synonyms.iter().enumerate() {
                push(FieldKind::Synonym(to_u32(n)), synonym);
            }
        }
        field_starts.push(to_u32(raw_fields.len()));
        let mut words: Vec<Box<str>> = raw_fields
            .iter()
            .flat_map(|(_, lower, _)| tokens(lower))
            .map(Box::from)
            .collect();
        words.sort_unstable();
        words.dedup();
        let fields = raw_fields
            .into_iter()
            .map(|(kind, lower, compact)| {
                let mut ids: Vec<u32> = tokens(&lower)
                    .filter_map(|token| words.binary_search_by(|w| (**w).cmp(token)).ok())
                    .map(to_u32)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                Field {
                    kind,
                    lower,
                    compact,
                    words: ids.into_boxed_slice(),
                }
            })
            .collect();
        Ok(TermIndex {
            terms,
            by_id,
            by_folded_id,
            fields,
            field_starts,
            words,
        })
    }

    /// The terms, in the order given
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// Number of terms
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether there are no terms
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The term whose id or alternative id is `id` (exactly, else ignoring case)
    pub fn resolve(&self, id: &str) -> Option<&Term> {
        let position = match self.by_id.get(id) {
            Some(&position) => position,
            None => *self.by_folded_id.get(&id.to_lowercase())?,
        };
        self.terms.get(position as usize)
    }

    /// The fields of term `position`
    pub(crate) fn fields_of(&self, position: usize) -> &[Field] {
        let start = self.field_starts[position] as usize;
        let end = self.field_starts[position + 1] as usize;
        &self.fields[start..end]
    }

    /// The original text of a field of `term`
    pub(crate) fn field_text(term: &Term, kind: FieldKind) -> &str {
        match kind {
            FieldKind::Id => &term.id,
            FieldKind::Label => &term.label,
            FieldKind::AlternativeId(n) => term
                .alternative_ids
                .get(n as usize)
                .map_or(term.id.as_str(), String::as_str),
            FieldKind::Synonym(n) => term
                .synonyms
                .get(n as usize)
                .map_or(term.label.as_str(), String::as_str),
        }
    }
}

/// Lower-case letters and digits of `text`, everything else dropped
pub(crate) fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of an already lower-cased text: runs of letters and digits
pub(crate) fn tokens(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// A position as u32 (vocabularies hold far fewer than 4 billion strings)
pub(crate) fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
