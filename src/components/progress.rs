//! "Loading … N of M records" while a load runs, with a progress bar once the count is known.

use leptos::prelude::*;

use crate::net::client::Progress;

#[component]
pub fn LoadingProgress(#[prop(into)] what: String, progress: RwSignal<Progress>) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite" data-testid="loading">
            <div class="spinner" aria-hidden="true"></div>
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
                {move || progress.get().expected.map(|t| {
                    let done = progress.get().records;
                    view! {
                        <progress
                            data-testid="load-progress"
                            aria-label="Records received"
                            max=t.max(1).to_string()
                            value=done.min(t).to_string()
                        ></progress>
                    }
                })}
            </div>
        </div>
    }
}
