//! The query feature: validating the editor's query once ([`validation`]), the text edits the
//! editor's controls make ([`edit`]), the condition cards, options row and vocabulary search
//! that make them, the backend choice, import / export as a file ([`file`], [`file_buttons`])
//! and "copy as code" ([`snippets`], [`copy_as_code`]).

pub mod backend_settings;
pub mod condition_cards;
pub mod copy_as_code;
pub mod edit;
pub mod file;
pub mod file_buttons;
pub mod options;
pub mod snippets;
pub mod validation;
pub mod vocabulary_search;
