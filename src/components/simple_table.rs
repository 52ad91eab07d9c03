//! A small read-only table of text in a scrolling region: a chart's data, the model ranking, a
//! session's metrics and parameters. One component for all of them (each table written out as
//! markup would add its own code to the download).

use leptos::prelude::*;

/// A column: its header, its `data-col` key, and whether it holds numbers (right-aligned).
#[derive(Clone, Debug, PartialEq)]
pub struct Col {
    pub label: String,
    pub key: &'static str,
    pub numeric: bool,
}

impl Col {
    pub fn text(label: impl Into<String>, key: &'static str) -> Col {
        Col {
            label: label.into(),
            key,
            numeric: false,
        }
    }

    pub fn num(label: impl Into<String>, key: &'static str) -> Col {
        Col {
            label: label.into(),
            key,
            numeric: true,
        }
    }
}

/// A row: its cells, whether it is the marked one (the best model), and a badge after the
/// cell at an index.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<String>,
    pub marked: bool,
    pub badge: Option<(usize, &'static str)>,
}

impl From<Vec<String>> for Row {
    fn from(cells: Vec<String>) -> Row {
        Row {
            cells,
            ..Row::default()
        }
    }
}

#[component]
pub fn SimpleTable(
    /// The table's name (shown above it, or read by screen readers only).
    #[prop(into)]
    caption: String,
    #[prop(optional)] show_caption: bool,
    columns: Vec<Col>,
    rows: Vec<Row>,
    /// The first column names its row (`<th scope="row">`).
    #[prop(optional)]
    row_headers: bool,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let region = caption.clone();
    let keys: Vec<&'static str> = columns.iter().map(|c| c.key).collect();
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    view! {
        <div class="table-scroll summary-table" tabindex="0" role="region" aria-label=region>
            <table class="data-table compact" data-testid=testid>
                <caption class:sr-only=!show_caption>{caption}</caption>
                <thead>
                    <tr>
                        {columns.into_iter().map(|c| view! {
                            <th scope="col" class:num=c.numeric>{c.label}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let badge = r.badge;
                        let cells = r.cells.into_iter().enumerate().map(|(i, text)| {
                            let key = keys.get(i).copied().unwrap_or("");
                            let num = numeric.get(i).copied().unwrap_or(false);
                            let b = badge.filter(|(at, _)| *at == i).map(|(_, t)| view! {
                                <span class="badge best-badge">{t}</span>
                            });
                            if row_headers && i == 0 {
                                view! { <th scope="row" data-col=key>{text}{b}</th> }.into_any()
                            } else {
                                view! { <td data-col=key class:num=num>{text}{b}</td> }.into_any()
                            }
                        }).collect_view();
                        view! { <tr class:best=r.marked>{cells}</tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
