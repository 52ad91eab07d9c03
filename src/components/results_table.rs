//! The sortable table of model fits: the chosen columns, in the chosen order, one page of rows.

use leptos::prelude::*;

use crate::components::figure::Thumb;
use crate::core::normalize::FitRow;
use crate::core::s3::figure_url;
use crate::core::table::{Column, SortDir};

#[component]
pub fn ResultsTable(
    /// The rows of the current page, already filtered and sorted.
    #[prop(into)]
    rows: Signal<Vec<FitRow>>,
    #[prop(into)] columns: Signal<Vec<Column>>,
    #[prop(into)] sort: Signal<(Column, SortDir)>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_sort: Callback<Column>,
    on_select: Callback<String>,
    on_open_figure: Callback<String>,
    s3_base: Option<String>,
) -> impl IntoView {
    let header = move || {
        columns
            .get()
            .into_iter()
            .map(|col| {
                let aria = move || match sort.get() {
                    (c, SortDir::Asc) if c == col => "ascending",
                    (c, SortDir::Desc) if c == col => "descending",
                    _ => "none",
                };
                let arrow = move || match sort.get() {
                    (c, SortDir::Asc) if c == col => "▲",
                    (c, SortDir::Desc) if c == col => "▼",
                    _ => "",
                };
                view! {
                    <th aria-sort=aria class:num=col.is_numeric() data-col=col.key()>
                        <button class="sort" title=format!("Sort by {}", col.label()) on:click=move |_| on_sort.run(col)>
                            {col.label()}
                            <span class="arrow" aria-hidden="true">{arrow}</span>
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-wrap">
            <table class="results" data-testid="results">
                <thead>
                    <tr>
                        <th class="fig-col">"Figure"</th>
                        {header}
                        <th class="notes-col">"Notes"</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || {
                            let cols = columns.get();
                            rows.get().into_iter().map(move |r| (r, cols.clone()))
                        }
                        key=|(r, cols)| (r.id.clone(), r.status.clone(), cols.clone())
                        children=move |(row, cols)| {
                            view! {
                                <ResultRow
                                    row
                                    cols
                                    selected
                                    on_select
                                    on_open_figure
                                    s3_base=s3_base.clone()
                                />
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ResultRow(
    row: FitRow,
    cols: Vec<Column>,
    selected: Signal<Option<String>>,
    on_select: Callback<String>,
    on_open_figure: Callback<String>,
    s3_base: Option<String>,
) -> impl IntoView {
    let success = row.is_success();
    let url =
        figure_url(&row.s3_location, s3_base.as_deref()).map_err(|e| format!("No figure: {e}"));
    let alt = format!("{} fitted to {}", row.agent_alias, row.nwb_name);
    let id = row.id.clone();
    let open = Callback::new(move |_| on_open_figure.run(id.clone()));
    let cells = cols
        .into_iter()
        .map(|col| {
            let text = col.cell(&row);
            let badge = (col == Column::Model && !success).then(|| {
                let status = row.status.clone().unwrap_or_else(|| "no status".into());
                view! { <span class="badge failed">{status}</span> }
            });
            view! {
                <td data-col=col.key() class:num=col.is_numeric()>
                    {text}
                    {badge}
                </td>
            }
        })
        .collect_view();
    let notes = (!row.warnings.is_empty()).then(|| {
        let n = row.warnings.len();
        let title = row.warnings.join("\n");
        view! {
            <span class="warn-note" title=title data-testid="row-warning">
                {format!("⚠ {n}")}
            </span>
        }
    });
    let id = row.id.clone();
    let is_selected = {
        let id = id.clone();
        move || selected.get().as_deref() == Some(id.as_str())
    };
    let select = move |ev: leptos::ev::MouseEvent| {
        // Clicks on the thumbnail or a link do their own thing.
        let inside_control = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.closest("button, a").ok().flatten())
            .is_some();
        if !inside_control {
            on_select.run(id.clone());
        }
    };
    view! {
        <tr
            data-id=row.id.clone()
            class:failed=!success
            class:selected=is_selected.clone()
            aria-selected=move || if is_selected() { "true" } else { "false" }
            on:click=select
        >
            <td class="fig-col">
                <Thumb url alt on_open=open />
            </td>
            {cells}
            <td class="notes-col">{notes}</td>
        </tr>
    }
}
