//! Figures from S3: lazily loaded thumbnails with a placeholder, and a full-size viewer.

use leptos::prelude::*;

/// A thumbnail of `url`, or a tidy placeholder when there is no URL or the image fails to load.
#[component]
pub fn Thumb(
    url: Result<String, String>,
    #[prop(into)] alt: String,
    on_open: Callback<()>,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    match url {
        Ok(src) => view! {
            <Show
                when=move || !failed.get()
                fallback=|| view! { <Placeholder reason="No figure".to_string() /> }
            >
                <button
                    class="thumb"
                    title="Open the figure"
                    on:click=move |_| on_open.run(())
                >
                    <img
                        src=src.clone()
                        alt=alt.clone()
                        loading="lazy"
                        decoding="async"
                        on:error=move |_| failed.set(true)
                    />
                </button>
            </Show>
        }
        .into_any(),
        Err(reason) => view! { <Placeholder reason /> }.into_any(),
    }
}

#[component]
fn Placeholder(reason: String) -> impl IntoView {
    let title = reason.clone();
    view! {
        <div class="thumb-missing" data-testid="figure-missing" title=title>
            <span>{reason}</span>
        </div>
    }
}

/// The full-size figure over the page; Escape or the close button closes it.
#[component]
pub fn FigureViewer(
    url: String,
    #[prop(into)] caption: String,
    on_close: Callback<()>,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    });
    on_cleanup(move || handle.remove());
    let src = url.clone();
    let (label, alt) = (caption.clone(), caption.clone());
    view! {
        <div class="viewer-backdrop" on:click=move |_| on_close.run(())>
            <figure
                class="viewer"
                role="dialog"
                aria-modal="true"
                aria-label=label
                on:click=|ev| ev.stop_propagation()
            >
                <div class="viewer-bar">
                    <figcaption>{caption}</figcaption>
                    <a class="btn" href=url.clone() target="_blank" rel="noopener noreferrer">
                        "Open original"
                    </a>
                    <button class="btn" aria-label="Close" on:click=move |_| on_close.run(())>
                        "Close"
                    </button>
                </div>
                <Show
                    when=move || !failed.get()
                    fallback=|| view! { <p class="viewer-missing">"This figure is not available."</p> }
                >
                    <img src=src.clone() alt=alt.clone() on:error=move |_| failed.set(true) />
                </Show>
            </figure>
        </div>
    }
}
