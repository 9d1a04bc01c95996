//! The job store: asynchronous model queries, kept in the data directory so that they survive a
//! restart, run by a fixed number of workers from a bounded queue, expired after a TTL.
//!
//! On disk (a declared boundary, `format_version` 1):
//! - `jobs/<id>.json`: a [`JobRecord`] (status, model, query, seed, download token, times);
//! - `results/<token>.json`: the result JSON of a finished job.
//!
//! Both are written to a temporary name (`*.tmp`), flushed to disk, renamed and their folder
//! flushed, so a crash never leaves half a file under the real name and a finished write
//! survives a power cut. A failed write removes its temporary file, and start-up sweeps the
//! ones a crash left. Jobs still queued or running at shutdown are queued again on the next
//! start (when their record cannot be saved then, they still run: the disk may be full).
//!
//! What is kept is bounded ([`StoreLimits`]): jobs by count, their queries by bytes (they are
//! held in memory) and their results by bytes on disk; a submission past a bound is refused
//! ([`SubmitError::StoreFull`]) until finished jobs expire.
//!
//! Ids and tokens have the shape the server generates (lower-case hex, 32 and 64 digits), are
//! checked before they become part of a path, and a record is only used under its own name. At
//! start, a record that cannot be used (unreadable, truncated, crafted) is moved to
//! `quarantine/`, and so is every result no kept record points at: it is never served.
//!
//! A job submitted by a request crosses the queue as the query the route already prepared (it
//! is not parsed again); the record keeps the query as posted and the chosen seed, which is all
//! a restart needs: the next start prepares the left-over jobs once, with that seed, and queues
//! them the same way.

use std::collections::HashMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
#[cfg(test)]
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinHandle;

use crate::entropy::random_hex;
use crate::in_parts::{PartsError, write_json_in_parts};
use synthome_engine::{ModelRegistry, Prepared, prepare};
use synthome_query::Limits;

/// Version of the [`JobRecord`] shape on disk.
const FORMAT_VERSION: u32 = 1;
/// Threads one job generates on: the store already runs up to `concurrency` jobs at once.
const JOB_THREADS: usize = 1;
/// Random bytes in a job id (written as twice as many hex digits).
const ID_BYTES: usize = 16;
/// Random bytes in a download token (written as twice as many hex digits).
const TOKEN_BYTES: usize = 32;

/// Whether `text` is a job id as [`JobStore::submit`] makes them.
fn is_job_id(text: &str) -> bool {
    is_lower_hex(text, 2 * ID_BYTES)
}

/// Whether `text` is a download token as the workers make them.
fn is_download_token(text: &str) -> bool {
    is_lower_hex(text, 2 * TOKEN_BYTES)
}

fn is_lower_hex(text: &str, digits: usize) -> bool {
    text.len() == digits
        && text
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    /// Waiting for a worker.
    Queued,
    /// Being generated.
    Running,
    /// Finished; the result is at its download token.
    Ready,
    /// Failed; `message` says why.
    Failed,
}

/// One job as stored in `jobs/<id>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRecord {
    /// Version of this record's shape.
    pub format_version: u32,
    /// The model query id (32 hex digits).
    pub id: String,
    /// The model id (never an alias).
    pub model_id: String,
    /// The query text as posted.
    pub query: String,
    /// The seed chosen at submission (so a re-run after a restart gives the same data).
    pub seed: u64,
    /// Where the job is.
    pub status: JobStatus,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The unguessable download token (64 hex digits) once ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_token: Option<String>,
    /// Submission time, Unix seconds.
    pub created_unix: u64,
    /// Completion time, Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_unix: Option<u64>,
    /// Size of the result file, bytes, once ready (counted against the disk quota).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_bytes: Option<u64>,
}

/// The bounds of what the store keeps.
#[derive(Debug, Clone, Copy)]
pub struct StoreLimits {
    /// Jobs waiting for a worker.
    pub queue_size: usize,
    /// How long finished jobs are kept.
    pub ttl: Duration,
    /// Jobs kept (waiting, running and finished).
    pub max_jobs: usize,
    /// Bytes of the kept jobs' queries (held in memory and in their records).
    pub max_query_bytes: usize,
    /// Bytes of the kept results on disk.
    pub max_result_bytes: u64,
}

/// Why a job could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The queue is full.
    #[error("the job queue is full ({0} jobs waiting); retry in a little while")]
    QueueFull(usize),
    /// A bound of [`StoreLimits`] is reached.
    #[error("the server keeps no more jobs: {0}; retry when finished jobs have expired")]
    StoreFull(String),
    /// The record could not be stored (the detail, which names files, is for the log only).
    #[error("the server could not store the job (its disk may be full); retry in a little while")]
    Store(String),
}

