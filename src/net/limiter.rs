//! Bounded, adaptive concurrency: a few requests in flight, fewer after the server says 429.
//!
//! The limit starts at `max`; a 429 halves it (never below 1; a burst of 429s answering the
//! requests already in flight halves it once) and each run of `max` successes raises it by one
//! again. Waiters are served first come, first served. Single-threaded (the
//! browser's event loop), so plain cells suffice.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The limit arithmetic, pure so it is tested on the host.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptiveLimit {
    pub max: usize,
    pub limit: usize,
    successes: usize,
    /// When the limit was last halved (milliseconds).
    halved_at: Option<f64>,
}

/// 429s within this time of a halving count as the same burst.
const BURST_MS: f64 = 1000.0;

impl AdaptiveLimit {
    pub fn new(max: usize) -> AdaptiveLimit {
        let max = max.max(1);
        AdaptiveLimit {
            max,
            limit: max,
            successes: 0,
            halved_at: None,
        }
    }

    pub fn on_throttled(&mut self, now_ms: f64) {
        self.successes = 0;
        if self.halved_at.is_some_and(|t| now_ms - t < BURST_MS) {
            return;
        }
        self.limit = (self.limit / 2).max(1);
        self.halved_at = Some(now_ms);
    }

    pub fn on_success(&mut self) {
        if self.limit < self.max {
            self.successes += 1;
            if self.successes >= self.max {
                self.limit += 1;
                self.successes = 0;
            }
        }
    }
}

struct Inner {
    limit: Cell<AdaptiveLimit>,
    in_flight: Cell<usize>,
    waiters: RefCell<VecDeque<(u64, Waker)>>,
    next_ticket: Cell<u64>,
    /// The most requests that were ever in flight at once (for the benchmark).
    peak: Cell<usize>,
}

/// Shared by every request of one load.
#[derive(Clone)]
pub struct Limiter(Rc<Inner>);

impl Limiter {
    pub fn new(max: usize) -> Limiter {
        Limiter(Rc::new(Inner {
            limit: Cell::new(AdaptiveLimit::new(max)),
            in_flight: Cell::new(0),
            waiters: RefCell::new(VecDeque::new()),
            next_ticket: Cell::new(0),
            peak: Cell::new(0),
        }))
    }

    /// Waits for a slot; the slot is given back when the permit is dropped.
    pub fn acquire(&self) -> Acquire {
        let ticket = self.0.next_ticket.get();
        self.0.next_ticket.set(ticket + 1);
        Acquire {
            limiter: self.clone(),
            ticket,
            queued: false,
        }
    }

    pub fn throttled(&self) {
        let mut l = self.0.limit.get();
        l.on_throttled(super::perf::now());
        self.0.limit.set(l);
    }

    pub fn succeeded(&self) {
        let mut l = self.0.limit.get();
        l.on_success();
        self.0.limit.set(l);
        self.wake_next();
    }

    pub fn peak(&self) -> usize {
        self.0.peak.get()
    }

    fn has_room(&self) -> bool {
        self.0.in_flight.get() < self.0.limit.get().limit
    }

    fn wake_next(&self) {
        if self.has_room() {
            if let Some((_, w)) = self.0.waiters.borrow().front() {
                w.wake_by_ref();
            }
        }
    }
}

/// The future of [`Limiter::acquire`].
pub struct Acquire {
    limiter: Limiter,
    ticket: u64,
    queued: bool,
}

