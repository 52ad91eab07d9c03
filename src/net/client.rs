//! Reading any collection through the gateway: `count_documents`, single pages, and complete
//! reads that follow a [`StreamPlan`] (a first page together with the count, then concurrent
//! keyset or skip ranges, stepping over records the gateway cannot return). Pages are parsed
//! resiliently and handed over as they arrive, so the caller can show rows before the end.

use std::rc::Rc;

use futures::future::{join_all, try_join, FutureExt, LocalBoxFuture};
use serde_json::Value;

use super::error::{FetchError, FetchErrorKind};
use super::http::{get_text, Cancel};
use super::limiter::Limiter;
use super::perf::{self, Phase};
use crate::mongo::json::{parse_lenient, preview};
use crate::mongo::paging::{IdKey, Lost, Mode, RangePlan, Step, StreamPlan};
use crate::mongo::params::{Collection, FindParams, MAX_URL_BYTES};
use crate::mongo::records::{parse_records, ParsedPage, Record};

/// Requests in flight at once for one load: a few, as browsers and the gateway like it.
pub const MAX_IN_FLIGHT: usize = 6;

/// One collection, the cancel token of the current load, and its concurrency limit.
#[derive(Clone)]
pub struct Client {
    pub collection: Collection,
    pub cancel: Cancel,
    pub limiter: Limiter,
}

/// A record that arrived but could not be read (it still takes a position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub pos: u64,
    pub id: Option<String>,
    pub reason: String,
}

/// What a read reports while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadEvent<T = Value> {
    /// `count_documents` answered (or not).
    Count(Option<u64>),
    Page(Page<T>),
}

/// One page as it arrived, with each record's position in `_id` order among all the matches
/// of its read (so that pages arriving in any order can be put back in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T = Value> {
    pub records: Vec<(u64, T)>,
    /// Repairs made while parsing, by index into `records`.
    pub repairs: Vec<(usize, String)>,
    pub unreadable: Vec<Unreadable>,
}

/// How far a load is, for the page to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Records received so far.
    pub records: u64,
    /// What `count_documents` says will come, once every count has answered.
    pub expected: Option<u64>,
    pub pages: u32,
}

/// What a complete read did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadReport {
    /// `count_documents`, when it answered.
    pub count: Option<u64>,
    /// Why there is no count.
    pub count_error: Option<String>,
    /// Records that arrived readable.
    pub received: u64,
    /// Records known to exist that could not be loaded, with the reason.
    pub lost: Vec<Lost>,
    /// Requests sent (retries not counted).
    pub requests: u32,
    /// Whether every range could use keyset paging.
    pub keyset: bool,
}

impl Client {
    pub fn new(collection: Collection, cancel: Cancel) -> Client {
        Client {
            collection,
            cancel,
            limiter: Limiter::new(MAX_IN_FLIGHT),
        }
    }

    async fn get(&self, url: &str) -> Result<String, FetchError> {
        if url.len() > MAX_URL_BYTES {
            return Err(FetchError::invalid(
                url,
                format!(
                    "the query is too long for the API ({} bytes; the limit is about {MAX_URL_BYTES})",
                    url.len()
                ),
            ));
        }
        get_text(url, &self.cancel, Some(&self.limiter)).await
    }

