//! The embedded backend: generation off the main thread in a Web Worker. [`protocol`] is the
//! message format between the page and the worker, [`client`] the page's side of it, [`host`]
//! the worker's, [`error`] what can go wrong, [`counts_table`] the worker's reading of a user's
//! counts table; [`shares`] and `split` split a large generation across several workers;
//! [`EmbeddedBackend`] runs queries on it (a generation, a result's ground truth,
//! the "Your data" view's align / predict / condition), restarts a fresh worker when a run
//! is cancelled or when an idle worker's memory grew well beyond its models' (wasm memory
//! never shrinks: [`protocol::Event::Spent`]), and, when the worker dies (its files did not
//! load, its wasm trapped), fails what it was doing with the reason and starts a new one for
//! the next request.
//!
//! Control messages travel as JSON text; matrix values travel as transferred `ArrayBuffer`s so
//! a 1,000 x 20,000 result is copied out of wasm memory once and never cloned again.

pub mod client;
pub mod counts_table;
pub mod error;
pub mod host;
pub mod protocol;
pub mod shares;
mod split;
mod transfer;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use synthome_engine::families::Family;
use synthome_engine::{ModelEntry, ModelRegistry};
use synthome_matrix::{ExpressionMatrix, Provenance};

use self::client::{ClientEvent, WorkerClient};
use self::error::EmbeddedError;
use self::protocol::{
    ConditionRequest, Job, ResultHeader, SamplePrediction, TableSummary, ValueBuffers, reassemble,
};
use super::{GenerationBackend, GenerationResult, Listener, RunHandle, RunQuery, RunUpdate};

/// A downloaded bundle: its name and bytes (kept to reload a restarted worker).
pub type NamedBundle = (String, Rc<Vec<u8>>);

/// What a ground-truth run gives back.
pub type TruthOutcome = Result<(ExpressionMatrix, Provenance), EmbeddedError>;

/// Receives a ground-truth run's outcome.
pub type TruthCallback = Box<dyn FnOnce(TruthOutcome)>;

/// What a "Your data" request gives back.
#[derive(Debug)]
pub enum DataAnswer {
    /// The table as read and aligned.
    Aligned(Box<TableSummary>),
    /// Every sample's predicted metadata.
    Predicted(Vec<SamplePrediction>),
    /// The conditioned samples, as a result for the viewer, and the reference's counts.
    Conditioned {
        /// The generated samples.
        result: Box<GenerationResult>,
        /// The reference sample's aligned counts, in the model's gene order.
        reference: Vec<u32>,
    },
}

/// Receives a "Your data" request's answer.
pub type DataCallback = Box<dyn FnOnce(Result<DataAnswer, EmbeddedError>)>;

/// The worker and what it needs to be restarted.
pub struct EmbeddedBackend {
    inner: Rc<Inner>,
}

struct Inner {
    /// Itself, for callbacks that outlive a borrow (the idle helpers' timer).
    this: Weak<Inner>,
    /// Every bundle the worker holds, to load again into a restarted worker.
    bundles: RefCell<Vec<NamedBundle>>,
    /// The page's copies of the models, for the gene tables of results.
    models: RefCell<ModelRegistry>,
    worker: RefCell<Option<WorkerClient>>,
    /// Whether that worker died; it is replaced at the next request, not dropped while its
    /// own error handler may be running.
    dead: Cell<bool>,
    /// Who hears the generation in progress.
    listener: RefCell<Option<Listener>>,
    /// Ground-truth runs asked for, answered in order.
    truths: RefCell<VecDeque<TruthCallback>>,
    /// "Your data" requests sent, answered in order.
    data: RefCell<VecDeque<DataCallback>>,
    /// The overviews and UMAPs the worker is still to post.
    overviews: RefCell<OverviewsDue>,
    /// Helper workers for large generations, and the split generation in progress.
    split: split::SplitWorkers,
    /// Hears failures outside any run (a bundle the worker could not load, a worker that did
    /// not start again).
    on_failure: Rc<dyn Fn(EmbeddedError)>,
}

/// What the worker will still post about its results: after each generation's result, its
/// overview and then its UMAP (the last word). The worker answers in order, so what arrives
/// while `stale` is positive belongs to a result the page has moved on from.
#[derive(Debug, Default)]
struct OverviewsDue {
    /// What the current run's shown result still awaits.
    awaited: Awaited,
    /// Earlier results whose UMAP is still to come: their messages are dropped.
    stale: u32,
}

