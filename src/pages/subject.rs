//! `/subject/:id`: every model fit of one mouse, from both pipelines.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{query_signal_with_options, use_params_map};
use leptos_router::NavigateOptions;

use crate::api::metadata::{load_fits, LoadProgress};
use crate::api::storage::remember_subject;
use crate::api::Cancel;
use crate::app::{use_config, use_site_base};
use crate::components::error::ErrorPanel;
use crate::components::figure::FigureViewer;
use crate::components::progress::LoadingProgress;
use crate::components::results_table::ResultsTable;
use crate::core::fetch_error::FetchError;
use crate::core::normalize::{FitRow, FitTable};
use crate::core::query::FitQuery;
use crate::core::s3::figure_url;
use crate::core::table::{sort_rows, Column, SortDir};

const DEFAULT_SORT: (Column, SortDir) = (Column::SessionDate, SortDir::Desc);

/// A URL query parameter as view state (kept as history entries; the router base is not added twice).
fn url_param(key: &'static str) -> (Memo<Option<String>>, SignalSetter<Option<String>>) {
    query_signal_with_options::<String>(
        key,
        NavigateOptions {
            resolve: false,
            scroll: false,
            ..Default::default()
        },
    )
}

#[component]
pub fn SubjectPage() -> impl IntoView {
    let params = use_params_map();
    let subject = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let config = use_config();
    let progress = RwSignal::new(LoadProgress::default());
    let reload = RwSignal::new(0u32);
    let current: StoredValue<Option<Cancel>, LocalStorage> = StoredValue::new_local(None);

    let fits = LocalResource::new(move || {
        let id = subject.get();
        reload.track();
        if let Some(old) = current.get_value() {
            old.cancel();
        }
        let cancel = Cancel::new();
        current.set_value(Some(cancel.clone()));
        progress.set(LoadProgress::default());
        let config = config.clone();
        async move {
            let on_page = move |n: usize| {
                progress.update(|p| {
                    p.pages += 1;
                    p.records += n;
                })
            };
            let result = load_fits(&config, &FitQuery::for_subject(&id), &cancel, &on_page).await;
            if result.is_ok() {
                remember_subject(&id);
            }
            result.map(Arc::new)
        }
    });
    on_cleanup(move || {
        if let Some(c) = current.try_get_value().flatten() {
            c.cancel();
        }
    });

    let retry = Callback::new(move |_| reload.update(|n| *n += 1));
    let home = use_site_base().href("/");
    view! {
        <nav class="crumbs">
            <a href=home>"Home"</a>
            <span aria-hidden="true">" / "</span>
            <span>{move || format!("Subject {}", subject.get())}</span>
        </nav>
        <Suspense fallback=move || {
            view! {
                <LoadingProgress
                    what=format!("fits for subject {}", subject.get_untracked())
                    progress=progress.read_only()
                />
            }
        }>
            {move || Suspend::new(async move {
                match fits.await {
                    Ok(table) => view! { <SubjectResults subject=subject.get_untracked() table /> }.into_any(),
                    Err(error) => view! { <LoadError error retry /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LoadError(error: FetchError, retry: Callback<()>) -> impl IntoView {
    view! { <ErrorPanel title="Could not load the model fits" error on_retry=retry /> }
}

#[component]
fn SubjectResults(subject: String, table: Arc<FitTable>) -> impl IntoView {
    let config = use_config();
    let (sort_param, set_sort_param) = url_param("sort");
    let (dir_param, set_dir_param) = url_param("dir");
    let (failed_param, set_failed_param) = url_param("failed");
    let (fig_param, set_fig_param) = url_param("fig");

    let sort_col = Memo::new(move |_| {
        sort_param
            .get()
            .and_then(|s| Column::parse(&s))
            .unwrap_or(DEFAULT_SORT.0)
    });
    let sort = Signal::derive(move || {
        let col = sort_col.get();
        let dir = dir_param.get().and_then(|d| SortDir::parse(&d)).unwrap_or(
            if sort_param.get().is_some() {
                col.default_dir()
            } else {
                DEFAULT_SORT.1
            },
        );
        (col, dir)
    });
    let bad_sort = move || {
        sort_param
            .get()
            .filter(|s| Column::parse(s).is_none())
            .map(|s| {
                format!("Unknown sort column \"{s}\" in the link; sorted by session date instead.")
            })
    };
    let show_failed = Memo::new(move |_| failed_param.get().as_deref() == Some("1"));

    let on_sort = Callback::new(move |col: Column| {
        let (cur, dir) = sort.get_untracked();
        let next = if cur == col {
            dir.flip()
        } else {
            col.default_dir()
        };
        set_sort_param.set(Some(col.key().to_string()));
        set_dir_param.set(Some(next.key().to_string()));
    });

    let rows = {
        let table = table.clone();
        Memo::new(move |_| {
            let mut rows: Vec<FitRow> = table.rows.clone();
            if show_failed.get() {
                rows.extend(table.failed.iter().cloned());
            }
            let (col, dir) = sort.get();
            sort_rows(&mut rows, col, dir);
            rows
        })
    };

    let n_fits = table.rows.len();
    let n_failed = table.failed.len();
    let n_sessions = table.session_count();
    let warned: Vec<FitRow> = table
        .rows
        .iter()
        .chain(&table.failed)
        .filter(|r| !r.warnings.is_empty())
        .cloned()
        .collect();
    let skipped = table.skipped.clone();
    let superseded = table.superseded;

    if n_fits == 0 && n_failed == 0 && skipped.is_empty() {
        return view! { <EmptySubject subject /> }.into_any();
    }

    let s3_base = config.s3_base.clone();
    let viewer = {
        let table = table.clone();
        let s3_base = s3_base.clone();
        move || {
            let id = fig_param.get()?;
            let row = table
                .rows
                .iter()
                .chain(&table.failed)
                .find(|r| r.id == id)?;
            let url = figure_url(&row.s3_location, s3_base.as_deref()).ok()?;
            let caption = format!("{} · {}", row.agent_alias, row.nwb_name);
            Some(view! {
                <FigureViewer url caption on_close=Callback::new(move |_| set_fig_param.set(None)) />
            })
        }
    };

    view! {
        <header class="subject-head">
            <div>
                <h1>"Subject " <span data-testid="subject-id">{subject.clone()}</span></h1>
                <p class="counts" data-testid="counts">
                    <span><b data-testid="count-sessions">{n_sessions}</b>" sessions"</span>
                    <span><b data-testid="count-fits">{n_fits}</b>" fits"</span>
                    <span><b data-testid="count-failed">{n_failed}</b>" failed"</span>
                </p>
            </div>
            <div class="head-actions">
                <label class="switch">
                    <input
                        type="checkbox"
                        data-testid="toggle-failed"
                        prop:checked=move || show_failed.get()
                        disabled=n_failed == 0
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set_failed_param.set(on.then(|| "1".to_string()));
                        }
                    />
                    {format!(" Show failed fits ({n_failed})")}
                </label>
            </div>
        </header>
        {move || bad_sort().map(|m| view! { <p class="banner warn">{m}</p> })}
        <DataNotes warned skipped superseded />
        <Show when=move || n_fits == 0 && !show_failed.get()>
            <p class="banner info">"No successful fits for this subject; show the failed fits to see them."</p>
        </Show>
        <ResultsTable
            rows
            sort
            on_sort
            on_open_figure=Callback::new(move |id: String| set_fig_param.set(Some(id)))
            s3_base
        />
        {viewer}
    }
    .into_any()
}

/// What the normalizer noticed: skipped records, rows with odd values, superseded re-runs.
#[component]
fn DataNotes(
    warned: Vec<FitRow>,
    skipped: Vec<crate::core::normalize::Skipped>,
    superseded: usize,
) -> impl IntoView {
    let n_warned = warned.len();
    let n_skipped = skipped.len();
    let mut summary = Vec::new();
    if n_skipped > 0 {
        summary.push(format!("{n_skipped} record{} skipped", plural(n_skipped)));
    }
    if n_warned > 0 {
        summary.push(format!(
            "{n_warned} fit{} with odd values",
            plural(n_warned)
        ));
    }
    if superseded > 0 {
        summary.push(format!(
            "{superseded} older re-run{} hidden (latest analysis kept)",
            plural(superseded)
        ));
    }
    if summary.is_empty() {
        return None;
    }
    let has_details = n_skipped + n_warned > 0;
    Some(view! {
        <details class="data-notes" data-testid="data-notes">
            <summary data-testid="data-notes-summary">{summary.join(" · ")}</summary>
            <Show when=move || has_details>
                <ul>
                    {skipped
                        .iter()
                        .map(|s| {
                            view! {
                                <li data-testid="skipped">
                                    {format!(
                                        "Skipped {} record {}: {}",
                                        s.pipeline.short_label(),
                                        s.id.clone().unwrap_or_else(|| "without _id".into()),
                                        s.reason,
                                    )}
                                </li>
                            }
                        })
                        .collect_view()}
                    {warned
                        .iter()
                        .map(|r| {
                            view! {
                                <li>
                                    {format!(
                                        "{} · {} ({}): {}",
                                        r.session_date.clone().unwrap_or_default(),
                                        r.agent_alias,
                                        r.id,
                                        r.warnings.join("; "),
                                    )}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
        </details>
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[component]
fn EmptySubject(subject: String) -> impl IntoView {
    let home = use_site_base().href("/");
    view! {
        <section class="empty-state" data-testid="empty">
            <h1>"No model fits found"</h1>
            <p>
                "There are no MLE model fits for subject "
                <b>{subject}</b>
                " in either pipeline. Check the subject ID."
            </p>
            <a class="btn" href=home>"Try another subject"</a>
        </section>
    }
}
