//! The worker's side: decodes bundles sent by the page and runs queries on them with the same
//! engine as the CLI and the server, posting progress and the result back.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use synthome_engine::{ModelEntry, ModelRegistry, prepare, run};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{Event, Request, split};
use super::transfer::{Packet, buffer_to_bytes, values_to_buffers};
use crate::state::browser_limits;

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let registry = Rc::new(RefCell::new(ModelRegistry::default()));
    let handler_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        let Some(packet) = Packet::from_js(&message.data()) else {
            post(
                &handler_scope,
                Event::Failed {
                    message: "the worker received a message it does not understand".into(),
                },
                Vec::new(),
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
            post(
                scope,
                Event::Failed {
                    message: format!("malformed worker request: {error}"),
                },
                Vec::new(),
            );
            return;
        }
    };
    match request {
        Request::Load { name } => {
            let Some(buffer) = packet.buffers.first() else {
                post(
                    scope,
                    Event::Failed {
                        message: format!("no bundle bytes came with {name}"),
                    },
                    Vec::new(),
                );
                return;
            };
            match ModelEntry::from_bundle(&name, &buffer_to_bytes(buffer)) {
                Ok(entry) => {
                    let model_id = entry.info.id.clone();
                    registry.borrow_mut().insert_or_replace(entry);
                    post(scope, Event::Loaded { model_id }, Vec::new());
                }
                Err(error) => post(
                    scope,
                    Event::Failed {
                        message: error.to_string(),
                    },
                    Vec::new(),
                ),
            }
        }
        Request::Generate {
            model,
            query,
            fallback_seed,
        } => {
            let models = registry.borrow();
            let event = generate(scope, &models, &model, &query, fallback_seed);
            match event {
                Ok((event, buffers)) => post(scope, event, buffers),
                Err(message) => post(scope, Event::Failed { message }, Vec::new()),
            }
        }
    }
}

fn generate(
    scope: &DedicatedWorkerGlobalScope,
    models: &ModelRegistry,
    model: &str,
    query: &str,
    fallback_seed: u64,
) -> Result<(Event, Vec<js_sys::ArrayBuffer>), String> {
    let entry = models.get(model).map_err(|error| error.to_string())?;
    let prepared = prepare(
        entry,
        query,
        None,
        || fallback_seed,
        &browser_limits(&entry.info.id),
    )
    .map_err(|errors| errors.to_string())?;
    let started = now_ms();
    let mut last_posted = 0u64;
    let (matrix, provenance) = run(entry, &prepared, &mut |done, total| {
        // At most ~100 progress messages per run.
        if done == total || done.saturating_sub(last_posted) * 100 >= total.max(1) {
            last_posted = done;
            post(scope, Event::Progress { done, total }, Vec::new());
        }
    })
    .map_err(|error| error.to_string())?;
    let (header, values) = split(matrix, provenance, now_ms() - started);
    Ok((Event::Result(Box::new(header)), values_to_buffers(&values)))
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
