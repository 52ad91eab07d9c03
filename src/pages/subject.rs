//! `/subject/:id`: every model fit of one mouse, from both pipelines (a fit query with one
//! subject).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::await_fits::AwaitFits;
use crate::components::data_notes::DataNotes;
use crate::components::embed::EmbedBackLink;
use crate::components::fits_view::FitsView;
use crate::components::load_status::LoadStatus;
use crate::components::parts::{preload_fits_parts, preload_session_part};
use crate::context::{use_embed, use_site_base};
use crate::datasets::foraging::columns::SUBJECT_DEFAULT;
use crate::datasets::foraging::query::FitQuery;
use crate::datasets::foraging::snippet::python_snippet;
use crate::hooks::fit_load::{use_fit_load, FitLoad};
use crate::prefs::remember_subject;

#[component]
pub fn SubjectPage() -> impl IntoView {
    let embed = use_embed();
    let params = use_params_map();
    let subject = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // The charts' code arrives while the rows load.
    preload_fits_parts(true);
    let load = use_fit_load(Signal::derive(move || {
        Some(FitQuery::for_subject(&subject.get()))
    }));
    // A subject that loaded is offered again on the start page.
    Effect::new(move |_| {
        if load
            .snapshot
            .with(|s| s.as_ref().is_some_and(|s| s.complete))
        {
            remember_subject(&subject.get_untracked());
            // Every row links to its session's page: its code is fetched once the rows are in.
            preload_session_part();
        }
    });
    let base = use_site_base();
    view! {
        {(!embed).then(|| view! {
            <nav class="crumbs" aria-label="Breadcrumbs">
                <a href=base.href("/")>"Home"</a>
                <span aria-hidden="true">" / "</span>
                <a href=base.href("/search")>"Search"</a>
                <span aria-hidden="true">" / "</span>
                <span>{move || format!("Subject {}", subject.get())}</span>
            </nav>
        })}
        <AwaitFits load what=Signal::derive(move || format!("fits for subject {}", subject.get()))>
            {move || view! { <SubjectResults subject=subject.get_untracked() load /> }}
        </AwaitFits>
    }
}

#[component]
fn SubjectResults(subject: String, load: FitLoad) -> impl IntoView {
    let embed = use_embed();
    let table = Memo::new(move |_| load.table());
    let counts = Memo::new(move |_| {
        table.with(|t| {
            (
                t.session_count(),
                t.n_success,
                t.failed().len(),
                t.skipped.len(),
            )
        })
    });
    let complete = Memo::new(move |_| load.is_complete());
    let empty = Memo::new(move |_| load.found_nothing());
    let query = FitQuery::for_subject(&subject);
    let share = (
        format!("fits-subject-{}", file_safe(&subject)),
        format!("AIND model fits of subject {subject}"),
        Some(python_snippet(&query)),
    );
    let subject_id = subject.clone();
    view! {
        <Show when=move || !empty.get() fallback=move || view! { <EmptySubject subject=subject.clone() /> }>
            <header class="subject-head">
                <div>
                    <h1>"Subject " <span data-testid="subject-id">{subject_id.clone()}</span></h1>
                    <p class="counts" data-testid="counts">
                        <span><b data-testid="count-sessions">{move || counts.get().0}</b>" sessions"</span>
                        <span><b data-testid="count-fits">{move || counts.get().1}</b>" fits"</span>
                        <span><b data-testid="count-failed">{move || counts.get().2}</b>" failed"</span>
                    </p>
                </div>
                {embed.then(|| view! { <EmbedBackLink /> })}
            </header>
            <LoadStatus load />
            {move || view! { <DataNotes table=table.get() /> }}
            <Show when=move || { let (_, fits, failed, _) = counts.get(); complete.get() && fits == 0 && failed > 0 }>
                <p class="banner info">"No successful fits for this subject; show the failed fits to see them."</p>
            </Show>
            <FitsView
                load
                default_columns=SUBJECT_DEFAULT.to_vec()
                charts=true
                share=share.clone()
            />
        </Show>
    }
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
fn EmptySubject(subject: String) -> impl IntoView {
    let embed = use_embed();
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
