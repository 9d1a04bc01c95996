//! Work items made on several threads and handed on one at a time in their order, with at most
//! a fixed number made ahead: what lets `synthome generate` run a query's parts on every core
//! while its writer takes them in sample order, in memory bounded by the parts in flight.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

/// Which items the threads have claimed and how many have been handed on.
struct Claims {
    /// The next item to make.
    next: usize,
    /// Items handed on so far (all below this index).
    handed: usize,
    /// Set when the hand-over stopped early: claim nothing more.
    stop: bool,
}

/// Makes items `0..count` with `make` on up to `threads` threads and hands each to `take` in
/// index order; at most `threads` items are made ahead of the one being taken. The first error
/// in index order, of `make` or `take`, stops the run and is returned (items after it may
/// have been made, and are dropped). One thread makes and takes in turn, without spawning.
pub fn in_order<T, E>(
    count: usize,
    threads: usize,
    make: impl Fn(usize) -> Result<T, E> + Sync,
    mut take: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    E: Send,
{
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 {
        for index in 0..count {
            take(make(index)?)?;
        }
        return Ok(());
    }
    let claims = Mutex::new(Claims {
        next: 0,
        handed: 0,
        stop: false,
    });
    let changed = Condvar::new();
    let (sender, receiver) = mpsc::channel::<(usize, Result<T, E>)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (claims, changed, make) = (&claims, &changed, &make);
            scope.spawn(move || {
                while let Some(index) = claim(claims, changed, count, threads + 1) {
                    if sender.send((index, make(index))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let outcome = hand_on(count, &receiver, &claims, &changed, &mut take);
        let mut state = claims.lock().unwrap_or_else(PoisonError::into_inner);
        state.stop = true;
        drop(state);
        changed.notify_all();
        outcome
    })
}

/// The next item for a making thread, once fewer than `limit` claimed items (the one being
/// taken among them) wait to be handed on; `None` when all are claimed or the run stopped.
fn claim(claims: &Mutex<Claims>, changed: &Condvar, count: usize, limit: usize) -> Option<usize> {
    let mut state = claims.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if state.stop || state.next >= count {
            return None;
        }
        if state.next < state.handed + limit {
            state.next += 1;
            return Some(state.next - 1);
        }
        state = changed.wait(state).unwrap_or_else(PoisonError::into_inner);
    }
}

/// Receives the made items and hands them to `take` in index order.
fn hand_on<T, E>(
    count: usize,
    receiver: &mpsc::Receiver<(usize, Result<T, E>)>,
    claims: &Mutex<Claims>,
    changed: &Condvar,
    take: &mut impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let mut arrived: BTreeMap<usize, Result<T, E>> = BTreeMap::new();
    for expected in 0..count {
        let item = loop {
            if let Some(item) = arrived.remove(&expected) {
                break item;
            }
            match receiver.recv() {
                Ok((index, item)) => {
                    arrived.insert(index, item);
                }
                // Every maker is gone without making `expected`: one panicked, and the scope
                // re-raises that panic when it joins them.
                Err(mpsc::RecvError) => return Ok(()),
            }
        };
        take(item?)?;
        claims.lock().unwrap_or_else(PoisonError::into_inner).handed = expected + 1;
        changed.notify_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn items_arrive_in_order_whatever_order_they_are_made_in() {
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let result: Result<(), String> = in_order(
                20,
                threads,
                |index| {
                    // later items finish first
                    std::thread::sleep(Duration::from_micros(((20 - index) * 200) as u64));
                    Ok(index * 10)
                },
                |item| {
                    seen.push(item);
                    Ok(())
                },
            );
            assert_eq!(result, Ok(()));
            assert_eq!(
                seen,
                (0..20).map(|i| i * 10).collect::<Vec<_>>(),
                "{threads}"
            );
        }
    }

    #[test]
    fn no_more_than_threads_items_are_made_ahead_of_the_one_taken() {
        let made = AtomicUsize::new(0);
        let mut most_ahead = 0;
        let mut taken = 0;
        let result: Result<(), ()> = in_order(
            30,
            3,
            |index| {
                made.fetch_add(1, Ordering::SeqCst);
                Ok(index)
            },
            |_| {
                // give the makers time to run as far ahead as they may
                std::thread::sleep(Duration::from_millis(2));
                taken += 1;
                most_ahead = most_ahead.max(made.load(Ordering::SeqCst) - taken);
                Ok(())
            },
        );
        assert_eq!(result, Ok(()));
        assert_eq!(taken, 30);
        assert!(most_ahead <= 3, "made {most_ahead} ahead");
        assert!(most_ahead >= 1, "the makers never ran ahead");
    }

    #[test]
    fn the_first_error_in_order_stops_the_run() {
        let made = AtomicUsize::new(0);
        let mut taken = Vec::new();
        let result = in_order(
            100,
            2,
            |index| {
                made.fetch_add(1, Ordering::SeqCst);
                if index == 5 || index == 6 {
                    Err(format!("item {index}"))
                } else {
                    Ok(index)
                }
            },
            |item| {
                taken.push(item);
                Ok(())
            },
        );
        assert_eq!(result, Err("item 5".to_owned()));
        assert_eq!(taken, vec![0, 1, 2, 3, 4]);
        assert!(made.load(Ordering::SeqCst) <= 8);
    }

    #[test]
    fn an_error_of_the_taker_stops_the_makers() {
        let made = AtomicUsize::new(0);
        let result = in_order(
            1_000,
            4,
            |index| {
                made.fetch_add(1, Ordering::SeqCst);
                Ok::<usize, String>(index)
            },
            |item| {
                if item == 2 {
                    Err("disk full".to_owned())
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("disk full".to_owned()));
        assert!(made.load(Ordering::SeqCst) <= 2 + 1 + 4);
    }

    #[test]
    fn nothing_to_make_is_no_error() {
        let result: Result<(), ()> = in_order(0, 4, |_| Ok(()), |()| Ok(()));
        assert_eq!(result, Ok(()));
    }
}
