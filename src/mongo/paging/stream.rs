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

    /// The count as far as this read goes.
    fn wanted(&self, count: Option<u64>) -> Option<u64> {
        match (count, self.limit) {
            (Some(c), Some(l)) => Some(c.min(l)),
            (c, _) => c,
        }
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
        let count = self.wanted(count);
        let expected = count.map(|c| c.min(self.config.first_limit));
        // No count, no split: the first range is the whole read, until an empty page.
        let mut range = self.range(0, expected);
        range.on_page(first_ids);
        range
    }

    /// A range from a position, holding `expected` records (`None`: until an empty page).
    fn range(&self, start_pos: u64, expected: Option<u64>) -> RangePlan {
        RangePlan {
            filter: self.filter.clone(),
            projection: self.projection.clone(),
            mode: Mode::Keyset,
            start_pos,
            expected,
            after: None,
            // Ranges have no end id: they ask for the records they have left.
            limited: expected.is_some(),
            received: 0,
            probing: false,
            done: false,
            lost: Vec::new(),
        }
    }

    /// The ranges after the first `first_limit` records, of about equal size.
    pub fn pending(&self, count: Option<u64>) -> Vec<Pending> {
        let Some(count) = self.wanted(count) else {
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
    /// position, when its ids do not allow keyset paging).
    pub fn ranges(&self, pending: &[Pending]) -> Vec<RangePlan> {
        pending
            .iter()
            .map(|p| self.range(p.start_pos, Some(p.expected)))
            .collect()
    }
}
