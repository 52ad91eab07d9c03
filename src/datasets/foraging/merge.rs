//! The reference's merge rules, applied while records arrive in any order: label each row with
//! its pipeline, keep failed fits apart, keep the latest successful fit per (`nwb_name`,
//! `agent_alias`) across both pipelines, and count what was replaced or skipped.
//!
//! Pages of a load arrive concurrently, so every record carries its [`Rank`], the place it has
//! in the order the reference reads (framework first, then Han's pipeline; query batches in
//! order; `_id` order within). Ties are broken by rank, so the result is the same whatever order
//! the pages came in, and the same as merging everything at once.

use std::cmp::Reverse;
use std::collections::hash_map::Entry as Slot;
use std::sync::Arc;

use serde_json::Value;

use super::normalize::normalize_fit;
use super::record::FitRecord;
use super::rows::{FitRow, FitTable, Skipped};
use super::schema::Pipeline;
use crate::hash::FastMap;
use crate::mongo::records::Record;
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

/// What became of a record.
#[derive(Debug)]
enum Outcome {
    Row(Arc<FitRow>),
    Skipped(Skipped),
}

#[derive(Debug)]
struct Entry {
    rank: Rank,
    /// The `_id` was not text (an ObjectId, say), though it reads as text in the row.
    typed_id: bool,
    outcome: Outcome,
}

/// A record's identity in a load: its format, its query batch and its raw `_id` (marked when
/// not text, so that an ObjectId and a string with the same hex stay two records).
type Identity = (Pipeline, u32, String);

/// Rows merged so far; [`Merger::table`] takes a snapshot at any time.
#[derive(Debug, Default)]
pub struct Merger {
    /// Every record by identity. A record read twice (skip paging over a collection that
    /// changes while it is read) keeps the copy earlier in reading order, whatever order the
    /// pages came in.
    records: FastMap<Identity, Entry>,
    /// Records dropped because they were read twice.
    pub repeated: usize,
}

impl Merger {
    pub fn new() -> Merger {
        Merger::default()
    }

    fn take(&mut self, identity: Identity, entry: Entry) {
        match self.records.get_mut(&identity) {
            Some(kept) => {
                self.repeated += 1;
                if entry.rank < kept.rank {
                    *kept = entry;
                }
            }
            None => {
                self.records.insert(identity, entry);
            }
        }
    }

    /// One projected record, with notes from parsing it (repairs) that become row warnings.
    pub fn add(&mut self, rank: Rank, rec: FitRecord, notes: Vec<String>) {
        let (raw, typed_id) = match rec.id() {
            Some(Value::String(s)) => (s.clone(), false),
            Some(other) => (format!("\u{0}{other}"), true),
            // No id: nothing to recognise a second copy by; the record is skipped anyway.
            None => (format!("\u{1}{}", rank.pos), false),
        };
        let outcome = match normalize_fit(rec, rank.pipeline) {
            Ok(mut row) => {
                row.warnings.extend(notes);
                Outcome::Row(Arc::new(row))
            }
            Err(skip) => Outcome::Skipped(skip),
        };
        let entry = Entry {
            rank,
            typed_id,
            outcome,
        };
        self.take((rank.pipeline, rank.batch, raw), entry);
    }

    /// A record that arrived but could not be read at all.
    pub fn unreadable(&mut self, rank: Rank, id: Option<String>, reason: &str) {
        let skip = Skipped {
            pipeline: rank.pipeline,
            id,
            reason: format!("it could not be read ({reason})"),
        };
        let entry = Entry {
            rank,
            typed_id: false,
            outcome: Outcome::Skipped(skip),
        };
        self.take(
            (rank.pipeline, rank.batch, format!("\u{1}{}", rank.pos)),
            entry,
        );
    }

    /// The table as it stands: successful rows (the latest per session and model) newest
    /// first, then failed rows newest first, each with a key of its own (see [`row_keys`]).
    pub fn table(&self) -> FitTable {
        // The kept fit per (session, model); every success that loses to another is superseded.
        let mut best: FastMap<(&str, &str), (&Entry, &FitRow)> = FastMap::default();
        best.reserve(self.records.len());
        let (mut failed, mut skipped, mut superseded) = (Vec::new(), Vec::new(), Vec::new());
        for e in self.records.values() {
            match &e.outcome {
                Outcome::Row(row) if row.is_success() => {
                    match best.entry((row.nwb_name.as_str(), row.agent_alias.as_str())) {
                        Slot::Vacant(v) => {
                            v.insert((e, row));
                        }
                        Slot::Occupied(mut o) => {
                            let (kept, kept_row) = *o.get();
                            let loser = if order(e.rank, row) < order(kept.rank, kept_row) {
                                o.insert((e, row)).0
                            } else {
                                e
                            };
                            superseded.push(loser);
                        }
                    }
                }
                Outcome::Row(_) => failed.push(e),
                Outcome::Skipped(_) => skipped.push(e),
            }
        }
        // The keys are read once, side by side: comparing through the entries would reach into
        // every row (scattered in memory) twice per comparison, the slowest part of a snapshot.
        fn newest_first(list: Vec<&Entry>) -> Vec<&Entry> {
            let keys: Vec<_> = list
                .iter()
                .map(|e| match &e.outcome {
                    Outcome::Row(r) => order(e.rank, r),
                    Outcome::Skipped(_) => (Reverse(None), e.rank),
                })
                .collect();
            let positions = sorted_positions(list.len(), &|a, b| keys[a].cmp(&keys[b]));
            positions.into_iter().map(|i| list[i]).collect()
        }
        let n_success = best.len();
        let superseded = newest_first(superseded)
            .into_iter()
            .filter_map(|e| match &e.outcome {
                Outcome::Row(r) => Some(r.clone()),
                Outcome::Skipped(_) => None,
            })
            .collect();
        let ranked: Vec<&Entry> = newest_first(best.into_values().map(|(e, _)| e).collect())
            .into_iter()
            .chain(newest_first(failed))
            .collect();
        let rows = row_keys(&ranked);
        let skipped_order =
            sorted_positions(skipped.len(), &|a, b| skipped[a].rank.cmp(&skipped[b].rank));
        FitTable {
            rows,
            n_success,
            superseded,
            skipped: skipped_order
                .into_iter()
                .filter_map(|i| match &skipped[i].outcome {
                    Outcome::Skipped(s) => Some(s.clone()),
                    Outcome::Row(_) => None,
                })
                .collect(),
            received: self.records.len(),
        }
    }
}