/// What the current result still awaits from the worker.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Awaited {
    /// Nothing (no result, or all arrived).
    #[default]
    Nothing,
    /// Its overview, then its UMAP.
    Overview,
    /// Its UMAP.
    Umap,
}

impl EmbeddedBackend {
    /// Starts a worker and loads `bundles` into it; `models` are the page's decoded copies.
    pub fn start_worker(
        bundles: Vec<NamedBundle>,
        models: ModelRegistry,
        on_failure: Rc<dyn Fn(EmbeddedError)>,
    ) -> Result<EmbeddedBackend, EmbeddedError> {
        let inner = Rc::new_cyclic(|this| Inner {
            this: this.clone(),
            bundles: RefCell::new(bundles),
            models: RefCell::new(models),
            worker: RefCell::new(None),
            dead: Cell::new(false),
            listener: RefCell::new(None),
            truths: RefCell::new(VecDeque::new()),
            data: RefCell::new(VecDeque::new()),
            overviews: RefCell::new(OverviewsDue::default()),
            split: split::SplitWorkers::default(),
            on_failure,
        });
        Inner::spawn(&inner)?;
        Ok(EmbeddedBackend { inner })
    }

    /// Adds a model fetched after the worker started (the page's decoded `entry` and its
    /// bundle): the worker loads it now, and again after every restart.
    pub fn add_model(&self, bundle: NamedBundle, entry: ModelEntry) {
        if !self.inner.dead.get()
            && let Some(worker) = self.inner.worker.borrow().as_ref()
        {
            worker.load(&bundle.0, &bundle.1);
        }
        self.inner.split.load(&bundle);
        self.inner.models.borrow_mut().insert_or_replace(entry);
        self.inner.bundles.borrow_mut().push(bundle);
    }

    /// Runs a result's ground-truth query (mean estimation, one sample per input) in the
    /// worker; `done` gets the matrix, or why there is none.
    pub fn run_ground_truth(
        &self,
        model: &str,
        query: &str,
        fallback_seed: u64,
        done: TruthCallback,
    ) {
        self.inner.truths.borrow_mut().push_back(done);
        let sent = Inner::with_worker(&self.inner, |worker| {
            worker.run(Job::GroundTruth, (model, query), fallback_seed, None);
        });
        if let Err(error) = sent {
            self.inner.answer_truth(Err(error));
        }
    }
}

impl EmbeddedBackend {
    /// Sends a counts table (its bytes transferred) to be read and aligned to `model`; the
    /// worker keeps it for [`EmbeddedBackend::predict_table`] and
    /// [`EmbeddedBackend::condition_on`].
    pub fn align_table(
        &self,
        model: &str,
        file_name: &str,
        bytes: js_sys::ArrayBuffer,
        done: DataCallback,
    ) {
        self.ask(done, |worker| worker.align(model, file_name, bytes));
    }

    /// Predicts the metadata of every sample of the aligned table.
    pub fn predict_table(&self, done: DataCallback) {
        self.ask(done, WorkerClient::predict);
    }

    /// Generates samples conditioned on one sample of the aligned table.
    pub fn condition_on(&self, request: ConditionRequest, done: DataCallback) {
        self.ask(done, |worker| worker.condition(request));
    }

    fn ask(&self, done: DataCallback, send: impl FnOnce(&WorkerClient)) {
        self.inner.data.borrow_mut().push_back(done);
        if let Err(error) = Inner::with_worker(&self.inner, send) {
            self.inner.answer_data(Err(error));
        }
    }
}

impl GenerationBackend for EmbeddedBackend {
    fn start(&self, query: RunQuery, listener: Listener) -> RunHandle {
        {
            let mut due = self.inner.overviews.borrow_mut();
            if std::mem::take(&mut due.awaited) != Awaited::Nothing {
                due.stale += 1;
            }
        }
        *self.inner.listener.borrow_mut() = Some(listener);
        let sent = Inner::start_split(&self.inner, &query).and_then(|split| {
            if split {
                return Ok(());
            }
            Inner::with_worker(&self.inner, |worker| {
                worker.run(
                    Job::Generation,
                    (&query.model, &query.text),
                    query.fallback_seed,
                    None,
                );
            })
        });
        if let Err(error) = sent {
            self.inner.finish(RunUpdate::Failed(error.into()));
        }
        let inner = Rc::downgrade(&self.inner);
        RunHandle::new(move || {
            if let Some(inner) = inner.upgrade() {
                inner.cancel();
            }
        })
    }

