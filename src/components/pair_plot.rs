//! The pair plot of the explorer tab: two to six columns of the rows the table shows, each
//! against each, with their histograms. The columns are a URL parameter of its own
//! (`ex_pair=AIC,BIC,n_trials`, in the grid's order); the groups and hidden groups are the
//! explorer's (`ex_color`, `ex_hide`), so colours match its scatter and the page's other
//! charts. Generic over the rows: the columns come from the table's spec.

use leptos::prelude::*;

use crate::charts::pair::PairChart;
use crate::charts::Chart;
use crate::components::chart::ChartCanvas;
use crate::components::explore_data::ExploreData;
use crate::components::model_legend::{hidden_models, ModelLegend};
use crate::explore::pair::{pair, parse_columns, Pair, PairChoice, MAX_COLUMNS};
use crate::explore::Axis;
use crate::hooks::url_param::{url_param, UrlParam};
use crate::table::view::ParamProblems;

/// Height of the chart: about 170 CSS pixels a row of cells, at most 900.
fn chart_height(columns: usize) -> f64 {
    if columns < 2 {
        200.0
    } else {
        (170.0 * columns as f64 + 50.0).min(900.0)
    }
}

/// `keys` with `key` added at the end (ticked) or taken out, as the URL value.
fn toggled(keys: &[String], key: &str, on: bool) -> Option<String> {
    let mut out: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| *k != key)
        .collect();
    if on {
        out.push(key);
    }
    (!out.is_empty()).then(|| out.join(","))
}

/// What was drawn, in a line: the rows, and per column the rows without a value.
fn counts(p: &Pair) -> String {
    let n = p.chart.rows.len();
    let mut out = format!("{n} row{}", if n == 1 { "" } else { "s" });
    for c in p.chart.columns.iter().filter(|c| c.missing > 0) {
        out.push_str(&format!(" · {} without {}", c.missing, c.label));
    }
    out
}

/// The columns to choose from, as checkboxes; at most [`MAX_COLUMNS`] can be ticked.
#[component]
fn ColumnChecks(
    axis_list: Memo<Vec<Axis>>,
    keys: Memo<Vec<String>>,
    param: UrlParam,
) -> impl IntoView {
    let full = move || keys.with(|k| k.len() >= MAX_COLUMNS);
    let hint = move || {
        let n = keys.with(Vec::len);
        format!("Two to six columns, each against each; {n} chosen.")
    };
    view! {
        <fieldset class="pair-columns" data-testid="pair-columns">
            <legend>"Pair plot columns"</legend>
            <p class="muted pair-hint" id="pair-hint">{hint}</p>
            <div class="pair-options">
                {move || axis_list.get().into_iter().map(|a| {
                    let key = StoredValue::new(a.key.clone());
                    let on = move || keys.with(|k| key.with_value(|key| k.contains(key)));
                    view! {
                        <label class="switch">
                            <input
                                type="checkbox"
                                data-key=a.key
                                aria-describedby="pair-hint"
                                prop:checked=on
                                prop:disabled=move || !on() && full()
                                on:change=move |ev| {
                                    let v = keys.with_untracked(|k| {
                                        key.with_value(|key| toggled(k, key, event_target_checked(&ev)))
                                    });
                                    param.set(v);
                                }
                            />
                            {a.label}
                        </label>
                    }
                }).collect_view()}
            </div>
            <Show when=move || keys.with(|k| !k.is_empty())>
                <button class="btn small" data-testid="pair-clear" on:click=move |_| param.set(None)>
                    "Clear"
                </button>
            </Show>
        </fieldset>
    }
}

#[component]
pub fn PairPlot<R: Send + Sync + 'static>(
    /// The explorer's rows and axes (columns, the session index, fitted parameters).
    data: ExploreData<R>,
    /// The text columns (groups).
    groups: Memo<Vec<(String, String)>>,
    /// The figure (thumbnail URL) of row `i`.
    thumb: Callback<usize, Option<String>>,
    /// Opens row `i` (its figure).
    on_open: Callback<usize>,
    /// What row `i` is, for the tooltip (subject, session).
    row_lines: Callback<usize, Vec<String>>,
    file_stem: String,
) -> impl IntoView {
    let (pp, pc, hide) = (
        url_param("ex_pair", false),
        url_param("ex_color", false),
        url_param("ex_hide", false),
    );
    let hidden = hidden_models(hide);
    let (rows, axis_list) = (data.rows, data.axis_list);
    let parsed = Memo::new(move |_| axis_list.with(|a| parse_columns(pp.get().as_deref(), a)));
    let keys = Memo::new(move |_| parsed.with(|p| p.0.clone()));
    // The explorer's colour column when it is one of text (the explorer says when it is not).
    let color = Memo::new(move |_| {
        let c = pc.get()?;
        groups.with(|g| g.iter().any(|g| g.0 == c)).then_some(c)
    });
    let choice = Memo::new(move |_| PairChoice {
        columns: keys.get(),
        color: color.get(),
        hidden: hidden.get(),
    });
    let result = Memo::new(move |_| data.with(|d| choice.with(|c| pair(d, c))));
    let chart = Memo::new(move |_| {
        Chart::Pair(result.with(|r| {
            r.as_ref()
                .map(|p| p.chart.clone())
                .unwrap_or_else(|_| PairChart::default())
        }))
    });
    let empty = Signal::derive(move || {
        if rows.with(|r| r.is_empty()) {
            return "No rows to draw yet.".to_string();
        }
        result.with(|r| match r {
            Err(why) => why.clone(),
            Ok(_) => "No row shown has a value in these columns.".to_string(),
        })
    });
    let legend: Signal<Vec<(String, usize)>> = Signal::derive(move || {
        result.with(|r| r.as_ref().map(|p| p.groups.clone()).unwrap_or_default())
    });
    let line = move || result.with(|r| r.as_ref().map(counts).unwrap_or_default());
    let height = Signal::derive(move || chart_height(keys.with(Vec::len)));
    let name = Signal::derive(move || keys.with(|k| format!("{file_stem}_pair_{}", k.join("_"))));
    // Before the first rows, columns of dates are not known yet: nothing to complain about.
    let problems = Signal::derive(move || {
        if rows.with(|r| r.is_empty()) {
            Vec::new()
        } else {
            parsed.with(|p| p.1.clone())
        }
    });
    view! {
        <section class="pair-plot card" aria-label="Pair plot" data-testid="pair-plot">
            <ParamProblems problems testid="pair-problems" />
            <ColumnChecks axis_list keys param=pp />
            <p class="muted" data-testid="pair-count">{line}</p>
            <Show when=move || legend.with(|l| !l.is_empty())>
                <ModelLegend models=legend hidden hide testid="pair-legend" label="Groups (click to hide or show)" />
            </Show>
            <ChartCanvas
                chart=chart.into()
                name
                height
                empty
                thumb
                on_open
                row_lines
                testid="chart-pair"
            />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticking_adds_at_the_end_and_unticking_removes() {
        let keys = vec!["aic".to_string(), "bic".to_string()];
        assert_eq!(toggled(&keys, "n", true).as_deref(), Some("aic,bic,n"));
        assert_eq!(toggled(&keys, "aic", false).as_deref(), Some("bic"));
        assert_eq!(toggled(&keys[..1], "aic", false), None);
        assert_eq!(chart_height(3), 560.0);
        assert_eq!(chart_height(6), 900.0);
    }
}
