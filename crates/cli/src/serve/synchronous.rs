//! The self-hosted synchronous form of `predict`: one generation slot held from the start of the
//! generation to the last byte of the Arrow answer, the answer streamed in record batches, and
//! the work cancelled as soon as nobody waits for it.
//!
//! The slot (a permit of the server's generation semaphore) moves into the blocking task, so a
//! client that hangs up cannot free it while its generation still runs. The generation checks
//! after every sample whether the request is still waited for; when it is not, the blocking task
//! unwinds with [`Cancelled`] (caught right here, never a panic message) and the slot is freed.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};

use super::arrow::{ARROW_STREAM, BodyWriter, write_stream};
use synthome_engine::{ModelEntry, Prepared, run};

/// Encoded chunks waiting for a slow client (each at most 64 KiB).
const CHUNKS_IN_FLIGHT: usize = 4;

/// How a synchronous request ended before its answer started.
#[derive(Debug)]
pub enum SyncFailure {
    /// The model could not generate the query (the client's to fix).
    Generate(String),
    /// The blocking task ended without a word (a bug).
    Stopped,
}

/// The unwinding payload of a generation nobody waits for.
struct Cancelled;

/// Generates `prepared` while holding `permit`, then streams the Arrow answer; resolves when the
/// answer starts (or fails). Dropping the returned future cancels the work.
pub async fn answer(
    permit: OwnedSemaphorePermit,
    entry: ModelEntry,
    prepared: Prepared,
    with_sample_id: bool,
) -> Result<Response, SyncFailure> {
    let (started_sender, started) = oneshot::channel::<Result<(), String>>();
    let (body_sender, body) = mpsc::channel(CHUNKS_IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let _slot = permit;
        let generated = catch_unwind(AssertUnwindSafe(|| {
            run(&entry, &prepared, &mut |_, _| {
                if started_sender.is_closed() {
                    resume_unwind(Box::new(Cancelled));
                }
            })
        }));
        let (matrix, provenance) = match generated {
            Ok(Ok(generated)) => generated,
            Ok(Err(failure)) => {
                let _ = started_sender.send(Err(failure.to_string()));
                return;
            }
            Err(payload) if payload.is::<Cancelled>() => {
                tracing::info!("a synchronous request was cancelled: its client has gone");
                return;
            }
            Err(payload) => resume_unwind(payload),
        };
        if started_sender.send(Ok(())).is_err() {
            return;
        }
        let mut out = BodyWriter::new(body_sender);
        if let Err(failure) = write_stream(&mut out, &matrix, &provenance, with_sample_id) {
            let gone = matches!(&failure, arrow_schema::ArrowError::IoError(_, io)
                if io.kind() == std::io::ErrorKind::BrokenPipe);
            if gone {
                tracing::info!("a synchronous answer was cut short: its client has gone");
            } else {
                tracing::error!(%failure, "could not encode the Arrow answer");
                out.fail(format!("could not encode the Arrow answer: {failure}"));
            }
        }
    });
    match started.await {
        Ok(Ok(())) => Ok((
            [(header::CONTENT_TYPE, ARROW_STREAM)],
            Body::from_stream(futures_util::stream::unfold(body, |mut body| async move {
                body.recv().await.map(|chunk| (chunk, body))
            })),
        )
            .into_response()),
        Ok(Err(message)) => Err(SyncFailure::Generate(message)),
        Err(_) => Err(SyncFailure::Stopped),
    }
}