/// Why a file in `jobs/` is not used as a job record.
#[derive(Debug, thiserror::Error)]
enum BadRecord {
    /// It could not be read.
    #[error("unreadable: {0}")]
    Unreadable(#[from] std::io::Error),
    /// It is not a whole record (e.g. truncated by a crash).
    #[error("not a job record: {0}")]
    NotARecord(#[from] serde_json::Error),
    /// Its id is not one the server makes, or not the file's name.
    #[error("its id {0:?} is not the 32 hex digits of its file name")]
    Id(String),
    /// Its download token is not one the server makes.
    #[error("its download token is not 64 hex digits")]
    Token,
}

/// A job waiting for a worker: its id and its prepared query.
struct QueuedJob {
    id: String,
    prepared: Prepared,
}

/// The jobs, in memory and on disk.
pub struct JobStore {
    jobs_dir: PathBuf,
    results_dir: PathBuf,
    records: Mutex<HashMap<String, JobRecord>>,
    queue: mpsc::Sender<QueuedJob>,
    limits: StoreLimits,
    /// Tests only: every write fails (a full disk).
    #[cfg(test)]
    fail_writes: AtomicBool,
}

#[cfg(test)]
thread_local! {
    /// Tests only: stores opened on this thread fail every write from the start.
    static FAIL_WRITES_AT_OPEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Handles of the running workers and the expiry task.
pub struct Workers {
    handles: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
}

impl Workers {
    /// Stops taking new jobs, lets running ones finish (up to `grace`), returns how many
    /// workers were still busy when the grace period ended.
    pub async fn shutdown(self, grace: Duration) -> usize {
        let _ = self.stop.send(true);
        let mut busy = 0;
        let deadline = tokio::time::Instant::now() + grace;
        for handle in self.handles {
            if tokio::time::timeout_at(deadline, handle).await.is_err() {
                busy += 1;
            }
        }
        busy
    }
}

impl JobStore {
    /// Opens (or creates) the store in `data_dir`, starts `concurrency` workers and the expiry
    /// task, and queues again every job left queued or running by a previous process.
    pub fn open(
        data_dir: &Path,
        limits: StoreLimits,
        registry: ModelRegistry,
        query_limits: Limits,
        permits: Arc<Semaphore>,
        concurrency: usize,
    ) -> anyhow::Result<(Arc<JobStore>, Workers)> {
        let limits = StoreLimits {
            queue_size: limits.queue_size.max(1),
            ..limits
        };
        let jobs_dir = data_dir.join("jobs");
        let results_dir = data_dir.join("results");
        for dir in [&jobs_dir, &results_dir] {
            fs::create_dir_all(dir)
                .with_context(|| format!("could not create {}", dir.display()))?;
        }
        for dir in [&jobs_dir, &results_dir] {
            sweep_temporary_files(dir);
        }
        let quarantine = data_dir.join("quarantine");
        let records = load_records(&jobs_dir, &quarantine)?;
        quarantine_orphan_results(&results_dir, &records, &quarantine)?;
        let mut pending: Vec<JobRecord> = records
            .values()
            .filter(|record| matches!(record.status, JobStatus::Queued | JobStatus::Running))
            .cloned()
            .collect();
        pending.sort_by(|a, b| {
            a.created_unix
                .cmp(&b.created_unix)
                .then_with(|| a.id.cmp(&b.id))
        });
        let (sender, receiver) = mpsc::channel(limits.queue_size + pending.len());
        let store = Arc::new(JobStore {
            jobs_dir,
            results_dir,
            records: Mutex::new(records),
            queue: sender,
            limits,
            #[cfg(test)]
            fail_writes: AtomicBool::new(FAIL_WRITES_AT_OPEN.with(std::cell::Cell::get)),
        });
        for mut record in pending {
            let id = record.id.clone();
            match prepare_again(&registry, &query_limits, &record) {
                Ok(prepared) => {
                    record.status = JobStatus::Queued;
                    store.save_or_warn(&record);
                    store.lock().insert(id.clone(), record);
                    if store.queue.try_send(QueuedJob { id, prepared }).is_err() {
                        anyhow::bail!("could not queue the jobs left from the previous run");
                    }
                }
                Err(message) => {
                    tracing::info!(job = %id, %message, "job failed");
                    record.status = JobStatus::Failed;
                    record.message = Some(message);
                    record.finished_unix = Some(now_unix());
                    store.save_or_warn(&record);
                    store.lock().insert(id, record);
                }
            }
        }
        let (stop, stop_receiver) = watch::channel(false);
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        let mut handles = Vec::new();
        for _ in 0..concurrency.max(1) {
            handles.push(tokio::spawn(worker(
                store.clone(),
                receiver.clone(),
                registry.clone(),
                permits.clone(),
                stop_receiver.clone(),
            )));
        }
        handles.push(tokio::spawn(expire_loop(store.clone(), stop_receiver)));
        Ok((store, Workers { handles, stop }))
    }

    /// Queues a query prepared for the model `model_id` from the text `query`; returns the job
    /// id.
    pub fn submit(
        &self,
        model_id: &str,
        query: &str,
        prepared: Prepared,
    ) -> Result<String, SubmitError> {
        let record = JobRecord {
            format_version: FORMAT_VERSION,
            id: random_hex(ID_BYTES),
            model_id: model_id.to_string(),
            query: query.to_string(),
            seed: prepared.seed,
            status: JobStatus::Queued,
            message: None,
            download_token: None,
            created_unix: now_unix(),
            finished_unix: None,
            result_bytes: None,
        };
        let id = record.id.clone();
        let permit = self
            .queue
            .try_reserve()
            .map_err(|_| SubmitError::QueueFull(self.limits.queue_size))?;
        {
            let mut records = self.lock();
            self.check_room(&records, query.len())?;
            records.insert(id.clone(), record.clone());
        }
        if let Err(error) = self.save(&record) {
            self.lock().remove(&id);
            return Err(SubmitError::Store(format!("{error:#}")));
        }
        permit.send(QueuedJob {
            id: id.clone(),
            prepared,
        });
        Ok(id)
    }

    /// Stores an already computed result (a model family's answer) as a finished job of the
    /// model `model_id` for the text `query` with `seed`; returns the job id.
    pub fn submit_finished(
        &self,
        model_id: &str,
        query: &str,
        seed: u64,
        result: &[u8],
    ) -> Result<String, SubmitError> {
        self.check_room(&self.lock(), query.len())?;
        let token = random_hex(TOKEN_BYTES);
        let path = self.results_dir.join(format!("{token}.json"));
        write_atomically(&path, |out| Ok(out.write_all(result)?))
            .map_err(|error| SubmitError::Store(format!("{error:#}")))?;
        let now = now_unix();
        let record = JobRecord {
            format_version: FORMAT_VERSION,
            id: random_hex(ID_BYTES),
            model_id: model_id.to_string(),
            query: query.to_string(),
            seed,
            status: JobStatus::Ready,
            message: None,
            download_token: Some(token),
            created_unix: now,
            finished_unix: Some(now),
            result_bytes: Some(result.len() as u64),
        };
        let id = record.id.clone();
        if let Err(error) = self.save(&record) {
            let _ = fs::remove_file(&path);
            return Err(SubmitError::Store(format!("{error:#}")));
        }
        self.lock().insert(id.clone(), record);
        Ok(id)
    }

    /// A job's record.
    pub fn get(&self, id: &str) -> Option<JobRecord> {
        self.lock().get(id).cloned()
    }

    /// The file of a finished result, if a kept job has this token and the file exists.
    pub fn result_path(&self, token: &str) -> Option<PathBuf> {
        let path = self.result_file(token)?;
        let kept = self
            .lock()
            .values()
            .any(|record| record.download_token.as_deref() == Some(token));
        (kept && path.is_file()).then_some(path)
    }

    /// `jobs/<id>.json`, for an id of the server's shape only.
    fn record_file(&self, id: &str) -> anyhow::Result<PathBuf> {
        anyhow::ensure!(is_job_id(id), "refusing the malformed job id {id:?}");
        Ok(self.jobs_dir.join(format!("{id}.json")))
    }

    /// `results/<token>.json`, for a token of the server's shape only.
    fn result_file(&self, token: &str) -> Option<PathBuf> {
        is_download_token(token).then(|| self.results_dir.join(format!("{token}.json")))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, JobRecord>> {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether one more job with a query of `query_bytes` fits the bounds.
    fn check_room(
        &self,
        records: &HashMap<String, JobRecord>,
        query_bytes: usize,
    ) -> Result<(), SubmitError> {
        let limits = &self.limits;
        if records.len() >= limits.max_jobs {
            return Err(SubmitError::StoreFull(format!(
                "it keeps at most {} jobs (--max-jobs)",
                limits.max_jobs
            )));
        }
        let kept_queries: usize = records.values().map(|record| record.query.len()).sum();
        if kept_queries.saturating_add(query_bytes) > limits.max_query_bytes {
            return Err(SubmitError::StoreFull(format!(
                "the queries of kept jobs would pass {} bytes (--max-query-bytes)",
                limits.max_query_bytes
            )));
        }
        let kept_results: u64 = records
            .values()
            .filter_map(|record| record.result_bytes)
            .sum();
        if kept_results >= limits.max_result_bytes {
            return Err(SubmitError::StoreFull(format!(
                "the kept results fill the disk quota of {} bytes (--max-result-bytes)",
                limits.max_result_bytes
            )));
        }
        Ok(())
    }

    fn save(&self, record: &JobRecord) -> anyhow::Result<()> {
        let path = self.record_file(&record.id)?;
        let bytes = serde_json::to_vec_pretty(record)?;
        self.write_file(&path, |out| Ok(out.write_all(&bytes)?))
    }

    /// Saves `record`, or logs why it could not be (it is still used in memory).
    fn save_or_warn(&self, record: &JobRecord) {
        if let Err(error) = self.save(record) {
            tracing::warn!(job = %record.id, error = %format!("{error:#}"), "could not store a job record; it is kept in memory");
        }
    }

    /// Writes `path` atomically and durably with `fill` (see [`write_atomically`]).
    fn write_file(
        &self,
        path: &Path,
        fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        #[cfg(test)]
        if self.fail_writes.load(Ordering::Relaxed) {
            return write_atomically(path, |_| {
                Err(std::io::Error::from(std::io::ErrorKind::StorageFull).into())
            });
        }
        write_atomically(path, fill)
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut JobRecord)) -> Option<JobRecord> {
        let updated = {
            let mut records = self.lock();
            let record = records.get_mut(id)?;
            change(record);
            record.clone()
        };
        if let Err(error) = self.save(&updated) {
            tracing::error!(job = id, error = %format!("{error:#}"), "could not store a job record");
        }
        Some(updated)
    }

    /// Deletes finished jobs older than the TTL, and their results.
    fn expire(&self) -> usize {
        let now = now_unix();
        let ttl = self.limits.ttl.as_secs();
        let expired: Vec<JobRecord> = {
            let mut records = self.lock();
            let ids: Vec<String> = records
                .values()
                .filter(|record| {
                    record
                        .finished_unix
                        .is_some_and(|done| done.saturating_add(ttl) <= now)
                })
                .map(|record| record.id.clone())
                .collect();
            ids.iter().filter_map(|id| records.remove(id)).collect()
        };
        for record in &expired {
            if let Some(path) = record
                .download_token
                .as_deref()
                .and_then(|token| self.result_file(token))
            {
                let _ = fs::remove_file(path);
            }
            if let Ok(path) = self.record_file(&record.id) {
                let _ = fs::remove_file(path);
            }
        }
        expired.len()
    }
}

async fn worker(
    store: Arc<JobStore>,
    receiver: Arc<tokio::sync::Mutex<mpsc::Receiver<QueuedJob>>>,
    registry: ModelRegistry,
    permits: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let next = {
            let mut receiver = receiver.lock().await;
            tokio::select! {
                biased;
                _ = stop.wait_for(|stopped| *stopped) => None,
                job = receiver.recv() => job,
            }
        };
        let Some(QueuedJob { id, prepared }) = next else {
            return;
        };
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let Some(record) = store.update(&id, |record| record.status = JobStatus::Running) else {
            continue;
        };
        let started = std::time::Instant::now();
        let job_store = store.clone();
        let registry = registry.clone();
        let outcome =
            tokio::task::spawn_blocking(move || run_job(&job_store, &registry, &record, &prepared))
                .await
                .unwrap_or_else(|error| Err(format!("the job stopped unexpectedly: {error}")));
        drop(permit);
        let finished = now_unix();
        match outcome {
            Ok((token, bytes)) => {
                tracing::info!(job = %id, elapsed_ms = started.elapsed().as_millis() as u64, "job ready");
                store.update(&id, |record| {
                    record.status = JobStatus::Ready;
                    record.download_token = Some(token);
                    record.finished_unix = Some(finished);
                    record.result_bytes = Some(bytes);
                });
            }
            Err(message) => {
                tracing::info!(job = %id, %message, "job failed");
                store.update(&id, |record| {
                    record.status = JobStatus::Failed;
                    record.message = Some(message);
                    record.finished_unix = Some(finished);
                });
            }
        }
    }
}

/// Prepares a job left by a previous process from its record, with the seed chosen at
/// submission (validated again: the models may have changed since).
fn prepare_again(
    registry: &ModelRegistry,
    limits: &Limits,
    record: &JobRecord,
) -> Result<Prepared, String> {
    let entry = registry
        .get(&record.model_id)
        .map_err(|error| error.to_string())?;
    let never_invented = || record.seed;
    prepare(
        entry,
        &record.query,
        Some(record.seed),
        never_invented,
        limits,
    )
    .map_err(|errors| crate::serve::shapes::invalid_query_message(&errors))
}

/// Generates a prepared job and stores the result; returns its download token and size.
fn run_job(
    store: &JobStore,
    registry: &ModelRegistry,
    record: &JobRecord,
    prepared: &Prepared,
) -> Result<(String, u64), String> {
    let entry = registry
        .get(&record.model_id)
        .map_err(|error| error.to_string())?;
    let token = random_hex(TOKEN_BYTES);
    let path = store.results_dir.join(format!("{token}.json"));
    let shape = synthome_formats::json::Shape {
        sample_id_in_metadata: !crate::serve::shapes::client_adds_sample_id(&record.query),
    };
    // The model's own failure (the query's to fix) is told as is; a write failure is not.
    let mut generate_failure = None;
    store
        .write_file(&path, |out| {
            match write_json_in_parts(entry, prepared, JOB_THREADS, out, shape, &mut |_, _| {}) {
                Ok(_) => Ok(()),
                Err(PartsError::Generate(failure)) => {
                    let message = failure.to_string();
                    generate_failure = Some(message.clone());
                    Err(anyhow::anyhow!(message))
                }
                Err(failure @ PartsError::Write(_)) => Err(failure.into()),
            }
        })
        .map_err(|error| {
            if let Some(message) = generate_failure.take() {
                return message;
            }
            tracing::error!(job = %record.id, error = %format!("{error:#}"), "could not store a result");
            "the server could not store the result (its disk may be full); run the query again later"
                .to_string()
        })?;
    let bytes = fs::metadata(&path).map_or(0, |metadata| metadata.len());
    Ok((token, bytes))
}

async fn expire_loop(store: Arc<JobStore>, mut stop: watch::Receiver<bool>) {
    let period = (store.limits.ttl / 10).clamp(Duration::from_secs(1), Duration::from_secs(300));
    loop {
        let expired = store.expire();
        if expired > 0 {
            tracing::info!(expired, "expired finished jobs");
        }
        tokio::select! {
            _ = stop.wait_for(|stopped| *stopped) => return,
            () = tokio::time::sleep(period) => {}
        }
    }
}

/// The usable records in `jobs_dir`, by id; the others are moved to `quarantine`.
fn load_records(jobs_dir: &Path, quarantine: &Path) -> anyhow::Result<HashMap<String, JobRecord>> {
    let mut records = HashMap::new();
    for entry in
        fs::read_dir(jobs_dir).with_context(|| format!("could not list {}", jobs_dir.display()))?
    {
        let path = entry?.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        match read_record(&path) {
            Ok(record) => {
                records.insert(record.id.clone(), record);
            }
            Err(problem) => {
                tracing::warn!(path = %path.display(), %problem, "setting aside a job record");
                set_aside(&path, quarantine);
            }
        }
    }
    Ok(records)
}

/// A record file, checked: its id is its file name, its token has the server's shape.
fn read_record(path: &Path) -> Result<JobRecord, BadRecord> {
    let record: JobRecord = serde_json::from_slice(&fs::read(path)?)?;
    let named = path.file_stem().and_then(|stem| stem.to_str()) == Some(record.id.as_str());
    if !is_job_id(&record.id) || !named {
        return Err(BadRecord::Id(record.id));
    }
    if record
        .download_token
        .as_deref()
        .is_some_and(|token| !is_download_token(token))
    {
        return Err(BadRecord::Token);
    }
    Ok(record)
}

/// Moves to `quarantine` every result in `results_dir` that no record points at (its record
/// was set aside, or a crash came between the result and its record).
fn quarantine_orphan_results(
    results_dir: &Path,
    records: &HashMap<String, JobRecord>,
    quarantine: &Path,
) -> anyhow::Result<()> {
    for entry in fs::read_dir(results_dir)
        .with_context(|| format!("could not list {}", results_dir.display()))?
    {
        let path = entry?.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let kept = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .is_some_and(|token| {
                records
                    .values()
                    .any(|record| record.download_token.as_deref() == Some(token))
            });
        if !kept {
            tracing::warn!(path = %path.display(), "setting aside a result no job points at");
            set_aside(&path, quarantine);
        }
    }
    Ok(())
}

/// Moves `path` into `quarantine` (deletes it when it cannot be moved).
fn set_aside(path: &Path, quarantine: &Path) {
    let moved = fs::create_dir_all(quarantine).and_then(|()| match path.file_name() {
        Some(name) => fs::rename(path, quarantine.join(name)),
        None => Err(std::io::Error::other("no file name")),
    });
    if let Err(error) = moved.or_else(|_| fs::remove_file(path)) {
        tracing::warn!(path = %path.display(), %error, "could not set the file aside");
    }
}

/// Writes `path` atomically and durably: `fill` writes a temporary file beside it, which is
/// flushed to disk and renamed to `path`, then the folder is flushed (so the rename survives a
/// power cut). On any failure the temporary file is removed and `path` is left as it was.
fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .with_context(|| format!("no file name in {}", path.display()))?;
    let temporary = path.with_file_name(format!("{name}.{}.tmp", random_hex(4)));
    let write = || -> anyhow::Result<()> {
        let file = fs::File::create(&temporary)
            .with_context(|| format!("could not create {}", temporary.display()))?;
        let mut writer = BufWriter::with_capacity(1 << 16, file);
        fill(&mut writer).with_context(|| format!("could not write {}", temporary.display()))?;
        let file = writer
            .into_inner()
            .map_err(|error| error.into_error())
            .with_context(|| format!("could not write {}", temporary.display()))?;
        file.sync_all()
            .with_context(|| format!("could not flush {}", temporary.display()))?;
        fs::rename(&temporary, path)
            .with_context(|| format!("could not rename to {}", path.display()))?;
        if let Some(dir) = path.parent() {
            fs::File::open(dir)
                .and_then(|dir| dir.sync_all())
                .with_context(|| format!("could not flush the folder {}", dir.display()))?;
        }
        Ok(())
    };
    let outcome = write();
    if outcome.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    outcome
}

/// Removes the temporary files (`*.tmp`) a crash left in `dir`.
fn sweep_temporary_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
        if path.extension().is_some_and(|ext| ext == "tmp") {
            match fs::remove_file(&path) {
                Ok(()) => {
                    tracing::info!(path = %path.display(), "removed a temporary file left by a crash")
                }
                Err(error) => {
                    tracing::warn!(path = %path.display(), %error, "could not remove a temporary file")
                }
            }
        }
    }
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use synthome_query::{SamplingStrategy, ValidQuery};

