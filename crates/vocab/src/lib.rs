//! The vocabulary of a Synthome model: for each metadata key it models, the values it accepts
//! (ontology terms with labels, synonyms and alternative ids; quantities; numbers), id
//! resolution, ranked typo-tolerant search and a compact binary encoding.
//!
//! The key design decision: everything search needs (lower-cased and punctuation-free forms, a
//! sorted word dictionary) is computed once when a [`TermIndex`] is built, so a keystroke costs
//! one pass over precomputed strings plus one trie-like walk of the dictionary for typos. The
//! crate does no I/O and builds for `wasm32-unknown-unknown`.
//!
//! ```
//! use synthome_vocab::{KeyDomain, Term, TermIndex, Vocabulary};
//!
//! let tissues = TermIndex::new(vec![
//!     Term::new("UBERON:0002107", "liver"),
//!     Term::new("UBERON:0002048", "lung"),
//! ])?;
//! let mut vocabulary = Vocabulary::new();
//! vocabulary.insert("tissue_ontology_id", KeyDomain::Terms(tissues))?;
//!
//! let hits = vocabulary.search(Some("tissue_ontology_id"), "livr", 5);
//! assert_eq!(hits[0].term.id, "UBERON:0002107");
//!
//! let bytes = vocabulary.encode();
//! let again = Vocabulary::decode(&bytes)?;
//! assert_eq!(again.resolve("tissue_ontology_id", "uberon:0002107").map(|t| t.label.as_str()), Some("liver"));
//! # Ok::<(), synthome_vocab::VocabError>(())
//! ```

mod codec;
mod domain;
mod error;
mod fuzzy;
mod index;
mod search;
mod term;
mod vocabulary;

pub use codec::ENCODING_VERSION;
pub use domain::{KeyDomain, QuantityKind, QuantityUnit};
pub use error::VocabError;
pub use index::TermIndex;
pub use search::{MatchKind, TermMatch};
pub use term::{TISSUES_PREFIX, Term};
pub use vocabulary::{SearchHit, Vocabulary};
