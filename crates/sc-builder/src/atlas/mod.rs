//! The atlas cell types: the cell-profile library's mean profiles (41 human single-cell
//! atlases) under the reviewed CL mapping, added to the Kang-fitted model with per-cell
//! variation transferred from the Kang cells

pub(crate) mod anchor;
pub(crate) mod card;
pub(crate) mod embryo;
pub(crate) mod extend;
pub(crate) mod mapping;
pub(crate) mod profiles;

pub use anchor::{ANCHOR_WEIGHT, Anchored, PBMC_ATLASES};
pub use extend::KEY_WEIGHT;
pub use mapping::MappedColumn;
pub use profiles::{AtlasColumn, AtlasData, AtlasSummary, FULL_LENGTH_ATLASES};
