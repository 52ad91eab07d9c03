//! A loaded table of fits with everything people do to it, all kept in the URL: sort, visible
//! columns and their order, the failed-fit switch, a text filter, the page, the selected row and
//! the open figure. Also the share tools: copy link, embed snippet, CSV/JSON downloads and the
//! "Reproduce in Python" snippet. Used by the subject page, the search page and their embeds.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::query_signal_with_options;
use leptos_router::NavigateOptions;

use crate::api::browser;
use crate::app::use_site_base;
use crate::components::embed::embed_view_href;
use crate::components::figure::FigureViewer;
use crate::components::results_table::ResultsTable;
use crate::core::export;
use crate::core::normalize::{FitRow, FitTable};
use crate::core::s3::figure_url;
use crate::core::table::{sort_indices, Column, SortDir};
use crate::core::view::{columns_param, page_bounds, parse_columns, row_matches};

/// Rows per page; 20,000 rows stay smooth because only one page is in the DOM.
pub const PER_PAGE: usize = 100;

/// A URL query parameter as view state. `replace` updates the current history entry (typing in
/// the filter box) instead of adding one (everything else, so back and forward walk the changes).
pub fn url_param(
    key: &'static str,
    replace: bool,
) -> (Memo<Option<String>>, SignalSetter<Option<String>>) {
    query_signal_with_options::<String>(
        key,
        NavigateOptions {
            resolve: false,
            scroll: false,
            replace,
            ..Default::default()
        },
    )
}

/// How the view reads and writes its URL parameters.
#[derive(Clone, Copy)]
struct Params {
    sort: (Memo<Option<String>>, SignalSetter<Option<String>>),
    dir: (Memo<Option<String>>, SignalSetter<Option<String>>),
    failed: (Memo<Option<String>>, SignalSetter<Option<String>>),
    fig: (Memo<Option<String>>, SignalSetter<Option<String>>),
    cols: (Memo<Option<String>>, SignalSetter<Option<String>>),
    q: (Memo<Option<String>>, SignalSetter<Option<String>>),
    page: (Memo<Option<String>>, SignalSetter<Option<String>>),
    sel: (Memo<Option<String>>, SignalSetter<Option<String>>),
}

impl Params {
    fn new() -> Params {
        Params {
            sort: url_param("sort", false),
            dir: url_param("dir", false),
            failed: url_param("failed", false),
            fig: url_param("fig", false),
            cols: url_param("cols", false),
            q: url_param("q", true),
            page: url_param("page", false),
            sel: url_param("sel", false),
        }
    }
}

/// What the share tools need to know about the view.
#[derive(Clone)]
pub struct ShareInfo {
    /// File name stem for downloads (`fits-subject-730945`).
    pub file_stem: String,
    /// Paste-ready Python that reproduces the query with the reference library.
    pub python: String,
}

