//! Generation off the main thread: the message protocol between the page and the Web Worker,
//! the page's side of it ([`client`]) and the worker's ([`host`]).
//!
//! Control messages travel as JSON text; matrix values travel as transferred `ArrayBuffer`s so
//! a 1,000 x 20,000 result is copied out of wasm memory once and never cloned again.

pub mod client;
pub mod host;
pub mod protocol;
mod transfer;
