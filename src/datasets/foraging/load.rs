//! Loading fits: every query batch of both formats read concurrently through the generic
//! client, each page normalized and merged as it arrives (the first rows show after the first
//! page), the result kept in the results cache under its exact requests and refreshed in the
//! background on a revisit.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use futures::future::join_all;
use serde_json::Value;

use super::collection;
use super::merge::{Merger, Rank};
use super::publish::worth_publishing;
use super::query::{FitQuery, QueryError};
use super::record::FitRecord;
use super::rows::FitTable;
use super::schema::{overview_projection, projection, Pipeline};
use crate::config::AppConfig;
use crate::mongo::paging::{Lost, LostReason, PagingConfig, StreamPlan};
use crate::mongo::params::{Collection, MAX_URL_BYTES};
use crate::net::cache::ResultsCache;
use crate::net::client::{Client, Progress, ReadEvent, ReadReport};
use crate::net::error::FetchError;
use crate::net::http::Cancel;
use crate::net::perf::{self, Phase};

/// One query of one format: a batch of a long subject list, or the whole query.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub pipeline: Pipeline,
    pub batch: u32,
    pub filter: Value,
    /// The overview's projection instead of the full one.
    pub light: bool,
}

impl Stream {
    pub fn projection(&self) -> Value {
        if self.light {
            overview_projection(self.pipeline)
        } else {
            projection(self.pipeline, true)
        }
    }
}

/// The queries a fit query sends (none for a format the pipeline choice leaves out).
pub fn streams(q: &FitQuery) -> Result<Vec<Stream>, QueryError> {
    let mut out = Vec::new();
    for pipeline in Pipeline::ALL {
        for (batch, filter) in q
            .batched_filters(pipeline, MAX_URL_BYTES)?
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            out.push(Stream {
                pipeline,
                batch: batch as u32,
                filter,
                light: q.light,
            });
        }
    }
    Ok(out)
}

/// The cache key of a load: the collection and every request's filter and projection.
pub fn cache_key(collection: &Collection, streams: &[Stream]) -> String {
    let mut parts = vec![
        "fits".to_string(),
        collection.api_base.clone(),
        collection.database.clone(),
        collection.name.clone(),
    ];
    for s in streams {
        parts.push(s.filter.to_string());
        parts.push(s.projection().to_string());
    }
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    crate::net::cache::entry::cache_key(&refs)
}

/// Records that could not be loaded, for the page to say so plainly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostNote {
    pub pipeline: Pipeline,
    pub id: Option<String>,
    pub records: u64,
    pub reason: String,
    /// A request failed: worth retrying (and never cached).
    pub failed: bool,
}

/// What the load itself noticed, beside the rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadNotes {
    pub lost: Vec<LostNote>,
    /// `count_documents` over every query, when all of them answered.
    pub count: Option<u64>,
    pub count_errors: Vec<String>,
    /// Records returned twice while paging (kept once).
    pub repeated: usize,
    pub requests: u32,
    pub keyset: bool,
}

impl LoadNotes {
    pub fn lost_records(&self) -> u64 {
        self.lost.iter().map(|l| l.records).sum()
    }
}

/// Where the rows on screen came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Origin {
    Network,
    Cache { saved_at_ms: f64 },
}

/// What the page shows of a load.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub table: Arc<FitTable>,
    pub notes: Arc<LoadNotes>,
    pub origin: Origin,
    /// False while pages are still arriving.
    pub complete: bool,
    /// When it was made (`performance.now()`), to time its rendering.
    pub made_at: f64,
}

pub enum Event {
    Progress(Progress),
    Snapshot(Snapshot),
    /// The complete rows on screen are in the results cache (for the next visit).
    Saved,
}

/// How often the progress shows again.
const PROGRESS_EVERY_MS: f64 = 150.0;

/// How a load uses the cache and shows its progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadMode {
    /// Show a cached result first (then refresh it from the network).
    pub use_cache: bool,
    /// Show the rows as pages arrive (not when other rows are on screen already).
    pub partial: bool,
}

impl LoadMode {
    /// A visit: cached rows at once, or the first rows after the first page.
    pub const VISIT: LoadMode = LoadMode {
        use_cache: true,
        partial: true,
    };
    /// "Refresh": the rows on screen stay until the new ones are complete.
    pub const REFRESH: LoadMode = LoadMode {
        use_cache: false,
        partial: false,
    };
}

