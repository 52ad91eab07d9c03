//! What the normalizer noticed about a load: skipped records (with the reason), fits with odd
//! values (with the warnings), and re-runs hidden by the latest-analysis rule. Nothing is dropped
//! without being counted here.

use std::sync::Arc;

use leptos::prelude::*;

use crate::datasets::foraging::rows::FitTable;

/// What the normalizer noticed: skipped records, rows with odd values, superseded re-runs.
#[component]
pub fn DataNotes(table: Arc<FitTable>) -> impl IntoView {
    let warned: Vec<_> = table
        .rows
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .collect();
    let skipped = &table.skipped;
    let superseded = table.superseded.len();
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
    let skipped_items = skipped
        .iter()
        .map(|s| {
            format!(
                "Skipped {} record {}: {}",
                s.pipeline.short_label(),
                s.id.clone().unwrap_or_else(|| "without _id".into()),
                s.reason,
            )
        })
        .collect::<Vec<_>>();
    let warned_items = warned
        .iter()
        .map(|r| {
            format!(
                "{} · {} ({}): {}",
                r.session_date.clone().unwrap_or_default(),
                r.agent_alias,
                r.id,
                r.warnings.join("; "),
            )
        })
        .collect::<Vec<_>>();
    Some(view! {
        <details class="data-notes" data-testid="data-notes">
            <summary data-testid="data-notes-summary">{summary.join(" · ")}</summary>
            {has_details.then(|| view! {
                <ul>
                    {skipped_items
                        .into_iter()
                        .map(|text| view! { <li data-testid="skipped">{text}</li> })
                        .collect_view()}
                    {warned_items.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                </ul>
            })}
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
