//! The explorer tab: any column against any other over the rows the table shows (its filter and
//! switches apply), coloured by groups or on a scale, shaped by groups, sized by a number, with
//! log axes, trends, hover with the fit's figure and click to open it. Every choice is a URL
//! parameter (see [`url::ExUrl`]). Generic over the rows: the columns come from the table's spec.

mod layer_controls;
mod look;
mod url;

use std::sync::Arc;

use leptos::prelude::*;

use crate::charts::encode::Shape;
use crate::charts::Chart;
use crate::components::chart::ChartCanvas;
use crate::components::explore_data::ExploreData;
use crate::components::fields::{flag, ColumnSelect, Switch};
use crate::components::model_legend::{hidden_models, ModelLegend};
use crate::components::pair_plot::PairPlot;
use crate::components::picked::{PickedBar, PickedRows};
use crate::explore::scatter::ExtraFn;
use crate::explore::trend::{binning_key, parse_binning, trends, Trend, TrendOf, TrendSpec};
use crate::explore::{axes, empty_chart, groupings, ranks, scatter, Axis, Choice, RankAxis};
use crate::stats::bins::Binning;
use crate::table::model::Rows;
use crate::table::view::ParamProblems;
use crate::table::TableSpec;

use crate::explore::layers::{layers, LayerChoice};
use layer_controls::LayerControls;
use look::LookControls;
use url::ExUrl;

