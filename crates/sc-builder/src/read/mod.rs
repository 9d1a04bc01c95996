//! Readers of the input tables: text in, plain values out (no paths)

pub(crate) mod markers;
pub(crate) mod mtx;
pub(crate) mod tables;
