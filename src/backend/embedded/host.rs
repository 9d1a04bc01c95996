//! The worker's side: decodes bundles sent by the page and runs queries on them with the same
//! engine as the CLI and the server, posting progress, the result and (for a generation) the
//! result's overview for the plots and then its UMAP back. A generation split across workers
//! comes as shares (each answered with its part) and one join, which the first worker answers
//! as a whole run. The worker keeps
//! its own copy of the models (the page's copies cannot cross `postMessage`), so each run is
//! validated here once, the worker's one pass; the page validated its copy for the editor.
//! It also keeps the "Your data" view's counts table (read once, from the bytes the page
//! transferred) and runs the two model families on its samples.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Uint32Array};
use synthome_analysis::overview;
use synthome_engine::families::{Family, FamilyResult, prepare_family, run_family};
use synthome_engine::{ModelEntry, ModelRegistry, prepare, run};
use synthome_query::Limits;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::counts_table::{
    ReadTable, conditioning_query, name_sample, prediction_query, read_table,
};
use super::protocol::{
    ConditionRequest, Event, HELPER_SPENT_GROWTH_BYTES, Job, PredictedMetadata, Request,
    ResultHeader, SPENT_GROWTH_BYTES, SamplePrediction, Share, TableSummary, ValueBuffers,
    join_headers, join_values, reassemble, split,
};
use super::transfer::{Packet, PartBuffers, buffer_to_bytes, values_to_buffers};
use crate::browser::limits::browser_limits;
use crate::results::overview::{ResultOverview, cell_layout};

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let registry = Rc::new(RefCell::new(ModelRegistry::default()));
    let table: Rc<RefCell<Option<KeptTable>>> = Rc::new(RefCell::new(None));
    let handler_scope = scope.clone();
    let mut loaded_size = memory_bytes();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        let Some(packet) = Packet::from_js(&message.data()) else {
            post_failure(
                &handler_scope,
                None,
                "the worker received a message it does not understand".into(),
            );
            return;
        };
        let handled = handle(&handler_scope, &registry, &table, packet);
        let size = memory_bytes();
        // A worker keeping a counts table is not replaced: the table would be lost.
        let allowed = match handled {
            Handled::HelperShare => HELPER_SPENT_GROWTH_BYTES,
            Handled::Loaded | Handled::Worked => SPENT_GROWTH_BYTES,
        };
        if handled == Handled::Loaded {
            loaded_size = size;
        } else if size.saturating_sub(loaded_size) > allowed && table.borrow().is_none() {
            let grown_bytes = size - loaded_size;
            post(&handler_scope, Event::Spent { grown_bytes }, Vec::new());
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, Event::Ready, Vec::new());
}

/// The counts table of the "Your data" view, as aligned to one model.
struct KeptTable {
    model_id: String,
    table: ReadTable,
}

/// What a request was: a bundle load sets the size the worker's memory is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handled {
    /// A bundle was loaded (or failed to).
    Loaded,
    /// A share of a split generation that is not the main worker's (a helper's).
    HelperShare,
    /// Anything else.
    Worked,
}

/// The size of this worker's wasm memory, which grows to its high-water mark and stays there.
fn memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    u64::from(buffer.byte_length())
}

