use leptos::prelude::*;

use crate::api::metadata::LoadProgress;

/// "Loading … N records in M pages" while a load runs; with an expected total (from
/// `count_documents`), a progress bar as well.
#[component]
pub fn LoadingProgress(
    #[prop(into)] what: String,
    progress: ReadSignal<LoadProgress>,
    #[prop(optional, into)] total: Option<Signal<Option<u64>>>,
) -> impl IntoView {
    let total = move || total.and_then(|t| t.get());
    view! {
        <div class="loading" role="status" aria-live="polite" data-testid="loading">
            <div class="spinner" aria-hidden="true"></div>
            <div class="loading-body">
                <p class="loading-title">{format!("Loading {what}…")}</p>
                <p class="loading-detail">
                    {move || {
                        let p = progress.get();
                        let of = total().map(|t| format!(" of {t} expected")).unwrap_or_default();
                        match p.pages {
                            0 if total().is_some() => format!("0 records received{of}"),
                            0 => "Contacting the metadata API".to_string(),
                            1 => format!("{} records received{of} (1 page)", p.records),
                            n => format!("{} records received{of} ({n} pages)", p.records),
                        }
                    }}
                </p>
                {move || total().map(|t| {
                    let done = progress.get().records as u64;
                    view! {
                        <progress
                            data-testid="load-progress"
                            max=t.max(1).to_string()
                            value=done.min(t).to_string()
                        ></progress>
                    }
                })}
            </div>
        </div>
    }
}
