//! Page plans for reading every record a `find` filter matches, in `_id` order, through a
//! gateway that cuts each response to a payload cap (fewer records than asked, still HTTP 200).
//!
//! A read starts with `count_documents` and a first page of at most `first_limit` records, sent
//! together. The rest is split by position into ranges of about `range_records` records that
//! are read concurrently: a range's first request starts at its position (`skip=N`, once), and
//! when the gateway cuts it short, the range goes on after the last `_id` received (`_id > last`,
//! keyset paging, never a growing `skip`). That needs string ids in order; with anything else
//! (ObjectIds, numbers, mixed types, an `_id` that could not be read, ids out of order) the range
//! goes on by position. A page that comes back empty while the count says records remain is
//! stepped over with a probe for the next `_id`: a record too large for the payload cap is named
//! and counted, and reading goes on after it. Everything here is pure; `net::client` runs the
//! requests.

use serde_json::{json, Value};

use super::params::{with_id_condition, FindParams};

/// How a read is split. The defaults suit the real gateway (a ~6 MB payload cap, records of a
/// few KB): a quick first page, then ranges that each fit one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagingConfig {
    /// Records asked for by the first request (the first rows on screen).
    pub first_limit: u64,
    /// Records per range after the first page.
    pub range_records: u64,
    /// At most this many ranges after the first page.
    pub max_ranges: usize,
}

impl Default for PagingConfig {
    fn default() -> Self {
        PagingConfig {
            first_limit: 1000,
            range_records: 3000,
            max_ranges: 16,
        }
    }
}

/// The `_id` of one element of a page, as far as paging cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdKey {
    /// A plain string id: keyset paging works.
    Str(String),
    /// Any other id (ObjectId, number, ...), as text for messages.
    Other(String),
    /// The element could not be read, nor its id.
    Unknown,
}

impl IdKey {
    pub fn of(id: Option<&Value>) -> IdKey {
        match id {
            Some(Value::String(s)) => IdKey::Str(s.clone()),
            Some(Value::Object(m)) => match m.get("$oid").and_then(Value::as_str) {
                Some(hex) => IdKey::Other(format!("ObjectId({hex})")),
                None => IdKey::Other(Value::Object(m.clone()).to_string()),
            },
            Some(v) => IdKey::Other(v.to_string()),
            None => IdKey::Unknown,
        }
    }

    /// The id as people read it.
    pub fn text(&self) -> Option<&str> {
        match self {
            IdKey::Str(s) | IdKey::Other(s) => Some(s),
            IdKey::Unknown => None,
        }
    }
}

/// Keyset ranges need string ids in strictly increasing order (the order of `sort _id`).
fn keyset_friendly(after: Option<&str>, ids: &[IdKey]) -> bool {
    let mut last = after;
    for id in ids {
        match id {
            IdKey::Str(s) if last.is_none_or(|l| l < s.as_str()) => last = Some(s),
            _ => return false,
        }
    }
    true
}

/// A record the plan knows exists but that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub id: Option<String>,
    pub reason: LostReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LostReason {
    /// The API answered an empty page where this record was: it is larger than the response
    /// size limit.
    TooLarge,
    /// Counted by `count_documents` but never returned (the collection changed while loading).
    NotReturned(u64),
    /// The requests for this many records failed, with the error (`None`: how many is not
    /// known, there was no count).
    Failed(Option<u64>, String),
}

impl Lost {
    /// How many records this stands for.
    pub fn records(&self) -> u64 {
        match self.reason {
            LostReason::TooLarge => 1,
            LostReason::NotReturned(n) | LostReason::Failed(Some(n), _) => n,
            LostReason::Failed(None, _) => 0,
        }
    }
}

impl std::fmt::Display for LostReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LostReason::TooLarge => {
                write!(f, "larger than the API's response size limit")
            }
            LostReason::NotReturned(n) => write!(
                f,
                "{n} record{} counted but not returned (the collection may have changed while loading)",
                if *n == 1 { " was" } else { "s were" }
            ),
            LostReason::Failed(Some(n), e) => write!(
                f,
                "{n} record{} could not be loaded: {e}",
                if *n == 1 { "" } else { "s" }
            ),
            LostReason::Failed(None, e) => {
                write!(f, "the rest of the records could not be loaded: {e}")
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Keyset,
    Skip,
}

/// The next request of a range.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Records: run it and report the page with [`RangePlan::on_page`].
    Fetch(FindParams),
    /// The next `_id` only (after an empty page): report it with [`RangePlan::on_probe`].
    Probe(FindParams),
    Done,
}

