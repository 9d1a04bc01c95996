//! The browser's services, behind small functions the features call: fetching a bundle with
//! progress ([`fetch`]), saving a file ([`save`]), the clipboard ([`clipboard`]), local storage
//! ([`storage`]), a random seed ([`random`]), what a tab can hold ([`limits`]) and how many
//! cores it may use ([`cores`]). Nothing here knows the app's state.

pub mod clipboard;
pub mod cores;
pub mod fetch;
pub mod limits;
pub mod random;
pub mod save;
pub mod storage;
