//! A generation split across workers. The main worker and up to three helpers each generate
//! a share of the samples ([`plan_shares`]); the page keeps each part's transferred buffers as
//! it comes (it never reads them), sums the shares' progress, and when every part is in hands
//! them to the main worker, which joins them and answers as for a whole run (result, overview,
//! UMAP). Helpers start at the first split generation, are loaded with every bundle and are
//! kept for the next until they have been idle for [`IDLE_MS`]; when one says its memory grew
//! well beyond its models' (wasm memory never shrinks; a single-cell share does it), all are
//! stopped once the split generation ends, giving that memory back, and the next split
//! generation starts fresh ones. A failure or a dying worker during a split generation stops every worker (the main
//! one is replaced at the next request), so nothing of the failed run can arrive in the next
//! one.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::ArrayBuffer;

use super::client::{ClientEvent, WorkerClient};
use super::error::EmbeddedError;
use super::protocol::{Job, ResultHeader};
use super::shares::plan_shares;
use super::{Inner, NamedBundle};
use crate::backend::{RunQuery, RunUpdate};
use crate::browser::cores::logical_cores;

/// Helpers idle this long are stopped, giving back their memory (each holds its decoded
/// models and the largest share it made); the next split generation starts new ones.
pub const IDLE_MS: u32 = 30_000;

/// The helper workers and the split generation in progress.
#[derive(Default)]
pub(super) struct SplitWorkers {
    /// Stops idle helpers when it fires; dropped (cancelled) when a split generation starts.
    idle: RefCell<Option<Timeout>>,
    /// Helpers, in share order after the main worker's share.
    helpers: RefCell<Vec<WorkerClient>>,
    /// Whether the helpers were stopped; they are replaced at the next split generation.
    stopped: Cell<bool>,
    /// Whether a helper said its memory grew well beyond its models' while a split
    /// generation was running: the helpers are stopped when it ends.
    spent: Cell<bool>,
    /// The split generation in progress.
    run: RefCell<Option<SplitRun>>,
}

/// A split generation in progress.
struct SplitRun {
    /// Each share's part, once it has arrived.
    parts: Vec<Option<(Box<ResultHeader>, Vec<ArrayBuffer>)>>,
    /// Samples done in each share.
    done: Vec<u64>,
    /// Samples in all.
    total: u64,
}

impl SplitWorkers {
    /// Loads a bundle fetched later into the running helpers.
    pub(super) fn load(&self, (name, bytes): &NamedBundle) {
        if !self.stopped.get() {
            for helper in self.helpers.borrow().iter() {
                helper.load(name, bytes);
            }
        }
    }

    /// Whether a split generation is running.
    pub(super) fn running(&self) -> bool {
        self.run.borrow().is_some()
    }

    /// Stops the helpers unless a split generation is running.
    fn stop_if_idle(&self) {
        if !self.running() {
            self.stop();
        }
    }

    /// Stops the helpers whatever they are doing and forgets the split generation.
    pub(super) fn stop(&self) {
        self.run.borrow_mut().take();
        // Stopped helpers are replaced by fresh ones anyway.
        self.spent.set(false);
        self.stopped.set(true);
        for helper in self.helpers.borrow().iter() {
            helper.terminate();
        }
    }
}

impl Inner {
    /// Starts `query` across several workers when it is large enough and the machine has the
    /// cores for it; `Ok(false)` when it is one worker's.
    pub(super) fn start_split(inner: &Rc<Inner>, query: &RunQuery) -> Result<bool, EmbeddedError> {
        let Some(entry) = &query.local_model else {
            return Ok(false);
        };
        let shares = plan_shares(
            query.total_samples,
            entry.engine.genes().len(),
            logical_cores(),
        );
        if shares.len() < 2 {
            return Ok(false);
        }
        inner.split.idle.borrow_mut().take();
        Inner::start_helpers(inner, shares.len() - 1)?;
        *inner.split.run.borrow_mut() = Some(SplitRun {
            parts: shares.iter().map(|_| None).collect(),
            done: vec![0; shares.len()],
            total: query.total_samples,
        });
        let run = |worker: &WorkerClient, share| {
            worker.run(
                Job::Generation,
                (&query.model, &query.text),
                query.fallback_seed,
                Some(share),
            );
        };
        Inner::with_worker(inner, |main| run(main, shares[0]))?;
        for (helper, &share) in inner.split.helpers.borrow().iter().zip(&shares[1..]) {
            run(helper, share);
        }
        Ok(true)
    }

    /// Makes sure `count` helpers are running (replacing stopped ones), each loaded with every
    /// bundle.
    fn start_helpers(inner: &Rc<Inner>, count: usize) -> Result<(), EmbeddedError> {
        let split = &inner.split;
        if split.stopped.replace(false) {
            split.helpers.borrow_mut().clear();
        }
        while split.helpers.borrow().len() < count {
            let helper = Inner::spawn_helper(inner, split.helpers.borrow().len() + 1)?;
            split.helpers.borrow_mut().push(helper);
        }
        Ok(())
    }

