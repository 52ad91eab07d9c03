//! The subject charts' panel: its fold (`charts=0`) and what the URL asks of the charts that
//! cannot be shown. In the main module: folded, the charts' code (`parts`) is not fetched at
//! all, and the problems are named even then.

use leptos::prelude::*;

use crate::datasets::foraging::charts::{Compare, Metric, XAxis};
use crate::hooks::url_param::{url_param, UrlParam};
use crate::table::view::ParamProblems;

/// Whether the URL folds the charts.
pub fn charts_folded() -> bool {
    url_param("charts", false).get_untracked().as_deref() == Some("0")
}

/// The URL's chart choices that are not choices, each with what is shown instead.
fn chart_problems() -> Memo<Vec<String>> {
    let metric_p = url_param("metric", false);
    let x_p = url_param("x", false);
    let cmp_p = url_param("cmp", false);
    Memo::new(move |_| {
        let mut out = Vec::new();
        let bad = |p: UrlParam, ok: bool, name: &str, default: &str, out: &mut Vec<String>| {
            if let (Some(v), false) = (p.get(), ok) {
                out.push(format!(
                    "{name}: \"{v}\" is not a choice here; showing {default}."
                ));
            }
        };
        bad(
            metric_p,
            metric_p.get().and_then(|k| Metric::from_key(&k)).is_some(),
            "metric",
            "AIC",
            &mut out,
        );
        bad(
            x_p,
            x_p.get().and_then(|k| XAxis::from_key(&k)).is_some(),
            "x",
            "session dates",
            &mut out,
        );
        bad(
            cmp_p,
            cmp_p.get().and_then(|k| Compare::from_key(&k)).is_some(),
            "cmp",
            "Akaike weights",
            &mut out,
        );
        out
    })
}

/// The panel, with `charts` (the charts themselves) inside while it is open.
#[component]
pub fn ChartsPanel(charts: ViewFn) -> impl IntoView {
    let folded = url_param("charts", false);
    let problems = chart_problems();
    view! {
        // Said even when the charts are folded.
        <ParamProblems problems testid="chart-problems" />
        <details
            class="charts-panel"
            data-testid="charts"
            prop:open=move || folded.get().as_deref() != Some("0")
            on:toggle=move |ev| {
                use wasm_bindgen::JsCast;
                let open = ev.target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    .is_some_and(|d| d.open());
                let want = (!open).then(|| "0".to_string());
                if folded.get_untracked() != want {
                    folded.set(want);
                }
            }
        >
            <summary><h2>"Charts"</h2></summary>
            // Folded, nothing is fetched, built or drawn.
            <Show when=move || folded.get().as_deref() != Some("0")>{charts.run()}</Show>
        </details>
    }
}
