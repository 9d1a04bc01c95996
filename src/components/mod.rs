//! Generic pieces of the page that belong to no feature.

pub mod layout;
