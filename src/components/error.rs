use leptos::prelude::*;

use crate::net::error::FetchError;

/// What failed, the request it came from, and a retry button.
#[component]
pub fn ErrorPanel(
    #[prop(into)] title: String,
    error: FetchError,
    on_retry: Callback<()>,
) -> impl IntoView {
    let url = error.url.clone();
    view! {
        <div class="error-panel" role="alert" data-testid="error">
            <h2>{title}</h2>
            <p class="error-message">{error.to_string()}</p>
            <Show when={
                let has = !url.is_empty();
                move || has
            }>
                <details>
                    <summary>"Request"</summary>
                    <code class="error-url">{url.clone()}</code>
                </details>
            </Show>
            <button class="btn primary" on:click=move |_| on_retry.run(())>
                "Retry"
            </button>
        </div>
    }
}
