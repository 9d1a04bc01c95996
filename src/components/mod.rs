//! Components shared between views.

pub mod condition_cards;
pub mod differential;
pub mod expression_table;
pub mod layout;
pub mod plots;
pub mod query_options;
pub mod remote_settings;
pub mod share_panel;
pub mod vocabulary_search;
