//! A request body read within a size limit and a time limit, so a client trickling its body a
//! byte at a time cannot hold a connection (and its memory) for long.

use std::time::Duration;

use axum::body::{Body, Bytes};
use futures_util::StreamExt;

/// Why a body was not read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// More bytes than the limit.
    #[error("the request body is larger than the server's limit of {0} bytes")]
    TooLarge(usize),
    /// Not all of it within the deadline.
    #[error("the request body did not arrive within {0:?}")]
    TooSlow(Duration),
    /// The connection broke while it was read.
    #[error("the request body could not be read: {0}")]
    Broken(String),
}

/// Reads `body` whole: at most `limit` bytes, all of them within `deadline`.
pub async fn read_body(body: Body, limit: usize, deadline: Duration) -> Result<Bytes, BodyError> {
    let read = async {
        let mut stream = body.into_data_stream();
        let mut bytes: Vec<u8> = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| BodyError::Broken(error.to_string()))?;
            if bytes.len() + chunk.len() > limit {
                return Err(BodyError::TooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(bytes))
    };
    tokio::time::timeout(deadline, read)
        .await
        .unwrap_or(Err(BodyError::TooSlow(deadline)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_within_the_limits_are_read_and_others_refused() {
        let small = read_body(Body::from("{}"), 2, Duration::from_secs(1)).await;
        assert_eq!(small.ok(), Some(Bytes::from("{}")));
        let large = read_body(Body::from("{ }"), 2, Duration::from_secs(1)).await;
        assert!(matches!(large, Err(BodyError::TooLarge(2))));
        let trickle = futures_util::stream::unfold(0u32, |sent| async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            (sent < 100).then(|| (Ok::<_, std::io::Error>(Bytes::from("x")), sent + 1))
        });
        let slow = read_body(
            Body::from_stream(trickle),
            1 << 20,
            Duration::from_millis(500),
        )
        .await;
        assert!(matches!(slow, Err(BodyError::TooSlow(_))), "{slow:?}");
    }
}
