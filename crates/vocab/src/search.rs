//! Ranked, prefix- and typo-tolerant search over a term index, and "did you mean" suggestions

use crate::fuzzy::{osa_distance, prefix_distances};
use crate::index::{FieldKind, TermIndex, compact, tokens};
use crate::term::Term;

/// Longest query text looked at, in bytes (longer text is cut at a character boundary)
const MAX_QUERY_BYTES: usize = 64;

/// How a term matched a search, best first
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MatchKind {
    /// The query is the id or an alternative id (ignoring case and punctuation)
    ExactId,
    /// The query is the label (ignoring case, or case and punctuation)
    ExactLabel,
    /// The query is a synonym
    ExactSynonym,
    /// The query (with a digit in it) starts an id, or each query word starts a word of an id
    IdPrefix,
    /// The query starts the label
    LabelPrefix,
    /// Each query word starts a word of the label
    LabelWords,
    /// The query starts a synonym
    SynonymPrefix,
    /// Each query word starts a word of a synonym
    SynonymWords,
    /// Each query word is within a small edit distance of the start of a label or synonym word
    Fuzzy,
}

impl MatchKind {
    /// Rank of the kind: larger is better
    fn tier(self) -> u32 {
        match self {
            MatchKind::ExactId => 9,
            MatchKind::ExactLabel => 8,
            MatchKind::ExactSynonym => 7,
            MatchKind::IdPrefix => 6,
            MatchKind::LabelPrefix => 5,
            MatchKind::LabelWords => 4,
            MatchKind::SynonymPrefix => 3,
            MatchKind::SynonymWords => 2,
            MatchKind::Fuzzy => 1,
        }
    }
}

/// A term found by [`TermIndex::search`]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermMatch<'a> {
    /// The term
    pub term: &'a Term,
    /// The id, label or synonym that matched, as written in the term
    pub matched: &'a str,
    /// How it matched
    pub kind: MatchKind,
    /// Ranking score: larger is better; `kind` decides the thousands, closeness the rest
    pub score: u32,
}

/// A prepared query: its forms and, per word, the dictionary words it matches
struct Prepared {
    lower: String,
    compact: String,
    has_digit: bool,
    words: Vec<QueryWord>,
}

/// What one query word matches in the word dictionary
struct QueryWord {
    /// Dictionary words that start with this word: `prefix.0 <= id < prefix.1`
    prefix: (u32, u32),
    /// Per dictionary word, the prefix edit distance when small enough, else `u8::MAX`
    /// (empty when the word is too short for typo tolerance)
    fuzzy: Vec<u8>,
}

impl QueryWord {
    /// Cost of matching dictionary word `word`: 0 for a prefix, the edit distance for a typo
    fn cost(&self, word: u32) -> Option<u32> {
        if self.prefix.0 <= word && word < self.prefix.1 {
            return Some(0);
        }
        let distance = *self.fuzzy.get(word as usize)?;
        (distance != u8::MAX).then_some(u32::from(distance))
    }
}

