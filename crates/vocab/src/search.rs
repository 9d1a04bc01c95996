//! Ranked, prefix- and typo-tolerant search over a term index, and "did you mean" suggestions

use crate::fuzzy::{osa_distance_within, prefix_distances};
use crate::index::{FieldKind, TermIndex, compact, to_u32, tokens};
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
    /// Dictionary words that start with the whole compact query (for queries of several words)
    compact_prefix: (u32, u32),
}

/// What one query word matches in the word dictionary
struct QueryWord {
    /// Dictionary words that start with this word: `prefix.0 <= id < prefix.1`
    prefix: (u32, u32),
    /// Dictionary words with a prefix within the allowed typos, and the distance, by word
    fuzzy: Vec<(u32, u8)>,
}

impl QueryWord {
    /// Cost of matching dictionary word `word`: 0 for a prefix, the edit distance for a typo
    fn cost(&self, word: u32) -> Option<u32> {
        if self.prefix.0 <= word && word < self.prefix.1 {
            return Some(0);
        }
        let found = self.fuzzy.binary_search_by_key(&word, |&(w, _)| w).ok()?;
        Some(u32::from(self.fuzzy[found].1))
    }

    /// How many field entries the fields matching this word add up to
    fn candidate_count(&self, index: &TermIndex) -> usize {
        index.postings_len(self.prefix.0, self.prefix.1)
            + self
                .fuzzy
                .iter()
                .map(|&(w, _)| index.postings(w).len())
                .sum::<usize>()
    }
}

/// A scored field: score, term position, field kind, match kind
type Scored = (u32, u32, FieldKind, MatchKind);

