//! The page's side of the worker: spawn it, queue requests until it says it is ready, turn its
//! messages (and its death: a script or wasm that did not load, a trap) into [`ClientEvent`]s,
//! and cancel by terminating it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use synthome_analysis::Umap;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::error::EmbeddedError;
use super::protocol::{
    ConditionRequest, Event, Job, Request, ResultHeader, SamplePrediction, Share, TableSummary,
    ValueBuffers,
};
use super::transfer::{Packet, buffers_to_values, bytes_to_buffer};
use crate::results::overview::ResultOverview;

/// The worker's loader (`public/worker_loader.js`), relative to the page.
const WORKER_URL: &str = "./worker_loader.js";

/// What the worker reported, decoded.
#[derive(Debug)]
pub enum ClientEvent {
    /// Samples done of total.
    Progress {
        /// Samples done.
        done: u64,
        /// Samples in all.
        total: u64,
    },
    /// A finished run.
    Finished {
        /// Everything but the values.
        header: Box<ResultHeader>,
        /// The values.
        values: ValueBuffers,
    },
    /// A share of a split generation, its values left in the buffers the worker transferred
    /// (the page passes them on to the worker that joins the parts).
    Part {
        /// The share's index.
        index: usize,
        /// Everything but the values.
        header: Box<ResultHeader>,
        /// The values, laid out as `header.kind` says.
        buffers: Vec<js_sys::ArrayBuffer>,
    },
    /// The overview of the last generation's result.
    Overview(Box<ResultOverview>),
    /// The UMAP of the last generation's result, or why there is none.
    Umap(Box<Result<Umap, String>>),
    /// A counts table was read and aligned.
    Aligned(Box<TableSummary>),
    /// The kept table's samples, predicted.
    Predicted(Vec<SamplePrediction>),
    /// A reference-conditioning result and the reference sample's counts.
    Conditioned {
        /// Everything but the values.
        header: Box<ResultHeader>,
        /// The values.
        values: ValueBuffers,
        /// The reference sample's aligned counts.
        reference: Vec<u32>,
    },
    /// The worker died (its script or wasm did not load, or its wasm trapped): it answers
    /// nothing more. The message is the browser's.
    Crashed(String),
    /// Loading (no job) or a run failed.
    Failed {
        /// The run that failed, if it was one.
        job: Option<Job>,
        /// What went wrong.
        error: EmbeddedError,
    },
    /// The worker's memory grew well beyond its loaded size: replace it when idle.
    Spent {
        /// Bytes above its size after loading.
        grown_bytes: u64,
    },
}