/// Axes beyond the table's columns (fitted parameters): their (key, label), and the value of
/// row `i` on one.
#[derive(Clone)]
pub struct ExtraAxes {
    pub axes: Memo<Vec<(String, String)>>,
    pub value: Arc<ExtraFn>,
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
    /// A rank within groups offered as an axis (the session index within a subject).
    #[prop(optional)]
    rank: Option<RankAxis>,
    /// More axes the page derives from its rows (fitted parameters).
    #[prop(optional)]
    extra: Option<ExtraAxes>,
    /// Rows picked by clicks, boxes and lassos (shared with the table).
    #[prop(optional)]
    picked: Option<PickedRows>,
    /// The figure (thumbnail URL) of row `i`.
    thumb: Callback<usize, Option<String>>,
    /// Opens row `i` (its figure).
    on_open: Callback<usize>,
    /// What row `i` is, for the tooltip (subject, session).
    row_lines: Callback<usize, Vec<String>>,
    file_stem: String,
) -> impl IntoView {
    let u = ExUrl::new();
    let picked_only = picked.as_ref().map(|p| p.picked.only);
    let extra_axes = extra.as_ref().map(|e| e.axes);
    let extra_value = StoredValue::new(extra.map(|e| e.value));
    let spec = StoredValue::new(spec);
    let rank = StoredValue::new(rank);
    let rank_values: Memo<Vec<Option<f64>>> = Memo::new(move |_| {
        rank.with_value(|k| {
            k.as_ref()
                .and_then(|k| rows.with(|r| spec.with_value(|s| ranks(s.as_ref(), r, k))))
                .unwrap_or_default()
        })
    });
    let axis_list: Memo<Vec<Axis>> = Memo::new(move |_| {
        let mut a = rows.with(|r| spec.with_value(|s| axes(s.as_ref(), r)));
        let has_ranks = rank_values.with(|v| !v.is_empty());
        if let Some(k) = rank.with_value(|k| k.clone()).filter(|_| has_ranks) {
            // Beside the column it ranks by (the session date), else first.
            let at = a
                .iter()
                .position(|x| k.order.first() == Some(&x.key.as_str()))
                .map_or(0, |i| i + 1);
            a.insert(at, k.axis());
        }
        if let Some(e) = &extra_axes {
            e.with(|e| {
                a.extend(e.iter().map(|(key, label)| Axis {
                    key: key.clone(),
                    label: label.clone(),
                    kind: crate::explore::AxisKind::Extra,
                }))
            });
        }
        a
    });
    let groups = Memo::new(move |_| {
        rows.with(|r| axis_list.with(|a| spec.with_value(|s| groupings(s.as_ref(), r, a))))
    });
    let resolved = Memo::new(move |_| {
        let params = u.params();
        let (choice, mut problems) =
            axis_list.with(|a| groups.with(|g| Choice::resolve(&params, a, g, defaults)));
        if let Some(t) = u.trend.get().filter(|t| Trend::parse(t).is_none()) {
            problems.push(format!("ex_trend: \"{t}\" is not a trend; none drawn."));
        }
        if let Some(b) = u
            .bins
            .get()
            .filter(|b| binning_key(parse_binning(Some(b))) != *b)
        {
            problems.push(format!(
                "ex_bins: \"{b}\" is not a binning; 8 quantiles used."
            ));
        }
        if let Some(o) = u.of.get().filter(|o| TrendOf::parse(o).is_none()) {
            problems.push(format!("ex_of: \"{o}\" is not a choice; the default used."));
        }
        problems.extend(LayerChoice::resolve(&u.layer_params()).1);
        problems.extend(u.problems());
        (choice, problems)
    });
    let layer_choice = Memo::new(move |_| LayerChoice::resolve(&u.layer_params()).0);
    let choice = Memo::new(move |_| resolved.with(|r| r.0.clone()));
    // Colour by groups (a legend) or on a scale (a colour bar).
    let color_is_scale = Memo::new(move |_| {
        choice.with(|c| {
            c.color
                .as_ref()
                .is_some_and(|k| axis_list.with(|a| a.iter().any(|x| &x.key == k)))
        })
    });
    let data = ExploreData {
        spec,
        rows,
        shown,
        axis_list,
        rank_values,
        palette_rows,
        extra: extra_value,
    };
    let scattered = Memo::new(move |_| data.with(|d| choice.with(|c| scatter(d, c))));
    // The groups as a legend whose entries hide and show them (`ex_hide`).
    let hidden = hidden_models(u.hide);
    let legend: Signal<Vec<(String, usize)>> = Signal::derive(move || {
        if !choice.with(|c| c.color.is_some()) || color_is_scale.get() {
            return Vec::new();
        }
        scattered.with(|s| {
            s.iter()
                .flat_map(|s| s.chart.series.iter().map(|x| (x.label.clone(), x.color)))
                .collect()
        })
    });
    let shapes = Memo::new(move |_| {
        scattered.with(|s| {
            s.as_ref()
                .and_then(|s| s.chart.encoding.as_ref())
                .and_then(|e| e.shapes.clone())
        })
    });
    // Trends (`ex_trend`, `ex_bins`, `ex_of`).
    let trend_spec = Memo::new(move |_| {
        let trend = Trend::parse(u.trend.get().as_deref()?)?;
        Some(TrendSpec {
            trend,
            binning: parse_binning(u.bins.get().as_deref()),
            window: 0,
            frac: 2.0 / 3.0,
        })
    });
    let grouped = Memo::new(move |_| choice.with(|c| c.color.is_some()) && !color_is_scale.get());
    let trend_of = Memo::new(move |_| {
        u.of.get()
            .and_then(|o| TrendOf::parse(&o))
            .unwrap_or(if grouped.get() {
                TrendOf::Groups
            } else {
                TrendOf::All
            })
    });
    let drawn = Memo::new(move |_| {
        scattered.with(|s| match s {
            Some(s) => {
                let mut c = s.chart.clone();
                hidden.with(|h| {
                    if let Some(e) = c.encoding.as_mut() {
                        let mut keep = c.series.iter().map(|x| !h.contains(&x.label));
                        e.looks.retain(|_| keep.next().unwrap_or(true));
                    }
                    c.series.retain(|x| !h.contains(&x.label))
                });
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
                let palette = choice.with(|c| c.look.palette);
                c.layers = layer_choice.with(|l| layers(&c.series, grouped.get(), l, palette));
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
    let bins_value = Memo::new(move |_| binning_key(parse_binning(u.bins.get().as_deref())));
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
        if let Binning::Quantiles(n) = parse_binning(u.bins.get().as_deref()) {
            if !counts.contains(&n) {
                // In order, without a sort (each one compiles a copy of the standard library's).
                counts.insert(counts.partition_point(|c| *c < n), n);
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
    let value = |f: fn(&Choice) -> Option<String>| {
        Memo::new(move |_| choice.with(|c| f(c).unwrap_or_default()))
    };
    let x_value = value(|c| Some(c.x.clone()));
    let y_value = value(|c| Some(c.y.clone()));
    let c_value = value(|c| c.color.clone());
    let shape_value = value(|c| c.shape.clone());
    let size_value = value(|c| c.size.clone());
    let counts = move || {
        let (only, dots) = (
            picked_only.is_some_and(|o| o.get()),
            layer_choice.with(|l| l.hide_points),
        );
        scattered.with(|s| s.as_ref().map_or(String::new(), |s| s.summary(only, dots)))
    };
    let size_note = move || {
        scattered.with(|s| {
            let e = s.as_ref()?.chart.encoding.as_ref()?;
            let z = e.size.as_ref()?;
            Some(format!(
                "Size: {} from {} ({} px) to {} ({} px), gamma {}",
                z.label,
                z.kind.label(z.lo),
                z.min_px,
                z.kind.label(z.hi),
                z.max_px,
                z.gamma
            ))
        })
    };
    let select = picked
        .as_ref()
        .map(|p| p.select(Signal::derive(move || flag(u.lasso))));
    let file_stem2 = file_stem.clone();
    let name = Signal::derive(move || choice.with(|c| format!("{}_{}_vs_{}", file_stem, c.y, c.x)));

    // Before the first rows, columns of dates are not known yet: nothing to complain about.
    let explorer_problems = Signal::derive(move || {
        if rows.with(|r| r.is_empty()) {
            Vec::new()
        } else {
            resolved.with(|r| r.1.clone())
        }
    });
    // A scatter, or a pair plot of several columns (`ex_mode=pair`).
    let pair = Memo::new(move |_| u.mode.get().as_deref() == Some("pair"));
    let pair_plot = move || {
        view! {
            <PairPlot
                data
                groups
                thumb
                on_open
                row_lines
                file_stem=file_stem2.clone()
            />
        }
    };
    let mode_radio = move |label: &'static str, id: &'static str, to_pair: bool| {
        view! {
            <label class="switch">
                <input type="radio" name="ex-mode" data-testid=id
                    prop:checked=move || pair.get() == to_pair
                    on:change=move |_| u.mode.set(to_pair.then(|| "pair".to_string())) />
                {label}
            </label>
        }
    };
    view! {
        <div class="explorer-mode" role="radiogroup" aria-label="Chart">
            {mode_radio(" Scatter", "ex-mode-scatter", false)}
            {mode_radio(" Pair plot", "ex-mode-pair", true)}
        </div>
        <Show when=move || !pair.get() fallback=pair_plot>
        <section class="explorer card" aria-label="Explorer" data-testid="explorer">
            <ParamProblems problems=explorer_problems testid="explorer-problems" />
            <div class="explorer-controls" role="group" aria-label="Axes">
                <ColumnSelect label="X" id="ex-x" options=axis_options value=x_value param=u.x />
                <Switch label=" log x" id="ex-logx" param=u.log_x />
                <ColumnSelect label="Y" id="ex-y" options=axis_options value=y_value param=u.y />
                <Switch label=" log y" id="ex-logy" param=u.log_y />
                <ColumnSelect label="Trend" id="ex-trend" options=trend_options value=trend_value param=u.trend none="None" />
                <Show when=move || trend_spec.with(|t| t.is_some_and(|t| t.trend.binned()))>
                    <ColumnSelect label="Bins" id="ex-bins" options=bin_options value=bins_value param=u.bins />
                </Show>
                <Show when=move || trend_spec.with(Option::is_some) && grouped.get()>
                    <ColumnSelect label="Trend of" id="ex-of" options=of_options value=of_value param=u.of />
                </Show>
            </div>
            <div class="explorer-controls" role="group" aria-label="Colour, shape and size">
                <ColumnSelect label="Colour by" id="ex-color" options=groups value=c_value param=u.color none="One colour" more=("Groups", "Scale", axis_options) clears=u.hide />
                <ColumnSelect label="Shape by" id="ex-shape" options=groups value=shape_value param=u.shape none="One shape" />
                <ColumnSelect label="Size by" id="ex-size" options=axis_options value=size_value param=u.size none="One size" />
                <LookControls u scale=Signal::derive(move || color_is_scale.get() || layer_choice.with(|l| l.density)) sized=Signal::derive(move || choice.with(|c| c.size.is_some())) look=Signal::derive(move || choice.with(|c| c.look)) />
            </div>
            <div class="explorer-controls" role="group" aria-label="Histograms and density">
                <LayerControls u choice=layer_choice.into() />
            </div>
            <p class="muted" data-testid="explorer-count">{counts}</p>
            <Show when=move || legend.with(|l| !l.is_empty())>
                <ModelLegend models=legend hidden hide=u.hide testid="explorer-legend" label="Groups (click to hide or show)" />
            </Show>
            {move || shapes.get().map(|(label, names)| view! {
                <p class="shape-legend" data-testid="shape-legend">
                    <span class="muted">{format!("Shape: {label}")}</span>
                    {names.into_iter().enumerate().map(|(i, n)| view! {
                        <span class="shape-key"><span aria-hidden="true">{Shape::of(i).glyph()}</span>" "{n}</span>
                    }).collect_view()}
                </p>
            })}
            {picked.clone().map(|p| {
                let picked = p.picked;
                view! {
                    <div class="explorer-controls select-tools" role="group" aria-label="Selection">
                        <span class="muted">"Drag to select:"</span>
                        <label class="switch"><input type="radio" name="ex-drag" data-testid="ex-box" prop:checked=move || !flag(u.lasso) on:change=move |_| u.lasso.set(None) />" box"</label>
                        <label class="switch"><input type="radio" name="ex-drag" data-testid="ex-lasso" prop:checked=move || flag(u.lasso) on:change=move |_| u.lasso.set(Some("1".into())) />" lasso"</label>
                        <PickedBar picked noun=("fit", "fits") on_show=p.on_show />
                    </div>
                }
            })}
            <ChartCanvas
                chart=chart.into()
                select=select
                name
                height=Signal::derive(move || if layer_choice.with(|l| l.marginals.is_some()) { 560.0 } else { 460.0 })
                empty="No row shown has values on both axes."
                thumb
                on_open
                row_lines
                testid="chart-explorer"
            />
            {move || size_note().map(|n| view! { <p class="muted" data-testid="size-note">{n}</p> })}
            {move || {
                let n = notes.get();
                (!n.is_empty()).then(|| view! {
                    <ul class="trend-notes" data-testid="trend-notes">
                        {n.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                    </ul>
                })
            }}
        </section>
        </Show>
    }
}
