//! A loaded table of model fits with everything people do to it, all kept in the URL: the
//! generic table (sort, columns, filter, page, selection) plus what fits add: the failed-fit
//! switch, figure thumbnails and the figure viewer (`fig`), the details drawer, notes on odd
//! values, and the share tools. Used by the subject page, the search page and their embeds.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::charts_panel::ChartsPanel;
use crate::components::explorer::ExplorerProps;
use crate::components::expr_filter::{ExprBox, ExprFilter};
use crate::components::figure::FigureViewer;
use crate::components::fit_details::FitDetails;
use crate::components::fits_decor::{decor, param_axes};
use crate::components::model_legend::hidden_models;
use crate::components::parts::{explorer_part, later, subject_charts_part};
use crate::components::picked::{Picked, PickedBar, PickedRows};
use crate::components::share::{Format, ShareInfo, ShareTools};
use crate::components::subject_charts::{figure_callbacks, SubjectChartsProps};
use crate::context::{use_config, use_embed, use_site_base, RowsArriving};
use crate::datasets::foraging::columns::spec;
use crate::datasets::foraging::export;
use crate::datasets::foraging::load::{Origin, Snapshot};
use crate::datasets::foraging::rows::{FitRow, FitTable};
use crate::hooks::fit_load::FitLoad;
use crate::hooks::url_param::url_param;
use crate::net::perf::{self, Phase};
use crate::net::s3::figure_url;
use crate::table::model::{rows_at, Rows, TableModel};
use crate::table::view::{ColumnChooser, DataTable, Pager, ParamProblems, QuickFilter, RowCount};

/// The table of a load's latest snapshot (shared, never copied).
fn latest_table(snapshot: RwSignal<Option<Snapshot>>) -> Memo<Arc<FitTable>> {
    Memo::new_with_compare(
        move |_| snapshot.with(|s| s.as_ref().map(|s| s.table.clone()).unwrap_or_default()),
        |a, b| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    )
}

/// Times each snapshot from its making to the next frame after it is on screen, and marks the
/// first rows, the rows from the cache and the complete rows for benchmarks.
fn mark_renders(snapshot: RwSignal<Option<Snapshot>>) {
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let Some((made_at, origin, complete)) =
            snapshot.with(|s| s.as_ref().map(|s| (s.made_at, s.origin, s.complete)))
        else {
            return;
        };
        request_animation_frame(move || {
            perf::measure(Phase::Render, made_at);
            if first.try_get_value() == Some(true) {
                first.try_set_value(false);
                perf::mark("aind:first-rows");
            }
            match (origin, complete) {
                (Origin::Cache { .. }, _) => perf::mark("aind:rows-from-cache"),
                (Origin::Network, true) => perf::mark("aind:all-rows"),
                _ => {}
            }
        });
    });
}