#[component]
pub fn ResultsView(
    table: Arc<FitTable>,
    default_columns: &'static [Column],
    default_sort: (Column, SortDir),
    share: ShareInfo,
    #[prop(optional)] embed: bool,
) -> impl IntoView {
    let p = Params::new();
    let s3_base = crate::app::use_config().s3_base;

    // -- view state from the URL, with what could not be used -----------------------------------
    let sort = Memo::new(move |_| {
        let col = p.sort.0.get().and_then(|s| Column::parse(&s));
        let dir = p.dir.0.get().and_then(|d| SortDir::parse(&d));
        match col {
            Some(c) => (c, dir.unwrap_or(c.default_dir())),
            None => (default_sort.0, dir.unwrap_or(default_sort.1)),
        }
    });
    let columns = Memo::new(move |_| match p.cols.0.get() {
        Some(text) => {
            let (cols, _) = parse_columns(&text);
            if cols.is_empty() {
                default_columns.to_vec()
            } else {
                cols
            }
        }
        None => default_columns.to_vec(),
    });
    let show_failed = Memo::new(move |_| matches!(p.failed.0.get().as_deref(), Some("1" | "true")));
    let needle = Memo::new(move |_| p.q.0.get().unwrap_or_default());
    let page_param = Memo::new(move |_| p.page.0.get());

    // One list of every row (successful first, then failed); the view orders, filters and pages
    // positions into it, so 20,000 rows are never copied on a keystroke or a sort.
    let n_success = table.rows.len();
    let all: Arc<Vec<FitRow>> = Arc::new(table.rows.iter().chain(&table.failed).cloned().collect());
    let filtered = {
        let all = all.clone();
        Memo::new(move |_| {
            let needle = needle.get();
            let end = if show_failed.get() {
                all.len()
            } else {
                n_success
            };
            let mut idx: Vec<usize> = (0..end)
                .filter(|&i| row_matches(&all[i], &needle))
                .collect();
            let (col, dir) = sort.get();
            sort_indices(&all, &mut idx, col, dir);
            idx
        })
    };
    let page_info = Memo::new(move |_| {
        let requested = page_param
            .get()
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(1);
        page_bounds(filtered.with(Vec::len), requested, PER_PAGE)
    });
    let page_rows = {
        let all = all.clone();
        Signal::derive(move || {
            let (start, end, _, _) = page_info.get();
            filtered.with(|idx| {
                idx[start..end]
                    .iter()
                    .map(|&i| all[i].clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    // The rows a download gets: everything the filter lets through, in table order, all pages.
    let visible_rows = {
        let all = all.clone();
        Signal::derive(move || {
            filtered.with(|idx| idx.iter().map(|&i| all[i].clone()).collect::<Vec<_>>())
        })
    };

    let problems = {
        let table = table.clone();
        Memo::new(move |_| {
            let mut out = Vec::new();
            if let Some(s) = p.sort.0.get().filter(|s| Column::parse(s).is_none()) {
                out.push(format!(
                    "sort: unknown column \"{s}\"; sorted by {} instead.",
                    default_sort.0.label()
                ));
            }
            if let Some(d) = p.dir.0.get().filter(|d| SortDir::parse(d).is_none()) {
                out.push(format!("dir: \"{d}\" is neither asc nor desc; ignored."));
            }
            if let Some(text) = p.cols.0.get() {
                let (cols, unknown) = parse_columns(&text);
                if !unknown.is_empty() {
                    out.push(format!(
                        "cols: unknown column{} {}; ignored.",
                        if unknown.len() == 1 { "" } else { "s" },
                        unknown
                            .iter()
                            .map(|u| format!("\"{u}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if cols.is_empty() {
                    out.push("cols: no known column; showing the default columns.".into());
                }
            }
            if let Some(f) = p
                .failed
                .0
                .get()
                .filter(|f| !matches!(f.as_str(), "1" | "0" | "true" | "false"))
            {
                out.push(format!(
                    "failed: \"{f}\" should be 1 or 0; failed fits hidden."
                ));
            }
            if let Some(pg) = page_param.get() {
                match pg.parse::<usize>() {
                    Ok(n) if n >= 1 => {
                        let (_, _, _, pages) = page_info.get();
                        if n > pages {
                            out.push(format!(
                                "page: there {} only {pages} page{}; showing the last.",
                                if pages == 1 { "is" } else { "are" },
                                if pages == 1 { "" } else { "s" }
                            ));
                        }
                    }
                    _ => out.push(format!(
                        "page: \"{pg}\" is not a page number; showing page 1."
                    )),
                }
            }
            for (name, param) in [("sel", p.sel.0), ("fig", p.fig.0)] {
                if let Some(id) = param.get() {
                    if !table.rows.iter().chain(&table.failed).any(|r| r.id == id) {
                        out.push(format!("{name}: no fit with id \"{id}\" in these results."));
                    }
                }
            }
            out
        })
    };

    // -- actions --------------------------------------------------------------------------------
    let on_sort = Callback::new(move |col: Column| {
        let (cur, dir) = sort.get_untracked();
        let next = if cur == col {
            dir.flip()
        } else {
            col.default_dir()
        };
        p.sort.1.set(Some(col.key().to_string()));
        p.dir.1.set(Some(next.key().to_string()));
        p.page.1.set(None);
    });
    let on_select = Callback::new(move |id: String| {
        let again = p.sel.0.get_untracked().as_deref() == Some(id.as_str());
        p.sel.1.set((!again).then_some(id));
    });
    let on_open_figure = Callback::new(move |id: String| p.fig.1.set(Some(id)));
    let set_page = move |n: usize| p.page.1.set((n > 1).then(|| n.to_string()));

    let n_failed = table.failed.len();
    let find_row = {
        let all = all.clone();
        move |id: &str| all.iter().find(|r| r.id == id).cloned()
    };

    let viewer = {
        let find_row = find_row.clone();
        let s3_base = s3_base.clone();
        move || {
            let row = find_row(&p.fig.0.get()?)?;
            let url = figure_url(&row.s3_location, s3_base.as_deref()).ok()?;
            let caption = format!("{} · {}", row.agent_alias, row.nwb_name);
            Some(view! {
                <FigureViewer url caption on_close=Callback::new(move |_| p.fig.1.set(None)) />
            })
        }
    };
    let details = {
        let s3_base = s3_base.clone();
        move || {
            let row = find_row(&p.sel.0.get()?)?;
            Some(view! {
                <FitDetails
                    row
                    s3_base=s3_base.clone()
                    on_close=Callback::new(move |_| p.sel.1.set(None))
                    on_open_figure
                />
            })
        }
    };

    view! {
        <div class="results-view" class:embed=embed class:has-details=move || p.sel.0.get().is_some()>
            {move || {
                let list = problems.get();
                (!list.is_empty())
                    .then(|| {
                        view! {
                            <div class="banner warn" role="status" data-testid="param-problems">
                                <p><b>"Some settings in this link could not be used:"</b></p>
                                <ul>{list.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                            </div>
                        }
                    })
            }}
            <div class="toolbar" role="toolbar" aria-label="Table tools">
                <input
                    type="search"
                    class="row-filter"
                    data-testid="row-filter"
                    placeholder="Filter rows: model, session, tag…"
                    aria-label="Filter the loaded rows"
                    prop:value=move || needle.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        p.q.1.set((!v.is_empty()).then_some(v));
                        p.page.1.set(None);
                    }
                />
                <label class="switch">
                    <input
                        type="checkbox"
                        data-testid="toggle-failed"
                        prop:checked=move || show_failed.get()
                        disabled=n_failed == 0
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            p.failed.1.set(on.then(|| "1".to_string()));
                            p.page.1.set(None);
                        }
                    />
                    {format!(" Show failed fits ({n_failed})")}
                </label>
                <ColumnChooser columns default_columns set_cols=p.cols.1 />
                <span class="toolbar-gap"></span>
                {(!embed).then(|| view! { <ShareTools share=share.clone() rows=visible_rows /> })}
            </div>
            <p class="row-count" data-testid="row-count">
                {move || {
                    let total = filtered.with(Vec::len);
                    let (start, end, _, _) = page_info.get();
                    if total == 0 {
                        "No rows match.".to_string()
                    } else if total <= PER_PAGE {
                        format!("{total} row{}", if total == 1 { "" } else { "s" })
                    } else {
                        format!("Rows {}–{end} of {total}", start + 1)
                    }
                }}
            </p>
            <ResultsTable
                rows=page_rows
                columns
                sort
                selected=p.sel.0
                on_sort
                on_select
                on_open_figure
                s3_base=s3_base.clone()
            />
            <Pager page_info set_page />
            {details}
            {viewer}
        </div>
    }
}

/// Previous / next and a few page numbers.
#[component]
fn Pager(
    page_info: Memo<(usize, usize, usize, usize)>,
    set_page: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let (_, _, page, pages) = page_info.get();
        (pages > 1).then(|| {
            let mut shown: Vec<usize> = vec![1, pages];
            shown.extend(page.saturating_sub(2).max(1)..=(page + 2).min(pages));
            shown.sort_unstable();
            shown.dedup();
            let mut items = Vec::new();
            let mut last = 0;
            for n in shown {
                if n > last + 1 {
                    items.push(view! { <span class="pager-gap">"…"</span> }.into_any());
                }
                items.push(
                    view! {
                        <button
                            class="btn pager-num"
                            class:current={n == page}
                            aria-current=if n == page { "page" } else { "false" }
                            on:click=move |_| set_page(n)
                        >
                            {n}
                        </button>
                    }
                    .into_any(),
                );
                last = n;
            }
            view! {
                <nav class="pager" aria-label="Pages" data-testid="pager">
                    <button class="btn" disabled={page <= 1} on:click=move |_| set_page(page - 1)>
                        "‹ Previous"
                    </button>
                    {items}
                    <button class="btn" disabled={page >= pages} on:click=move |_| set_page(page + 1)>
                        "Next ›"
                    </button>
                </nav>
            }
        })
    }
}

/// Which columns show, and in which order.
#[component]
fn ColumnChooser(
    columns: Memo<Vec<Column>>,
    default_columns: &'static [Column],
    set_cols: SignalSetter<Option<String>>,
) -> impl IntoView {
    let set = move |cols: Vec<Column>| {
        if cols.as_slice() == default_columns {
            set_cols.set(None);
        } else {
            set_cols.set(Some(columns_param(&cols)));
        }
    };
    let toggle = move |col: Column| {
        let mut cols = columns.get_untracked();
        if let Some(i) = cols.iter().position(|c| *c == col) {
            if cols.len() > 1 {
                cols.remove(i);
            }
        } else {
            cols.push(col);
        }
        set(cols);
    };
    let shift = move |col: Column, up: bool| {
        let mut cols = columns.get_untracked();
        if let Some(i) = cols.iter().position(|c| *c == col) {
            let j = if up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j.filter(|j| *j < cols.len()) {
                cols.swap(i, j);
                set(cols);
            }
        }
    };
    view! {
        <details class="menu" data-testid="columns-menu">
            <summary class="btn">"Columns"</summary>
            <div class="menu-panel">
                <p class="menu-hint">"Shown columns in table order; ↑ ↓ move them."</p>
                <ul class="column-list">
                    {move || {
                        let shown = columns.get();
                        let hidden: Vec<Column> = Column::ALL
                            .into_iter()
                            .filter(|c| !shown.contains(c))
                            .collect();
                        let n = shown.len();
                        shown
                            .iter()
                            .copied()
                            .enumerate()
                            .map(|(i, col)| (col, true, i, n))
                            .chain(hidden.into_iter().map(|c| (c, false, 0, 0)))
                            .map(|(col, on, i, n)| {
                                view! {
                                    <li data-col=col.key()>
                                        <label>
                                            <input
                                                type="checkbox"
                                                prop:checked=on
                                                disabled={on && n == 1}
                                                on:change=move |_| toggle(col)
                                            />
                                            {" "}
                                            {col.label()}
                                        </label>
                                        {on.then(|| view! {
                                            <span class="move">
                                                <button
                                                    class="icon"
                                                    title="Move left"
                                                    aria-label=format!("Move {} left", col.label())
                                                    disabled={i == 0}
                                                    on:click=move |_| shift(col, true)
                                                >"↑"</button>
                                                <button
                                                    class="icon"
                                                    title="Move right"
                                                    aria-label=format!("Move {} right", col.label())
                                                    disabled={i + 1 == n}
                                                    on:click=move |_| shift(col, false)
                                                >"↓"</button>
                                            </span>
                                        })}
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <button class="btn" on:click=move |_| set_cols.set(None)>"Default columns"</button>
            </div>
        </details>
    }
}

/// Copy link, embed snippet, downloads and the Python snippet.
#[component]
fn ShareTools(share: ShareInfo, #[prop(into)] rows: Signal<Vec<FitRow>>) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let panel = RwSignal::new(None::<&'static str>); // "embed" | "python" | "link"
    let base = use_site_base();
    let copy = move |text: String, what: &'static str| {
        leptos::task::spawn_local(async move {
            let ok = browser::copy_text(&text).await;
            status.set(Some(if ok {
                format!("Copied the {what}.")
            } else {
                if what == "link" {
                    panel.set(Some("link"));
                }
                format!("Copy the {what} below (the browser did not allow copying).")
            }));
        });
    };
    let embed_snippet = move || {
        let src = embed_view_href(
            &browser::current_href(),
            &browser::current_origin(),
            &base.0,
        );
        format!(
            "<iframe src=\"{}\" title=\"AIND model fits\" width=\"100%\" height=\"600\" \
             style=\"border:0\" loading=\"lazy\"></iframe>",
            html_attr(&src)
        )
    };
    let stem = share.file_stem.clone();
    let download = Callback::new(move |kind: &'static str| {
        let rows = rows.get_untracked();
        let refs: Vec<&FitRow> = rows.iter().collect();
        let (text, mime, ext) = match kind {
            "csv" => (export::to_csv(&refs), "text/csv;charset=utf-8", "csv"),
            _ => (export::to_json(&refs), "application/json", "json"),
        };
        let name = format!("{stem}.{ext}");
        status.set(Some(match browser::download(&name, mime, &text) {
            Ok(()) => format!("Downloaded {name} ({} rows)", rows.len()),
            Err(e) => format!("Download failed: {e}"),
        }));
    });
    let python = share.python.clone();
    let toggle = move |which: &'static str| {
        panel.update(|p| *p = if *p == Some(which) { None } else { Some(which) })
    };
    view! {
        <div class="share">
            <button
                class="btn"
                data-testid="copy-link"
                on:click=move |_| copy(browser::current_href(), "link")
            >
                "Copy link"
            </button>
            <button class="btn" data-testid="embed-button" on:click=move |_| toggle("embed")>
                "Embed"
            </button>
            <button class="btn" data-testid="download-csv" on:click=move |_| download.run("csv")>
                "CSV"
            </button>
            <button class="btn" data-testid="download-json" on:click=move |_| download.run("json")>
                "JSON"
            </button>
            <button class="btn" data-testid="python-button" on:click=move |_| toggle("python")>
                "Python"
            </button>
        </div>
        {move || status.get().map(|s| view! { <p class="share-status" role="status" data-testid="share-status">{s}</p> })}
        {move || {
            let python = python.clone();
            match panel.get() {
                Some("embed") => {
                    let snippet = embed_snippet();
                    let text = snippet.clone();
                    Some(view! {
                        <SnippetPanel
                            title="Embed this view in a wiki page"
                            hint="Paste this HTML into the page. The frame reports its height; see the README for the two-line script that sizes it."
                            testid="embed-snippet"
                            text=snippet
                            on_copy=Callback::new(move |_| copy(text.clone(), "embed snippet"))
                        />
                    }.into_any())
                }
                Some("python") => {
                    let text = python.clone();
                    Some(view! {
                        <SnippetPanel
                            title="Reproduce in Python"
                            hint="Runs the same query with aind-analysis-arch-result-access (pip install aind-analysis-arch-result-access)."
                            testid="python-snippet"
                            text=python
                            on_copy=Callback::new(move |_| copy(text.clone(), "Python snippet"))
                        />
                    }.into_any())
                }
                Some(_) => {
                    let href = browser::current_href();
                    Some(view! {
                        <div class="snippet">
                            <input class="link-text" readonly prop:value=href aria-label="Link to this view" />
                        </div>
                    }.into_any())
                }
                None => None,
            }
        }}
    }
}

#[component]
fn SnippetPanel(
    title: &'static str,
    hint: &'static str,
    testid: &'static str,
    text: String,
    on_copy: Callback<()>,
) -> impl IntoView {
    let rows = text.lines().count().clamp(2, 18);
    view! {
        <section class="snippet" aria-label=title>
            <div class="snippet-head">
                <b>{title}</b>
                <button class="btn" on:click=move |_| on_copy.run(())>"Copy"</button>
            </div>
            <p class="menu-hint">{hint}</p>
            <textarea readonly rows=rows data-testid=testid spellcheck="false">{text}</textarea>
        </section>
    }
}

/// Escapes text for a double-quoted HTML attribute in a snippet the user pastes elsewhere.
fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Everything about one fit: the selected row's details.
#[component]
fn FitDetails(
    row: FitRow,
    s3_base: Option<String>,
    on_close: Callback<()>,
    on_open_figure: Callback<String>,
) -> impl IntoView {
    let fig = figure_url(&row.s3_location, s3_base.as_deref()).ok();
    let id = row.id.clone();
    let fields: Vec<(&'static str, String)> = Column::ALL
        .into_iter()
        .map(|c| (c.label(), c.cell(&row)))
        .chain([
            ("_id", row.id.clone()),
            ("S3_location", row.s3_location.clone()),
            (
                "CO_asset_id",
                row.co_asset_id.clone().unwrap_or_else(|| "—".into()),
            ),
        ])
        .collect();
    let params = row.params.clone().unwrap_or_default();
    let cv = [
        ("test", row.prediction_accuracy_test.clone()),
        ("fit", row.prediction_accuracy_fit.clone()),
        (
            "test, bias only",
            row.prediction_accuracy_test_bias_only.clone(),
        ),
    ];
    let warnings = row.warnings.clone();
    view! {
        <aside class="details" data-testid="details" aria-label="Selected fit">
            <div class="details-head">
                <h2>{format!("{} · {}", row.agent_alias, row.nwb_name)}</h2>
                {fig.map(|_| view! {
                    <button class="btn" on:click=move |_| on_open_figure.run(id.clone())>"Open figure"</button>
                })}
                <button class="btn" on:click=move |_| on_close.run(()) aria-label="Close details">"Close"</button>
            </div>
            <div class="details-grid">
                <dl>
                    {fields
                        .into_iter()
                        .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                        .collect_view()}
                </dl>
                <div>
                    <h3>"Fitted parameters"</h3>
                    {if params.is_empty() {
                        view! { <p class="muted">"None recorded."</p> }.into_any()
                    } else {
                        view! {
                            <table class="params">
                                <tbody>
                                    {params
                                        .iter()
                                        .map(|(k, v)| {
                                            let v = v.as_f64().map_or_else(|| v.to_string(), |x| format!("{x:.4}"));
                                            view! { <tr><th>{k.clone()}</th><td>{v}</td></tr> }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    <h3>"Cross-validation folds"</h3>
                    <dl>
                        {cv
                            .into_iter()
                            .map(|(k, v)| {
                                let text = v.map_or_else(
                                    || "—".to_string(),
                                    |xs| xs.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(", "),
                                );
                                view! { <dt>{k}</dt><dd class="folds">{text}</dd> }
                            })
                            .collect_view()}
                    </dl>
                    {(!warnings.is_empty()).then(|| view! {
                        <h3>"Odd values"</h3>
                        <ul class="warnings">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                    })}
                </div>
            </div>
        </aside>
    }
}
