//! The remote backend: instead of the embedded model, a server with the hosted API's
//! asynchronous endpoints (the Synthesize Bio API, or `synthome serve`) generates the data.
//!
//! POST `{base}/api/models/{model}/predict` with the query and `Authorization: Bearer <key>`
//! gives `{"modelQueryId": id}`; GET `{base}/api/model-queries/{id}/status` every 2 s until
//! `ready` with a `downloadUrl` (fetched without the key) or `failed` with a `message`. The
//! answer becomes the same [`crate::state::GenerationResult`] as an in-browser run. The plain
//! parts ([`settings`], [`error`], [`jobs`], [`result`]) are tested on the host; [`client`],
//! [`run`] and [`storage`] are the thin browser side.

pub mod client;
pub mod error;
pub mod jobs;
pub mod result;
pub mod run;
pub mod settings;
pub mod storage;
