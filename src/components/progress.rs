use leptos::prelude::*;

use crate::api::metadata::LoadProgress;

/// "Loading … N records in M pages" while a load runs.
#[component]
pub fn LoadingProgress(
    #[prop(into)] what: String,
    progress: ReadSignal<LoadProgress>,
) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite" data-testid="loading">
            <div class="spinner" aria-hidden="true"></div>
            <div>
                <p class="loading-title">{format!("Loading {what}…")}</p>
                <p class="loading-detail">
                    {move || {
                        let p = progress.get();
                        match p.pages {
                            0 => "Contacting the metadata API".to_string(),
                            1 => format!("{} records received (1 page)", p.records),
                            n => format!("{} records received ({n} pages)", p.records),
                        }
                    }}
                </p>
            </div>
        </div>
    }
}
