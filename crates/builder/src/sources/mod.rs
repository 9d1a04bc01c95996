//! The data sources of the bulk model, one module each.
//!
//! A source reads its files through [`BulkAssembly::files`] (every read is recorded, in
//! order, with its sha256) and adds its contexts, training conditions, perturbations, the
//! evidence later sources use and its report lines to the [`BulkAssembly`]. A source whose
//! files are absent adds nothing (read optional files with `files.bytes_if_present`).
//!
//! **Adding a source** is one new file here with
//!
//! ```text
//! pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError>
//! ```
//!
//! (the [`Source`] signature) plus one line in [`SOURCES_AFTER_NOISE_FIT`] (or
//! [`SOURCES_BEFORE_NOISE_FIT`] when its per-sample data should feed the noise fit). The order
//! of the lists is the order of the contexts in the bundle and of the inputs in the build
//! report.
//!
//! Four sources also make the gene universe (the genes they measure that GENCODE knows), so
//! they are read before it exists: `tissues`, `blood`, `cell_lines` and `geuvadis` each have a
//! `read(files, ...)` giving a value with `genes()` and `add(&mut BulkAssembly)`, called by
//! [`build_bulk`](crate::build_bulk) in that order.

use synthome_inputs::Inputs;

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::read::summary::{SummaryTable, read_wide};

pub(crate) mod a375;
pub(crate) mod atlas;
pub(crate) mod blood;
pub(crate) mod brain_age;
pub(crate) mod cell_lines;
pub(crate) mod covid;
pub(crate) mod crohns;
pub(crate) mod geuvadis;
pub(crate) mod healthy;
pub(crate) mod k562;
pub(crate) mod lincs_cells;
pub(crate) mod lincs_consensus;
pub(crate) mod lincs_overexpression;
pub(crate) mod panc1;
pub(crate) mod per_sample_disease;
pub(crate) mod tb_hiv;
pub(crate) mod tcga;
pub(crate) mod tissues;

/// A source that reads its files and adds what they give (see the module header)
pub(crate) type Source = fn(&mut BulkAssembly<'_>) -> Result<(), BuildError>;

/// Sources added after the cell line contexts and before the noise fit: the cell lines'
/// recorded sexes, K562 (technical dispersion) and the atlas (per-sample residuals)
pub(crate) const SOURCES_BEFORE_NOISE_FIT: [Source; 3] = [lincs_cells::add, k562::add, atlas::add];

/// Sources added after the noise fit (perturbations and contexts that do not inform it)
pub(crate) const SOURCES_AFTER_NOISE_FIT: [Source; 10] = [
    panc1::add,
    a375::add,
    lincs_consensus::add,
    lincs_overexpression::add,
    covid::add,
    tb_hiv::add,
    crohns::add,
    brain_age::add,
    tcga::add,
    healthy::add,
];

/// A wide summary table, if present
fn read_optional_wide(files: &mut Inputs, file: &str) -> Result<Option<SummaryTable>, BuildError> {
    match files.bytes_if_present(file)? {
        Some(bytes) => Ok(Some(read_wide(bytes.as_slice(), file)?)),
        None => Ok(None),
    }
}