    /// Starts helper number `worker` (1 = the first helper) loaded with every bundle.
    fn spawn_helper(inner: &Rc<Inner>, worker: usize) -> Result<WorkerClient, EmbeddedError> {
        let weak: Weak<Inner> = Rc::downgrade(inner);
        let helper = WorkerClient::spawn(Rc::new(move |event| {
            if let Some(inner) = weak.upgrade() {
                inner.split_event(worker, event);
            }
        }))?;
        for (name, bytes) in inner.bundles.borrow().iter() {
            helper.load(name, bytes);
        }
        Ok(helper)
    }

    /// Stops the helpers when one says its memory grew well beyond its models'
    /// ([`ClientEvent::Spent`]), or when the split generation running then ends; the next split
    /// generation starts fresh ones. Stopped, not replaced at once: a fresh helper holds its
    /// decoded models, which a page that does not split again would keep for nothing.
    fn stop_spent_helpers(&self) {
        if self.split.running() {
            self.split.spent.set(true);
            return;
        }
        // Terminating a worker from its own message handler is safe: the handler is not
        // dropped (`stop` keeps the clients until the next split generation replaces them).
        self.split.stop();
    }

    /// Takes what worker `worker` (0 = the main one) reports about a split generation; gives
    /// back what is not about one (everything of the main worker's outside a split
    /// generation). A helper's other messages matter only as failures.
    pub(super) fn split_event(&self, worker: usize, event: ClientEvent) -> Option<ClientEvent> {
        let splitting = self.split.run.borrow().is_some();
        match event {
            ClientEvent::Progress { done, .. } if splitting => {
                let progress = self.split.run.borrow_mut().as_mut().map(|run| {
                    if let Some(slot) = run.done.get_mut(worker) {
                        *slot = done;
                    }
                    (run.done.iter().sum(), run.total)
                });
                if let Some((done, total)) = progress {
                    self.tell(RunUpdate::Progress { done, total });
                }
                None
            }
            ClientEvent::Part {
                index,
                header,
                buffers,
            } if splitting => {
                self.keep_part(index, header, buffers);
                None
            }
            ClientEvent::Failed {
                job: Some(Job::Generation) | None,
                error,
            } if splitting => {
                self.stop_split();
                self.finish(RunUpdate::Failed(error.into()));
                None
            }
            // The main worker's own crash handling fails the run and what waits on it.
            ClientEvent::Crashed(reason) if worker == 0 => {
                if splitting {
                    self.split.stop();
                }
                Some(ClientEvent::Crashed(reason))
            }
            ClientEvent::Crashed(reason) => {
                if splitting {
                    self.stop_split();
                    self.finish(RunUpdate::Failed(EmbeddedError::Crashed(reason).into()));
                } else {
                    self.split.stop();
                }
                None
            }
            ClientEvent::Spent { grown_bytes } if worker > 0 => {
                web_sys::console::info_1(
                    &format!(
                        "synthome: helper {worker} grew {} MB beyond its models; stopping the helpers when the run ends",
                        grown_bytes >> 20
                    )
                    .into(),
                );
                self.stop_spent_helpers();
                None
            }
            event if worker == 0 => Some(event),
            _ => None,
        }
    }

    /// Keeps a share's part; with the last one in, hands them all to the main worker to join.
    fn keep_part(&self, index: usize, header: Box<ResultHeader>, buffers: Vec<ArrayBuffer>) {
        let complete = {
            let mut run = self.split.run.borrow_mut();
            let Some(current) = run.as_mut() else {
                return;
            };
            if let Some(slot) = current.parts.get_mut(index) {
                *slot = Some((header, buffers));
            }
            if current.parts.iter().all(Option::is_some) {
                run.take()
            } else {
                None
            }
        };
        let Some(complete) = complete else {
            return;
        };
        let mut headers = Vec::with_capacity(complete.parts.len());
        let mut all_buffers = Vec::new();
        for (header, buffers) in complete.parts.into_iter().flatten() {
            headers.push(*header);
            all_buffers.extend(buffers);
        }
        match self.worker.borrow().as_ref() {
            Some(main) if !self.dead.get() => main.join(headers, all_buffers),
            _ => self.finish(RunUpdate::Failed(EmbeddedError::Stopped.into())),
        }
        if self.split.spent.get() {
            self.stop_spent_helpers();
        }
        let this = self.this.clone();
        let timer = Timeout::new(IDLE_MS, move || {
            if let Some(inner) = this.upgrade() {
                inner.split.stop_if_idle();
            }
        });
        *self.split.idle.borrow_mut() = Some(timer);
    }

    /// Stops every worker of a failed split generation: helpers now, the main worker replaced
    /// at the next request.
    fn stop_split(&self) {
        self.split.stop();
        self.dead.set(true);
        if let Some(main) = self.worker.borrow().as_ref() {
            main.terminate();
        }
        *self.overviews.borrow_mut() = super::OverviewsDue::default();
        self.fail_waiting(&EmbeddedError::Stopped);
    }
}