impl TermIndex {
    /// Terms matching `text`, best first, at most `limit`
    ///
    /// Ranking: exact id > exact label > exact synonym > id prefix > label prefix > label words >
    /// synonym prefix > synonym words > typo; within a kind, shorter matched text first, then the
    /// index order. Words of 4 to 6 letters tolerate one typo, longer words two (not in the
    /// first letter, though a missing first letter is found); words with digits none. Text beyond 64 bytes is ignored; empty text (or only punctuation) finds
    /// nothing. Only fields holding a word that matches the query are looked at.
    pub fn search(&self, text: &str, limit: usize) -> Vec<TermMatch<'_>> {
        if limit == 0 {
            return Vec::new();
        }
        let Some(query) = self.prepare(text) else {
            return Vec::new();
        };
        let candidates = self.candidates(&query);
        let mut found: Vec<Scored> = Vec::new();
        for field_position in candidates {
            let field = &self.fields[field_position as usize];
            let Some((kind, extra)) = classify(field, &query) else {
                continue;
            };
            let score = kind.tier() * 1000 + (999 - extra.min(999));
            match found.last_mut() {
                // Candidates are sorted and a term's fields are contiguous
                Some(last) if last.1 == field.term => {
                    if score > last.0 {
                        *last = (score, field.term, field.kind, kind);
                    }
                }
                _ => found.push((score, field.term, field.kind, kind)),
            }
        }
        let order = |a: &Scored, b: &Scored| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
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
        let mut chosen: Vec<usize> = self
            .search(value, n)
            .into_iter()
            .filter_map(|hit| self.position_of(hit.term))
            .collect();
        let wanted = n.saturating_sub(chosen.len());
        if wanted > 0 {
            let value = truncate(value, MAX_QUERY_BYTES);
            let value_lower = value.to_lowercase();
            let value_compact = compact(&value_lower);
            let value_number = trailing_number(&value_compact);
            // (distance, gap between the ids' numbers, position), best first, at most `wanted`
            let mut ranked: Vec<(usize, u64, usize)> = Vec::with_capacity(wanted + 1);
            for position in 0..self.terms().len() {
                if chosen.contains(&position) {
                    continue;
                }
                let mut bound = match ranked.last() {
                    Some(last) if ranked.len() == wanted => last.0,
                    _ => usize::MAX / 2,
                };
                let mut best = None;
                for field in self.fields_of(position) {
                    let (mine, theirs) = match field.kind {
                        FieldKind::Synonym(_) => continue,
                        FieldKind::Label => (value_lower.as_bytes(), field.lower.as_bytes()),
                        FieldKind::Id | FieldKind::AlternativeId(_) => {
                            (value_compact.as_bytes(), field.compact.as_bytes())
                        }
                    };
                    let theirs = &theirs[..theirs.len().min(4 * MAX_QUERY_BYTES)];
                    if let Some(distance) = osa_distance_within(mine, theirs, bound) {
                        best = Some(distance);
                        bound = distance;
                    }
                }
                let Some(distance) = best else {
                    continue;
                };
                let id_number = self
                    .fields_of(position)
                    .first()
                    .and_then(|field| trailing_number(&field.compact));
                let gap = match (value_number, id_number) {
                    (Some(a), Some(b)) => a.abs_diff(b),
                    _ => u64::MAX,
                };
                let entry = (distance, gap, position);
                let at = ranked.partition_point(|other| *other <= entry);
                ranked.insert(at, entry);
                ranked.truncate(wanted);
            }
            chosen.extend(ranked.iter().map(|r| r.2));
        }
        chosen.iter().filter_map(|&p| self.terms().get(p)).collect()
    }

    /// Position of a term of this index
    fn position_of(&self, term: &Term) -> Option<usize> {
        self.terms()
            .iter()
            .position(|candidate| std::ptr::eq(candidate, term))
    }

    /// Sorted, deduplicated positions of the fields that may match: ids starting with the query,
    /// and fields holding a word matched by the query word with the fewest postings
    fn candidates(&self, query: &Prepared) -> Vec<u32> {
        let mut candidates: Vec<u32> = Vec::new();
        let start = self
            .id_keys
            .partition_point(|(key, _)| **key < *query.compact);
        for (key, field) in &self.id_keys[start..] {
            let matches = if query.has_digit {
                key.starts_with(query.compact.as_str())
            } else {
                **key == *query.compact
            };
            if !matches {
                break;
            }
            candidates.push(*field);
        }
        if let Some(word) = query
            .words
            .iter()
            .min_by_key(|word| word.candidate_count(self))
        {
            for w in word.prefix.0..word.prefix.1 {
                candidates.extend_from_slice(self.postings(w));
            }
            for &(w, _) in &word.fuzzy {
                candidates.extend_from_slice(self.postings(w));
            }
        }
        if query.words.len() > 1 {
            for w in query.compact_prefix.0..query.compact_prefix.1 {
                candidates.extend_from_slice(self.postings(w));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// Dictionary words within `max_typos` of a prefix of `word`, among the words that start
    /// with the word's first or second byte (a typo in the very first letter is rare, and this
    /// keeps the walk to a small slice of the dictionary)
    fn typo_matches(&self, word: &[u8], max_typos: u8) -> Vec<(u32, u8)> {
        let mut firsts: Vec<u8> = word.iter().take(2).copied().collect();
        firsts.dedup();
        let mut found = Vec::new();
        for first in firsts {
            let start = self
                .words
                .partition_point(|w| w.as_bytes().first() < Some(&first));
            let end = start
                + self.words[start..].partition_point(|w| w.as_bytes().first() == Some(&first));
            let offset = to_u32(start);
            found.extend(
                prefix_distances(&self.words[start..end], word, max_typos)
                    .into_iter()
                    .map(|(position, distance)| (position + offset, distance)),
            );
        }
        found.sort_unstable();
        found
    }

    /// Dictionary words starting with `prefix`, as a range of word positions
    fn prefix_range(&self, prefix: &str) -> (u32, u32) {
        let start = self.words.partition_point(|w| &**w < prefix);
        let length = self.words[start..].partition_point(|w| w.starts_with(prefix));
        (to_u32(start), to_u32(start + length))
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
                let max_typos = if word.bytes().any(|b| b.is_ascii_digit()) {
                    0
                } else {
                    match word.len() {
                        0..=3 => 0,
                        4..=6 => 1,
                        _ => 2,
                    }
                };
                let fuzzy = if max_typos > 0 {
                    self.typo_matches(word.as_bytes(), max_typos)
                } else {
                    Vec::new()
                };
                QueryWord {
                    prefix: self.prefix_range(word),
                    fuzzy,
                }
            })
            .collect();
        let has_digit = compact.chars().any(|c| c.is_ascii_digit());
        let compact_prefix = self.prefix_range(&compact);
        Some(Prepared {
            lower,
            compact,
            has_digit,
            words,
            compact_prefix,
        })
    }
}

/// How a field matches the query, and how much longer than the query the field is (or, for a
/// typo match, the edit distance weighted above the extra length)
fn classify(field: &crate::index::Field, query: &Prepared) -> Option<(MatchKind, u32)> {
    let extra = to_u32(field.lower.len().saturating_sub(query.lower.len()));
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
            } else if query.has_digit
                && (field.compact.starts_with(query.compact.as_str())
                    || field
                        .compact
                        .trim_start_matches(|c: char| c.is_alphabetic())
                        .starts_with(query.compact.as_str()))
            {
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