fn handle(
    scope: &DedicatedWorkerGlobalScope,
    registry: &Rc<RefCell<ModelRegistry>>,
    table: &Rc<RefCell<Option<KeptTable>>>,
    packet: Packet,
) -> Handled {
    let request = match serde_json::from_str::<Request>(&packet.json) {
        Ok(request) => request,
        Err(error) => {
            post_failure(scope, None, format!("malformed worker request: {error}"));
            return Handled::Worked;
        }
    };
    match request {
        Request::Load { name } => {
            let Some(buffer) = packet.buffers.first() else {
                post_failure(scope, None, format!("no bundle bytes came with {name}"));
                return Handled::Loaded;
            };
            match ModelEntry::from_bundle(&name, &buffer_to_bytes(buffer)) {
                Ok(entry) => {
                    let model_id = entry.info.id.clone();
                    registry.borrow_mut().insert_or_replace(entry);
                    post(scope, Event::Loaded { model_id }, Vec::new());
                }
                Err(error) => post_failure(scope, None, error.to_string()),
            }
            return Handled::Loaded;
        }
        Request::Run {
            job,
            model,
            query,
            fallback_seed,
            share,
        } => {
            let models = registry.borrow();
            let run = RunRequest {
                job,
                model: &model,
                query: &query,
                fallback_seed,
            };
            let helper = share.as_ref().is_some_and(|share| share.index > 0);
            if let Err(message) = run_job(scope, &models, &run, share) {
                post_failure(scope, Some(job), message);
            }
            if helper {
                return Handled::HelperShare;
            }
        }
        Request::Join { parts } => {
            if let Err(message) = join(scope, &registry.borrow(), parts, &packet.buffers) {
                post_failure(scope, Some(Job::Generation), message);
            }
        }
        Request::Align { model, file_name } => {
            let outcome = packet
                .buffers
                .first()
                .ok_or_else(|| format!("no bytes came with {file_name}"))
                .and_then(|buffer| {
                    align(
                        &registry.borrow(),
                        &model,
                        &file_name,
                        buffer_to_bytes(buffer),
                    )
                });
            match outcome {
                Ok((kept, summary)) => {
                    *table.borrow_mut() = Some(kept);
                    post(scope, Event::Aligned(Box::new(summary)), Vec::new());
                }
                Err(message) => {
                    table.borrow_mut().take();
                    post_failure(scope, Some(Job::YourData), message);
                }
            }
        }
        Request::Predict => match with_table(&registry.borrow(), &table.borrow(), predict_all) {
            Ok(samples) => post(scope, Event::Predicted { samples }, Vec::new()),
            Err(message) => post_failure(scope, Some(Job::YourData), message),
        },
        Request::Condition(request) => {
            let outcome = with_table(&registry.borrow(), &table.borrow(), |entry, kept| {
                condition_on(entry, kept, &request)
            });
            match outcome {
                Ok((event, buffers)) => post(scope, event, buffers),
                Err(message) => post_failure(scope, Some(Job::YourData), message),
            }
        }
    }
    Handled::Worked
}

/// Reads and aligns a counts table to `model`; the table to keep and what the page shows.
fn align(
    models: &ModelRegistry,
    model: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<(KeptTable, TableSummary), String> {
    let entry = models.get(model).map_err(|error| error.to_string())?;
    let genes = entry.engine.genes();
    let table = read_table(file_name, bytes, &genes).map_err(|error| error.to_string())?;
    let summary = table.summary(file_name, &entry.info.id, genes.len());
    let kept = KeptTable {
        model_id: entry.info.id.clone(),
        table,
    };
    Ok((kept, summary))
}

/// Runs `job` on the kept table and its model; an error when there is none.
fn with_table<T>(
    models: &ModelRegistry,
    kept: &Option<KeptTable>,
    job: impl FnOnce(&ModelEntry, &ReadTable) -> Result<T, String>,
) -> Result<T, String> {
    let kept = kept.as_ref().ok_or(
        "no counts table is loaded (the worker restarts when a generation is cancelled): drop \
         the table again",
    )?;
    let entry = models
        .get(&kept.model_id)
        .map_err(|error| error.to_string())?;
    job(entry, &kept.table)
}

/// Limits of the families' queries in the browser (a sample's counts make a long query).
fn family_limits(model_id: &str) -> Limits {
    Limits {
        max_query_bytes: usize::MAX,
        ..browser_limits(model_id)
    }
}

/// Predicts every sample of the table, each on its own (one bad sample spoils no other).
fn predict_all(entry: &ModelEntry, table: &ReadTable) -> Result<Vec<SamplePrediction>, String> {
    let limits = family_limits(&entry.info.id);
    Ok(table
        .aligned
        .samples
        .iter()
        .zip(&table.aligned.counts)
        .map(|(name, counts)| {
            let outcome = prepare_family(
                entry,
                Family::PredictMetadata,
                &prediction_query(counts),
                Some(0),
                || 0,
                &limits,
            )
            .and_then(|prepared| run_family(entry, &prepared))
            .map_err(|error| name_sample(&error.to_string(), name))
            .and_then(|result| match result {
                FamilyResult::Predicted { mut samples, .. } if !samples.is_empty() => {
                    let prediction = samples.swap_remove(0).prediction;
                    Ok(PredictedMetadata {
                        metadata: prediction
                            .metadata
                            .into_iter()
                            .map(|(key, value)| (key.as_str().to_owned(), value))
                            .collect(),
                        classifier_probs: prediction.classifier_probs,
                    })
                }
                _ => Err(format!(
                    "metadata prediction gave nothing for sample {name:?}"
                )),
            });
            SamplePrediction {
                sample: name.clone(),
                outcome,
            }
        })
        .collect())
}

/// Conditions on one sample: the result's event and buffers, the reference's counts last.
fn condition_on(
    entry: &ModelEntry,
    table: &ReadTable,
    request: &ConditionRequest,
) -> Result<(Event, Vec<js_sys::ArrayBuffer>), String> {
    let (Some(name), Some(counts)) = (
        table.aligned.samples.get(request.sample),
        table.aligned.counts.get(request.sample),
    ) else {
        return Err(format!(
            "the table has {} samples; there is no sample {}",
            table.aligned.samples.len(),
            request.sample + 1
        ));
    };
    let query = conditioning_query(counts, &request.metadata, request.num_samples);
    let started = now_ms();
    let result = prepare_family(
        entry,
        Family::ReferenceConditioning,
        &query,
        Some(request.seed),
        || request.seed,
        &family_limits(&entry.info.id),
    )
    .and_then(|prepared| run_family(entry, &prepared))
    .map_err(|error| name_sample(&error.to_string(), name))?;
    let FamilyResult::Conditioned {
        matrix, provenance, ..
    } = result
    else {
        return Err("reference conditioning gave no samples".into());
    };
    let (header, values) = split(Job::YourData, matrix, provenance, now_ms() - started);
    let mut buffers = values_to_buffers(&values);
    let reference: Vec<u32> = counts.iter().map(|&count| count as u32).collect();
    buffers.push(Uint32Array::from(reference.as_slice()).buffer());
    Ok((Event::Conditioned(Box::new(header)), buffers))
}

/// What [`Request::Run`] asks for.
struct RunRequest<'a> {
    job: Job,
    model: &'a str,
    query: &'a str,
    fallback_seed: u64,
}

