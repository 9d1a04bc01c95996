//! The worker's side: decodes bundles sent by the page and runs queries on them with the same
//! engine as the CLI and the server, posting progress, the result and (for a generation) the
//! result's overview for the plots back. The worker keeps
//! its own copy of the models (the page's copies cannot cross `postMessage`), so each run is
//! validated here once, the worker's one pass; the page validated its copy for the editor.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use synthome_engine::{ModelEntry, ModelRegistry, prepare, run};
use synthome_query::Limits;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{Event, Job, Request, reassemble, split};
use super::transfer::{Packet, buffer_to_bytes, values_to_buffers};
use crate::browser::limits::browser_limits;
use crate::results::overview::ResultOverview;

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let registry = Rc::new(RefCell::new(ModelRegistry::default()));
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        let Some(packet) = Packet::from_js(&message.data()) else {
            post_failure(
                &handler_scope,
                None,
                "the worker received a message it does not understand".into(),
            );
            return;
        };
        handle(&handler_scope, &registry, packet);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, Event::Ready, Vec::new());
}

fn handle(
    scope: &DedicatedWorkerGlobalScope,
    registry: &Rc<RefCell<ModelRegistry>>,
    packet: Packet,
) {
    let request = match serde_json::from_str::<Request>(&packet.json) {
        Ok(request) => request,
        Err(error) => {
            post_failure(scope, None, format!("malformed worker request: {error}"));
            return;
        }
    };
    match request {
        Request::Load { name } => {
            let Some(buffer) = packet.buffers.first() else {
                post_failure(scope, None, format!("no bundle bytes came with {name}"));
                return;
            };
            match ModelEntry::from_bundle(&name, &buffer_to_bytes(buffer)) {
                Ok(entry) => {
                    let model_id = entry.info.id.clone();
                    registry.borrow_mut().insert_or_replace(entry);
                    post(scope, Event::Loaded { model_id }, Vec::new());
                }
                Err(error) => post_failure(scope, None, error.to_string()),
            }
        }
        Request::Run {
            job,
            model,
            query,
            fallback_seed,
        } => {
            let models = registry.borrow();
            match run_job(scope, &models, job, &model, &query, fallback_seed) {
                Ok(()) => {}
                Err(message) => post_failure(scope, Some(job), message),
            }
        }
    }
}

/// Runs one job and posts its result; a generation's overview follows the result.
fn run_job(
    scope: &DedicatedWorkerGlobalScope,
    models: &ModelRegistry,
    job: Job,
    model: &str,
    query: &str,
    fallback_seed: u64,
) -> Result<(), String> {
    let entry = models.get(model).map_err(|error| error.to_string())?;
    let limits = match job {
        Job::Generation => browser_limits(&entry.info.id),
        Job::GroundTruth => Limits::default(),
    };
    let prepared = prepare(entry, query, None, || fallback_seed, &limits)
        .map_err(|errors| errors.to_string())?;
    let started = now_ms();
    let mut last_posted = 0u64;
    let (matrix, provenance) = run(entry, &prepared, &mut |done, total| {
        // At most ~100 progress messages per run.
        if job == Job::Generation
            && (done == total || done.saturating_sub(last_posted) * 100 >= total.max(1))
        {
            last_posted = done;
            post(scope, Event::Progress { done, total }, Vec::new());
        }
    })
    .map_err(|error| error.to_string())?;
    let (header, values) = split(job, matrix, provenance, now_ms() - started);
    let buffers = values_to_buffers(&values);
    if job == Job::GroundTruth {
        post(scope, Event::Result(Box::new(header)), buffers);
        return Ok(());
    }
    // The page gets the counts first; the plots' statistics follow from the same values.
    let header_copy = header.clone();
    post(scope, Event::Result(Box::new(header)), buffers);
    let (matrix, _) =
        reassemble(header_copy, values, entry.engine.genes()).map_err(|error| error.to_string())?;
    post(
        scope,
        Event::Overview(Box::new(ResultOverview::of(&matrix))),
        Vec::new(),
    );
    Ok(())
}

fn post_failure(scope: &DedicatedWorkerGlobalScope, job: Option<Job>, message: String) {
    post(scope, Event::Failed { job, message }, Vec::new());
}

fn post(scope: &DedicatedWorkerGlobalScope, event: Event, buffers: Vec<js_sys::ArrayBuffer>) {
    let json = serde_json::to_string(&event).unwrap_or_else(|error| {
        format!(
            r#"{{"type":"failed","message":"the worker could not encode its answer: {error}"}}"#
        )
    });
    let (message, transfer): (JsValue, Array) = Packet { json, buffers }.into_js();
    if let Err(error) = scope.post_message_with_transfer(&message, &transfer) {
        web_sys::console::error_2(&"synthome worker: postMessage failed".into(), &error);
    }
}

fn now_ms() -> f64 {
    js_sys::global()
        .unchecked_into::<DedicatedWorkerGlobalScope>()
        .performance()
        .map(|performance| performance.now())
        .unwrap_or(0.0)
}
