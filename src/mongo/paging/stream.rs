//! How a whole read starts and splits: the first request (sent with the count), the first
//! range, and the ranges after it.

use serde_json::Value;

use super::{IdKey, Mode, PagingConfig, RangePlan};
use crate::mongo::params::FindParams;

/// A range after the first page, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub start_pos: u64,
    pub expected: u64,
}

/// How a whole read starts and splits; see the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamPlan {
    pub filter: Value,
    pub projection: Option<Value>,
    pub config: PagingConfig,
    /// Read at most this many records (the first ones in `_id` order).
    pub limit: Option<u64>,
}

impl StreamPlan {
    pub fn new(filter: Value, projection: Option<Value>, config: PagingConfig) -> StreamPlan {
        StreamPlan {
            filter,
            projection,
            config,
            limit: None,
        }
    }

    /// The same plan, reading at most `limit` records.
    pub fn with_limit(self, limit: Option<u64>) -> StreamPlan {
        StreamPlan { limit, ..self }
    }

    /// The count as far as this read goes (the limit when there is no count).
    fn wanted(&self, count: Option<u64>) -> Option<u64> {
        match (count, self.limit) {
            (Some(c), Some(l)) => Some(c.min(l)),
            (None, Some(l)) => Some(l),
            (c, None) => c,
        }
    }

    /// Whether the user's limit, not the count, ends the read.
    fn capped(&self, count: Option<u64>) -> bool {
        match (self.limit, count) {
            (Some(l), Some(c)) => l <= c,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// A read of nothing (a limit of 0): nothing to ask for (`limit=0` would mean everything).
    pub fn is_empty(&self) -> bool {
        self.limit == Some(0)
    }

    /// The first request, sent together with `count_documents`.
    pub fn first_request(&self) -> FindParams {
        FindParams {
            limit: self
                .limit
                .map_or(self.config.first_limit, |l| l.min(self.config.first_limit)),
            ..FindParams::by_id(self.filter.clone(), self.projection.clone())
        }
    }

    /// The first range, after its first page (`first_ids`) and the count (`None` when the
    /// count could not be had: then the first range reads until an empty page and there is
    /// nothing else).
    pub fn first_range(&self, first_ids: &[IdKey], count: Option<u64>) -> RangePlan {
        let wanted = self.wanted(count);
        // Without a count (and a limit) there is no split: the first range is the whole read.
        let (expected, last) = match (count, wanted) {
            (Some(_), Some(w)) => (
                Some(w.min(self.config.first_limit)),
                w <= self.config.first_limit,
            ),
            (_, w) => (w, true),
        };
        let mut range = self.range(0, expected, last && !self.capped(count));
        range.on_page(first_ids);
        range
    }

    /// A range from a position, holding `expected` records (`None`: until an empty page);
    /// `open_end` for the last range of a read that no limit ends.
    fn range(&self, start_pos: u64, expected: Option<u64>, open_end: bool) -> RangePlan {
        RangePlan {
            filter: self.filter.clone(),
            projection: self.projection.clone(),
            mode: Mode::Keyset,
            start_pos,
            expected,
            after: None,
            // Ranges have no end id: they ask for the records they have left.
            limited: expected.is_some(),
            open_end,
            cut_seen: false,
            verify: false,
            received: 0,
            probing: false,
            done: false,
            lost: Vec::new(),
        }
    }

    /// The ranges after the first `first_limit` records, of about equal size.
    pub fn pending(&self, count: Option<u64>) -> Vec<Pending> {
        // Without a count nothing is split (even with a limit).
        let Some(count) = count.and(self.wanted(count)) else {
            return Vec::new();
        };
        let rest = count.saturating_sub(self.config.first_limit);
        if rest == 0 {
            return Vec::new();
        }
        let per = self.config.range_records.max(1);
        let n = rest
            .div_ceil(per)
            .clamp(1, self.config.max_ranges.max(1) as u64);
        (0..n)
            .map(|i| {
                let from = rest * i / n;
                let to = rest * (i + 1) / n;
                Pending {
                    start_pos: self.config.first_limit + from,
                    expected: to - from,
                }
            })
            .collect()
    }

    /// The pending ranges as plans: each starts at its position and goes on by `_id` (or by
    /// position, when its ids do not allow keyset paging). `count` as given to [`Self::pending`].
    pub fn ranges(&self, pending: &[Pending], count: Option<u64>) -> Vec<RangePlan> {
        let open = !self.capped(count);
        pending
            .iter()
            .enumerate()
            .map(|(i, p)| {
                self.range(
                    p.start_pos,
                    Some(p.expected),
                    open && i + 1 == pending.len(),
                )
            })
            .collect()
    }
}