/// A running worker.
pub struct WorkerClient {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    pending: Rc<RefCell<Vec<Packet>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl WorkerClient {
    /// Starts a worker; `on_event` receives everything it reports.
    pub fn spawn(on_event: Rc<dyn Fn(ClientEvent)>) -> Result<WorkerClient, EmbeddedError> {
        let worker =
            Worker::new(WORKER_URL).map_err(|error| EmbeddedError::Start(format!("{error:?}")))?;
        let ready = Rc::new(Cell::new(false));
        let pending: Rc<RefCell<Vec<Packet>>> = Rc::new(RefCell::new(Vec::new()));
        let (handler_worker, handler_ready, handler_pending) =
            (worker.clone(), ready.clone(), pending.clone());
        let on_crash = on_event.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |error: ErrorEvent| {
            let message = error.message();
            on_crash(ClientEvent::Crashed(if message.is_empty() {
                "the browser gave no reason".to_string()
            } else {
                message
            }));
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let Some(packet) = Packet::from_js(&message.data()) else {
                return;
            };
            let event = match serde_json::from_str::<Event>(&packet.json) {
                Ok(event) => event,
                Err(error) => {
                    on_event(ClientEvent::Failed {
                        job: None,
                        error: EmbeddedError::Unreadable(error.to_string()),
                    });
                    return;
                }
            };
            match event {
                Event::Ready => {
                    handler_ready.set(true);
                    for queued in handler_pending.borrow_mut().drain(..) {
                        send(&handler_worker, queued);
                    }
                }
                // The page decoded its own copies of the models: a load only matters if it failed.
                Event::Loaded { .. } => {}
                Event::Progress { done, total } => on_event(ClientEvent::Progress { done, total }),
                Event::Part { index, header } => on_event(ClientEvent::Part {
                    index,
                    header,
                    buffers: packet.buffers,
                }),
                Event::Overview(overview) => on_event(ClientEvent::Overview(overview)),
                Event::Umap(umap) => on_event(ClientEvent::Umap(umap)),
                Event::Spent { grown_bytes } => on_event(ClientEvent::Spent { grown_bytes }),
                Event::Failed { job, message } => on_event(ClientEvent::Failed {
                    job,
                    error: EmbeddedError::Worker(message),
                }),
                Event::Aligned(summary) => on_event(ClientEvent::Aligned(summary)),
                Event::Predicted { samples } => on_event(ClientEvent::Predicted(samples)),
                Event::Conditioned(header) => {
                    let values = buffers_to_values(header.kind, &packet.buffers);
                    let reference = packet
                        .buffers
                        .last()
                        .map(|buffer| js_sys::Uint32Array::new(buffer).to_vec());
                    match (values, reference) {
                        (Some(values), Some(reference)) => on_event(ClientEvent::Conditioned {
                            header,
                            values,
                            reference,
                        }),
                        _ => on_event(ClientEvent::Failed {
                            job: Some(Job::YourData),
                            error: EmbeddedError::MissingValues,
                        }),
                    }
                }
                Event::Result(header) => match buffers_to_values(header.kind, &packet.buffers) {
                    Some(values) => on_event(ClientEvent::Finished { header, values }),
                    None => on_event(ClientEvent::Failed {
                        job: Some(header.job),
                        error: EmbeddedError::MissingValues,
                    }),
                },
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(WorkerClient {
            worker,
            ready,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends a bundle to decode (a copy: the page keeps its bytes for a restart).
    pub fn load(&self, name: &str, bundle: &[u8]) {
        let request = Request::Load {
            name: name.to_string(),
        };
        self.request(request, vec![bytes_to_buffer(bundle)]);
    }

    /// Asks for a run of `query` on `model`, or of its `share` of the samples.
    pub fn run(
        &self,
        job: Job,
        (model, query): (&str, &str),
        fallback_seed: u64,
        share: Option<Share>,
    ) {
        let request = Request::Run {
            job,
            model: model.to_string(),
            query: query.to_string(),
            fallback_seed,
            share,
        };
        self.request(request, Vec::new());
    }

    /// Asks for the parts of a split generation (`buffers` transferred: emptied on the page)
    /// to be put together and answered as one generation.
    pub fn join(&self, parts: Vec<ResultHeader>, buffers: Vec<js_sys::ArrayBuffer>) {
        self.request(Request::Join { parts }, buffers);
    }

    /// Sends a counts table's bytes (transferred: `bytes` is emptied on the page) to be read
    /// and aligned to `model`.
    pub fn align(&self, model: &str, file_name: &str, bytes: js_sys::ArrayBuffer) {
        let request = Request::Align {
            model: model.to_string(),
            file_name: file_name.to_string(),
        };
        self.request(request, vec![bytes]);
    }

    /// Asks for the metadata of every sample of the aligned table.
    pub fn predict(&self) {
        self.request(Request::Predict, Vec::new());
    }

    /// Asks for a reference-conditioning run on one sample of the aligned table.
    pub fn condition(&self, request: ConditionRequest) {
        self.request(Request::Condition(Box::new(request)), Vec::new());
    }

    /// Stops the worker at once, whatever it is doing.
    pub fn terminate(&self) {
        self.worker.terminate();
    }

    fn request(&self, request: Request, buffers: Vec<js_sys::ArrayBuffer>) {
        let json = serde_json::to_string(&request).unwrap_or_default();
        let packet = Packet { json, buffers };
        if self.ready.get() {
            send(&self.worker, packet);
        } else {
            self.pending.borrow_mut().push(packet);
        }
    }
}

fn send(worker: &Worker, packet: Packet) {
    let (message, transfer) = packet.into_js();
    if let Err(error) = worker.post_message_with_transfer(&message, &transfer) {
        web_sys::console::error_2(&"synthome: postMessage to the worker failed".into(), &error);
    }
}