impl TermIndex {
    /// Terms matching `text`, best first, at most `limit`
    ///
    /// Ranking: exact id > exact label > exact synonym > id prefix > label prefix > label words >
    /// synonym prefix > synonym words > typo; within a kind, shorter matched text first, then the
    /// index order. Words of 4 or more letters tolerate one typo, of 7 or more two. Text beyond
    /// 64 bytes is ignored; empty text (or only punctuation) finds nothing.
    pub fn search(&self, text: &str, limit: usize) -> Vec<TermMatch<'_>> {
        let Some(query) = self.prepare(text) else {
            return Vec::new();
        };
        let mut found: Vec<(u32, u32, FieldKind, MatchKind)> = Vec::new();
        for position in 0..self.terms().len() {
            let best = self
                .fields_of(position)
                .iter()
                .filter_map(|field| {
                    let (kind, extra) = classify(field, &query)?;
                    let closeness = 999 - extra.min(999);
                    Some((kind.tier() * 1000 + closeness, field.kind, kind))
                })
                .max_by_key(|(score, _, _)| *score);
            if let Some((score, field, kind)) = best {
                found.push((score, crate::index::to_u32(position), field, kind));
            }
        }
        let order = |a: &(u32, u32, FieldKind, MatchKind), b: &(u32, u32, FieldKind, MatchKind)| {
            b.0.cmp(&a.0).then(a.1.cmp(&b.1))
        };
        if limit == 0 {
            return Vec::new();
        }
        if found.len() > limit {
            found.select_nth_unstable_by(limit - 1, order);
            found.truncate(limit);
        }
        found.sort_unstable_by(order);
        found
            .into_iter()
            .filter_map(|(score, position, field, kind)| {
                let term = self.terms().get(position as usize)?;
                Some(TermMatch {
                    term,
                    matched: TermIndex::field_text(term, field),
                    kind,
                    score,
                })
            })
            .collect()
    }

    /// Up to `n` terms closest to `value`, for "did you mean" messages
    ///
    /// First the search hits for `value`, then the terms whose id or label is the fewest edits
    /// away (ties broken by how close the numbers in the ids are, then by index order).
    pub fn nearest(&self, value: &str, n: usize) -> Vec<&Term> {
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        for hit in self.search(value, n) {
            if let Some(position) = self.position_of(hit.term) {
                chosen.push(position);
            }
        }
        if chosen.len() >= n {
            return chosen.iter().filter_map(|&p| self.terms().get(p)).collect();
        }
        let value = truncate(value, MAX_QUERY_BYTES);
        let value_lower = value.to_lowercase();
        let value_compact = compact(&value_lower);
        let value_number = trailing_number(&value_compact);
        let mut ranked: Vec<(usize, u64, usize)> = Vec::new();
        for position in 0..self.terms().len() {
            if chosen.contains(&position) {
                continue;
            }
            let distance = self
                .fields_of(position)
                .iter()
                .filter(|field| !matches!(field.kind, FieldKind::Synonym(_)))
                .map(|field| {
                    let (mine, theirs) = match field.kind {
                        FieldKind::Label => (value_lower.as_bytes(), field.lower.as_bytes()),
                        _ => (value_compact.as_bytes(), field.compact.as_bytes()),
                    };
                    osa_distance(mine, &theirs[..theirs.len().min(4 * MAX_QUERY_BYTES)])
                })
                .min()
                .unwrap_or(usize::MAX);
            let id_number = self
                .fields_of(position)
                .first()
                .and_then(|field| trailing_number(&field.compact));
            let gap = match (value_number, id_number) {
                (Some(a), Some(b)) => a.abs_diff(b),
                _ => u64::MAX,
            };
            ranked.push((distance, gap, position));
        }
        ranked.sort_unstable();
        chosen.extend(ranked.iter().take(n - chosen.len()).map(|r| r.2));
        chosen.iter().filter_map(|&p| self.terms().get(p)).collect()
    }

    /// Position of a term of this index
    fn position_of(&self, term: &Term) -> Option<usize> {
        self.terms()
            .iter()
            .position(|candidate| std::ptr::eq(candidate, term))
    }

    /// Lower-cases and splits the query and looks its words up in the dictionary
    fn prepare(&self, text: &str) -> Option<Prepared> {
        let lower = truncate(text.trim(), MAX_QUERY_BYTES).to_lowercase();
        let compact = compact(&lower);
        if compact.is_empty() {
            return None;
        }
        let words = tokens(&lower)
            .map(|word| {
                let start = self.words.partition_point(|w| &**w < word);
                let length = self.words[start..].partition_point(|w| w.starts_with(word));
                let max_typos = match word.len() {
                    0..=3 => 0,
                    4..=6 => 1,
                    _ => 2,
                };
                let mut fuzzy = Vec::new();
                if max_typos > 0 {
                    fuzzy = vec![u8::MAX; self.words.len()];
                    prefix_distances(&self.words, word.as_bytes(), max_typos, &mut fuzzy);
                }
                QueryWord {
                    prefix: (
                        crate::index::to_u32(start),
                        crate::index::to_u32(start + length),
                    ),
                    fuzzy,
                }
            })
            .collect();
        let has_digit = compact.chars().any(|c| c.is_ascii_digit());
        Some(Prepared {
            lower,
            compact,
            has_digit,
            words,
        })
    }
}

/// How a field matches the query, and how much longer than the query the field is (or, for a
/// typo match, the edit distance weighted above the extra length)
fn classify(field: &crate::index::Field, query: &Prepared) -> Option<(MatchKind, u32)> {
    let extra = crate::index::to_u32(field.lower.len().saturating_sub(query.lower.len()));
    let exact = *field.lower == *query.lower || *field.compact == *query.compact;
    let prefix = field.lower.starts_with(query.lower.as_str())
        || field.compact.starts_with(query.compact.as_str());
    let words_cost = || -> Option<u32> {
        query.words.iter().try_fold(0u32, |total, word| {
            let best = field.words.iter().filter_map(|&w| word.cost(w)).min()?;
            Some(total + best)
        })
    };
    match field.kind {
        FieldKind::Id | FieldKind::AlternativeId(_) => {
            if *field.compact == *query.compact {
                Some((MatchKind::ExactId, extra))
            } else if query.has_digit && (prefix || prefix_words(field, query)) {
                Some((MatchKind::IdPrefix, extra))
            } else {
                None
            }
        }
        FieldKind::Label | FieldKind::Synonym(_) => {
            let is_label = field.kind == FieldKind::Label;
            if exact {
                let kind = if is_label {
                    MatchKind::ExactLabel
                } else {
                    MatchKind::ExactSynonym
                };
                return Some((kind, extra));
            }
            if prefix {
                let kind = if is_label {
                    MatchKind::LabelPrefix
                } else {
                    MatchKind::SynonymPrefix
                };
                return Some((kind, extra));
            }
            if prefix_words(field, query) {
                let kind = if is_label {
                    MatchKind::LabelWords
                } else {
                    MatchKind::SynonymWords
                };
                return Some((kind, extra));
            }
            let typos = words_cost()?;
            Some((MatchKind::Fuzzy, typos * 100 + extra))
        }
    }
}

/// Whether every query word starts some word of the field
fn prefix_words(field: &crate::index::Field, query: &Prepared) -> bool {
    query.words.iter().all(|word| {
        field
            .words
            .iter()
            .any(|&w| word.prefix.0 <= w && w < word.prefix.1)
    })
}

/// `text` cut to at most `max` bytes at a character boundary
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The number formed by the trailing digits of `text` (at most 18 of them), if any
fn trailing_number(text: &str) -> Option<u64> {
    let digits: Vec<u8> = text
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .take(18)
        .collect();
    if digits.is_empty() {
        return None;
    }
    Some(
        digits
            .iter()
            .rev()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')),
    )
}