    /// The worker computes the overview (and the UMAP) after posting the counts.
    fn sends_overview(&self) -> bool {
        true
    }
}

impl Inner {
    fn spawn(inner: &Rc<Inner>) -> Result<(), EmbeddedError> {
        let weak: Weak<Inner> = Rc::downgrade(inner);
        let on_event: Rc<dyn Fn(ClientEvent)> = Rc::new(move |event| {
            if let Some(inner) = weak.upgrade() {
                inner.on_event(event);
            }
        });
        let worker = WorkerClient::spawn(on_event)?;
        for (name, bytes) in inner.bundles.borrow().iter() {
            worker.load(name, bytes);
        }
        *inner.worker.borrow_mut() = Some(worker);
        inner.dead.set(false);
        Ok(())
    }

    /// Hands the running worker to `send`, first starting a new one if the last one died (or
    /// did not start again after a cancel).
    fn with_worker(
        inner: &Rc<Inner>,
        send: impl FnOnce(&WorkerClient),
    ) -> Result<(), EmbeddedError> {
        if inner.dead.get() || inner.worker.borrow().is_none() {
            inner.worker.borrow_mut().take();
            Inner::spawn(inner)?;
        }
        if let Some(worker) = inner.worker.borrow().as_ref() {
            send(worker);
        }
        Ok(())
    }

    /// Answers every ground-truth and "Your data" request still waiting with `error`.
    fn fail_waiting(&self, error: &EmbeddedError) {
        let truths: Vec<TruthCallback> = self.truths.borrow_mut().drain(..).collect();
        for done in truths {
            done(Err(error.clone()));
        }
        let data: Vec<DataCallback> = self.data.borrow_mut().drain(..).collect();
        for done in data {
            done(Err(error.clone()));
        }
    }

