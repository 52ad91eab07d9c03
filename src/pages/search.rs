//! `/search`: fits across subjects, dates, models, pipelines and tags, or a custom MongoDB filter.
//! The query lives in the URL (`subject`, `from`, `to`, `model`, `pipeline`, `tag`, `failed`,
//! `all`, `custom`); the form only writes it.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::metadata::{count_matching, load_merged, LoadProgress};
use crate::app::{use_config, use_site_base};
use crate::components::data_notes::DataNotes;
use crate::components::embed::EmbedBackLink;
use crate::components::error::ErrorPanel;
use crate::components::load::CurrentLoad;
use crate::components::progress::LoadingProgress;
use crate::components::results_view::{ResultsView, ShareInfo};
use crate::core::custom_filter::{parse_custom_filter, pretty, CustomFilterError};
use crate::core::fetch_error::{FetchError, FetchErrorKind};
use crate::core::normalize::FitTable;
use crate::core::query::{form_encode, Pipeline, QueryError, FRAMEWORK_TAGS, MAX_URL_BYTES};
use crate::core::search::{is_valid_date, parse_subject_list, SearchQuery};
use crate::core::snippet::python_snippet;
use crate::core::table::{Column, SortDir};

/// The URL parameters that make up the query (the others are view state).
const QUERY_KEYS: [&str; 9] = [
    "subject", "from", "to", "model", "pipeline", "tag", "failed", "all", "custom",
];
/// View parameters kept when a new search is run (the others belong to the old results).
const KEPT_VIEW_KEYS: [&str; 3] = ["sort", "dir", "cols"];

const DEFAULT_SORT: (Column, SortDir) = (Column::SessionDate, SortDir::Desc);