/// The state of one load while its pages arrive.
struct Run<'a> {
    emit: &'a dyn Fn(Event),
    mode: LoadMode,
    merger: RefCell<Merger>,
    progress: Cell<Progress>,
    /// `count_documents` of each query, once answered (`None` inside: it failed).
    counts: RefCell<Vec<Option<Option<u64>>>>,
    /// When the requests started (`performance.now()`, set once the cache was read), for the
    /// pace of records.
    started: Cell<f64>,
    last_publish: Cell<f64>,
    last_progress: Cell<f64>,
    /// Cached rows are on screen: the network's rows wait until they are complete.
    showing_cache: Cell<bool>,
}

impl Run<'_> {
    fn all_counted(&self) -> bool {
        self.counts.borrow().iter().all(Option::is_some)
    }

    fn publish(&self, complete: bool) -> Arc<FitTable> {
        let table = Arc::new(perf::timed(Phase::Normalize, || {
            self.merger.borrow().table()
        }));
        self.last_publish.set(perf::now());
        (self.emit)(Event::Snapshot(Snapshot {
            table: table.clone(),
            notes: Arc::new(LoadNotes::default()),
            origin: Origin::Network,
            complete,
            made_at: perf::now(),
        }));
        table
    }

    /// Shows the rows that have arrived, when that is worth it: not over cached rows, not
    /// before every query is counted, and then as [`worth_publishing`] says.
    fn maybe_publish(&self) {
        let p = self.progress.get();
        let now = perf::now();
        if self.mode.partial
            && !self.showing_cache.get()
            && self.all_counted()
            && worth_publishing(
                p.records,
                p.expected,
                now - self.started.get(),
                now - self.last_publish.get(),
            )
        {
            self.publish(false);
        }
    }

    fn on_event(&self, i: usize, s: &Stream, ev: ReadEvent<FitRecord>) {
        let mut p = self.progress.get();
        let counted = matches!(ev, ReadEvent::Count(_));
        match ev {
            ReadEvent::Count(c) => {
                self.counts.borrow_mut()[i] = Some(c);
                if self.all_counted() {
                    p.expected = self.counts.borrow().iter().map(|c| c.flatten()).sum();
                }
            }
            ReadEvent::Page(page) => {
                p.records += (page.records.len() + page.unreadable.len()) as u64;
                perf::timed(Phase::Normalize, || {
                    let mut m = self.merger.borrow_mut();
                    let rank = |pos| Rank {
                        pipeline: s.pipeline,
                        batch: s.batch,
                        pos,
                    };
                    // Repairs come by increasing record index: one walk hands each its own.
                    let mut repairs = page.repairs.into_iter().peekable();
                    for (k, (pos, rec)) in page.records.into_iter().enumerate() {
                        let mut notes = Vec::new();
                        while let Some((_, note)) = repairs.next_if(|(j, _)| *j <= k) {
                            notes.push(note);
                        }
                        m.add(rank(pos), rec, notes);
                    }
                    for u in page.unreadable {
                        m.unreadable(rank(u.pos), u.id, &u.reason);
                    }
                });
                p.pages += 1;
            }
        }
        self.progress.set(p);
        // Progress on screen costs a layout of the page: a few times a second is enough.
        if counted || perf::now() - self.last_progress.get() >= PROGRESS_EVERY_MS {
            self.last_progress.set(perf::now());
            (self.emit)(Event::Progress(p));
        }
        self.maybe_publish();
    }

    /// What the reads reported, per query.
    /// A query that failed as a whole: what its count says is lost, with the error.
    fn failed_query(&self, i: usize, error: &FetchError) -> ReadReport {
        let count = self.counts.borrow().get(i).copied().flatten().flatten();
        ReadReport {
            count,
            lost: vec![Lost {
                id: None,
                reason: LostReason::Failed(count, error.to_string()),
            }],
            ..ReadReport::default()
        }
    }

    fn notes(&self, streams: &[Stream], reports: Vec<ReadReport>) -> LoadNotes {
        let mut notes = LoadNotes {
            keyset: true,
            count: self.counts.borrow().iter().map(|c| c.flatten()).sum(),
            repeated: self.merger.borrow().repeated,
            ..LoadNotes::default()
        };
        for (s, report) in streams.iter().zip(reports) {
            notes.requests += report.requests;
            notes.keyset &= report.keyset;
            notes.count_errors.extend(report.count_error);
            for lost in report.lost {
                notes.lost.push(LostNote {
                    pipeline: s.pipeline,
                    id: lost.id.clone(),
                    records: lost.records(),
                    failed: matches!(lost.reason, LostReason::Failed(..)),
                    reason: lost.reason.to_string(),
                });
            }
        }
        notes
    }
}

