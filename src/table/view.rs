//! The table on screen, for any row type: the quick filter, column chooser, row count, the
//! table itself and the pager, all reading a [`TableModel`]. Only one page of rows is ever in
//! the DOM.

use std::sync::Arc;

use leptos::prelude::*;

use super::model::{TableModel, PER_PAGE};
use super::state::pager_items;
use super::SortDir;
use crate::context::{rows_arriving, LOADING};

/// Extra, non-data parts of a row (by position): a leading and a trailing cell (a figure
/// thumbnail, notes), a badge after a cell's text, and a class for the row.
#[derive(Clone, Default)]
pub struct Decor {
    /// (header, class, cell) of a leading column.
    pub lead: Option<(&'static str, &'static str, RowView)>,
    /// (header, class, cell) of a trailing column.
    pub trail: Option<(&'static str, &'static str, RowView)>,
    pub badge: Option<BadgeFn>,
    /// Where the text of row `i` in a column links to (an app path built by the caller).
    pub link: Option<LinkFn>,
    pub row_class: Option<Arc<dyn Fn(usize) -> Option<&'static str> + Send + Sync>>,
    /// Whether row `i` is picked (selected in a chart); read reactively.
    pub picked: Option<Arc<dyn Fn(usize) -> bool + Send + Sync>>,
}

pub type RowView = Arc<dyn Fn(usize) -> AnyView + Send + Sync>;
/// A badge after the text of row `i` in a column.
pub type BadgeFn = Arc<dyn Fn(usize, &str) -> Option<AnyView> + Send + Sync>;
pub type LinkFn = Arc<dyn Fn(usize, &str) -> Option<String> + Send + Sync>;

/// The quick filter box.
#[component]
pub fn QuickFilter(model: TableModel, placeholder: &'static str) -> impl IntoView {
    view! {
        <input
            type="search"
            class="row-filter"
            data-testid="row-filter"
            placeholder=placeholder
            aria-label="Filter the loaded rows"
            prop:value=move || model.state.with(|s| s.needle.clone())
            on:input=move |ev| {
                let v = event_target_value(&ev);
                model.url.q.set((!v.is_empty()).then_some(v));
                model.url.page.set(None);
            }
        />
    }
}

/// "Rows 1–100 of 2,345".
#[component]
pub fn RowCount(model: TableModel) -> impl IntoView {
    view! {
        <p class="row-count" data-testid="row-count">
            {move || {
                let total = model.order.with(Vec::len);
                let (start, end, _, _) = model.page.get();
                if total == 0 && rows_arriving() {
                    LOADING.to_string()
                } else if total == 0 {
                    "No rows match.".to_string()
                } else if total <= PER_PAGE {
                    format!("{total} row{}", if total == 1 { "" } else { "s" })
                } else {
                    format!("Rows {}–{end} of {total}", start + 1)
                }
            }}
        </p>
    }
}

