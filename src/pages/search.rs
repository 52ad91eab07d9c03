//! `/search`: fits across subjects, dates, models, pipelines and tags, or a custom MongoDB filter.
//! The query lives in the URL (`subject`, `from`, `to`, `model`, `pipeline`, `tag`, `failed`,
//! `all`, `custom`); the form only writes it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::await_fits::AwaitFits;
use crate::components::data_notes::DataNotes;
use crate::components::embed::EmbedBackLink;
use crate::components::fits_view::FitsView;
use crate::components::load_status::LoadStatus;
use crate::components::parts::preload_fits_parts;
use crate::context::{use_embed, use_site_base};
use crate::datasets::foraging::columns::search_default;
use crate::datasets::foraging::query::{FitQuery, QueryError};
use crate::datasets::foraging::schema::Pipeline;
use crate::datasets::foraging::snippet::python_snippet;
use crate::hash::FastSet;
use crate::hooks::fit_load::{use_fit_load, FitLoad};
use crate::mongo::filter::pretty;
use crate::mongo::params::MAX_URL_BYTES;
use crate::pages::search_form::SearchForm;

/// The URL parameters that make up the query (the others are view state).
const QUERY_KEYS: [&str; 9] = [
    "subject", "from", "to", "model", "pipeline", "tag", "failed", "all", "custom",
];

/// What the URL asks the page to do.
#[derive(Debug, Clone, PartialEq)]
enum Ask {
    /// No query in the URL yet.
    Idle,
    /// A query without any filter and without "load everything".
    NoFilter,
    Load(FitQuery),
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let embed = use_embed();
    preload_fits_parts(false);
    let query_map = use_query_map();
    // The query part of the URL only, so that sorting or paging does not reload.
    let parsed = Memo::new(move |_| {
        let pairs: Vec<(String, String)> = query_map.with(|m| {
            QUERY_KEYS
                .iter()
                .flat_map(|k| {
                    m.get_all(k)
                        .into_iter()
                        .flatten()
                        .map(move |v| (k.to_string(), v))
                })
                .collect()
        });
        let has_any = !pairs.is_empty();
        let (q, mut problems) = FitQuery::from_params(&pairs);
        problems.extend(q.validate());
        // The failed-fit switch is also the table's; the table view reports a bad value.
        let mut messages: Vec<String> = problems
            .into_iter()
            .filter(|p| p.param != "failed")
            .map(|p| p.message)
            .collect();
        messages.dedup();
        (q, messages, has_any)
    });
    let query = Memo::new(move |_| parsed.with(|(q, _, _)| q.clone()));
    let problems = Memo::new(move |_| parsed.with(|(_, p, _)| p.clone()));
    // What the load depends on: the failed-fit switch only changes what the table shows.
    let ask = Memo::new(move |_| {
        if !parsed.with(|(_, _, any)| *any) {
            return Ask::Idle;
        }
        let mut q = query.get();
        q.include_failed = false;
        let no_filter = Pipeline::ALL
            .into_iter()
            .any(|p| q.batched_filters(p, MAX_URL_BYTES) == Err(QueryError::NoFilter));
        if no_filter {
            Ask::NoFilter
        } else {
            Ask::Load(q)
        }
    });
    let fetch_query = Memo::new(move |_| match ask.get() {
        Ask::Load(q) => q,
        _ => {
            let mut q = query.get();
            q.include_failed = false;
            q
        }
    });
    let load = use_fit_load(Signal::derive(move || match ask.get() {
        Ask::Load(q) => Some(q),
        _ => None,
    }));
    // Models seen in any result so far: the model picker offers the values present.
    let seen_models = RwSignal::new(BTreeSet::<String>::new());
    Effect::new(move |_| {
        load.snapshot.with(|s| {
            if let Some(s) = s.as_ref().filter(|s| s.complete) {
                // Extended in place: collecting into a set sorts, and each sort compiles a
                // copy of the standard library's.
                seen_models
                    .update(|seen| seen.extend(s.table.rows.iter().map(|r| r.agent_alias.clone())));
            }
        })
    });