/// Runs one job (or a share of a generation) and posts its result (or part); a whole
/// generation's overview and UMAP follow the result.
fn run_job(
    scope: &DedicatedWorkerGlobalScope,
    models: &ModelRegistry,
    request: &RunRequest<'_>,
    share: Option<Share>,
) -> Result<(), String> {
    let RunRequest {
        job,
        model,
        query,
        fallback_seed,
    } = *request;
    let entry = models.get(model).map_err(|error| error.to_string())?;
    let limits = match job {
        Job::Generation => browser_limits(&entry.info.id),
        Job::GroundTruth | Job::YourData => Limits::default(),
    };
    let mut prepared = prepare(entry, query, None, || fallback_seed, &limits)
        .map_err(|errors| errors.to_string())?;
    if let Some(share) = share {
        prepared.valid = prepared.valid.span(share.start..share.end);
    }
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
    if let Some(share) = share {
        let part = Event::Part {
            index: share.index,
            header: Box::new(header),
        };
        post(scope, part, values_to_buffers(&values));
        return Ok(());
    }
    if job == Job::GroundTruth {
        post(
            scope,
            Event::Result(Box::new(header)),
            values_to_buffers(&values),
        );
        return Ok(());
    }
    post_generation(scope, entry, header, values)
}

/// Puts the parts of a split generation together (their buffers one part after another) and
/// posts them as one generation's result, overview and UMAP.
fn join(
    scope: &DedicatedWorkerGlobalScope,
    models: &ModelRegistry,
    parts: Vec<ResultHeader>,
    buffers: &[js_sys::ArrayBuffer],
) -> Result<(), String> {
    let mut values = Vec::with_capacity(parts.len());
    let mut rest = buffers;
    for part in &parts {
        let count = part.kind.buffers();
        if rest.len() < count {
            return Err("a part of the split generation came without its values".into());
        }
        let (own, after) = rest.split_at(count);
        values.push(PartBuffers {
            kind: part.kind,
            buffers: own,
        });
        rest = after;
    }
    let joined = join_values(&values).map_err(|error| error.to_string())?;
    let header = join_headers(parts).map_err(|error| error.to_string())?;
    let entry = models
        .get(&header.model_id)
        .map_err(|error| error.to_string())?;
    post_generation(scope, entry, header, joined)
}

/// Posts a generation's result, then computes and posts its overview and UMAP.
fn post_generation(
    scope: &DedicatedWorkerGlobalScope,
    entry: &ModelEntry,
    header: ResultHeader,
    values: ValueBuffers,
) -> Result<(), String> {
    let buffers = values_to_buffers(&values);
    // The page gets the counts first; the plots' statistics follow from the same values.
    let header_copy = header.clone();
    post(scope, Event::Result(Box::new(header)), buffers);
    let (matrix, _) =
        reassemble(header_copy, values, entry.engine.genes()).map_err(|error| error.to_string())?;
    // A single-cell overview's PCA has the UMAP's twenty components: kept here for it, cut
    // to the two drawn for the page.
    let overview = overview(&matrix);
    let umap_start = overview.pca.clone();
    post(
        scope,
        Event::Overview(Box::new(ResultOverview::from_overview(overview))),
        Vec::new(),
    );
    post(
        scope,
        Event::Umap(Box::new(cell_layout(&matrix, &umap_start))),
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