    /// A job record of model `model_id` with the query `{}` and seed 1.
    fn record(id: &str, model_id: &str, status: JobStatus) -> JobRecord {
        JobRecord {
            format_version: FORMAT_VERSION,
            id: id.into(),
            model_id: model_id.into(),
            query: "{}".into(),
            seed: 1,
            status,
            message: None,
            download_token: None,
            created_unix: 1,
            finished_unix: None,
            result_bytes: None,
        }
    }

    /// Bounds that only the queue and the TTL reach.
    fn limits(queue_size: usize, ttl: Duration) -> StoreLimits {
        StoreLimits {
            queue_size,
            ttl,
            max_jobs: 1000,
            max_query_bytes: 1 << 20,
            max_result_bytes: 1 << 30,
        }
    }

    /// A query as a route would have prepared it (its contents do not matter here).
    fn prepared(seed: u64) -> Prepared {
        Prepared {
            valid: ValidQuery {
                sampling_strategy: SamplingStrategy::SampleGeneration,
                inputs: Vec::new(),
                total_count: 1e7,
                deterministic_latents: false,
                seed: None,
            },
            seed,
            query_json: "{}".into(),
        }
    }

    fn open_store(
        name: &str,
        queue_size: usize,
        ttl: Duration,
        permits: usize,
    ) -> (Arc<JobStore>, Workers, PathBuf) {
        open_bounded(name, limits(queue_size, ttl), permits)
    }

