//! Parsers and look-ups for the reference tables in `shared/data/reference`: ontology JSON
//! (zstd), GENCODE genes with HGNC symbols, compound cross-references (ChEMBL, ChEBI, DrugBank,
//! LINCS), Cellosaurus and DepMap cell-line names; and [`vocabulary_terms`], which turns the
//! ids a model accepts into labelled [`synthome_vocab::Term`]s.
//!
//! Everything takes readers or bytes (the caller opens files and picks decompression with
//! [`gunzip`] or [`unzstd`]); nothing here knows a path. Used natively by the builder.
//!
//! ```
//! use synthome_reference::{GeneTable, ReferenceTables, vocabulary_terms};
//! use synthome_query::MetadataKey;
//!
//! let genes = GeneTable::from_gencode("ENSG00000141510,TP53,19,2426,protein_coding\n".as_bytes())?;
//! let tables = ReferenceTables { genes, ..ReferenceTables::default() };
//! let labelled = vocabulary_terms(MetadataKey::PerturbationOntologyId, ["ENSG00000141510"], &tables);
//! assert_eq!(labelled.terms[0].label, "TP53");
//! # Ok::<(), synthome_reference::ReferenceError>(())
//! ```

mod cell_lines;
mod compounds;
mod compression;
mod error;
mod genes;
mod ontology;
mod terms;
mod text;

pub use cell_lines::CellLineNames;
pub use compounds::{Compound, CompoundTable};
pub use compression::{gunzip, unzstd};
pub use error::ReferenceError;
pub use genes::{Gene, GeneTable};
pub use ontology::{OntologyTerm, OntologyTerms};
pub use terms::{LabelledTerms, MAX_SYNONYMS, ReferenceFiles, ReferenceTables, vocabulary_terms};
pub use text::normalise_name;