    /// How many records match `filter`.
    pub async fn count(&self, filter: &Value) -> Result<u64, FetchError> {
        let url = self.collection.count_url(filter);
        let text = self.get(&url).await?;
        let v = parse_lenient(&text).map_err(|msg| FetchError::bad_body(&url, msg))?;
        v.get("filtered_record_count")
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                FetchError::bad_body(
                    &url,
                    format!("expected a record count, got {}", preview(&v)),
                )
            })
    }

    /// One `find` request, parsed resiliently. A body cut off before its first record is an
    /// error (nothing to keep); one cut later keeps the records before the cut.
    pub async fn find_page<T: Record>(
        &self,
        params: &FindParams,
    ) -> Result<ParsedPage<T>, FetchError> {
        let url = self.collection.find_url(params);
        let text = self.get(&url).await?;
        let parsed = perf::timed(Phase::Parse, || parse_records(&text))
            .map_err(|e| FetchError::bad_body(&url, e))?;
        if parsed.truncated && parsed.records.is_empty() && parsed.unreadable.is_empty() {
            return Err(FetchError::bad_body(
                &url,
                "the response was cut off before its first record",
            ));
        }
        Ok(parsed)
    }

    /// Every record of `plan`'s filter, handed to `on_event` page by page as they arrive.
    /// Fails only when the first page fails (nothing to show) or the load is cancelled; a later
    /// request that fails ends its range, reported in [`ReadReport::lost`] with its error.
    pub fn read_all<'a, T: Record + 'a>(
        &'a self,
        plan: &'a StreamPlan,
        on_event: &'a dyn Fn(ReadEvent<T>),
    ) -> LocalBoxFuture<'a, Result<ReadReport, FetchError>> {
        // Boxed: one copy of this (large) future serves every caller.
        Box::pin(self.read_all_inner(plan, on_event))
    }

    async fn read_all_inner<T: Record>(
        &self,
        plan: &StreamPlan,
        on_event: &dyn Fn(ReadEvent<T>),
    ) -> Result<ReadReport, FetchError> {
        if plan.is_empty() {
            return Ok(ReadReport::default());
        }
        let on_page = &|page: Page<T>| on_event(ReadEvent::Page(page));
        let requests = std::cell::Cell::new(0u32);
        // The count and the first page are sent together. The ranges after the first page need
        // only the count, so they start as soon as it answers; the first page's own range (which
        // goes on after its last id when the page was cut) waits for both.
        let count = async {
            requests.set(requests.get() + 1);
            Rc::new(self.count(&plan.filter).await)
        }
        .shared();
        let known = |c: &Result<u64, FetchError>| c.as_ref().ok().copied();
        let head = async {
            requests.set(requests.get() + 1);
            let parsed = self.find_page::<T>(&plan.first_request()).await?;
            let ids = ids_of(&parsed);
            let readable = parsed.records.len() as u64;
            on_page(page_at(0, parsed));
            let c = count.clone().await;
            let (range, received) = self
                .run_range(plan.first_range(&ids, known(&c)), on_page, &requests)
                .await?;
            Ok::<_, FetchError>((range, received + readable))
        };
        let tail = async {
            let c = count.clone().await;
            on_event(ReadEvent::Count(known(&c)));
            if let Err(e) = c.as_ref() {
                if e.is_cancelled() {
                    return Err(e.clone());
                }
            }
            let pending = plan.pending(known(&c));
            let runs = plan
                .ranges(&pending, known(&c))
                .into_iter()
                .map(|r| self.run_range(r, on_page, &requests));
            join_all(runs)
                .await
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
        };
        let (head, tail) = try_join(head, tail).await?;
        let mut report = ReadReport::default();
        match count.await.as_ref() {
            Ok(c) => report.count = Some(*c),
            Err(e) => report.count_error = Some(e.to_string()),
        }
        let ranges = std::iter::once(head).chain(tail).collect::<Vec<_>>();
        report.keyset = ranges.iter().all(|(r, _)| r.mode == Mode::Keyset);
        for (r, received) in ranges {
            report.received += received;
            report.lost.extend(r.lost);
        }
        report.requests = requests.get();
        Ok(report)
    }

    /// Runs one range to its end; returns it (with its lost records) and the readable records it
    /// delivered. A failed request ends the range and reports what it could not read.
    async fn run_range<T: Record>(
        &self,
        mut range: RangePlan,
        on_page: &dyn Fn(Page<T>),
        requests: &std::cell::Cell<u32>,
    ) -> Result<(RangePlan, u64), FetchError> {
        let mut delivered = 0u64;
        loop {
            let step = range.next();
            let (params, probe) = match step {
                Step::Done => return Ok((range, delivered)),
                Step::Fetch(p) => (p, false),
                Step::Probe(p) => (p, true),
            };
            requests.set(requests.get() + 1);
            let parsed = match self.find_page(&params).await {
                Ok(p) => p,
                Err(e) if e.kind == FetchErrorKind::Cancelled => return Err(e),
                Err(e) => {
                    range.on_failure(e.to_string());
                    return Ok((range, delivered));
                }
            };
            let ids = ids_of(&parsed);
            if probe {
                range.on_probe(ids.into_iter().next());
            } else {
                delivered += parsed.records.len() as u64;
                on_page(page_at(range.next_pos(), parsed));
                range.on_page(&ids);
            }
        }
    }
}