    view! {
        {(!embed).then(|| view! {
            <nav class="crumbs" aria-label="Breadcrumbs">
                <a href=use_site_base().href("/")>"Home"</a>
                <span aria-hidden="true">" / "</span>
                <span>"Search"</span>
            </nav>
            <h1>"Search model fits"</h1>
            <SearchForm query fetch_query seen_models />
        })}
        {embed.then(|| view! {
            <header class="subject-head">
                <h1>"Model fits"</h1>
                <EmbedBackLink />
            </header>
        })}
        {move || {
            let list = problems.get();
            (!list.is_empty()).then(|| view! {
                <div class="banner warn" role="status" data-testid="query-problems">
                    <p><b>"Some search settings in this link could not be used and were ignored:"</b></p>
                    <ul>{list.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            })
        }}
        {move || query.with(|q| q.custom.clone()).filter(|c| !c.is_empty()).map(|c| view! {
            <section class="custom-shown" data-testid="custom-shown">
                <p>
                    <b>"This search uses a custom MongoDB filter."</b>
                    " It is merged into each pipeline's selector and replaces the subject, date and model filters. Read it before trusting the results:"
                </p>
                <pre>{pretty(&c)}</pre>
            </section>
        })}
        {move || match ask.get() {
            Ask::Idle => view! {
                <p class="banner info" data-testid="search-idle">
                    "Choose subjects, dates or models and press Search. Several subject IDs can be separated by commas or spaces."
                </p>
            }.into_any(),
            Ask::NoFilter => view! { <NoFilter /> }.into_any(),
            Ask::Load(q) => view! { <SearchLoad load query=q /> }.into_any(),
        }}
    }
}

#[component]
fn SearchLoad(load: FitLoad, query: FitQuery) -> impl IntoView {
    view! {
        <AwaitFits load what="fits">
            {
                let query = query.clone();
                move || view! { <SearchResults load query=query.clone() /> }
            }
        </AwaitFits>
    }
}

/// The refusal of a query without any filter, as the reference refuses it.
#[component]
fn NoFilter() -> impl IntoView {
    view! {
        <section class="banner warn" data-testid="no-filter">
            <p><b>"This search has no filter."</b></p>
            <p>
                "Like get_mle_model_fitting, the browser does not load the whole collection by accident. "
                "Give at least one subject, a session date or a model, or a custom filter. "
                "To really load every fit, tick “Load everything”: the expected total is counted first and a progress bar follows the load."
            </p>
        </section>
    }
}

#[component]
fn SearchResults(load: FitLoad, query: FitQuery) -> impl IntoView {
    let table = Memo::new(move |_| load.table());
    let counts = Memo::new(move |_| {
        table.with(|t| {
            let subjects: FastSet<&str> = t
                .success()
                .iter()
                .filter_map(|r| r.subject_id.as_deref())
                .collect();
            (
                t.n_success,
                subjects.len(),
                t.session_count(),
                t.failed().len(),
                t.skipped.len(),
            )
        })
    });
    let empty = Memo::new(move |_| load.found_nothing());
    let share = (
        "fits-search".to_string(),
        "AIND model fits".to_string(),
        Some(python_snippet(&query)),
    );
    view! {
        <Show when=move || !empty.get() fallback=|| view! {
            <section class="empty-state" data-testid="empty">
                <h2>"No model fits found"</h2>
                <p>"Nothing in either pipeline matches this search. Widen the dates, or check the subject IDs and models."</p>
            </section>
        }>
            <p class="counts" data-testid="search-counts">
                <span><b data-testid="count-fits">{move || counts.get().0}</b>" fits"</span>
                <span><b data-testid="count-subjects">{move || counts.get().1}</b>" subjects"</span>
                <span><b data-testid="count-sessions">{move || counts.get().2}</b>" sessions"</span>
                <span><b data-testid="count-failed">{move || counts.get().3}</b>" failed"</span>
            </p>
            <LoadStatus load />
            {move || view! { <DataNotes table=table.get() /> }}
            <FitsView load default_columns=search_default() share=share.clone() />
        </Show>
    }
}
