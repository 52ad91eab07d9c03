//! `/subject/:id`: every model fit of one mouse, from both pipelines.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::metadata::{load_fits, LoadProgress};
use crate::api::storage::remember_subject;
use crate::app::{use_config, use_site_base};
use crate::components::data_notes::DataNotes;
use crate::components::embed::EmbedBackLink;
use crate::components::error::ErrorPanel;
use crate::components::load::CurrentLoad;
use crate::components::progress::LoadingProgress;
use crate::components::results_view::{ResultsView, ShareInfo};
use crate::core::fetch_error::{FetchError, FetchErrorKind};
use crate::core::normalize::FitTable;
use crate::core::query::FitQuery;
use crate::core::search::SearchQuery;
use crate::core::snippet::python_snippet;
use crate::core::table::{Column, SortDir};

const DEFAULT_SORT: (Column, SortDir) = (Column::SessionDate, SortDir::Desc);

#[component]
pub fn SubjectPage(#[prop(optional)] embed: bool) -> impl IntoView {
    let params = use_params_map();
    let subject = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let config = use_config();
    let progress = RwSignal::new(LoadProgress::default());
    let reload = RwSignal::new(0u32);
    let current = CurrentLoad::new(move || subject.get());

    let fits = LocalResource::new(move || {
        let id = subject.get();
        reload.track();
        let cancel = current.start(id.clone());
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

    let retry = Callback::new(move |_| reload.update(|n| *n += 1));
    let home = use_site_base().href("/");
    let search = use_site_base().href("/search");
    view! {
        {(!embed).then(|| view! {
            <nav class="crumbs">
                <a href=home>"Home"</a>
                <span aria-hidden="true">" / "</span>
                <a href=search>"Search"</a>
                <span aria-hidden="true">" / "</span>
                <span>{move || format!("Subject {}", subject.get())}</span>
            </nav>
        })}
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
                    Ok(table) => view! { <SubjectResults subject=subject.get_untracked() table embed /> }.into_any(),
                    // A load cancelled because the subject changed: the next one is on its way.
                    Err(error) if error.kind == FetchErrorKind::Cancelled => view! {
                        <LoadingProgress what="fits".to_string() progress=progress.read_only() />
                    }.into_any(),
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
fn SubjectResults(subject: String, table: Arc<FitTable>, embed: bool) -> impl IntoView {
    let n_fits = table.rows.len();
    let n_failed = table.failed.len();
    let n_sessions = table.session_count();
    if n_fits == 0 && n_failed == 0 && table.skipped.is_empty() {
        return view! { <EmptySubject subject embed /> }.into_any();
    }
    let query = SearchQuery {
        subjects: vec![subject.clone()],
        ..SearchQuery::default()
    };
    let share = ShareInfo {
        file_stem: format!("fits-subject-{}", file_safe(&subject)),
        python: python_snippet(&query),
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
            {embed.then(|| view! { <EmbedBackLink /> })}
        </header>
        <DataNotes table=table.clone() />
        {(n_fits == 0).then(|| view! {
            <p class="banner info">"No successful fits for this subject; show the failed fits to see them."</p>
        })}
        <ResultsView
            table
            default_columns=&Column::SUBJECT_DEFAULT
            default_sort=DEFAULT_SORT
            share
            embed
        />
    }
    .into_any()
}

/// Letters, digits, `-` and `_` only, for download file names.
pub fn file_safe(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if out.is_empty() {
        "results".into()
    } else {
        out
    }
}

#[component]
fn EmptySubject(subject: String, embed: bool) -> impl IntoView {
    let home = use_site_base().href("/");
    view! {
        <section class="empty-state" data-testid="empty">
            <h1>"No model fits found"</h1>
            <p>
                "There are no MLE model fits for subject "
                <b>{subject}</b>
                " in either pipeline. Check the subject ID."
            </p>
            {(!embed).then(|| view! { <a class="btn" href=home>"Try another subject"</a> })}
        </section>
    }
}
