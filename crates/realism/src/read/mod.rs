//! Readers of the data files the report tests against (only what the report needs)

pub(crate) mod disease;
pub(crate) mod folder;
pub(crate) mod geuvadis;
pub(crate) mod hpa;
pub(crate) mod k562;
pub(crate) mod panc1;
pub(crate) mod plate;
