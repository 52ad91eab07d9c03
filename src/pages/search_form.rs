//! The search form: it starts from the query in the URL and, on Search, writes a new URL (the
//! page loads whatever the URL says). Models are offered from the values seen in results.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::context::use_site_base;
use crate::datasets::foraging::query::FitQuery;
use crate::datasets::foraging::schema::{Pipeline, FRAMEWORK_TAGS};
use crate::datasets::foraging::url::{is_valid_date, parse_subject_list};
use crate::mongo::filter::{parse_custom_filter, pretty, CustomFilterError};
use crate::mongo::params::form_encode;

/// View parameters kept when a new search is run (the others belong to the old results).
const KEPT_VIEW_KEYS: [&str; 3] = ["sort", "dir", "cols"];

/// The search form. It starts from the query in the URL and, on Search, writes a new URL.
#[component]
pub fn SearchForm(
    query: Memo<FitQuery>,
    /// The query without the failed-fit switch (which the table also sets).
    fetch_query: Memo<FitQuery>,
    seen_models: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let q0 = query.get_untracked();
    let subjects = RwSignal::new(q0.subjects.join(", "));
    let date_from = RwSignal::new(q0.date_from.clone().unwrap_or_default());
    let date_to = RwSignal::new(q0.date_to.clone().unwrap_or_default());
    let models = RwSignal::new(set_of(&q0.models));
    let pipeline = RwSignal::new(q0.pipeline);
    let tags = RwSignal::new(set_of(&q0.tags));
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
        models.set(set_of(&q.models));
        pipeline.set(q.pipeline);
        tags.set(set_of(&q.tags));
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
        let q = FitQuery {
            subjects: parse_subject_list(&subjects.get_untracked()),
            date_from: (!from.is_empty()).then_some(from),
            date_to: (!to.is_empty()).then_some(to),
            models: models.get_untracked().into_iter().collect(),
            pipeline: pipeline.get_untracked(),
            tags: tags.get_untracked().into_iter().collect(),
            include_failed: failed.get_untracked(),
            custom,
            all: all.get_untracked(),
            light: false,
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

/// The set of `items`, inserted one by one: collecting into a set sorts, and each sort compiles
/// a copy of the standard library's.
fn set_of(items: &[String]) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    set.extend(items.iter().cloned());
    set
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
