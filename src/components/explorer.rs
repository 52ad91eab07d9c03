//! The explorer tab: any column against any other over the rows the table shows (its filter and
//! switches apply), coloured by a text column, log axes, hover with the fit's figure, click to
//! open it. Every choice is a URL parameter (`ex_x`, `ex_y`, `ex_color`, `ex_logx`, `ex_logy`).
//! Generic over the rows: the columns come from the table's spec.

use std::sync::Arc;

use leptos::prelude::*;

use crate::charts::Chart;
use crate::components::chart::ChartCanvas;
use crate::components::model_legend::{hidden_models, ModelLegend};
use crate::explore::trend::{binning_key, parse_binning, trends, Trend, TrendOf, TrendSpec};
use crate::explore::{axes, empty_chart, groupings, scatter, Axis, Choice};
use crate::hooks::url_param::{url_param, UrlParam};
use crate::stats::bins::Binning;
use crate::table::model::Rows;
use crate::table::view::ParamProblems;
use crate::table::TableSpec;

fn flag(p: UrlParam) -> bool {
    matches!(p.get().as_deref(), Some("1" | "true"))
}

/// A `<select>` of columns bound to a URL parameter.
#[component]
fn ColumnSelect(
    label: &'static str,
    id: &'static str,
    options: Memo<Vec<(String, String)>>,
    value: Memo<String>,
    param: UrlParam,
    /// The first option, "none" (a colour is optional).
    #[prop(optional)]
    none: Option<&'static str>,
    /// A parameter that a change of this one makes stale (the hidden groups of a colour).
    #[prop(optional)]
    clears: Option<UrlParam>,
) -> impl IntoView {
    view! {
        <label class="field" for=id>
            <span>{label}</span>
            <select
                id=id
                data-testid=id
                prop:value=move || value.get()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(c) = clears {
                        c.set(None);
                    }
                    param.set((!v.is_empty()).then_some(v));
                }
            >
                {none.map(|n| view! { <option value="">{n}</option> })}
                {move || options.get().into_iter().map(|(k, l)| {
                    let selected = value.get_untracked() == k;
                    view! { <option value=k selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Explorer<R: Send + Sync + 'static>(
    spec: Arc<TableSpec<R>>,
    rows: Memo<Rows<R>>,
    /// Every row the page knows (those the table leaves out too), for colours that match the
    /// page's other charts.
    palette_rows: Memo<Rows<R>>,
    /// Positions of the rows the table shows, in its order.
    shown: Memo<Vec<usize>>,
    /// The axes shown when the URL names none.
    defaults: (&'static str, &'static str),
    /// The figure (thumbnail URL) of row `i`.
    thumb: Callback<usize, Option<String>>,
    /// Opens row `i` (its figure).
    on_open: Callback<usize>,
    /// What row `i` is, for the tooltip (subject, session).
    row_lines: Callback<usize, Vec<String>>,
    file_stem: String,
) -> impl IntoView {
    let (px, py, pc) = (
        url_param("ex_x", false),
        url_param("ex_y", false),
        url_param("ex_color", false),
    );
    let (plx, ply) = (url_param("ex_logx", false), url_param("ex_logy", false));
    let (pt, pb, po) = (
        url_param("ex_trend", false),
        url_param("ex_bins", false),
        url_param("ex_of", false),
    );
    let spec = StoredValue::new(spec);
    let axis_list: Memo<Vec<Axis>> =
        Memo::new(move |_| rows.with(|r| spec.with_value(|s| axes(s.as_ref(), r))));
    let groups = Memo::new(move |_| {
        rows.with(|r| axis_list.with(|a| spec.with_value(|s| groupings(s.as_ref(), r, a))))
    });
    let resolved = Memo::new(move |_| {
        let (x, y, c) = (px.get(), py.get(), pc.get());
        let (choice, mut problems) = axis_list.with(|a| {
            groups.with(|g| {
                Choice::resolve(
                    [x.as_deref(), y.as_deref(), c.as_deref()],
                    (flag(plx), flag(ply)),
                    a,
                    g,
                    defaults,
                )
            })
        });
        if let Some(t) = pt.get().filter(|t| Trend::parse(t).is_none()) {
            problems.push(format!("ex_trend: \"{t}\" is not a trend; none drawn."));
        }
        if let Some(b) = pb
            .get()
            .filter(|b| binning_key(parse_binning(Some(b))) != *b)
        {
            problems.push(format!(
                "ex_bins: \"{b}\" is not a binning; 8 quantiles used."
            ));
        }
        if let Some(o) = po.get().filter(|o| TrendOf::parse(o).is_none()) {
            problems.push(format!("ex_of: \"{o}\" is not a choice; the default used."));
        }
        (choice, problems)
    });
    let choice = Memo::new(move |_| resolved.with(|r| r.0.clone()));
    let scattered = Memo::new(move |_| {
        rows.with(|r| {
            shown.with(|s| {
                axis_list.with(|a| {
                    choice.with(|c| {
                        palette_rows
                            .with(|p| spec.with_value(|sp| scatter(sp.as_ref(), r, s, a, c, p)))
                    })
                })
            })
        })
    });
    // The groups as a legend whose entries hide and show them (`ex_hide`).
    let hide = url_param("ex_hide", false);
    let hidden = hidden_models(hide);
    let legend: Signal<Vec<(String, usize)>> = Signal::derive(move || {
        scattered.with(|s| {
            s.iter()
                .filter(|_| choice.with(|c| c.color.is_some()))
                .flat_map(|s| s.chart.series.iter().map(|x| (x.label.clone(), x.color)))
                .collect()
        })
    });
    // Trends (`ex_trend`, `ex_bins`, `ex_of`).
    let trend_spec = Memo::new(move |_| {
        let trend = Trend::parse(pt.get().as_deref()?)?;
        Some(TrendSpec {
            trend,
            binning: parse_binning(pb.get().as_deref()),
            window: 0,
            frac: 2.0 / 3.0,
        })
    });
    let trend_of = Memo::new(move |_| {
        po.get()
            .and_then(|o| TrendOf::parse(&o))
            .unwrap_or(if choice.with(|c| c.color.is_some()) {
                TrendOf::Groups
            } else {
                TrendOf::All
            })
    });
    let drawn = Memo::new(move |_| {
        scattered.with(|s| match s {
            Some(s) => {
                let mut c = s.chart.clone();
                hidden.with(|h| c.series.retain(|x| !h.contains(&x.label)));
                let lines = trend_spec
                    .get()
                    .map(|spec| trends(&c.series, &spec, trend_of.get()))
                    .unwrap_or_default();
                let mut notes: Vec<String> = lines.iter().filter_map(|t| t.note.clone()).collect();
                let logs = choice.with(|c| c.log_x || c.log_y);
                if logs && !lines.is_empty() {
                    notes.push("Trends are computed on the logarithms the log axes show.".into());
                }
                c.overlays = lines.into_iter().map(|t| t.line).collect();
                (Chart::Xy(c), notes)
            }
            None => (Chart::Xy(empty_chart()), Vec::new()),
        })
    });
    let chart = Memo::new(move |_| drawn.with(|d| d.0.clone()));
    let notes = Memo::new(move |_| drawn.with(|d| d.1.clone()));
    let trend_value = Memo::new(move |_| {
        trend_spec.with(|t| t.map_or(String::new(), |t| t.trend.key().to_string()))
    });
    let bins_value = Memo::new(move |_| binning_key(parse_binning(pb.get().as_deref())));
    let of_value = Memo::new(move |_| trend_of.get().key().to_string());
    let trend_options = Memo::new(move |_| {
        Trend::ALL
            .iter()
            .map(|t| (t.key().to_string(), t.label().to_string()))
            .collect::<Vec<_>>()
    });
    let bin_options = Memo::new(move |_| {
        // The offered counts, and the one a link asked for when it is another.
        let mut counts = vec![4, 6, 8, 10, 12, 16, 20];
        if let Binning::Quantiles(n) = parse_binning(pb.get().as_deref()) {
            if !counts.contains(&n) {
                counts.push(n);
                counts.sort_unstable();
            }
        }
        std::iter::once(("exact".to_string(), "Each x value".to_string()))
            .chain(
                counts
                    .into_iter()
                    .map(|n| (format!("q{n}"), format!("{n} quantiles of x"))),
            )
            .collect::<Vec<_>>()
    });
    let of_options = Memo::new(move |_| {
        vec![
            ("groups".to_string(), "Each group".to_string()),
            ("all".to_string(), "All points".to_string()),
            ("both".to_string(), "Each group and all".to_string()),
        ]
    });
    let axis_options = Memo::new(move |_| {
        axis_list.with(|a| {
            a.iter()
                .map(|a| (a.key.clone(), a.label.clone()))
                .collect::<Vec<_>>()
        })
    });
    let x_value = Memo::new(move |_| choice.with(|c| c.x.clone()));
    let y_value = Memo::new(move |_| choice.with(|c| c.y.clone()));
    let c_value = Memo::new(move |_| choice.with(|c| c.color.clone().unwrap_or_default()));
    let counts = move || {
        scattered.with(|s| {
            let Some(s) = s else { return String::new() };
            let mut out = format!("{} point{}", s.points, if s.points == 1 { "" } else { "s" });
            if s.missing > 0 {
                out.push_str(&format!(" · {} without a value on an axis", s.missing));
            }
            if s.not_positive > 0 {
                out.push_str(&format!(
                    " · {} at or below 0 left off the log axis",
                    s.not_positive
                ));
            }
            out
        })
    };
    let name = Signal::derive(move || choice.with(|c| format!("{}_{}_vs_{}", file_stem, c.y, c.x)));
    let log_switch = |label: &'static str, id: &'static str, p: UrlParam| {
        view! {
            <label class="switch">
                <input
                    type="checkbox"
                    data-testid=id
                    prop:checked=move || flag(p)
                    on:change=move |ev| p.set(event_target_checked(&ev).then(|| "1".to_string()))
                />
                {label}
            </label>
        }
    };

    // Before the first rows, columns of dates are not known yet: nothing to complain about.
    let explorer_problems = Signal::derive(move || {
        if rows.with(|r| r.is_empty()) {
            Vec::new()
        } else {
            resolved.with(|r| r.1.clone())
        }
    });
    view! {
        <section class="explorer card" aria-label="Explorer" data-testid="explorer">
            <ParamProblems problems=explorer_problems testid="explorer-problems" />
            <div class="explorer-controls" role="group" aria-label="Explorer choices">
                <ColumnSelect label="X" id="ex-x" options=axis_options value=x_value param=px />
                {log_switch(" log x", "ex-logx", plx)}
                <ColumnSelect label="Y" id="ex-y" options=axis_options value=y_value param=py />
                {log_switch(" log y", "ex-logy", ply)}
                <ColumnSelect label="Colour by" id="ex-color" options=groups value=c_value param=pc none="One colour" clears=hide />
                <ColumnSelect label="Trend" id="ex-trend" options=trend_options value=trend_value param=pt none="None" />
                <Show when=move || trend_spec.with(|t| t.is_some_and(|t| t.trend.binned()))>
                    <ColumnSelect label="Bins" id="ex-bins" options=bin_options value=bins_value param=pb />
                </Show>
                <Show when=move || trend_spec.with(Option::is_some) && choice.with(|c| c.color.is_some())>
                    <ColumnSelect label="Trend of" id="ex-of" options=of_options value=of_value param=po />
                </Show>
            </div>
            <p class="muted" data-testid="explorer-count">{counts}</p>
            <Show when=move || legend.with(|l| !l.is_empty())>
                <ModelLegend models=legend hidden hide testid="explorer-legend" label="Groups (click to hide or show)" />
            </Show>
            <ChartCanvas
                chart=chart.into()
                name
                height=460.0
                empty="No row shown has values on both axes."
                thumb
                on_open
                row_lines
                testid="chart-explorer"
            />
            {move || {
                let n = notes.get();
                (!n.is_empty()).then(|| view! {
                    <ul class="trend-notes" data-testid="trend-notes">
                        {n.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}
