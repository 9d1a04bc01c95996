//! Components shared between views.

pub mod layout;