/// Each row's key: its `_id`, unless another row shares that text. Then the key says what
/// sets the row apart, so that it stays the same when other rows come and go: `~han` for Han's
/// copy of a record both formats matched, `~oid` for an ObjectId next to a text id, `~b2` for
/// a later query batch. Anything still shared (or equal to another row's key) gets `~2`, `~3`
/// in reading order.
fn row_keys(entries: &[&Entry]) -> Vec<Arc<FitRow>> {
    let row = |e: &Entry| match &e.outcome {
        Outcome::Row(r) => r.clone(),
        Outcome::Skipped(_) => unreachable!("only rows are keyed"),
    };
    let mut rows: Vec<Arc<FitRow>> = entries.iter().map(|e| row(e)).collect();
    // Usually every `_id` is distinct: then each key is its `_id`, and nothing more is needed.
    let mut times: FastMap<&str, u32> = FastMap::default();
    times.reserve(rows.len());
    let mut shared = false;
    for r in &rows {
        let n = times.entry(r.id.as_str()).or_insert(0);
        *n += 1;
        shared |= *n > 1;
    }
    if !shared {
        for r in &mut rows {
            if r.key != r.id {
                Arc::make_mut(r).key = r.id.clone();
            }
        }
        return rows;
    }
    let mut groups: FastMap<&str, Vec<usize>> = FastMap::default();
    for (i, r) in rows.iter().enumerate() {
        if times[r.id.as_str()] > 1 {
            groups.entry(r.id.as_str()).or_default().push(i);
        }
    }
    let mut keys: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    for members in groups.values().filter(|m| m.len() > 1) {
        let pipelines = members
            .iter()
            .any(|&i| entries[i].rank.pipeline == Pipeline::Framework)
            && members
                .iter()
                .any(|&i| entries[i].rank.pipeline == Pipeline::Han);
        let kinds = members.iter().any(|&i| entries[i].typed_id)
            && members.iter().any(|&i| !entries[i].typed_id);
        let batches = members
            .iter()
            .any(|&i| entries[i].rank.batch != entries[members[0]].rank.batch);
        for &i in members {
            let e = entries[i];
            let key = &mut keys[i];
            if pipelines && e.rank.pipeline == Pipeline::Han {
                key.push_str("~han");
            }
            if kinds && e.typed_id {
                key.push_str("~oid");
            }
            if batches && e.rank.batch > 0 {
                key.push_str(&format!("~b{}", e.rank.batch + 1));
            }
        }
    }
    let by_rank = sorted_positions(entries.len(), &|a, b| entries[a].rank.cmp(&entries[b].rank));
    let mut used: FastMap<String, usize> = FastMap::default();
    for &i in &by_rank {
        *used.entry(keys[i].clone()).or_insert(0) += 1;
    }
    let mut seen: FastMap<String, usize> = FastMap::default();
    for i in by_rank {
        let k = keys[i].clone();
        if used[&k] > 1 {
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                let mut m = *n;
                while used.contains_key(&format!("{k}~{m}")) {
                    m += 1;
                }
                keys[i] = format!("{k}~{m}");
                used.insert(keys[i].clone(), 1);
            }
        }
    }
    for (r, k) in rows.iter_mut().zip(keys) {
        if r.key != k {
            Arc::make_mut(r).key = k;
        }
    }
    rows
}

/// Merges the records of both formats at once (each list in `_id` order), given as JSON values.
pub fn merge(framework: &[Value], han: &[Value]) -> FitTable {
    let records = |list: &[Value]| list.iter().map(|v| FitRecord::from(v.clone())).collect();
    merge_records(records(framework), records(han))
}

/// Merges the records of both formats at once (each list in `_id` order).
pub fn merge_records(framework: Vec<FitRecord>, han: Vec<FitRecord>) -> FitTable {
    let mut m = Merger::new();
    for (pipeline, records) in [(Pipeline::Framework, framework), (Pipeline::Han, han)] {
        for (pos, rec) in records.into_iter().enumerate() {
            let rank = Rank {
                pipeline,
                batch: 0,
                pos: pos as u64,
            };
            m.add(rank, rec, Vec::new());
        }
    }
    m.table()
}

#[cfg(test)]
mod tests;
