//! A warning logged at most once per interval, counting the ones held back in between.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When a repeated warning may be logged again.
#[derive(Debug)]
pub struct Throttle {
    interval: Duration,
    state: Mutex<ThrottleState>,
}

#[derive(Debug, Default)]
struct ThrottleState {
    last: Option<Instant>,
    held_back: u64,
}

impl Throttle {
    /// A throttle letting one warning through per `interval`.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            state: Mutex::new(ThrottleState::default()),
        }
    }

    /// `Some(how many were held back since the last one)` when the warning may be logged now,
    /// `None` when it is held back.
    pub fn admit(&self) -> Option<u64> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if state
            .last
            .is_some_and(|last| now.duration_since(last) < self.interval)
        {
            state.held_back += 1;
            return None;
        }
        state.last = Some(now);
        Some(std::mem::take(&mut state.held_back))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_warning_per_interval_with_the_count_held_back() {
        let hourly = Throttle::new(Duration::from_secs(3600));
        assert_eq!(hourly.admit(), Some(0));
        assert_eq!(hourly.admit(), None);
        assert_eq!(hourly.admit(), None);
        let always = Throttle::new(Duration::ZERO);
        assert_eq!(always.admit(), Some(0));
        assert_eq!(always.admit(), Some(0));
    }
}