/// One range of a read: a contiguous run of records in `_id` order, read page after page.
#[derive(Debug, Clone, PartialEq)]
pub struct RangePlan {
    filter: Value,
    projection: Option<Value>,
    pub mode: Mode,
    /// Position (in `_id` order among all matches) of the range's first record.
    pub start_pos: u64,
    /// Records the count puts in this range; `None` (no count) reads until an empty page.
    pub expected: Option<u64>,
    /// Keyset: the last id received (the next page starts after it).
    after: Option<String>,
    /// Ask for at most the records left in the range (ranges have no end id).
    limited: bool,
    /// No range follows this one and no user limit ends it: the count may be low, so it asks
    /// for one record more than it expects, and reads on when that one comes.
    open_end: bool,
    /// An open-ended range whose pages were cut before: the count was reached on a cut page,
    /// so one more request makes sure nothing follows.
    cut_seen: bool,
    verify: bool,
    /// Positions consumed so far: records, unreadable elements and lost records.
    pub received: u64,
    probing: bool,
    done: bool,
    pub lost: Vec<Lost>,
}

impl RangePlan {
    /// Where the next page starts, as a position.
    pub fn next_pos(&self) -> u64 {
        self.start_pos + self.received
    }

    fn left(&self) -> Option<u64> {
        self.expected.map(|e| e.saturating_sub(self.received))
    }

    /// A request failed for good: what the range had left is lost with the error, and the
    /// range ends.
    pub fn on_failure(&mut self, error: String) {
        let left = self.left();
        if left != Some(0) {
            self.lost.push(Lost {
                id: None,
                reason: LostReason::Failed(left, error),
            });
        }
        self.done = true;
    }

    pub fn is_done(&self) -> bool {
        self.done || (self.left() == Some(0) && !self.verify)
    }

    /// The limit of the next request (0: none).
    fn ask(&self) -> u64 {
        if self.limited {
            self.left().unwrap_or(0) + u64::from(self.open_end)
        } else {
            0
        }
    }

    fn params(&self, probe: bool) -> FindParams {
        // Keyset paging needs an anchor: an id to go on after (or the very start).
        let (filter, skip) = match (&self.after, self.mode) {
            (Some(after), Mode::Keyset) => {
                (with_id_condition(&self.filter, json!({ "$gt": after })), 0)
            }
            _ => (self.filter.clone(), self.next_pos()),
        };
        let limit = if probe { 1 } else { self.ask() };
        FindParams {
            filter,
            projection: if probe {
                Some(json!({"_id": 1}))
            } else {
                self.projection.clone()
            },
            sort: Some(json!({"_id": 1})),
            limit,
            skip,
        }
    }

    pub fn next(&self) -> Step {
        if self.is_done() {
            Step::Done
        } else if self.probing {
            Step::Probe(self.params(true))
        } else {
            Step::Fetch(self.params(false))
        }
    }

    /// A page of records arrived: `ids` are the `_id`s of its elements in order (unreadable
    /// elements included, as [`IdKey::Unknown`] when their id could not be read either).
    pub fn on_page(&mut self, ids: &[IdKey]) {
        let asked = self.ask();
        if ids.is_empty() && self.verify {
            self.done = true;
            return;
        }
        if ids.is_empty() {
            match self.left() {
                // Without a count an empty page is the end, as in the reference client.
                None => self.done = true,
                Some(0) => {}
                Some(_) => self.probing = true,
            }
            return;
        }
        if self.mode == Mode::Keyset && !keyset_friendly(self.after.as_deref(), ids) {
            self.switch_to_skip();
        }
        self.received += ids.len() as u64;
        if let Some(IdKey::Str(last)) = ids.last() {
            self.after = Some(last.clone());
        }
        if self.open_end && self.expected.is_some_and(|e| self.received > e) {
            // More than the count said: read on until an empty page, as the reference does.
            self.expected = None;
            self.limited = false;
            self.verify = false;
            return;
        }
        let short = asked > 0 && (ids.len() as u64) < asked;
        match self.left() {
            Some(0) if self.open_end && short && self.cut_seen => self.verify = true,
            Some(0) => self.verify = false,
            Some(_) if short => self.cut_seen = true,
            _ => {}
        }
    }

    /// The next `_id` after an empty page: `None` means the range has nothing more.
    pub fn on_probe(&mut self, id: Option<IdKey>) {
        self.probing = false;
        match id {
            Some(id) => {
                if self.mode == Mode::Keyset {
                    match &id {
                        IdKey::Str(s) if self.after.as_deref().is_none_or(|a| a < s.as_str()) => {
                            self.after = Some(s.clone())
                        }
                        _ => self.switch_to_skip(),
                    }
                }
                self.lost.push(Lost {
                    id: id.text().map(str::to_string),
                    reason: LostReason::TooLarge,
                });
                self.received += 1;
            }
            None => {
                // `_id > "text"` matches text only: records with other id types (ObjectIds
                // sort after text) are found by position.
                if self.mode == Mode::Keyset && self.left().is_some_and(|n| n > 0) {
                    self.switch_to_skip();
                    return;
                }
                if let Some(n) = self.left().filter(|n| *n > 0) {
                    self.lost.push(Lost {
                        id: None,
                        reason: LostReason::NotReturned(n),
                    });
                }
                self.done = true;
            }
        }
    }

    fn switch_to_skip(&mut self) {
        self.mode = Mode::Skip;
        self.limited = self.expected.is_some();
    }
}

mod stream;
pub use stream::{Pending, StreamPlan};

#[cfg(test)]
mod tests;
