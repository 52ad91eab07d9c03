//! `use_fit_load`: the model fits of a query as signals a page can show while they load.
//!
//! The resource resolves as soon as there is something to show (cached rows, or the first
//! page), so `Suspense` shows the progress until then; later snapshots (more pages, the
//! background refresh) arrive through `snapshot`. A new query cancels the old load at once.
//!
//! ```ignore
//! let load = use_fit_load(Signal::derive(move || Some(FitQuery::for_subject(&id.get()))));
//! view! { <Suspense fallback=...>{move || Suspend::new(async move { load.first.await ... })}</Suspense> }
//! ```

use std::cell::RefCell;
use std::sync::Arc;

use futures::channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::current_load::CurrentLoad;
use crate::context::{use_cache, use_config};
use crate::datasets::foraging::load::{load, Event, LoadMode, Origin, Snapshot};
use crate::datasets::foraging::query::FitQuery;
use crate::datasets::foraging::rows::FitTable;
use crate::datasets::foraging::{diff, Diff};
use crate::net::client::Progress;
use crate::net::error::{FetchError, FetchErrorKind};
use crate::net::http::Cancel;

/// A load's state for the page.
#[derive(Clone, Copy)]
pub struct FitLoad {
    /// Resolves when the first rows can be shown, or with the error that prevents it.
    pub first: LocalResource<Result<(), FetchError>>,
    pub snapshot: RwSignal<Option<Snapshot>>,
    pub progress: RwSignal<Progress>,
    /// A network load runs while other rows are on screen (cached ones, or before "Refresh").
    pub refreshing: RwSignal<bool>,
    /// What the last refresh changed.
    pub changes: RwSignal<Option<Diff>>,
    /// A refresh that failed (the rows on screen stay).
    pub refresh_error: RwSignal<Option<FetchError>>,
    /// The complete rows on screen were saved in the results cache by this load.
    pub saved: RwSignal<bool>,
    /// Loads again from the network, keeping the rows on screen until the new ones are in.
    pub refresh: Callback<()>,
    /// Starts over (after an error).
    pub retry: Callback<()>,
}

impl FitLoad {
    /// The rows on screen (an empty table before the first snapshot). Tracked.
    pub fn table(&self) -> Arc<FitTable> {
        self.snapshot
            .with(|s| s.as_ref().map(|s| s.table.clone()).unwrap_or_default())
    }

    /// Whether the rows on screen are a complete load (cached or not). Tracked.
    pub fn is_complete(&self) -> bool {
        self.snapshot
            .with(|s| s.as_ref().is_some_and(|s| s.complete))
    }

    /// A complete load found nothing at all, not even records it had to skip. Tracked.
    pub fn found_nothing(&self) -> bool {
        self.snapshot.with(|s| {
            s.as_ref().is_some_and(|s| {
                s.complete && s.table.rows.is_empty() && s.table.skipped.is_empty()
            })
        })
    }
}

fn cancelled() -> FetchError {
    FetchError {
        url: String::new(),
        kind: FetchErrorKind::Cancelled,
        attempts: 0,
    }
}

/// Loads the fits of `query` (`None`: nothing to load yet).
pub fn use_fit_load(query: Signal<Option<FitQuery>>) -> FitLoad {
    let (config, cache) = (
        StoredValue::new(use_config()),
        StoredValue::new(use_cache()),
    );
    let snapshot = RwSignal::new(None::<Snapshot>);
    let progress = RwSignal::new(Progress::default());
    let refreshing = RwSignal::new(false);
    let changes = RwSignal::new(None::<Diff>);
    let refresh_error = RwSignal::new(None::<FetchError>);
    let saved = RwSignal::new(false);
    let reload = RwSignal::new(0u32);
    let current = CurrentLoad::new(move || query.get());

    type Tx = oneshot::Sender<Result<(), FetchError>>;
    let run = move |q: FitQuery, mode: LoadMode, cancel: Cancel, tx: Option<Tx>| {
        let (config, cache) = (config.get_value(), cache.get_value());
        spawn_local(async move {
            let tx = RefCell::new(tx);
            let alive = cancel.clone();
            let emit = |ev: Event| match ev {
                // A load that was replaced says nothing more.
                _ if alive.is_cancelled() => {}
                Event::Progress(p) => {
                    progress.try_set(p);
                }
                Event::Saved => {
                    saved.try_set(true);
                }
                Event::Snapshot(s) => {
                    if s.complete && s.origin == Origin::Network {
                        refreshing.try_set(false);
                        // Complete rows were on screen (cached, or before "Refresh"): say what
                        // changed.
                        let old = snapshot
                            .try_get_untracked()
                            .flatten()
                            .filter(|o| o.complete);
                        if let Some(old) = old {
                            changes.try_set(Some(diff(&old.table, &s.table)));
                        }
                    }
                    snapshot.try_set(Some(s));
                    if let Some(tx) = tx.borrow_mut().take() {
                        let _ = tx.send(Ok(()));
                    }
                }
            };
            let result = load(&config, &cache, &q, cancel, mode, &emit).await;
            if !alive.is_cancelled() {
                refreshing.try_set(false);
            }
            if let Err(e) = result {
                match tx.borrow_mut().take() {
                    Some(tx) => {
                        let _ = tx.send(Err(e));
                    }
                    None if !e.is_cancelled() => {
                        refresh_error.try_set(Some(e));
                    }
                    None => {}
                }
            }
        });
    };

    let first = LocalResource::new(move || {
        let q = query.get();
        reload.track();
        let cancel = current.start(q.clone());
        let (tx, rx) = oneshot::channel();
        // The signals are reset in a task of their own, not while the old views are being
        // replaced: an effect of a view on its way out must not see them change.
        spawn_local(async move {
            snapshot.try_set(None);
            progress.try_set(Progress::default());
            changes.try_set(None);
            refresh_error.try_set(None);
            saved.try_set(false);
            refreshing.try_set(q.is_some());
            match q {
                Some(q) if !cancel.is_cancelled() => run(q, LoadMode::VISIT, cancel, Some(tx)),
                Some(_) => {}
                None => {
                    let _ = tx.send(Ok(()));
                }
            }
        });
        async move { rx.await.unwrap_or_else(|_| Err(cancelled())) }
    });

    let refresh = Callback::new(move |_| {
        let Some(q) = query.get_untracked() else {
            return;
        };
        let cancel = current.start(Some(q.clone()));
        changes.set(None);
        refresh_error.set(None);
        saved.set(false);
        refreshing.set(true);
        run(q, LoadMode::REFRESH, cancel, None);
    });
    let retry = Callback::new(move |_| reload.update(|n| *n += 1));
    FitLoad {
        first,
        snapshot,
        progress,
        refreshing,
        changes,
        refresh_error,
        saved,
        refresh,
        retry,
    }
}
