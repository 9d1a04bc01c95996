//! One module per view of the app.

pub mod about;
pub mod models;
pub mod query;
pub mod results;
pub mod your_data;
