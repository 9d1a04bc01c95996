//! The statistics the report needs, on small dense data

pub(crate) mod auroc;
pub(crate) mod centroid;
pub(crate) mod describe;
pub(crate) mod forest;
pub(crate) mod gaussian;
