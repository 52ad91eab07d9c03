//! The reference's merge rules, applied while records arrive in any order: label each row with
//! its pipeline, keep failed fits apart, keep the latest successful fit per (`nwb_name`,
//! `agent_alias`) across both pipelines, and count what was replaced or skipped.
//!
//! Pages of a load arrive concurrently, so every record carries its [`Rank`], the place it has
//! in the order the reference reads (framework first, then Han's pipeline; query batches in
//! order; `_id` order within). Ties are broken by rank, so the result is the same whatever order
//! the pages came in, and the same as merging everything at once.

use std::cmp::Reverse;
use std::sync::Arc;

use serde_json::Value;

use super::normalize::normalize_record;
use super::rows::{FitRow, FitTable, Skipped};
use super::schema::Pipeline;
use crate::hash::{FastMap, FastSet};
use crate::sort::sorted_positions;

/// Where a record stands in the reference's reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank {
    pub pipeline: Pipeline,
    /// The query batch (long subject lists are split into several queries).
    pub batch: u32,
    /// Position in `_id` order among the batch's matches.
    pub pos: u64,
}

/// Newest analysis first, unreadable times last, then reading order.
fn order(rank: Rank, row: &FitRow) -> (Reverse<Option<i64>>, Rank) {
    (Reverse(row.analysis_micros), rank)
}

/// Rows merged so far; [`Merger::table`] takes a snapshot at any time.
#[derive(Debug, Default)]
pub struct Merger {
    best: FastMap<(String, String), (Rank, Arc<FitRow>)>,
    failed: Vec<(Rank, Arc<FitRow>)>,
    skipped: Vec<(Rank, Skipped)>,
    successes: usize,
    received: usize,
    /// (pipeline, batch, raw `_id`) of every record taken, to drop one read twice (skip paging
    /// over a collection that changes while it is read).
    seen: FastSet<(Pipeline, u32, String)>,
    /// Records dropped because they were read twice.
    pub repeated: usize,
}

impl Merger {
    pub fn new() -> Merger {
        Merger::default()
    }

    /// One projected record, with notes from parsing it (repairs) that become row warnings.
    pub fn add(&mut self, rank: Rank, rec: &Value, notes: &[String]) {
        if let Some(id) = rec.get("_id") {
            // Text ids as they are; others as JSON, marked so that they never equal a text id.
            let raw = match id {
                Value::String(s) => s.clone(),
                other => format!("\u{0}{other}"),
            };
            if !self.seen.insert((rank.pipeline, rank.batch, raw)) {
                self.repeated += 1;
                return;
            }
        }
        self.received += 1;
        let row = match normalize_record(rec, rank.pipeline) {
            Ok(mut row) => {
                row.warnings.extend(notes.iter().cloned());
                row
            }
            Err(skip) => {
                self.skipped.push((rank, skip));
                return;
            }
        };
        if !row.is_success() {
            self.failed.push((rank, Arc::new(row)));
            return;
        }
        self.successes += 1;
        let key = (row.nwb_name.clone(), row.agent_alias.clone());
        match self.best.get(&key) {
            Some((r, kept)) if order(*r, kept) <= order(rank, &row) => {}
            _ => {
                self.best.insert(key, (rank, Arc::new(row)));
            }
        }
    }

    /// A record that arrived but could not be read at all.
    pub fn unreadable(&mut self, rank: Rank, id: Option<String>, reason: &str) {
        self.received += 1;
        self.skipped.push((
            rank,
            Skipped {
                pipeline: rank.pipeline,
                id,
                reason: format!("it could not be read ({reason})"),
            },
        ));
    }

    /// The table as it stands: successful rows newest first, then failed rows newest first;
    /// keys unique in reading order (`_id`, then `_id~2`, ...).
    pub fn table(&self) -> FitTable {
        fn newest_first(list: Vec<&(Rank, Arc<FitRow>)>) -> Vec<&(Rank, Arc<FitRow>)> {
            let positions = sorted_positions(list.len(), &|a, b| {
                order(list[a].0, &list[a].1).cmp(&order(list[b].0, &list[b].1))
            });
            positions.into_iter().map(|i| list[i]).collect()
        }
        let success = newest_first(self.best.values().collect());
        let failed = newest_first(self.failed.iter().collect());
        let n_success = success.len();
        let ranked: Vec<&(Rank, Arc<FitRow>)> = success.into_iter().chain(failed).collect();
        let mut rows: Vec<Arc<FitRow>> = ranked.iter().map(|(_, r)| r.clone()).collect();
        let by_rank = sorted_positions(rows.len(), &|a, b| ranked[a].0.cmp(&ranked[b].0));
        let mut used: FastMap<String, usize> = FastMap::default();
        for i in by_rank {
            let n = used.entry(rows[i].id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                Arc::make_mut(&mut rows[i]).key = format!("{}~{n}", rows[i].id);
            }
        }
        let skipped = sorted_positions(self.skipped.len(), &|a, b| {
            self.skipped[a].0.cmp(&self.skipped[b].0)
        });
        FitTable {
            rows,
            n_success,
            superseded: self.successes - self.best.len(),
            skipped: skipped
                .into_iter()
                .map(|i| self.skipped[i].1.clone())
                .collect(),
            received: self.received,
        }
    }
}

/// Merges the records of both formats at once (each list in `_id` order).
pub fn merge(framework: &[Value], han: &[Value]) -> FitTable {
    let mut m = Merger::new();
    for (pipeline, records) in [(Pipeline::Framework, framework), (Pipeline::Han, han)] {
        for (pos, rec) in records.iter().enumerate() {
            let rank = Rank {
                pipeline,
                batch: 0,
                pos: pos as u64,
            };
            m.add(rank, rec, &[]);
        }
    }
    m.table()
}

#[cfg(test)]
mod tests;