    /// The worker died: everything it was doing fails with `reason` (a run's listener hears it,
    /// else the page's failure handler), and the next request starts a new worker.
    fn crashed(&self, reason: String) {
        self.dead.set(true);
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.terminate();
        }
        *self.overviews.borrow_mut() = OverviewsDue::default();
        let error = EmbeddedError::Crashed(reason);
        self.fail_waiting(&error);
        let listener = self.listener.borrow_mut().take();
        match listener {
            Some(listener) => listener(RunUpdate::Failed(error.into())),
            None => (self.on_failure)(error),
        }
    }

    /// Replaces a worker whose memory grew well beyond its models' (it said so:
    /// [`ClientEvent::Spent`]) with a fresh one loaded with every bundle, unless the page
    /// still waits for something from it. The new one starts in a later task: this runs in
    /// the old one's message handler, which must not be dropped while it runs.
    fn replace_spent(&self, grown_bytes: u64) {
        web_sys::console::info_1(
            &format!(
                "synthome: the worker grew {} MB beyond its models; replacing it when idle",
                grown_bytes >> 20
            )
            .into(),
        );
        let waiting = self.listener.borrow().is_some()
            || !self.truths.borrow().is_empty()
            || !self.data.borrow().is_empty()
            || self.split.running()
            || self.overviews.borrow().awaited != Awaited::Nothing;
        if waiting || self.dead.get() {
            return;
        }
        if let Some(worker) = self.worker.borrow().as_ref() {
            worker.terminate();
        }
        // Until the new one starts, a request starts it itself (`with_worker`).
        self.dead.set(true);
        let this = self.this.clone();
        Timeout::new(0, move || {
            if let Some(inner) = this.upgrade()
                && inner.dead.get()
            {
                inner.worker.borrow_mut().take();
                if let Err(error) = Inner::spawn(&inner) {
                    (inner.on_failure)(error);
                }
            }
        })
        .forget();
    }

    /// Stops the worker whatever it is doing and gets a fresh one ready.
    fn cancel(self: Rc<Self>) {
        self.listener.borrow_mut().take();
        *self.overviews.borrow_mut() = OverviewsDue::default();
        if let Some(worker) = self.worker.borrow_mut().take() {
            worker.terminate();
        }
        self.split.stop();
        self.fail_waiting(&EmbeddedError::Stopped);
        if let Err(error) = Inner::spawn(&self) {
            (self.on_failure)(error);
        }
    }

    fn on_event(&self, event: ClientEvent) {
        let Some(event) = self.split_event(0, event) else {
            return;
        };
        match event {
            ClientEvent::Progress { done, total } => self.tell(RunUpdate::Progress { done, total }),
            ClientEvent::Crashed(reason) => self.crashed(reason),
            ClientEvent::Spent { grown_bytes } => self.replace_spent(grown_bytes),
            // A share of a split generation that was stopped.
            ClientEvent::Part { .. } => {}
            ClientEvent::Overview(overview) => {
                let current = {
                    let mut due = self.overviews.borrow_mut();
                    let current = due.stale == 0 && due.awaited == Awaited::Overview;
                    if current {
                        due.awaited = Awaited::Umap;
                    }
                    current
                };
                if current {
                    self.tell(RunUpdate::Overview(overview));
                }
            }
            ClientEvent::Umap(umap) => {
                let current = {
                    let mut due = self.overviews.borrow_mut();
                    if due.stale > 0 {
                        due.stale -= 1;
                        false
                    } else {
                        std::mem::take(&mut due.awaited) == Awaited::Umap
                    }
                };
                if current {
                    self.finish(RunUpdate::Umap(umap));
                }
            }
            ClientEvent::Failed {
                job: Some(Job::GroundTruth),
                error,
            } => self.answer_truth(Err(error)),
            ClientEvent::Failed {
                job: Some(Job::YourData),
                error,
            } => self.answer_data(Err(error)),
            ClientEvent::Aligned(summary) => self.answer_data(Ok(DataAnswer::Aligned(summary))),
            ClientEvent::Predicted(samples) => {
                self.answer_data(Ok(DataAnswer::Predicted(samples)));
            }
            ClientEvent::Conditioned {
                header,
                values,
                reference,
            } => {
                let elapsed_ms = header.elapsed_ms;
                let answer = self
                    .reassemble(*header, values)
                    .map(|(matrix, provenance)| DataAnswer::Conditioned {
                        result: Box::new(GenerationResult::finished_now(
                            matrix, provenance, elapsed_ms,
                        )),
                        reference,
                    });
                self.answer_data(answer);
            }
            ClientEvent::Failed {
                job: Some(Job::Generation),
                error,
            } => self.finish(RunUpdate::Failed(error.into())),
            ClientEvent::Failed { job: None, error } => {
                let listener = self.listener.borrow_mut().take();
                match listener {
                    Some(listener) => listener(RunUpdate::Failed(error.into())),
                    None => (self.on_failure)(error),
                }
            }
            ClientEvent::Finished { header, values } => match header.job {
                Job::Generation => {
                    let elapsed_ms = header.elapsed_ms;
                    match self.reassemble(*header, values) {
                        Ok((matrix, provenance)) => {
                            self.overviews.borrow_mut().awaited = Awaited::Overview;
                            self.tell(RunUpdate::Finished(Box::new(
                                GenerationResult::finished_now(matrix, provenance, elapsed_ms),
                            )));
                        }
                        Err(error) => self.finish(RunUpdate::Failed(error.into())),
                    }
                }
                Job::GroundTruth => {
                    let outcome = self.reassemble(*header, values);
                    self.answer_truth(outcome);
                }
                // The worker answers "Your data" runs with `Conditioned`, never a bare result.
                Job::YourData => self.answer_data(Err(EmbeddedError::MissingValues)),
            },
        }
    }

    /// Puts a result back together with the gene table of the page's copy of its model.
    /// A family's result (`synthome-bulk-v1_reference-conditioning`) takes its base model's.
    fn reassemble(&self, header: ResultHeader, values: ValueBuffers) -> TruthOutcome {
        let model =
            Family::split(&header.model_id).map_or(header.model_id.as_str(), |(base, _)| base);
        let genes = self
            .models
            .borrow()
            .get(model)
            .map(|model| model.engine.genes())
            .map_err(|_| EmbeddedError::UnknownModel(header.model_id.clone()))?;
        Ok(reassemble(header, values, genes)?)
    }

    fn tell(&self, update: RunUpdate) {
        let listener = self.listener.borrow().clone();
        if let Some(listener) = listener {
            listener(update);
        }
    }

    fn finish(&self, update: RunUpdate) {
        let listener = self.listener.borrow_mut().take();
        if let Some(listener) = listener {
            listener(update);
        }
    }

    fn answer_data(&self, outcome: Result<DataAnswer, EmbeddedError>) {
        let done = self.data.borrow_mut().pop_front();
        if let Some(done) = done {
            done(outcome);
        }
    }

    fn answer_truth(&self, outcome: TruthOutcome) {
        let done = self.truths.borrow_mut().pop_front();
        if let Some(done) = done {
            done(outcome);
        }
    }
}