/// Which columns show, and in which order.
#[component]
pub fn ColumnChooser(model: TableModel) -> impl IntoView {
    let columns = Memo::new(move |_| model.state.with(|s| s.columns.clone()));
    let toggle = move |key: String| {
        let mut cols = columns.get_untracked();
        if let Some(i) = cols.iter().position(|c| *c == key) {
            if cols.len() > 1 {
                cols.remove(i);
            }
        } else {
            cols.push(key);
        }
        model.set_columns(cols);
    };
    let shift = move |key: String, up: bool| {
        let mut cols = columns.get_untracked();
        if let Some(i) = cols.iter().position(|c| *c == key) {
            let j = if up { i.checked_sub(1) } else { Some(i + 1) };
            if let Some(j) = j.filter(|j| *j < cols.len()) {
                cols.swap(i, j);
                model.set_columns(cols);
            }
        }
    };
    let items = move || {
        let shown = columns.get();
        let all = model.columns();
        let label_of = |k: &str| {
            all.iter()
                .find(|(key, _)| key == k)
                .map_or(k.to_string(), |(_, l)| l.clone())
        };
        let n = shown.len();
        let on = shown
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), label_of(k), true, i));
        let off = all
            .iter()
            .filter(|(k, _)| !shown.contains(k))
            .map(|(k, l)| (k.clone(), l.clone(), false, 0));
        on.chain(off)
            .map(|(key, label, on, i)| {
                let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
                view! {
                    <li data-col=key>
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=on
                                disabled={on && n == 1}
                                on:change=move |_| toggle(k1.clone())
                            />
                            {" "}
                            {label.clone()}
                        </label>
                        {on.then(|| view! {
                            <span class="move">
                                <button
                                    class="icon"
                                    title="Move left"
                                    aria-label=format!("Move {label} left")
                                    disabled={i == 0}
                                    on:click=move |_| shift(k2.clone(), true)
                                >"↑"</button>
                                <button
                                    class="icon"
                                    title="Move right"
                                    aria-label=format!("Move {label} right")
                                    disabled={i + 1 == n}
                                    on:click=move |_| shift(k3.clone(), false)
                                >"↓"</button>
                            </span>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <details class="menu" data-testid="columns-menu">
            <summary class="btn">"Columns"</summary>
            <div class="menu-panel">
                <p class="menu-hint">"Shown columns in table order; ↑ ↓ move them."</p>
                <ul class="column-list">{items}</ul>
                <button class="btn" on:click=move |_| model.url.cols.set(None)>"Default columns"</button>
            </div>
        </details>
    }
}

/// The table: sortable headers for the chosen columns and the current page of rows.
#[component]
pub fn DataTable(
    model: TableModel,
    #[prop(optional)] decor: Option<Decor>,
    /// The table's accessible name.
    label: &'static str,
) -> impl IntoView {
    let decor = decor.unwrap_or_default();
    let columns = Memo::new(move |_| model.state.with(|s| s.columns.clone()));
    let sort = Memo::new(move |_| model.state.with(|s| s.sort.clone()));
    let header = move || {
        columns
            .get()
            .into_iter()
            .filter_map(|key| {
                let (label, numeric) = model.label(&key)?;
                let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
                let aria = move || match sort.get() {
                    (c, SortDir::Asc) if c == k1 => "ascending",
                    (c, SortDir::Desc) if c == k1 => "descending",
                    _ => "none",
                };
                let arrow = move || match sort.get() {
                    (c, SortDir::Asc) if c == k2 => "▲",
                    (c, SortDir::Desc) if c == k2 => "▼",
                    _ => "",
                };
                Some(view! {
                    <th aria-sort=aria class:num=numeric data-col=key.clone()>
                        <button class="sort" title=format!("Sort by {label}") on:click=move |_| model.sort_by(&k3)>
                            {label.clone()}
                            <span class="arrow" aria-hidden="true">{arrow}</span>
                        </button>
                    </th>
                })
            })
            .collect_view()
    };
    let lead_head = decor.lead.as_ref().map(|(h, c, _)| (*h, *c));
    let trail_head = decor.trail.as_ref().map(|(h, c, _)| (*h, *c));
    view! {
        <div class="table-wrap">
            <table class="results" data-testid="results" aria-label=label>
                <thead>
                    <tr>
                        {lead_head.map(|(h, c)| view! { <th class=c>{h}</th> })}
                        {header}
                        {trail_head.map(|(h, c)| view! { <th class=c>{h}</th> })}
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || {
                            let cols = columns.get();
                            model
                                .page_positions()
                                .into_iter()
                                .map(move |i| (model.ident_of(i), model.key_of(i), i, cols.clone()))
                        }
                        // A row is drawn again only when its data or the columns change (a
                        // refresh that leaves it alone keeps its DOM, thumbnail included).
                        key=|(ident, key, _, cols)| (*ident, key.clone(), cols.clone())
                        children=move |(_, key, i, cols)| {
                            view! { <TableRow model row=i key cols decor=decor.clone() /> }
                        }
                    />
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TableRow(
    model: TableModel,
    row: usize,
    key: String,
    cols: Vec<String>,
    decor: Decor,
) -> impl IntoView {
    let cells = cols
        .iter()
        .filter_map(|col| {
            let numeric = model.label(col)?.1;
            let text = model.text(row, col).unwrap_or_default();
            let badge = decor.badge.as_ref().and_then(|b| b(row, col));
            let text = match decor.link.as_ref().and_then(|l| l(row, col)) {
                Some(href) => view! { <a href=href>{text}</a> }.into_any(),
                None => text.into_any(),
            };
            Some(view! {
                <td data-col=col.clone() class:num=numeric>
                    {text}
                    {badge}
                </td>
            })
        })
        .collect_view();
    let lead = decor
        .lead
        .as_ref()
        .map(|(_, c, f)| view! { <td class=*c>{f(row)}</td> });
    let trail = decor
        .trail
        .as_ref()
        .map(|(_, c, f)| view! { <td class=*c>{f(row)}</td> });
    let class = decor.row_class.as_ref().and_then(|f| f(row)).unwrap_or("");
    let is_selected = {
        let key = key.clone();
        move || model.url.sel.get().as_deref() == Some(key.as_str())
    };
    let select = {
        let key = key.clone();
        move |ev: leptos::ev::MouseEvent| {
            // Clicks on a thumbnail, a link or a button do their own thing.
            let inside_control = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|el| el.closest("button, a").ok().flatten())
                .is_some();
            if !inside_control {
                model.toggle_selected(key.clone());
            }
        }
    };
    view! {
        <tr
            data-id=key
            class=class
            class:selected=is_selected.clone()
            class:picked={
                let picked = decor.picked.clone();
                move || picked.as_ref().is_some_and(|f| f(row))
            }
            aria-selected=move || if is_selected() { "true" } else { "false" }
            on:click=select
        >
            {lead}
            {cells}
            {trail}
        </tr>
    }
}

/// Previous / next and a few page numbers.
#[component]
pub fn Pager(model: TableModel) -> impl IntoView {
    move || {
        let (_, _, page, pages) = model.page.get();
        (pages > 1).then(|| {
            let items = pager_items(page, pages)
                .into_iter()
                .map(|item| match item {
                    None => view! { <span class="pager-gap">"…"</span> }.into_any(),
                    Some(n) => view! {
                        <button
                            class="btn pager-num"
                            class:current={n == page}
                            aria-current=if n == page { "page" } else { "false" }
                            on:click=move |_| model.set_page(n)
                        >
                            {n}
                        </button>
                    }
                    .into_any(),
                })
                .collect_view();
            view! {
                <nav class="pager" aria-label="Pages" data-testid="pager">
                    <button class="btn" disabled={page <= 1} on:click=move |_| model.set_page(page - 1)>
                        "‹ Previous"
                    </button>
                    {items}
                    <button class="btn" disabled={page >= pages} on:click=move |_| model.set_page(page + 1)>
                        "Next ›"
                    </button>
                </nav>
            }
        })
    }
}

/// The sentences about URL values that could not be used, above the table.
#[component]
pub fn ParamProblems(
    #[prop(into)] problems: Signal<Vec<String>>,
    #[prop(default = "param-problems")] testid: &'static str,
) -> impl IntoView {
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="banner warn" role="status" data-testid=testid>
                    <p><b>"Some settings in this link could not be used:"</b></p>
                    <ul>{list.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}
