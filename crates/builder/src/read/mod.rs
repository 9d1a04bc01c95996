//! Readers of the data tables, over `impl Read` (the build module opens files)

pub(crate) mod counts;
pub(crate) mod gct;
pub(crate) mod k562;
pub(crate) mod lincs;
pub(crate) mod mapping;
pub(crate) mod sample_counts;
pub(crate) mod summary;
pub(crate) mod tsv;