impl Future for Acquire {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        let inner = self.limiter.0.clone();
        let first_in_line = inner
            .waiters
            .borrow()
            .front()
            .is_none_or(|(t, _)| *t == self.ticket);
        if self.limiter.has_room() && first_in_line {
            if self.queued {
                inner.waiters.borrow_mut().pop_front();
                self.queued = false;
            }
            inner.in_flight.set(inner.in_flight.get() + 1);
            inner.peak.set(inner.peak.get().max(inner.in_flight.get()));
            // The next in line may fit too.
            self.limiter.wake_next();
            return Poll::Ready(Permit(self.limiter.clone()));
        }
        let mut waiters = inner.waiters.borrow_mut();
        match waiters.iter_mut().find(|(t, _)| *t == self.ticket) {
            Some(entry) => entry.1 = cx.waker().clone(),
            None => waiters.push_back((self.ticket, cx.waker().clone())),
        }
        self.queued = true;
        Poll::Pending
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        // A cancelled wait leaves the line.
        if self.queued {
            let ticket = self.ticket;
            self.limiter
                .0
                .waiters
                .borrow_mut()
                .retain(|(t, _)| *t != ticket);
            self.limiter.wake_next();
        }
    }
}

/// One slot; dropping it lets the next request go.
pub struct Permit(Limiter);

impl Drop for Permit {
    fn drop(&mut self) {
        let inner = &self.0 .0;
        inner.in_flight.set(inner.in_flight.get().saturating_sub(1));
        self.0.wake_next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    #[test]
    fn limit_halves_on_429_and_recovers() {
        let mut l = AdaptiveLimit::new(4);
        l.on_throttled(0.0);
        assert_eq!(l.limit, 2);
        // The other requests of the same burst: no further halving.
        l.on_throttled(10.0);
        l.on_throttled(900.0);
        assert_eq!(l.limit, 2);
        l.on_throttled(1500.0);
        assert_eq!(l.limit, 1);
        l.on_throttled(3000.0);
        assert_eq!(l.limit, 1);
        for _ in 0..4 {
            l.on_success();
        }
        assert_eq!(l.limit, 2);
        for _ in 0..8 {
            l.on_success();
        }
        assert_eq!(l.limit, 4);
        for _ in 0..20 {
            l.on_success();
        }
        assert_eq!(l.limit, 4);
        assert_eq!(AdaptiveLimit::new(0).limit, 1);
    }

    #[test]
    fn never_more_in_flight_than_the_limit() {
        let mut pool = LocalPool::new();
        let limiter = Limiter::new(3);
        let done = Rc::new(Cell::new(0));
        let mut releases = Vec::new();
        for _ in 0..10 {
            let (tx, rx) = futures::channel::oneshot::channel::<()>();
            releases.push(tx);
            let (limiter, done) = (limiter.clone(), done.clone());
            pool.spawner()
                .spawn_local(async move {
                    let _permit = limiter.acquire().await;
                    // Hold the slot until the test releases it.
                    let _ = rx.await;
                    done.set(done.get() + 1);
                })
                .unwrap();
        }
        pool.run_until_stalled();
        assert_eq!(limiter.0.in_flight.get(), 3);
        for (i, tx) in releases.into_iter().enumerate() {
            tx.send(()).unwrap();
            pool.run_until_stalled();
            assert!(limiter.0.in_flight.get() <= 3);
            assert_eq!(done.get(), i + 1);
        }
        assert_eq!(limiter.peak(), 3);
        assert_eq!(limiter.0.in_flight.get(), 0);
    }

    #[test]
    fn a_wait_given_up_leaves_the_line() {
        use futures::task::noop_waker_ref;
        use std::future::Future;
        let limiter = Limiter::new(1);
        let mut cx = Context::from_waker(noop_waker_ref());
        let mut first = Box::pin(limiter.acquire());
        let Poll::Ready(permit) = first.as_mut().poll(&mut cx) else {
            panic!("the first gets the slot")
        };
        let mut second = Box::pin(limiter.acquire());
        let mut third = Box::pin(limiter.acquire());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        assert!(third.as_mut().poll(&mut cx).is_pending());
        drop(second);
        drop(permit);
        assert!(
            third.as_mut().poll(&mut cx).is_ready(),
            "the next in line takes the slot"
        );
        assert!(limiter.0.waiters.borrow().is_empty());
    }
}
