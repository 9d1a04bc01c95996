//! Components shared between views.

pub mod expression_table;
pub mod layout;
pub mod remote_settings;
pub mod share_panel;
pub mod vocabulary_search;
