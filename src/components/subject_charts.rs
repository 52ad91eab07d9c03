//! The subject page's charts, above its table: a metric over sessions, model comparison (a heat
//! strip per session, how often each model is best, a ranked summary), fitted parameters of one
//! model, and trials per session. They draw the rows the table shows, so its filter, the
//! failed-fit switch and the model legend (which hides models in both) apply to them too.
//! Every choice is a URL parameter: `metric`, `x`, `cmp`, `pmodel`, `hide`; the panel around them
//! (`charts_panel`) folds them (`charts=0`). A part fetched on first use (`parts`).

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::charts::{fmt_num, Chart};
use crate::components::chart::ChartCanvas;
use crate::components::model_legend::{hidden_models, ModelLegend};
use crate::components::simple_table::{Col, Row, SimpleTable};
use crate::context::{rows_arriving, LOADING};
use crate::datasets::foraging::charts::{
    best_bars, ChartData, Compare, Metric, Models, Sessions, XAxis,
};
use crate::datasets::foraging::rows::{FitRow, FitTable};
use crate::datasets::foraging::session::{session_path, SessionId};
use crate::hooks::url_param::{url_param, UrlParam};
use crate::net::s3::figure_url;
use crate::stats::compare::ModelSummary;
use crate::table::model::Rows;

/// For a chart over `rows`: the figure (thumbnail URL) of row `i`, and opening it.
pub fn figure_callbacks(
    rows: Memo<Rows<FitRow>>,
    s3_base: Option<String>,
    on_open_figure: Callback<String>,
) -> (Callback<usize, Option<String>>, Callback<usize>) {
    let thumb = Callback::new(move |row: usize| {
        rows.with_untracked(|r| {
            r.get(row)
                .and_then(|f| figure_url(&f.s3_location, s3_base.as_deref()).ok())
        })
    });
    let open = Callback::new(move |row: usize| {
        if let Some(key) = rows.with_untracked(|r| r.get(row).map(|f| f.key.clone())) {
            on_open_figure.run(key);
        }
    });
    (thumb, open)
}

/// The rows the charts draw, with the models and sessions of the whole table.
#[derive(Clone, Copy)]
struct Source {
    rows: Memo<Rows<FitRow>>,
    shown: Memo<Vec<usize>>,
    models: Memo<Models>,
    sessions: Memo<Sessions>,
}

impl Source {
    fn with<T>(&self, f: impl FnOnce(&ChartData) -> T) -> T {
        self.rows.with(|rows| {
            self.shown.with(|shown| {
                self.models.with(|models| {
                    self.sessions.with(|sessions| {
                        f(&ChartData {
                            rows,
                            shown,
                            models,
                            sessions,
                        })
                    })
                })
            })
        })
    }
}