/// Loads the fits of `q`, emitting progress and snapshots: cached rows first when there are
/// any (replaced by the network's once those are complete), otherwise the first rows as soon as
/// every query's first page is in. Fails
/// when nothing could be shown (the first page failed), or when cancelled.
pub async fn load(
    config: &AppConfig,
    cache: &ResultsCache,
    q: &FitQuery,
    cancel: Cancel,
    mode: LoadMode,
    emit: &dyn Fn(Event),
) -> Result<(), FetchError> {
    let streams = streams(q).map_err(|e| FetchError::invalid("", e))?;
    let coll = collection(&config.api_base);
    let key = cache_key(&coll, &streams);
    let run = Run {
        emit,
        mode,
        merger: RefCell::new(Merger::new()),
        progress: Cell::new(Progress::default()),
        counts: RefCell::new(vec![None; streams.len()]),
        started: Cell::new(0.0),
        last_publish: Cell::new(f64::NEG_INFINITY),
        last_progress: Cell::new(f64::NEG_INFINITY),
        showing_cache: Cell::new(false),
    };
    // Cached rows first, when there are any; the refresh starts once they are on screen, so
    // that it does not slow them down.
    if mode.use_cache {
        if let Some((table, notes, saved_at_ms)) = read_cached(cache, &key).await {
            run.showing_cache.set(true);
            emit(Event::Snapshot(Snapshot {
                table,
                notes,
                origin: Origin::Cache { saved_at_ms },
                complete: true,
                made_at: perf::now(),
            }));
            perf::after_paint().await;
            // Marked used beside the refresh, not before it.
            let (cache, key) = (cache.clone(), key.clone());
            leptos::task::spawn_local(async move { cache.touch(&key).await });
        }
    }
    run.started.set(perf::now());
    let client = Client::new(coll, cancel);
    let reads = streams.iter().enumerate().map(|(i, s)| {
        let plan = StreamPlan::new(
            s.filter.clone(),
            Some(s.projection()),
            PagingConfig::default(),
        );
        let (client, run) = (&client, &run);
        async move {
            let on_event = |ev: ReadEvent<FitRecord>| run.on_event(i, s, ev);
            client.read_all(&plan, &on_event).await
        }
    });
    let results = join_all(reads).await;
    // One query failing does not hide the others' rows; all of them failing is an error.
    if let Some(Err(e)) = results
        .iter()
        .find(|r| matches!(r, Err(e) if e.is_cancelled()))
    {
        return Err(e.clone());
    }
    if !results.is_empty() && results.iter().all(Result::is_err) {
        if let Some(Err(e)) = results.into_iter().next() {
            return Err(e);
        }
        return Ok(());
    }
    let reports: Vec<ReadReport> = results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|e| run.failed_query(i, &e)))
        .collect();
    let notes = Arc::new(run.notes(&streams, reports));
    let failures = notes.lost.iter().find(|l| l.failed);
    if let (true, Some(failure)) = (run.showing_cache.get(), failures) {
        // Complete cached rows stay on screen rather than a refresh with holes in it.
        return Err(FetchError::invalid(
            "",
            format!("not every record could be loaded: {}", failure.reason),
        ));
    }
    let table = Arc::new(perf::timed(Phase::Normalize, || {
        run.merger.borrow().table()
    }));
    emit(Event::Snapshot(Snapshot {
        table: table.clone(),
        notes: notes.clone(),
        origin: Origin::Network,
        complete: true,
        made_at: perf::now(),
    }));
    // Cached after the rows are on screen (the next frame first); a load with failed requests
    // is not kept.
    if !notes.lost.iter().any(|l| l.failed) {
        perf::after_paint().await;
        let payload = perf::timed(Phase::Cache, || super::cache::encode(&table, &notes));
        if cache.put(&key, &label(q), &payload).await {
            emit(Event::Saved);
        }
    }
    Ok(())
}

async fn read_cached(
    cache: &ResultsCache,
    key: &str,
) -> Option<(Arc<FitTable>, Arc<LoadNotes>, f64)> {
    let start = perf::now();
    let entry = cache.get(key).await?;
    let decoded = super::cache::decode(&entry.payload);
    perf::measure(Phase::Cache, start);
    match decoded {
        Ok((table, notes)) => Some((Arc::new(table), Arc::new(notes), entry.saved_at_ms)),
        Err(_) => {
            // Corrupted or of another shape: never shown.
            cache.discard(key).await;
            None
        }
    }
}

/// What a cache entry holds, for people.
fn label(q: &FitQuery) -> String {
    let subjects = q.subject_list();
    match subjects.as_slice() {
        [one] if q.custom.is_none() => format!("fits · subject {one}"),
        _ => "fits · search".to_string(),
    }
}
