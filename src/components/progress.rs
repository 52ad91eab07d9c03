//! "Loading … N of M records" while a load runs: a spinner until the count is known, then a
//! progress bar instead.
//!
//! The spinner turns every frame, and every frame costs the browser's compositor a redraw: on a
//! machine without a GPU (software compositing: remote desktops, many VMs) that took about a
//! quarter of a 2-core machine's CPU during a full load, beside the page's own work. The bar
//! moves only when records arrive.

use leptos::prelude::*;

use crate::net::client::Progress;

/// A spinner while the number of records to come is unknown.
pub fn spinner_until_counted(p: Progress, small: bool) -> Option<impl IntoView> {
    p.expected
        .is_none()
        .then(|| view! { <span class="spinner" class:small=small aria-hidden="true"></span> })
}

/// The records received out of those expected, once that is known.
pub fn records_bar(p: Progress) -> Option<impl IntoView> {
    p.expected.map(|t| {
        view! {
            <progress
                data-testid="load-progress"
                aria-label="Records received"
                max=t.max(1).to_string()
                value=p.records.min(t).to_string()
            ></progress>
        }
    })
}

#[component]
pub fn LoadingProgress(#[prop(into)] what: String, progress: RwSignal<Progress>) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite" data-testid="loading">
            {move || spinner_until_counted(progress.get(), false)}
            <div class="loading-body">
                <p class="loading-title">{format!("Loading {what}…")}</p>
                <p class="loading-detail">
                    {move || {
                        let p = progress.get();
                        let of = p.expected.map(|t| format!(" of {t} expected")).unwrap_or_default();
                        match (p.pages, p.expected) {
                            (0, None) => "Contacting the metadata API".to_string(),
                            (0, Some(_)) => format!("0 records received{of}"),
                            (1, _) => format!("{} records received{of} (1 page)", p.records),
                            (n, _) => format!("{} records received{of} ({n} pages)", p.records),
                        }
                    }}
                </p>
                {move || records_bar(progress.get())}
            </div>
        </div>
    }
}
