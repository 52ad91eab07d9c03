//! Where the rows on screen come from and how fresh they are: cached ("loaded 3 h ago") or
//! arriving, the background refresh and what it changed, a Refresh button, and, plainly, the
//! records that could not be loaded and why.

use leptos::prelude::*;

use crate::components::progress::{records_bar, spinner_until_counted};
use crate::datasets::foraging::load::{LoadNotes, Origin};
use crate::hooks::fit_load::FitLoad;
use crate::net::cache::entry::age_text;
use crate::net::cache::now_ms;

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The status line above the table.
#[component]
pub fn LoadStatus(load: FitLoad) -> impl IntoView {
    // Reads the page's signals only: this view may go away while they change.
    let line = move || {
        let (origin, complete) = load
            .snapshot
            .with(|s| s.as_ref().map(|s| (s.origin, s.complete)))?;
        let progress = load.progress.get();
        let of = progress
            .expected
            .map(|t| format!(" of {t} expected"))
            .unwrap_or_default();
        let source = match origin {
            Origin::Cache { saved_at_ms } => view! {
                <span data-testid="cache-age">
                    {format!("Cached results, {}", age_text(now_ms(), saved_at_ms))}
                </span>
            }
            .into_any(),
            Origin::Network if !complete => view! {
                <span class="refreshing" data-testid="loading-more">
                    {spinner_until_counted(progress, true)}
                    {format!("Loading… {} records received{of}", progress.records)}
                    {records_bar(progress)}
                </span>
            }
            .into_any(),
            Origin::Network => view! { <span>"Loaded just now"</span> }.into_any(),
        };
        let refreshing = load.refreshing.get() && complete;
        let changes = load.changes.get().map(|d| {
            let text = if d.is_empty() {
                "Refreshed: no changes.".to_string()
            } else {
                let mut parts = Vec::new();
                if d.changed > 0 {
                    parts.push(format!(
                        "{} changed",
                        plural(d.changed as u64, "row", "rows")
                    ));
                }
                if d.added > 0 {
                    parts.push(format!("{} new", d.added));
                }
                if d.removed > 0 {
                    parts.push(format!("{} removed", d.removed));
                }
                format!("Refreshed: {}.", parts.join(", "))
            };
            view! { <span class="refresh-result" data-testid="refresh-result">{text}</span> }
        });
        Some(view! {
            <div class="load-status" role="status" data-testid="load-status">
                {source}
                {refreshing.then(|| view! {
                    <span class="refreshing" data-testid="refreshing">
                        {spinner_until_counted(progress, true)}
                        {format!("Refreshing… {} records received{of}", progress.records)}
                        {records_bar(progress)}
                    </span>
                })}
                {changes}
                {move || load.refresh_error.get().map(|e| view! {
                    <span class="refresh-error" data-testid="refresh-error">
                        {format!("Could not refresh ({e}); showing the rows above.")}
                    </span>
                })}
                {(complete && !refreshing).then(|| view! {
                    <button
                        class="btn small"
                        data-testid="refresh"
                        title="Load these results again from the API"
                        on:click=move |_| load.refresh.run(())
                    >
                        "Refresh"
                    </button>
                })}
            </div>
        })
    };
    let notes = move || {
        load.snapshot
            .with(|s| s.as_ref().filter(|s| s.complete).map(|s| s.notes.clone()))
    };
    view! {
        {line}
        {move || notes().map(|n| view! { <LostRecords notes=(*n).clone() retry=load.refresh /> })}
    }
}

/// Records known to exist that could not be loaded, with the reasons, and what could not be
/// checked.
#[component]
fn LostRecords(notes: LoadNotes, retry: Callback<()>) -> impl IntoView {
    let lost = notes.lost_records();
    let any_failed = notes.lost.iter().any(|l| l.failed);
    let count_problem = !notes.count_errors.is_empty();
    if notes.lost.is_empty() && !count_problem {
        return None;
    }
    let items = notes
        .lost
        .iter()
        .map(|l| {
            let who = match &l.id {
                Some(id) => format!("{} record {id}: ", l.pipeline.short_label()),
                None => format!("{}: ", l.pipeline.short_label()),
            };
            view! { <li>{who}{l.reason.clone()}</li> }
        })
        .collect_view();
    Some(view! {
        <div class="banner warn" role="alert" data-testid="lost-records">
            {(!notes.lost.is_empty()).then(|| view! {
                <p>
                    <b>{if lost > 0 {
                        format!("{} could not be loaded.", plural(lost, "record", "records"))
                    } else {
                        "Some records could not be loaded.".to_string()
                    }}</b>
                    " The table shows everything else."
                </p>
            })}
            <ul>{items}</ul>
            {count_problem.then(|| view! {
                <p>
                    "The number of matching records could not be fetched ("
                    {notes.count_errors.join("; ")}
                    "), so the load could not be checked for completeness."
                </p>
            })}
            {any_failed.then(|| view! {
                <button class="btn" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    })
}
