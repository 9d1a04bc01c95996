//! Fits model bundles from data tables (work in progress)
