//! The waiting part of a page that loads fits: the progress until the first rows can show (or
//! cached ones), then the page's content; the error with a Retry button when nothing could load.

use leptos::prelude::*;

use crate::components::error::ErrorPanel;
use crate::components::progress::LoadingProgress;
use crate::hooks::fit_load::FitLoad;

#[component]
pub fn AwaitFits(
    load: FitLoad,
    /// What is loading, for the progress ("fits for subject 730945").
    #[prop(into)]
    what: Signal<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <LoadingProgress what=what.get_untracked() progress=load.progress /> }>
            {move || Suspend::new(async move {
                match load.first.await {
                    Ok(()) => children.with_value(|c| c()).into_any(),
                    // Cancelled because the query changed: the next load is on its way.
                    Err(e) if e.is_cancelled() => view! {
                        <LoadingProgress what=what.get_untracked() progress=load.progress />
                    }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel title="Could not load the model fits" error on_retry=load.retry />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
