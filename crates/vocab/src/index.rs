//! A set of terms with id look-up and the precomputed forms search needs: lower-case and
//! punctuation-free strings, a sorted word dictionary with postings (word -> fields), and a
//! sorted list of id keys

use std::collections::BTreeMap;

use crate::error::VocabError;
use crate::term::Term;

/// The terms a model accepts for one key, indexed for id resolution and search
///
/// Built once (in the constructor or when decoding); a search then only looks at the fields
/// that contain a word matching the query, found through the sorted word dictionary.
#[derive(Debug, Clone)]
pub struct TermIndex {
    terms: Vec<Term>,
    by_id: BTreeMap<String, u32>,
    by_folded_id: BTreeMap<String, u32>,
    pub(crate) fields: Vec<Field>,
    /// `fields[field_starts[t]..field_starts[t + 1]]` are the fields of term `t`
    pub(crate) field_starts: Vec<u32>,
    /// Sorted, deduplicated lower-case words of labels and synonyms (each word, and the whole
    /// text without punctuation when it has several words)
    pub(crate) words: Vec<Box<str>>,
    /// `posting_fields[posting_starts[w]..posting_starts[w + 1]]` are the fields holding word `w`
    pub(crate) posting_starts: Vec<u32>,
    pub(crate) posting_fields: Vec<u32>,
    /// Sorted (key, field) pairs for ids: the punctuation-free id and its part after the
    /// leading letters (`uberon0002107` and `0002107`)
    pub(crate) id_keys: Vec<(Box<str>, u32)>,
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
    /// The term it belongs to
    pub(crate) term: u32,
    /// Lower case
    pub(crate) lower: Box<str>,
    /// Lower case, letters and digits only
    pub(crate) compact: Box<str>,
    /// Indexes into `TermIndex::words` (empty for ids)
    pub(crate) words: Box<[u32]>,
}

impl FieldKind {
    /// Whether the field is an id or alternative id
    pub(crate) fn is_id(self) -> bool {
        matches!(self, FieldKind::Id | FieldKind::AlternativeId(_))
    }
}

impl TermIndex {
    /// Indexes `terms`, keeping their order (search breaks ties by it)
    ///
    /// Fails when a term has an empty id or when an id or alternative id belongs to two terms.
    pub fn new(terms: Vec<Term>) -> Result<TermIndex, VocabError> {
        let (by_id, by_folded_id) = id_maps(&terms)?;
        let mut fields: Vec<Field> = Vec::new();
        let mut field_starts = Vec::with_capacity(terms.len() + 1);
        for (position, term) in terms.iter().enumerate() {
            field_starts.push(to_u32(fields.len()));
            let term_position = to_u32(position);
            let mut push = |kind: FieldKind, text: &str| {
                let lower = text.to_lowercase();
                let compact = compact(&lower);
                if !compact.is_empty() {
                    fields.push(Field {
                        kind,
                        term: term_position,
                        lower: lower.into_boxed_str(),
                        compact: compact.into_boxed_str(),
                        words: Box::new([]),
                    });
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
        field_starts.push(to_u32(fields.len()));

        let mut words: Vec<Box<str>> = fields
            .iter()
            .filter(|field| !field.kind.is_id())
            .flat_map(field_words)
            .map(Box::from)
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for (field_position, field) in fields.iter_mut().enumerate() {
            if field.kind.is_id() {
                continue;
            }
            let mut ids: Vec<u32> = field_words(field)
                .filter_map(|word| words.binary_search_by(|w| (**w).cmp(word)).ok())
                .map(to_u32)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            pairs.extend(ids.iter().map(|&w| (w, to_u32(field_position))));
            field.words = ids.into_boxed_slice();
        }
        pairs.sort_unstable();
        let mut posting_starts = Vec::with_capacity(words.len() + 1);
        let mut next = 0;
        for word in 0..words.len() {
            posting_starts.push(to_u32(next));
            while next < pairs.len() && pairs[next].0 as usize == word {
                next += 1;
            }
        }
        posting_starts.push(to_u32(pairs.len()));
        let posting_fields = pairs.into_iter().map(|(_, field)| field).collect();

        let mut id_keys: Vec<(Box<str>, u32)> = Vec::new();
        for (field_position, field) in fields.iter().enumerate() {
            if !field.kind.is_id() {
                continue;
            }
            let position = to_u32(field_position);
            id_keys.push((field.compact.clone(), position));
            let local = field
                .compact
                .trim_start_matches(|c: char| c.is_alphabetic());
            if !local.is_empty() && local.len() < field.compact.len() {
                id_keys.push((Box::from(local), position));
            }
        }
        id_keys.sort_unstable();
        Ok(TermIndex {
            terms,
            by_id,
            by_folded_id,
            fields,
            field_starts,
            words,
            posting_starts,
            posting_fields,
            id_keys,
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

    /// The fields that hold dictionary word `word`
    pub(crate) fn postings(&self, word: u32) -> &[u32] {
        let word = word as usize;
        let start = self.posting_starts[word] as usize;
        let end = self.posting_starts[word + 1] as usize;
        &self.posting_fields[start..end]
    }

    /// Number of field entries in the postings of words `start..end`
    pub(crate) fn postings_len(&self, start: u32, end: u32) -> usize {
        (self.posting_starts[end as usize] - self.posting_starts[start as usize]) as usize
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

/// Exact and lower-cased id maps; fails on empty or shared ids
type IdMaps = (BTreeMap<String, u32>, BTreeMap<String, u32>);

/// Builds the id maps of `terms`
fn id_maps(terms: &[Term]) -> Result<IdMaps, VocabError> {
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
    Ok((by_id, by_folded_id))
}

/// The dictionary words of a label or synonym: its words, plus its compact form when it has
/// several (so that "a549" finds "A-549")
fn field_words(field: &Field) -> impl Iterator<Item = &str> {
    let several = tokens(&field.lower).nth(1).is_some();
    tokens(&field.lower).chain(several.then_some(&*field.compact))
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