#[component]
pub fn SubjectCharts(
    table: Memo<Arc<FitTable>>,
    /// The table's rows (hidden models left out) and the positions it shows.
    rows: Memo<Rows<FitRow>>,
    shown: Memo<Vec<usize>>,
    hide: UrlParam,
    on_open_figure: Callback<String>,
    s3_base: Option<String>,
    file_stem: String,
) -> impl IntoView {
    let metric_p = url_param("metric", false);
    let x_p = url_param("x", false);
    let cmp_p = url_param("cmp", false);
    let pmodel_p = url_param("pmodel", false);
    let hidden = hidden_models(hide);

    let metric = Memo::new(move |_| {
        metric_p
            .get()
            .and_then(|k| Metric::from_key(&k))
            .unwrap_or(Metric::Aic)
    });
    let axis = Memo::new(move |_| {
        x_p.get()
            .and_then(|k| XAxis::from_key(&k))
            .unwrap_or(XAxis::Date)
    });
    let compare = Memo::new(move |_| {
        cmp_p
            .get()
            .and_then(|k| Compare::from_key(&k))
            .unwrap_or(Compare::AicWeight)
    });
    let models = Memo::new(move |_| table.with(|t| Models::of(&t.rows)));
    let sessions = Memo::new(move |_| table.with(|t| Sessions::of(t.success())));
    // Every chart is built from the same view of the rows.
    let src = Source {
        rows,
        shown,
        models,
        sessions,
    };
    let metric_chart = Memo::new(move |_| {
        let (m, x) = (metric.get(), axis.get());
        src.with(|d| Chart::Xy(d.metric(m, x)))
    });
    let heat = Memo::new(move |_| {
        let c = compare.get();
        src.with(|d| Chart::Heat(d.heat(c)))
    });
    let uses_bic = move || matches!(compare.get(), Compare::BicWeight | Compare::DeltaBic);
    let trials = Memo::new(move |_| {
        let x = axis.get();
        src.with(|d| Chart::Xy(d.trials(x)))
    });
    let summary = Memo::new(move |_| src.with(|d| (d.summary(false), d.summary(true))));
    // The bars reuse the summary (the comparison is not made twice).
    let best = Memo::new(move |_| {
        let bic = uses_bic();
        summary.with(|(aic, b)| {
            models.with(|m| Chart::Bars(best_bars(if bic { b } else { aic }, m, bic)))
        })
    });
    // The parameter panels' model: the URL's, else the model most often best by AIC.
    let pmodel = Memo::new(move |_| {
        pmodel_p
            .get()
            .filter(|m| models.with(|ms| ms.0.contains(m)))
            .or_else(|| summary.with(|(aic, _)| aic.first().map(|m| m.model.clone())))
            .unwrap_or_default()
    });
    let params = Memo::new(move |_| {
        let (m, x) = (pmodel.get(), axis.get());
        src.with(|d| d.parameters(&m, x))
    });

    let (thumb, open) = figure_callbacks(rows, s3_base, on_open_figure);
    // Shift+click (or Shift+Enter) on a mark opens its session's page.
    let navigate = use_navigate();
    let session = Callback::new(move |row: usize| {
        let path = rows.with_untracked(|r| {
            let f = r.get(row)?;
            let id = SessionId {
                date: f.session_date.clone()?,
                nwb: f.nwb_name.clone(),
            };
            Some(session_path(f.subject_id.as_deref()?, &id))
        });
        if let Some(path) = path {
            navigate(&path, Default::default());
        }
    });
    let alt = (session, "the session page");
    let heat_height = move || {
        90.0 + 26.0
            * heat.with(|h| match h {
                Chart::Heat(h) => h.rows.len().max(2) as f64,
                _ => 2.0,
            })
    };
    let bars_height = move || {
        70.0 + 26.0
            * best.with(|b| match b {
                Chart::Bars(b) => b.bars.len().max(2) as f64,
                _ => 2.0,
            })
    };
    let stem = move |what: &str| format!("{file_stem}-{what}");
    // Signals, so that the panel can build its charts again when it is opened again.
    let (s_metric, s_cmp, s_best, s_trials) = (
        Signal::stored(stem("metric")),
        Signal::stored(stem("comparison")),
        Signal::stored(stem("best")),
        Signal::stored(stem("trials")),
    );
    let s_params = Signal::stored(stem("params"));

    view! {
        <ModelLegend
            models=Signal::derive(move || models.get().0.into_iter().enumerate().map(|(i, m)| (m, i)).collect())
            hidden
            hide
        />
        <section class="chart-block" aria-labelledby="metric-h">
            <div class="chart-head">
                <h3 id="metric-h">"Metric over sessions"</h3>
                <label>
                    "Metric "
                    {choice_select("chart-metric", metric_p, Metric::ALL.map(|m| (m, m.key(), m.label())).to_vec(), Metric::Aic, metric)}
                </label>
                <label>
                    "x axis "
                    {choice_select("chart-x", x_p, vec![
                        (XAxis::Date, XAxis::Date.key(), "Session date"),
                        (XAxis::Index, XAxis::Index.key(), "Session index"),
                    ], XAxis::Date, axis)}
                </label>
            </div>
            <ChartCanvas chart=metric_chart.into() name=s_metric height=320.0 thumb on_open=open on_alt_open=alt testid="chart-metric-plot" />
        </section>
        <section class="chart-block" aria-labelledby="cmp-h">
            <div class="chart-head">
                <h3 id="cmp-h">"Model comparison"</h3>
                <label>
                    "Show "
                    {choice_select("chart-compare", cmp_p, Compare::ALL.map(|c| (c, c.key(), c.label())).to_vec(), Compare::AicWeight, compare)}
                </label>
            </div>
            // Heights follow the number of models; the canvases stay (and keep focus,
            // tooltip and open data table) when the data changes.
            <ChartCanvas chart=heat.into() name=s_cmp height=Signal::derive(heat_height) thumb on_open=open on_alt_open=alt
                empty="No session has an AIC or BIC among the fits shown." testid="chart-compare-plot" />
            <div class="chart-pair">
                <ChartCanvas chart=best.into() name=s_best height=Signal::derive(bars_height)
                    empty="No session to compare." testid="chart-best" />
                <SummaryTable summary />
            </div>
        </section>
        <section class="chart-block" aria-labelledby="params-h">
            <div class="chart-head">
                <h3 id="params-h">"Fitted parameters"</h3>
                <label>
                    "Model "
                    <select data-testid="chart-pmodel" on:change=move |ev| pmodel_p.set(Some(event_target_value(&ev)))>
                        {move || models.get().0.into_iter().map(|m| {
                            let (name, value) = (m.clone(), m.clone());
                            view! { <option value=value selected=move || pmodel.get() == name>{m}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="param-grid" data-testid="chart-params">
                {move || {
                    let charts = params.get();
                    if charts.is_empty() {
                        let text = if rows_arriving() { LOADING } else { "No fitted parameters for this model among the fits shown." };
                        return view! { <p class="chart-empty">{text}</p> }.into_any();
                    }
                    charts.into_iter().map(|c| {
                        let name = format!("{}-{}", s_params.get_untracked(), c.title);
                        view! {
                            <ChartCanvas chart=Signal::stored(Chart::Xy(c)) name height=200.0 thumb on_open=open on_alt_open=alt testid="chart-param" />
                        }
                    }).collect_view().into_any()
                }}
            </div>
        </section>
        <section class="chart-block" aria-labelledby="trials-h">
            <div class="chart-head"><h3 id="trials-h">"Trials per session"</h3></div>
            <ChartCanvas chart=trials.into() name=s_trials height=220.0 thumb on_open=open on_alt_open=alt testid="chart-trials" />
        </section>
    }
}

/// A `<select>` of a chart's fixed choices (value, URL key, label) bound to `param`; the
/// default choice is written as no parameter, so that links stay short.
fn choice_select<C>(
    testid: &'static str,
    param: UrlParam,
    choices: Vec<(C, &'static str, &'static str)>,
    default: C,
    current: Memo<C>,
) -> impl IntoView
where
    C: Copy + PartialEq + Send + Sync + 'static,
{
    let default_key = choices.iter().find(|c| c.0 == default).map_or("", |c| c.1);
    view! {
        <select data-testid=testid on:change=move |ev| {
            let v = event_target_value(&ev);
            param.set((v != default_key).then_some(v));
        }>
            {choices.into_iter().map(|(c, key, label)| view! {
                <option value=key selected=move || current.get() == c>{label}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn SummaryTable(summary: Memo<(Vec<ModelSummary>, Vec<ModelSummary>)>) -> impl IntoView {
    let columns = || {
        vec![
            Col::text("Model", "model"),
            Col::num("Sessions", "sessions"),
            Col::num("Best (AIC)", "best_aic"),
            Col::num("Best (BIC)", "best_bic"),
            Col::num("Σ ΔAIC", "sum_d_aic"),
            Col::num("Σ ΔBIC", "sum_d_bic"),
            Col::num("Mean Akaike weight", "mean_w"),
        ]
    };
    move || {
        let (aic, bic) = summary.get();
        let rows = aic
            .into_iter()
            .map(|m| {
                let b = bic.iter().find(|x| x.model == m.model);
                Row::from(vec![
                    m.model.clone(),
                    m.sessions.to_string(),
                    m.best.to_string(),
                    b.map(|b| b.best.to_string()).unwrap_or_default(),
                    fmt_num(m.summed_delta),
                    b.map(|b| fmt_num(b.summed_delta)).unwrap_or_default(),
                    fmt_num(m.mean_weight),
                ])
            })
            .collect();
        view! {
            <SimpleTable
                caption="Models ranked by how often they are best (AIC)"
                show_caption=true
                columns=columns()
                rows
                testid="model-summary"
            />
        }
    }
}
