//! The trial window's tools under a chart over trials: what is shown, zoom in and out, every
//! trial. Built once (a click keeps the focus on its button); only the label and the disabled
//! states follow the window.

use leptos::prelude::*;

use crate::charts::span::{Span, MIN_SPAN};

#[component]
pub fn ZoomBar(
    /// The window shown and the trial count (none: nothing to zoom).
    span: Memo<Option<(Span, usize)>>,
    on_span: Callback<Span>,
) -> impl IntoView {
    let apply = move |f: &dyn Fn(Span, usize) -> Span| {
        if let Some((s, n)) = span.get_untracked() {
            let to = f(s, n);
            if to != s {
                on_span.run(to);
            }
        }
    };
    let mid = |s: Span| (s.lo + s.hi) as f64 / 2.0;
    let full = move || span.get().is_none_or(|(s, n)| s.is_full(n));
    view! {
        <span class="zoom" class:hidden=move || span.with(Option::is_none) role="group" aria-label="Trials shown">
            <span class="muted" data-testid="span-label">
                {move || span.get().map(|(s, n)| if s.is_full(n) {
                    format!("All {n} trials")
                } else {
                    format!("Trials {}–{} of {n}", s.lo + 1, s.hi)
                })}
            </span>
            <button class="btn small" data-testid="zoom-in" title="Zoom in (+)" aria-label="Zoom in"
                disabled=move || span.get().is_none_or(|(s, n)| s.width() <= MIN_SPAN.min(n))
                on:click=move |_| apply(&|s, n| s.zoom(0.5, mid(s), n))>"+"</button>
            <button class="btn small" data-testid="zoom-out" title="Zoom out (−)" aria-label="Zoom out"
                disabled=full
                on:click=move |_| apply(&|s, n| s.zoom(2.0, mid(s), n))>"−"</button>
            <button class="btn small" data-testid="zoom-all" title="Every trial (0)"
                disabled=full
                on:click=move |_| apply(&|_, n| Span::full(n))>"All trials"</button>
        </span>
    }
}
