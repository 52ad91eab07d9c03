//! Parts of the chart component: the tooltip beside the active mark, and the chart's data as
//! a table on request (its text alternative).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::charts::Chart;
use crate::components::simple_table::{Col, Row, SimpleTable};

/// Rows of the data table shown on the page (the CSV download has them all).
const TABLE_ROWS: usize = 500;

/// What the tooltip says, and where (CSS pixels of the mark).
#[derive(Clone, Debug, PartialEq)]
pub struct Tip {
    pub left: f64,
    pub top: f64,
    pub lines: Vec<String>,
    pub thumb: Option<String>,
    pub opens: bool,
}

/// The tooltip, beside the mark (left of it in the right part of a chart `width` wide).
#[component]
pub fn TipBox(
    tip: Tip,
    width: f64,
    /// A tooltip for a whole column of marks (over trials).
    wide: bool,
    /// What a click does.
    hint: &'static str,
    /// What Shift+click opens.
    alt: Option<&'static str>,
) -> impl IntoView {
    let t = tip;
    let style = if t.left > width * 0.6 {
        format!("right:{}px;top:{}px", width - t.left + 12.0, t.top + 12.0)
    } else {
        format!("left:{}px;top:{}px", t.left + 12.0, t.top + 12.0)
    };
    view! {
        <div class="chart-tip" class:wide=wide style=style role="status" data-testid="chart-tip">
            {t.lines.into_iter().enumerate().map(|(i, l)| view! {
                <div class:tip-head=i == 0>{l}</div>
            }).collect_view()}
            {t.thumb.map(|src| view! { <img class="tip-thumb" src=src alt="" /> })}
            {t.opens.then(|| view! {
                <div class="tip-hint">
                    {hint}
                    {alt.map(|what| format!(" · Shift+click: {what}"))}
                </div>
            })}
        </div>
    }
}

/// The chart's data as a table, built when opened.
#[component]
pub fn ChartDataTable(chart: Signal<Chart>, label: Signal<String>) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <details class="chart-data" on:toggle=move |ev| {
            let is_open = ev.target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                .is_some_and(|d| d.open());
            open.set(is_open);
        }>
            <summary data-testid="chart-data">"Data table"</summary>
            {move || open.get().then(|| {
                let t = chart.with(Chart::table);
                let more = t.rows.len().saturating_sub(TABLE_ROWS);
                view! {
                    <SimpleTable
                        caption=format!("Data of {}", label.get())
                        columns=t.headers.into_iter().map(|h| Col::text(h, "")).collect()
                        rows=t.rows.into_iter().take(TABLE_ROWS).map(Row::from).collect()
                        testid="chart-data-table"
                    />
                    {(more > 0).then(|| view! { <p class="muted">{format!("and {more} more rows (the CSV download has them all)")}</p> })}
                }
            })}
        </details>
    }
}

/// What the keys do on the focused chart (its accessible name says it).
pub fn keys_help(trials: bool, selects: bool) -> &'static str {
    match (trials, selects) {
        (true, _) => "Arrow keys step through the trials; + and − zoom, Page Up and Page Down move, 0 shows every trial.",
        (false, true) => "Arrow keys step through the points; Enter opens a fit's figure. Space selects it (Shift adds); a drag selects a box or a lasso.",
        (false, false) => "Arrow keys step through the points; Enter opens a fit's figure.",
    }
}