    fn open_bounded(
        name: &str,
        limits: StoreLimits,
        permits: usize,
    ) -> (Arc<JobStore>, Workers, PathBuf) {
        let dir = std::env::temp_dir().join(format!("synthome-jobs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (store, workers) = JobStore::open(
            &dir,
            limits,
            ModelRegistry::default(),
            Limits::default(),
            Arc::new(Semaphore::new(permits)),
            1,
        )
        .unwrap_or_else(|error| panic!("{error}"));
        (store, workers, dir)
    }

    #[tokio::test]
    async fn a_full_queue_refuses_new_jobs() {
        // No permits: the one worker holds one job and waits, the queue holds one more.
        let (store, _workers, dir) = open_store("full", 1, Duration::from_secs(60), 0);
        assert!(store.submit("m", "{}", prepared(1)).is_ok());
        // Let the worker take the first job off the queue (it then waits for a permit).
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(store.submit("m", "{}", prepared(1)).is_ok());
        assert!(matches!(
            store.submit("m", "{}", prepared(1)),
            Err(SubmitError::QueueFull(1))
        ));
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn finished_jobs_expire_with_their_results() {
        let (store, workers, dir) = open_store("expire", 4, Duration::from_secs(0), 0);
        workers.shutdown(Duration::from_secs(1)).await;
        let token = "ab".repeat(32);
        let id = "0123".repeat(8);
        let record = JobRecord {
            download_token: Some(token.clone()),
            finished_unix: Some(2),
            ..record(&id, "m", JobStatus::Ready)
        };
        store
            .save(&record)
            .unwrap_or_else(|error| panic!("{error}"));
        store.lock().insert(record.id.clone(), record);
        fs::write(store.results_dir.join(format!("{token}.json")), "{}")
            .unwrap_or_else(|error| panic!("{error}"));
        assert!(store.result_path(&token).is_some());
        assert_eq!(store.expire(), 1);
        assert!(store.get(&id).is_none());
        assert!(store.result_path(&token).is_none());
        assert!(!store.jobs_dir.join(format!("{id}.json")).exists());
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_left_over_job_that_cannot_be_prepared_again_fails_at_start() {
        let id = "0456".repeat(8);
        let (store, dir) = open_prepared("left", |jobs, _| {
            write_record(
                &jobs.join(format!("{id}.json")),
                &record(&id, "gone-v1", JobStatus::Running),
            );
        })
        .await;
        let failed = store.get(&id).unwrap_or_else(|| panic!("the job is kept"));
        assert_eq!(failed.status, JobStatus::Failed);
        assert!(
            failed
                .message
                .as_deref()
                .is_some_and(|message| message.contains("gone-v1")),
            "{failed:?}"
        );
        let _ = fs::remove_dir_all(dir);
    }

    /// Opens a store over a data directory prepared by `setup` (which gets the `jobs` and
    /// `results` folders).
    async fn open_prepared(
        name: &str,
        setup: impl FnOnce(&Path, &Path),
    ) -> (Arc<JobStore>, PathBuf) {
        let dir = std::env::temp_dir().join(format!("synthome-jobs-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (jobs, results) = (dir.join("jobs"), dir.join("results"));
        fs::create_dir_all(&jobs).unwrap_or_else(|error| panic!("{error}"));
        fs::create_dir_all(&results).unwrap_or_else(|error| panic!("{error}"));
        setup(&jobs, &results);
        let (store, workers) = JobStore::open(
            &dir,
            limits(4, Duration::from_secs(3600)),
            ModelRegistry::default(),
            Limits::default(),
            Arc::new(Semaphore::new(1)),
            1,
        )
        .unwrap_or_else(|error| panic!("{error}"));
        workers.shutdown(Duration::from_secs(1)).await;
        (store, dir)
    }

    fn write_record(path: &Path, record: &JobRecord) {
        fs::write(
            path,
            serde_json::to_vec(record).unwrap_or_else(|error| panic!("{error}")),
        )
        .unwrap_or_else(|error| panic!("{error}"));
    }

    #[tokio::test]
    async fn records_with_crafted_ids_or_tokens_are_set_aside_not_followed() {
        let victim = "cd".repeat(32);
        let (store, dir) = open_prepared("crafted", |jobs, results| {
            // An id that walks out of jobs/: re-queuing it would save it at ../escaped.json.
            write_record(
                &jobs.join(format!("{}.json", "1".repeat(32))),
                &record("../escaped", "gone-v1", JobStatus::Running),
            );
            // A token that walks out of results/: expiring it would delete ../victim.json.
            let crafted = JobRecord {
                download_token: Some("../victim".into()),
                finished_unix: Some(1),
                ..record(&"2".repeat(32), "m", JobStatus::Ready)
            };
            write_record(&jobs.join(format!("{}.json", "2".repeat(32))), &crafted);
            // A well-formed id that is not the file's name.
            write_record(
                &jobs.join(format!("{}.json", "3".repeat(32))),
                &record(&"4".repeat(32), "gone-v1", JobStatus::Failed),
            );
            fs::write(results.join(format!("{victim}.json")), "{}")
                .unwrap_or_else(|error| panic!("{error}"));
        })
        .await;
        assert!(
            !dir.join("escaped.json").exists(),
            "nothing written outside jobs/"
        );
        assert!(store.get("../escaped").is_none());
        assert!(store.get(&"2".repeat(32)).is_none());
        assert!(store.get(&"4".repeat(32)).is_none());
        assert!(store.lock().is_empty());
        for id in ["1", "2", "3"] {
            assert!(
                !store
                    .jobs_dir
                    .join(format!("{}.json", id.repeat(32)))
                    .exists()
            );
        }
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_truncated_record_is_set_aside_with_its_result() {
        let token = "ef".repeat(32);
        let id = "5".repeat(32);
        let (store, dir) = open_prepared("truncated", |jobs, results| {
            let ready = JobRecord {
                download_token: Some(token.clone()),
                finished_unix: Some(now_unix()),
                ..record(&id, "m", JobStatus::Ready)
            };
            let text = serde_json::to_string(&ready).unwrap_or_else(|error| panic!("{error}"));
            fs::write(jobs.join(format!("{id}.json")), &text[..text.len() / 2])
                .unwrap_or_else(|error| panic!("{error}"));
            fs::write(results.join(format!("{token}.json")), "{}")
                .unwrap_or_else(|error| panic!("{error}"));
        })
        .await;
        assert!(store.get(&id).is_none());
        assert!(
            store.result_path(&token).is_none(),
            "its result is not served"
        );
        assert!(!store.results_dir.join(format!("{token}.json")).exists());
        assert!(!store.jobs_dir.join(format!("{id}.json")).exists());
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn job_records_round_trip_through_json() -> anyhow::Result<()> {
        let record = JobRecord {
            seed: 3,
            download_token: Some("cd".into()),
            finished_unix: Some(2),
            ..record("ab", "synthome-bulk-v1", JobStatus::Ready)
        };
        let text = serde_json::to_string(&record)?;
        assert!(text.contains("\"status\":\"ready\""));
        assert_eq!(serde_json::from_str::<JobRecord>(&text)?, record);
        Ok(())
    }

    /// Every file in `dir` whose name ends with `.tmp`.
    fn temporary_files(dir: &Path) -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|path| path.extension().is_some_and(|ext| ext == "tmp"))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_failed_write_leaves_neither_a_temporary_file_nor_a_new_file() {
        let dir = std::env::temp_dir().join(format!("synthome-atomic-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{error}"));
        let path = dir.join("result.json");
        let failed = write_atomically(&path, |out| {
            out.write_all(b"{\"half\":")?;
            Err(std::io::Error::from(std::io::ErrorKind::StorageFull).into())
        });
        assert!(failed.is_err());
        assert!(!path.exists());
        assert!(temporary_files(&dir).is_empty());
        write_atomically(&path, |out| Ok(out.write_all(b"{}")?))
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(fs::read(&path).ok().as_deref(), Some(&b"{}"[..]));
        assert!(temporary_files(&dir).is_empty());
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn start_up_sweeps_temporary_files_left_by_a_crash() {
        let (store, dir) = open_prepared("sweep", |jobs, results| {
            fs::write(
                jobs.join(format!("{}.json.0a0b0c0d.tmp", "6".repeat(32))),
                "{",
            )
            .unwrap_or_else(|error| panic!("{error}"));
            fs::write(
                results.join(format!("{}.json.01020304.tmp", "ab".repeat(32))),
                "[",
            )
            .unwrap_or_else(|error| panic!("{error}"));
        })
        .await;
        assert!(temporary_files(&store.jobs_dir).is_empty());
        assert!(temporary_files(&store.results_dir).is_empty());
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_full_disk_refuses_new_jobs_but_keeps_serving_finished_ones() {
        // No permits: the worker takes one job and waits, nothing runs.
        let (store, _workers, dir) = open_store("disk-full", 4, Duration::from_secs(3600), 0);
        let token = "cd".repeat(32);
        let id = "7".repeat(32);
        let ready = JobRecord {
            download_token: Some(token.clone()),
            finished_unix: Some(now_unix()),
            ..record(&id, "m", JobStatus::Ready)
        };
        store.save(&ready).unwrap_or_else(|error| panic!("{error}"));
        store.lock().insert(id.clone(), ready);
        fs::write(store.results_dir.join(format!("{token}.json")), "{}")
            .unwrap_or_else(|error| panic!("{error}"));

        store.fail_writes.store(true, Ordering::Relaxed);
        let refused = store.submit("m", "{}", prepared(1));
        assert!(matches!(refused, Err(SubmitError::Store(_))), "{refused:?}");
        let message = refused
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(!message.contains('/'), "no path in the answer: {message}");
        assert_eq!(store.lock().len(), 1, "the refused job is not kept");
        assert!(temporary_files(&store.jobs_dir).is_empty());
        assert_eq!(
            store.get(&id).map(|record| record.status),
            Some(JobStatus::Ready)
        );
        assert!(
            store.result_path(&token).is_some(),
            "downloads still served"
        );

        store.fail_writes.store(false, Ordering::Relaxed);
        assert!(
            store.submit("m", "{}", prepared(1)).is_ok(),
            "the disk has room again"
        );
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn kept_jobs_are_bounded_by_count_query_bytes_and_result_bytes() {
        let bounded = |max_jobs, max_query_bytes, max_result_bytes| StoreLimits {
            max_jobs,
            max_query_bytes,
            max_result_bytes,
            ..limits(16, Duration::from_secs(3600))
        };
        let (store, _workers, dir) = open_bounded("count", bounded(2, 1 << 20, 1 << 30), 0);
        assert!(store.submit("m", "{}", prepared(1)).is_ok());
        assert!(store.submit("m", "{}", prepared(1)).is_ok());
        let full = store.submit("m", "{}", prepared(1));
        assert!(
            matches!(&full, Err(SubmitError::StoreFull(why)) if why.contains("2 jobs")),
            "{full:?}"
        );
        let _ = fs::remove_dir_all(dir);

        let (store, _workers, dir) = open_bounded("bytes", bounded(100, 1000, 1 << 30), 0);
        let padded = format!("{{\"pad\": \"{}\"}}", " ".repeat(600));
        assert!(store.submit("m", &padded, prepared(1)).is_ok());
        let full = store.submit("m", &padded, prepared(1));
        assert!(
            matches!(&full, Err(SubmitError::StoreFull(why)) if why.contains("1000 bytes")),
            "{full:?}"
        );
        assert!(
            store.submit("m", "{}", prepared(1)).is_ok(),
            "small ones still fit"
        );
        let _ = fs::remove_dir_all(dir);

        let (store, _workers, dir) = open_bounded("disk", bounded(100, 1 << 20, 500), 0);
        let id = "8".repeat(32);
        let ready = JobRecord {
            download_token: Some("ef".repeat(32)),
            finished_unix: Some(now_unix()),
            result_bytes: Some(500),
            ..record(&id, "m", JobStatus::Ready)
        };
        store.lock().insert(id, ready);
        let full = store.submit("m", "{}", prepared(1));
        assert!(
            matches!(&full, Err(SubmitError::StoreFull(why)) if why.contains("disk quota")),
            "{full:?}"
        );
        let _ = fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn start_up_goes_on_when_a_requeued_job_cannot_be_saved() {
        let id = "9".repeat(32);
        FAIL_WRITES_AT_OPEN.with(|fail| fail.set(true));
        let (store, dir) = open_prepared("requeue-disk-full", |jobs, _| {
            write_record(
                &jobs.join(format!("{id}.json")),
                &record(&id, "gone-v1", JobStatus::Running),
            );
        })
        .await;
        FAIL_WRITES_AT_OPEN.with(|fail| fail.set(false));
        let kept = store.get(&id).unwrap_or_else(|| panic!("the job is kept"));
        assert_eq!(kept.status, JobStatus::Failed);
        let _ = fs::remove_dir_all(dir);
    }
}
