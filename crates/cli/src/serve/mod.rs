//! `synthome serve`: the web app at `/` and the model API under `/api` (the hosted Synthesize
//! Bio API's paths and shapes, so pysynthbio and rsynthbio work against it unchanged).

mod arrow;
mod auth;
mod body;
mod guard;
mod jobs;
mod listener;
mod routes;
pub mod shapes;
mod synchronous;
mod throttle;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::Semaphore;

use crate::args::{LogFormat, ServeArgs};
use synthome_engine::ModelRegistry;
use synthome_query::Limits;

pub use auth::ApiKeys;

/// The longest running jobs may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(60);

/// Runs the server until Ctrl-C or SIGTERM.
pub fn run(registry: ModelRegistry, args: ServeArgs) -> anyhow::Result<()> {
    init_logs(args.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the async runtime")?;
    runtime.block_on(serve(registry, args))
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SYNTHOME_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

async fn serve(registry: ModelRegistry, args: ServeArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("could not listen on {}", args.addr))?;
    let local = listener.local_addr()?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_string();
    let keys = ApiKeys::load(args.api_keys_file.as_deref(), args.api_keys.as_deref())?;
    let auth = keys.enabled();
    let limits = Limits {
        max_total_samples: args.max_samples,
        ..Limits::default()
    };
    let concurrency = args
        .concurrency
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let permits = Arc::new(Semaphore::new(concurrency));
    let store_limits = jobs::StoreLimits {
        queue_size: args.queue_size,
        ttl: Duration::from_secs(args.result_ttl_secs),
        max_jobs: args.max_jobs,
        max_query_bytes: args.max_query_bytes,
        max_result_bytes: args.max_result_bytes,
    };
    let (jobs, workers) = jobs::JobStore::open(
        &args.data_dir,
        store_limits,
        registry.clone(),
        limits,
        permits.clone(),
        concurrency,
    )?;
    let state = routes::AppState {
        registry,
        jobs,
        limits,
        public_url: public_url.clone(),
        permits,
        keys,
        max_body_bytes: args.max_body_bytes,
        body_timeout: Duration::from_secs(args.body_timeout_secs),
        guard: guard::RequestGuard::new(&public_url, &args.cors_origins),
        queue_full_warnings: Arc::new(throttle::Throttle::new(routes::QUEUE_FULL_WARNING_INTERVAL)),
    };
    let app = routes::router(state, &args.app_dir, &args.cors_origins)?;
    tracing::info!(
        addr = %local,
        public_url = %public_url,
        data_dir = %args.data_dir.display(),
        app_dir = %args.app_dir.display(),
        auth,
        "synthome serve listening"
    );
    // A line on stdout that scripts and tests can wait for.
    println!("listening on http://{local}");
    if !auth && !local.ip().is_loopback() {
        tracing::warn!(
            addr = %local,
            "auth is off on a non-loopback address: anyone who reaches it can run jobs; pass --api-keys-file"
        );
    }
    let connection_limits = listener::ConnectionLimits {
        max_connections: args.max_connections,
        header_timeout: Duration::from_secs(args.header_timeout_secs.max(1)),
        shutdown_deadline: Duration::from_secs(args.shutdown_timeout_secs),
    };
    let still_open = listener::serve(listener, app, connection_limits, shutdown_signal()).await;
    if still_open > 0 {
        tracing::warn!(
            still_open,
            "closed connections whose requests had not finished by the shutdown deadline"
        );
    }
    tracing::info!("shutting down: finishing running jobs, queued jobs stay queued on disk");
    let busy = workers
        .shutdown(Duration::from_secs(args.shutdown_timeout_secs).min(SHUTDOWN_GRACE))
        .await;
    if busy > 0 {
        tracing::warn!(
            busy,
            "jobs still running at the end of the grace period will run again on restart"
        );
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