#[component]
pub fn FitsView(
    load: FitLoad,
    default_columns: Vec<&'static str>,
    /// Draw the subject charts above the table.
    #[prop(optional)]
    charts: bool,
    /// File stem of downloads, embed title and Python snippet (None: no snippet).
    share: (String, String, Option<String>),
) -> impl IntoView {
    let embed = use_embed();
    let s3_base = use_config().s3_base;
    let spec = Arc::new(spec(&default_columns));
    let spec_for_explorer = spec.clone();
    let table = latest_table(load.snapshot);
    // "loading" while pages arrive, "refreshing" while the rows on screen are refreshed.
    let state = move || {
        let complete = load
            .snapshot
            .with(|s| s.as_ref().is_some_and(|s| s.complete));
        match (complete, load.refreshing.get()) {
            (false, _) => "loading",
            (true, true) => "refreshing",
            (true, false) => "complete",
        }
    };
    // Until the load's rows are complete, empty tables and charts inside say "loading".
    provide_context(RowsArriving(Signal::derive(move || state() == "loading")));
    // Models hidden by the charts' legend are left out of the table too.
    let hide = url_param("hide", false);
    let hidden = hidden_models(hide);
    let rows: Memo<Rows<FitRow>> = Memo::new_with_compare(
        move |_| {
            let t = table.get();
            hidden.with(|h| {
                Arc::new(if h.is_empty() {
                    t.rows.clone()
                } else {
                    t.rows
                        .iter()
                        .filter(|r| !h.contains(&r.agent_alias))
                        .cloned()
                        .collect()
                })
            })
        },
        |a, b| !matches!((a, b), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    // Successful rows come first, also with models left out.
    let n_success =
        Memo::new(move |_| rows.with(|r| r.iter().take_while(|r| r.is_success()).count()));
    let failed = url_param("failed", false);
    let fig = url_param("fig", false);
    let show_failed = Memo::new(move |_| matches!(failed.get().as_deref(), Some("1" | "true")));
    let candidates = Signal::derive(move || {
        if show_failed.get() {
            rows.with(|r| r.len())
        } else {
            n_success.get()
        }
    });
    // Rows picked in the explorer; the table may show only them.
    let picked = Picked::new();
    let key_of: Arc<dyn Fn(usize) -> String + Send + Sync> = {
        let spec = spec.clone();
        Arc::new(move |i| {
            rows.with_untracked(|r| r.get(i).map(|x| (spec.row_key)(x)).unwrap_or_default())
        })
    };
    let picked_rows = {
        let spec = spec.clone();
        Memo::new(move |_| rows.with(|r| picked.positions(r.len(), |i| (spec.row_key)(&r[i]))))
    };
    // The expression filter and the picked rows (when only they are shown) restrict the rows
    // of the table and of every chart.
    let expr = ExprFilter::new(spec.clone(), rows, candidates);
    let within = Signal::derive(move || {
        let kept = expr.kept();
        let only = picked.only.get().then(|| picked_rows.get());
        match (kept, only) {
            (Some(k), Some(p)) => Some(Arc::new(
                k.iter()
                    .copied()
                    .filter(|i| p.binary_search(i).is_ok())
                    .collect(),
            )),
            (Some(k), None) => Some(k),
            (None, Some(p)) => Some(Arc::new(p)),
            (None, None) => None,
        }
    });
    let model = TableModel::within(spec, rows.into(), candidates, within);
    // Another expression or the picked rows shown alone start at the first page (as the text
    // filter does); rows arriving do not.
    let narrowing = Memo::new(move |_| (expr.applied(), picked.only.get()));
    Effect::new(move |prev: Option<()>| {
        narrowing.track();
        if prev.is_some() {
            model.url.page.set(None);
        }
    });
    mark_renders(load.snapshot);
    let selected = Memo::new(move |_| {
        let i = model.selected()?;
        rows.with(|r| r.get(i).cloned())
    });
    let n_failed = Memo::new(move |_| table.with(|t| t.failed().len()));

    let problems = Memo::new(move |_| {
        let mut out = model.problems.get();
        if let Some(f) = failed
            .get()
            .filter(|f| !matches!(f.as_str(), "1" | "0" | "true" | "false"))
        {
            out.push(format!(
                "failed: \"{f}\" should be 1 or 0; failed fits hidden."
            ));
        }
        if let Some(key) = fig.get() {
            if table.with(|t| t.find(&key).is_none()) {
                out.push(format!("fig: no fit with id \"{key}\" in these results."));
            }
        }
        out
    });

    let on_open_figure = Callback::new(move |key: String| fig.set(Some(key)));
    let viewer = {
        let s3_base = s3_base.clone();
        move || {
            let key = fig.get()?;
            let row = table.with(|t| t.find(&key).cloned())?;
            let url = figure_url(&row.s3_location, s3_base.as_deref()).ok()?;
            let caption = format!("{} · {}", row.agent_alias, row.nwb_name);
            Some(view! {
                <FigureViewer url caption on_close=Callback::new(move |_| fig.set(None)) />
            })
        }
    };
    let details = {
        let s3_base = s3_base.clone();
        move || {
            let row = selected.get()?;
            Some(view! {
                <FitDetails
                    row
                    s3_base=s3_base.clone()
                    on_close=Callback::new(move |_| model.url.sel.set(None))
                    on_open_figure
                />
            })
        }
    };
    // The table or the explorer (`view=explore`).
    let view_p = url_param("view", false);
    let exploring = Memo::new(move |_| view_p.get().as_deref() == Some("explore"));
    let all_rows: Memo<Rows<FitRow>> = Memo::new_with_compare(
        move |_| Arc::new(table.get().rows.clone()),
        |a, b| !matches!((a, b), (Some(a), Some(b)) if a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| Arc::ptr_eq(x, y))),
    );
    let explorer = {
        let s3_base = s3_base.clone();
        let file_stem = share.0.clone();
        let spec = spec_for_explorer.clone();
        move || {
            let (thumb, open) = figure_callbacks(rows, s3_base.clone(), on_open_figure);
            let row_lines = Callback::new(move |i: usize| {
                rows.with_untracked(|r| {
                    r.get(i).map_or(Vec::new(), |f| {
                        vec![
                            format!("Subject {}", f.subject_id.as_deref().unwrap_or("–")),
                            format!(
                                "Session {} · {}",
                                f.session_date.as_deref().unwrap_or("–"),
                                f.agent_alias
                            ),
                        ]
                    })
                })
            });
            let picked = PickedRows {
                picked,
                rows: picked_rows,
                also: Signal::derive(move || model.selected()),
                key_of: key_of.clone(),
                on_show: Callback::new(move |_| view_p.set(None)),
            };
            let (spec, file_stem) = (spec.clone(), file_stem.clone());
            later("explorer", move || {
                explorer_part(
                    ExplorerProps::builder()
                        .spec(spec.clone())
                        .rows(rows)
                        .palette_rows(all_rows)
                        .shown(model.order)
                        .defaults(("session_date", "AIC"))
                        .rank(crate::datasets::foraging::columns::SESSION_INDEX)
                        .extra(param_axes(rows))
                        .picked(picked.clone())
                        .thumb(thumb)
                        .on_open(open)
                        .row_lines(row_lines)
                        .file_stem(file_stem.clone())
                        .build(),
                )
            })
        }
    };
    let (file_stem, title, python) = share;
    let charts_view = charts.then(|| {
        let (s3_base, file_stem) = (s3_base.clone(), file_stem.clone());
        let charts = ViewFn::from(move || {
            let (s3_base, file_stem) = (s3_base.clone(), file_stem.clone());
            later("charts", move || {
                subject_charts_part(
                    SubjectChartsProps::builder()
                        .table(table)
                        .rows(rows)
                        .shown(model.order)
                        .hide(hide)
                        .on_open_figure(on_open_figure)
                        .s3_base(s3_base.clone())
                        .file_stem(file_stem.clone())
                        .build(),
                )
            })
        });
        view! { <ChartsPanel charts /> }
    });
    let share = ShareInfo {
        file_stem,
        title,
        python,
        export: Arc::new(move |format| {
            let visible = rows_at(&rows.get_untracked(), &model.order.get_untracked());
            let refs: Vec<&FitRow> = visible.iter().map(|r| r.as_ref()).collect();
            let text = match format {
                Format::Csv => export::to_csv(&refs),
                Format::Json => export::to_json(&refs),
            };
            (text, refs.len())
        }),
    };

    view! {
        <div
            class="results-view"
            class:embed=embed
            class:has-details=move || model.url.sel.get().is_some()
            data-state=state
            data-saved=move || load.saved.get().then_some("1")
        >
            <ParamProblems problems />
            <div class="toolbar" role="toolbar" aria-label="Table tools">
                <QuickFilter model placeholder="Filter rows: model, session, tag…" />
                <label class="switch">
                    <input
                        type="checkbox"
                        data-testid="toggle-failed"
                        prop:checked=move || show_failed.get()
                        disabled=move || n_failed.get() == 0
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            failed.set(on.then(|| "1".to_string()));
                            model.url.page.set(None);
                        }
                    />
                    {move || format!(" Show failed fits ({})", n_failed.get())}
                </label>
                <ColumnChooser model />
                <span class="toolbar-gap"></span>
                {(!embed).then(|| view! { <ShareTools share=share.clone() /> })}
            </div>
            <ExprBox filter=expr noun=("fit", "fits") />
            {move || {
                let n = hidden.with(Vec::len);
                (n > 0).then(|| view! {
                    <p class="banner info" data-testid="models-hidden">
                        {format!("{n} model{} hidden by the chart legend. ", if n == 1 { "" } else { "s" })}
                        <button class="btn small" on:click=move |_| hide.set(None)>"Show all models"</button>
                    </p>
                })
            }}
            {charts_view}
            // Tabs as the ARIA pattern has them: one in the tab order, arrows move between them.
            <div class="view-tabs" role="tablist" aria-label="Show the rows as" on:keydown=move |ev: web_sys::KeyboardEvent| {
                let explore = match ev.key().as_str() {
                    "ArrowLeft" | "ArrowRight" => !exploring.get_untracked(),
                    "Home" => false,
                    "End" => true,
                    _ => return,
                };
                ev.prevent_default();
                view_p.set(explore.then(|| "explore".to_string()));
                let id = if explore { "tab-explorer" } else { "tab-table" };
                if let Some(el) = document().get_element_by_id(id) {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            }>
                <button role="tab" class="view-tab" id="tab-table" data-testid="tab-table" aria-controls="view-panel"
                    aria-selected=move || (!exploring.get()).to_string()
                    tabindex=move || if exploring.get() { "-1" } else { "0" }
                    on:click=move |_| view_p.set(None)>"Table"</button>
                <button role="tab" class="view-tab" id="tab-explorer" data-testid="tab-explorer" aria-controls="view-panel"
                    aria-selected=move || exploring.get().to_string()
                    tabindex=move || if exploring.get() { "0" } else { "-1" }
                    on:click=move |_| view_p.set(Some("explore".into()))>"Explorer"</button>
            </div>
            <div role="tabpanel" id="view-panel" aria-labelledby=move || if exploring.get() { "tab-explorer" } else { "tab-table" }>
                <Show when=move || !exploring.get()>
                    <RowCount model />
                    <PickedBar picked noun=("fit", "fits") />
                </Show>
                <Show
                    when=move || exploring.get()
                    fallback=move || view! {
                        <DataTable model decor=decor(rows, s3_base.clone(), on_open_figure, use_site_base(), picked_rows) label="Model fits" />
                        <Pager model />
                    }
                >
                    {explorer.clone()}
                </Show>
            </div>
            {details}
            {viewer}
        </div>
    }
}