/// The `_id`s of a page's elements in order, unreadable ones included.
fn ids_of<T: Record>(page: &ParsedPage<T>) -> Vec<IdKey> {
    let n = page.records.len() + page.unreadable.len();
    let mut out = Vec::with_capacity(n);
    let mut records = page.records.iter();
    let mut bad = page.unreadable.iter().peekable();
    for pos in 0..n {
        if bad.peek().is_some_and(|u| u.position == pos) {
            bad.next();
            out.push(IdKey::Unknown);
        } else if let Some(r) = records.next() {
            out.push(IdKey::of(r.id()));
        }
    }
    out
}

/// A parsed page with positions, starting at `start`.
fn page_at<T>(start: u64, parsed: ParsedPage<T>) -> Page<T> {
    let bad: Vec<usize> = parsed.unreadable.iter().map(|u| u.position).collect();
    let mut records = Vec::with_capacity(parsed.records.len());
    let mut element = 0usize;
    for rec in parsed.records {
        while bad.contains(&element) {
            element += 1;
        }
        records.push((start + element as u64, rec));
        element += 1;
    }
    Page {
        records,
        repairs: parsed.repairs,
        unreadable: parsed
            .unreadable
            .into_iter()
            .map(|u| Unreadable {
                pos: start + u.position as u64,
                id: u.id,
                reason: u.reason,
            })
            .collect(),
    }
}

/// Every record of a read in `_id` order, with the read's report: for collections small enough
/// to show once complete (the documents browser).
pub async fn collect_all(
    client: &Client,
    plan: &StreamPlan,
    on_progress: &dyn Fn(Progress),
) -> Result<(Vec<Value>, Vec<Unreadable>, ReadReport), FetchError> {
    let pages = std::cell::RefCell::new(Vec::<(u64, Value)>::new());
    let unreadable = std::cell::RefCell::new(Vec::new());
    let progress = std::cell::Cell::new(Progress::default());
    let on_event = |ev: ReadEvent| {
        let mut p = progress.get();
        match ev {
            ReadEvent::Count(c) => p.expected = c.map(|c| plan.limit.map_or(c, |l| c.min(l))),
            ReadEvent::Page(page) => {
                p.pages += 1;
                p.records += (page.records.len() + page.unreadable.len()) as u64;
                pages.borrow_mut().extend(page.records);
                unreadable.borrow_mut().extend(page.unreadable);
            }
        }
        progress.set(p);
        on_progress(p);
    };
    let report = client.read_all(plan, &on_event).await?;
    let mut records: Vec<Option<(u64, Value)>> = pages.into_inner().into_iter().map(Some).collect();
    let order = crate::sort::sorted_positions(records.len(), &|a, b| {
        let pos = |i: usize| records[i].as_ref().map_or(0, |r| r.0);
        pos(a).cmp(&pos(b))
    });
    Ok((
        order
            .into_iter()
            .filter_map(|i| records[i].take().map(|(_, v)| v))
            .collect(),
        unreadable.into_inner(),
        report,
    ))
}
