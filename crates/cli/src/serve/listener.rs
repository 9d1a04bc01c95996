//! Accepting connections within limits: at most `max_connections` open at once (one more is
//! closed at once, so the open-file limit is never reached and new clients are told rather than
//! left waiting), a deadline for a request's headers that also closes keep-alive connections
//! idle that long, and a deadline for in-flight requests after the shutdown signal.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::throttle::Throttle;

/// The limits of the connection layer.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once.
    pub max_connections: usize,
    /// Time to send a request's headers, and the longest idle keep-alive.
    pub header_timeout: Duration,
    /// Time in-flight requests get after the shutdown signal.
    pub shutdown_deadline: Duration,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets in-flight requests finish for
/// at most the shutdown deadline; returns how many connections were still open then.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> usize {
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let refusals = Throttle::new(Duration::from_secs(60));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                // Out of file descriptors or a connection reset before accept: wait a little.
                tracing::warn!(%error, "could not accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = open.clone().try_acquire_owned() else {
            if let Some(held_back) = refusals.admit() {
                tracing::warn!(
                    held_back,
                    max = limits.max_connections,
                    "too many open connections: closing a new one"
                );
            }
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(error) = watched.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    let still_open = limits.max_connections.max(1) - open.available_permits();
    if still_open > 0 {
        tracing::info!(
            still_open,
            "waiting for open connections to finish their requests"
        );
    }
    match tokio::time::timeout(limits.shutdown_deadline, graceful.shutdown()).await {
        Ok(()) => 0,
        Err(_) => limits.max_connections.max(1) - open.available_permits(),
    }
}