#[component]
pub fn SearchPage(#[prop(optional)] embed: bool) -> impl IntoView {
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
        let (q, mut problems) = SearchQuery::from_params(&pairs);
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
    let has_query = Memo::new(move |_| parsed.with(|(_, _, any)| *any));
    // What the load depends on: the failed-fit switch only changes what the table shows.
    let fetch_query = Memo::new(move |_| {
        let mut q = query.get();
        q.include_failed = false;
        q
    });

    let config = use_config();
    let progress = RwSignal::new(LoadProgress::default());
    let expected_total = RwSignal::new(None::<u64>);
    let reload = RwSignal::new(0u32);
    let current = CurrentLoad::new(move || (fetch_query.get(), has_query.get()));
    // Models seen in any result so far: the model picker offers the values present.
    let seen_models = RwSignal::new(BTreeSet::<String>::new());

    let results = LocalResource::new(move || {
        let q = fetch_query.get();
        let run = has_query.get();
        reload.track();
        let cancel = current.start((q.clone(), run));
        progress.set(LoadProgress::default());
        expected_total.set(None);
        let config = config.clone();
        async move {
            if !run {
                return Outcome::Idle;
            }
            let filters = |p| q.batched_filters(p, MAX_URL_BYTES);
            let (fw, han) = match (filters(Pipeline::Framework), filters(Pipeline::Han)) {
                (Ok(fw), Ok(han)) => (fw.unwrap_or_default(), han.unwrap_or_default()),
                (Err(QueryError::NoFilter), _) | (_, Err(QueryError::NoFilter)) => {
                    return Outcome::NoFilter
                }
            };
            if q.all {
                // The expected total, for the progress bar of a long load.
                let mut total = 0;
                for f in fw.iter().chain(&han) {
                    match count_matching(&config, f, &cancel).await {
                        Ok(n) => total += n,
                        Err(e) => return Outcome::Failed(e),
                    }
                }
                expected_total.set(Some(total));
            }
            let on_page = move |n: usize| {
                progress.update(|p| {
                    p.pages += 1;
                    p.records += n;
                })
            };
            match load_merged(&config, &fw, &han, &cancel, &on_page).await {
                Ok(table) => {
                    seen_models.update(|s| {
                        s.extend(
                            table
                                .rows
                                .iter()
                                .chain(&table.failed)
                                .map(|r| r.agent_alias.clone()),
                        )
                    });
                    Outcome::Loaded(Arc::new(table))
                }
                Err(e) => Outcome::Failed(e),
            }
        }
    });
    let retry = Callback::new(move |_| reload.update(|n| *n += 1));

    view! {
        {(!embed).then(|| view! {
            <nav class="crumbs">
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
        <Suspense fallback=move || view! {
            <LoadingProgress what="fits".to_string() progress=progress.read_only() total=expected_total.read_only() />
        }>
            {move || Suspend::new(async move {
                match results.await {
                    Outcome::Idle => view! {
                        <p class="banner info" data-testid="search-idle">
                            "Choose subjects, dates or models and press Search. Several subject IDs can be separated by commas or spaces."
                        </p>
                    }.into_any(),
                    Outcome::NoFilter => view! { <NoFilter /> }.into_any(),
                    Outcome::Failed(error) if error.kind == FetchErrorKind::Cancelled => view! {
                        <LoadingProgress what="fits".to_string() progress=progress.read_only() total=expected_total.read_only() />
                    }.into_any(),
                    Outcome::Failed(error) => view! {
                        <ErrorPanel title="Could not load the model fits" error on_retry=retry />
                    }.into_any(),
                    Outcome::Loaded(table) => {
                        let q = query.get_untracked();
                        view! { <SearchResults table query=q embed /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// What a search produced.
#[derive(Clone)]
enum Outcome {
    /// No query in the URL yet.
    Idle,
    /// A query without any filter and without "load everything".
    NoFilter,
    Failed(FetchError),
    Loaded(Arc<FitTable>),
}

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
fn SearchResults(table: Arc<FitTable>, query: SearchQuery, embed: bool) -> impl IntoView {
    let n_fits = table.rows.len();
    let n_failed = table.failed.len();
    let subjects: BTreeSet<&str> = table
        .rows
        .iter()
        .filter_map(|r| r.subject_id.as_deref())
        .collect();
    let n_subjects = subjects.len();
    let n_sessions = table.session_count();
    if n_fits == 0 && n_failed == 0 && table.skipped.is_empty() {
        return view! {
            <section class="empty-state" data-testid="empty">
                <h2>"No model fits found"</h2>
                <p>"Nothing in either pipeline matches this search. Widen the dates, or check the subject IDs and models."</p>
            </section>
        }
        .into_any();
    }
    let share = ShareInfo {
        file_stem: "fits-search".into(),
        python: python_snippet(&query),
    };
    view! {
        <p class="counts" data-testid="search-counts">
            <span><b data-testid="count-fits">{n_fits}</b>" fits"</span>
            <span><b data-testid="count-subjects">{n_subjects}</b>" subjects"</span>
            <span><b data-testid="count-sessions">{n_sessions}</b>" sessions"</span>
            <span><b data-testid="count-failed">{n_failed}</b>" failed"</span>
        </p>
        <DataNotes table=table.clone() />
        <ResultsView
            table
            default_columns=&Column::SEARCH_DEFAULT
            default_sort=DEFAULT_SORT
            share
            embed
        />
    }
    .into_any()
}

/// The search form. It starts from the query in the URL and, on Search, writes a new URL.
#[component]
fn SearchForm(
    query: Memo<SearchQuery>,
    /// The query without the failed-fit switch (which the table also sets).
    fetch_query: Memo<SearchQuery>,
    seen_models: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let q0 = query.get_untracked();
    let subjects = RwSignal::new(q0.subjects.join(", "));
    let date_from = RwSignal::new(q0.date_from.clone().unwrap_or_default());
    let date_to = RwSignal::new(q0.date_to.clone().unwrap_or_default());
    let models = RwSignal::new(q0.models.iter().cloned().collect::<BTreeSet<_>>());
    let pipeline = RwSignal::new(q0.pipeline);
    let tags = RwSignal::new(q0.tags.iter().cloned().collect::<BTreeSet<_>>());
    let failed = RwSignal::new(q0.include_failed);
    let all = RwSignal::new(q0.all);
    let custom_text = RwSignal::new(q0.custom.as_ref().map(pretty).unwrap_or_default());
    let custom_open = q0.custom.is_some();
    let form_error = RwSignal::new(None::<String>);

    // Back and forward change the URL: show what it says.
    Effect::new(move |_| failed.set(query.with(|q| q.include_failed)));
    Effect::new(move |_| {
        let q = fetch_query.get();
        subjects.set(q.subjects.join(", "));
        date_from.set(q.date_from.clone().unwrap_or_default());
        date_to.set(q.date_to.clone().unwrap_or_default());
        models.set(q.models.iter().cloned().collect());
        pipeline.set(q.pipeline);
        tags.set(q.tags.iter().cloned().collect());
        all.set(q.all);
        custom_text.set(q.custom.as_ref().map(pretty).unwrap_or_default());
    });

    let custom_check = Memo::new(move |_| custom_text.with(|t| parse_custom_filter(t)));
    let navigate = use_navigate();
    let base = use_site_base();
    let query_map = use_query_map();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let custom = match custom_check.get_untracked() {
            Ok(m) => (!m.is_empty()).then_some(m),
            Err(e) => {
                form_error.set(Some(format!("The custom filter is not valid JSON at {e}")));
                return;
            }
        };
        let (from, to) = (date_from.get_untracked(), date_to.get_untracked());
        for (name, d) in [("From", &from), ("To", &to)] {
            if !d.is_empty() && !is_valid_date(d) {
                form_error.set(Some(format!("{name}: \"{d}\" is not a date (YYYY-MM-DD).")));
                return;
            }
        }
        if !from.is_empty() && !to.is_empty() && from > to {
            form_error.set(Some("The first date is after the last date.".into()));
            return;
        }
        let q = SearchQuery {
            subjects: parse_subject_list(&subjects.get_untracked()),
            date_from: (!from.is_empty()).then_some(from),
            date_to: (!to.is_empty()).then_some(to),
            models: models.get_untracked().into_iter().collect(),
            pipeline: pipeline.get_untracked(),
            tags: tags.get_untracked().into_iter().collect(),
            include_failed: failed.get_untracked(),
            custom,
            all: all.get_untracked(),
        };
        form_error.set(None);
        let mut pairs: Vec<(&str, String)> = q.to_params();
        query_map.with_untracked(|m| {
            for k in KEPT_VIEW_KEYS {
                if let Some(v) = m.get_str(k) {
                    pairs.push((k, v.to_string()));
                }
            }
        });
        let qs = form_encode(&pairs);
        let url = base.href(&format!(
            "/search{}{qs}",
            if qs.is_empty() { "" } else { "?" }
        ));
        navigate(
            &url,
            NavigateOptions {
                resolve: false,
                ..Default::default()
            },
        );
    };

    let model_options = Memo::new(move |_| {
        let mut all: BTreeSet<String> = seen_models.get();
        all.extend(models.get());
        all.into_iter().collect::<Vec<_>>()
    });

    view! {
        <form class="search-form" on:submit=on_submit data-testid="search-form">
            <div class="field wide">
                <label for="search-subjects">"Subject IDs"</label>
                <input
                    id="search-subjects"
                    type="text"
                    autocomplete="off"
                    placeholder="e.g. 730945, 752014"
                    prop:value=move || subjects.get()
                    on:input=move |ev| subjects.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="search-from">"Sessions from"</label>
                <input id="search-from" type="date" prop:value=move || date_from.get()
                    on:input=move |ev| date_from.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="search-to">"to"</label>
                <input id="search-to" type="date" prop:value=move || date_to.get()
                    on:input=move |ev| date_to.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="search-pipeline">"Pipeline"</label>
                <select
                    id="search-pipeline"
                    on:change=move |ev| pipeline.set(match event_target_value(&ev).as_str() {
                        "framework" => Some(Pipeline::Framework),
                        "han" => Some(Pipeline::Han),
                        _ => None,
                    })
                >
                    <option value="" selected=move || pipeline.get().is_none()>"Both pipelines"</option>
                    <option value="framework" selected=move || pipeline.get() == Some(Pipeline::Framework)>"AIND analysis framework"</option>
                    <option value="han" selected=move || pipeline.get() == Some(Pipeline::Han)>"Han's analysis pipeline"</option>
                </select>
            </div>
            <fieldset class="field wide">
                <legend>"Models"</legend>
                {move || {
                    let options = model_options.get();
                    if options.is_empty() {
                        view! { <p class="muted small">"The models present in your results appear here after a search."</p> }.into_any()
                    } else {
                        view! {
                            <div class="checks" data-testid="model-options">
                                {options.into_iter().map(|m| {
                                    let label = m.clone();
                                    view! { <SetCheckbox set=models value=m label /> }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }}
            </fieldset>
            <fieldset class="field">
                <legend>"Framework version"</legend>
                <div class="checks">
                    {FRAMEWORK_TAGS.iter().map(|t| {
                        let label = t.trim_start_matches("aind-analysis-framework ").to_string();
                        view! { <SetCheckbox set=tags value=t.to_string() label /> }
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset class="field">
                <legend>"Status"</legend>
                <label class="check">
                    <input type="checkbox" data-testid="search-failed"
                        prop:checked=move || failed.get()
                        on:change=move |ev| failed.set(event_target_checked(&ev)) />
                    " Include failed fits"
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="search-all"
                        prop:checked=move || all.get()
                        on:change=move |ev| all.set(event_target_checked(&ev)) />
                    " Load everything (no filter needed)"
                </label>
            </fieldset>
            <details class="field wide advanced" open=custom_open>
                <summary>"Advanced: custom MongoDB filter"</summary>
                <p class="muted small">
                    "A JSON object merged into each pipeline's selector, like from_custom_query. It replaces the subject, date and model filters. Example: "
                    <code>"{\"subject_id\": {\"$in\": [\"730945\", \"752014\"]}}"</code>
                </p>
                <textarea
                    id="search-custom"
                    data-testid="search-custom"
                    rows="4"
                    spellcheck="false"
                    prop:value=move || custom_text.get()
                    on:input=move |ev| custom_text.set(event_target_value(&ev))
                ></textarea>
                {move || custom_check.get().err().map(|e| view! { <CustomError text=custom_text.get_untracked() error=e /> })}
            </details>
            <div class="form-actions">
                <button class="btn primary" type="submit" data-testid="search-submit">"Search"</button>
                {move || form_error.get().map(|e| view! { <p class="field-hint" role="alert" data-testid="form-error">{e}</p> })}
            </div>
        </form>
    }
}

/// A checkbox that puts `value` in `set` when ticked and takes it out when not.
#[component]
fn SetCheckbox(set: RwSignal<BTreeSet<String>>, value: String, label: String) -> impl IntoView {
    let (v1, v2) = (value.clone(), value.clone());
    view! {
        <label class="check">
            <input
                type="checkbox"
                value=value
                prop:checked=move || set.with(|s| s.contains(&v1))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    set.update(|s| {
                        if on {
                            s.insert(v2.clone());
                        } else {
                            s.remove(&v2);
                        }
                    });
                }
            />
            {" "}
            {label}
        </label>
    }
}

/// Where the custom filter is broken: the message and the line with a caret under the position.
#[component]
fn CustomError(text: String, error: CustomFilterError) -> impl IntoView {
    let line = text
        .lines()
        .nth(error.line.saturating_sub(1))
        .unwrap_or("")
        .to_string();
    // Columns are bytes; count the characters before the position for the caret.
    let caret_at = line
        .char_indices()
        .take_while(|(i, _)| *i + 1 < error.column)
        .count();
    let caret = format!("{}^", " ".repeat(caret_at));
    view! {
        <div class="custom-error" role="alert" data-testid="custom-error">
            <p>{error.to_string()}</p>
            <pre>{line}"\n"{caret}</pre>
        </div>
    }
}
