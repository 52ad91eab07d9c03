//! The parts of the app that most visits never need: the explorer, the subject charts, the
//! session page and the collection page. Each is compiled into a Wasm module of its own and
//! fetched the first time it is shown (`scripts/build-wasm.sh` splits them out): the Wasm a page
//! needs before its first view is that much smaller. Each part is one `wasm_split` function
//! here, the only way in to its code; `fallible`, so a part that cannot be fetched (offline, a
//! new deployment) says so with a retry button instead of stopping the app.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use send_wrapper::SendWrapper;

use crate::components::charts_panel::charts_folded;
use crate::components::explorer::{Explorer, ExplorerProps};
use crate::components::subject_charts::{SubjectCharts, SubjectChartsProps};
use crate::datasets::foraging::rows::FitRow;
use crate::hooks::url_param::url_param;
use crate::pages::collection::CollectionPage;
use crate::pages::session::SessionPage;

/// A part's code could not be fetched.
#[derive(Debug, Clone)]
pub struct PartError;

impl From<SplitLoaderError> for PartError {
    fn from(_: SplitLoaderError) -> Self {
        PartError
    }
}

/// The result of showing a part: its view, once its code is here.
pub type Part = Result<AnyView, PartError>;

#[wasm_split(explorer, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_explorer))]
pub fn explorer_part(props: ExplorerProps<FitRow>) -> Part {
    Ok(Explorer(props).into_any())
}

#[wasm_split(charts, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_charts))]
pub fn subject_charts_part(props: SubjectChartsProps) -> Part {
    Ok(SubjectCharts(props).into_any())
}

#[wasm_split(session, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_session))]
fn session_part() -> Part {
    Ok(SessionPage().into_any())
}

#[wasm_split(collection, wasm_split_path = ::leptos::wasm_split, fallible)]
fn collection_part() -> Part {
    Ok(CollectionPage().into_any())
}

/// Starts fetching a part's code without showing it (a page that will show it soon).
fn preload<F: Future<Output = Result<(), SplitLoaderError>> + 'static>(part: F) {
    leptos::task::spawn_local(async move {
        // A failure shows where the part is shown, with its retry button.
        let _ = part.await;
    });
}

/// Starts fetching what a page of fits will show, while its rows load: the subject charts
/// (`charts`, unless the URL folds them) and the explorer when the URL opens it.
pub fn preload_fits_parts(charts: bool) {
    if charts && !charts_folded() {
        preload(preload_charts());
    }
    if url_param("view", false).get_untracked().as_deref() == Some("explore") {
        preload(preload_explorer());
    }
}

/// Starts fetching the session page's code (a page whose rows link to session pages, once
/// its own work is done: following a link then shows the page without waiting for it).
pub fn preload_session_part() {
    preload(preload_session());
}

/// A part's view once its code is here (`make` shows it); until then a line saying it is on its
/// way, and if its code cannot be fetched, a message with a retry button.
pub fn later<Fut>(what: &'static str, make: impl Fn() -> Fut + 'static) -> impl IntoView
where
    Fut: Future<Output = Part> + 'static,
{
    let attempt = RwSignal::new(0u32);
    let make = SendWrapper::new(make);
    move || {
        attempt.track();
        let part = SendWrapper::new(make());
        view! {
            <Suspense fallback=move || view! {
                <p class="part-loading" role="status">{format!("Loading the {what}…")}</p>
            }>
                {Suspend::new(async move {
                    match part.await {
                        Ok(v) => v,
                        Err(PartError) => view! {
                            <div class="error-panel" role="alert" data-testid="part-error">
                                <p class="error-message">
                                    {format!("The {what} could not be loaded: the connection failed, or the site was updated since this page was opened (then reload the page).")}
                                </p>
                                <button class="btn primary" on:click=move |_| attempt.update(|n| *n += 1)>
                                    "Retry"
                                </button>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        }
    }
}

/// The session page's route.
#[component]
pub fn LazySessionPage() -> impl IntoView {
    later("session page", session_part)
}

/// The collection page's route.
#[component]
pub fn LazyCollectionPage() -> impl IntoView {
    later("collection page", collection_part)
}
