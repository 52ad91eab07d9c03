//! The start page: a subject box, the last subjects visited, and every subject of the
//! collection (a light load of every fit, cached like other results) with its sessions, fits,
//! dates and best model, sortable and filterable, each linking to its page.

use std::sync::Arc;

use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::await_fits::AwaitFits;
use crate::components::load_status::LoadStatus;
use crate::context::use_site_base;
use crate::datasets::foraging::overview::{self, SubjectSummary};
use crate::datasets::foraging::query::FitQuery;
use crate::hooks::fit_load::{use_fit_load, FitLoad};
use crate::mongo::params::path_segment;
use crate::prefs::recent_subjects;
use crate::table::model::{Rows, TableModel};
use crate::table::view::{DataTable, Decor, Pager, QuickFilter, RowCount};
use crate::table::EMPTY;

#[component]
pub fn Home() -> impl IntoView {
    let navigate = use_navigate();
    let input = NodeRef::<Input>::new();
    let hint = RwSignal::new(false);
    let base = use_site_base();
    let recent = recent_subjects();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = input.get().map(|i| i.value()).unwrap_or_default();
        let id = value.trim();
        if id.is_empty() {
            hint.set(true);
            return;
        }
        navigate(
            &format!("/subject/{}", path_segment(id)),
            Default::default(),
        );
    };
    view! {
        <section class="hero">
            <h1>"Model fits of dynamic foraging sessions"</h1>
            <p class="lead">
                "Reinforcement-learning models fitted to mouse foraging sessions, from both AIND "
                "pipelines, with each fit's figure."
            </p>
            <form class="subject-form" on:submit=on_submit>
                <label for="subject-input">"Subject ID"</label>
                <div class="input-row">
                    <input
                        id="subject-input"
                        node_ref=input
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        placeholder="e.g. 730945"
                        on:input=move |_| hint.set(false)
                    />
                    <button class="btn primary" type="submit">"Show fits"</button>
                </div>
                <Show when=move || hint.get()>
                    <p class="field-hint" role="alert">"Type a subject ID first."</p>
                </Show>
            </form>
            <p class="home-search">
                <a href=base.href("/search") data-testid="home-search">
                    "Search across subjects, dates and models →"
                </a>
            </p>
            <Show when={
                let empty = recent.is_empty();
                move || !empty
            }>
                <div class="recent">
                    <h2>"Recently viewed"</h2>
                    <ul class="chips" data-testid="recent">
                        {recent
                            .iter()
                            .map(|id| {
                                let href = base.href(&format!("/subject/{}", path_segment(id)));
                                view! {
                                    <li>
                                        <a class="chip" href=href>{id.clone()}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </Show>
        </section>
        <SubjectOverview />
    }
}

#[component]
fn SubjectOverview() -> impl IntoView {
    let load = use_fit_load(Signal::derive(|| Some(FitQuery::overview())));
    view! {
        <section class="overview" aria-labelledby="overview-h" data-testid="overview">
            <h2 id="overview-h">"Subjects"</h2>
            <AwaitFits load what="the subjects of the collection">
                {move || view! { <OverviewTable load /> }}
            </AwaitFits>
        </section>
    }
}

#[component]
fn OverviewTable(load: FitLoad) -> impl IntoView {
    let base = use_site_base();
    let rows: Memo<Rows<SubjectSummary>> = Memo::new(move |_| {
        Arc::new(
            overview::subjects(&load.table())
                .into_iter()
                .map(Arc::new)
                .collect(),
        )
    });
    let model = TableModel::new(
        Arc::new(overview::spec()),
        rows.into(),
        Signal::derive(move || rows.with(|r| r.len())),
    );
    let decor = Decor {
        link: Some(Arc::new(move |i, col| {
            let s = rows.with_untracked(|r| r.get(i).map(|s| s.subject.clone()))?;
            (col == "subject" && s != EMPTY)
                .then(|| base.href(&format!("/subject/{}", path_segment(&s))))
        })),
        ..Decor::default()
    };
    let state = move || {
        if load.is_complete() {
            "complete"
        } else {
            "loading"
        }
    };
    view! {
        <div class="results-view overview-view" data-state=state>
            <LoadStatus load />
            <div class="toolbar" role="toolbar" aria-label="Subject table tools">
                <QuickFilter model placeholder="Filter subjects or models…" />
            </div>
            <RowCount model />
            <DataTable model decor label="Subjects" />
            <Pager model />
        </div>
    }
}
