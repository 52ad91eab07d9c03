//! A table's state as signals: its URL parameters, the ordered positions of the rows that pass
//! the filter, the current page, and what could not be used. Generic over the row type only
//! where it builds; what the components see is not (they are compiled once for every kind of
//! row).

use std::sync::Arc;

use leptos::prelude::*;

use super::state::{page_bounds, page_problem, resolve, TableParams, TableState};
use super::{SortDir, TableSpec};
use crate::hooks::url_param::{url_param, UrlParam};

/// Rows per page.
pub const PER_PAGE: usize = 100;

/// The table's URL parameters.
#[derive(Clone, Copy)]
pub struct TableUrl {
    pub sort: UrlParam,
    pub dir: UrlParam,
    pub cols: UrlParam,
    pub q: UrlParam,
    pub page: UrlParam,
    pub sel: UrlParam,
}

impl TableUrl {
    pub fn new() -> TableUrl {
        TableUrl {
            sort: url_param("sort", false),
            dir: url_param("dir", false),
            cols: url_param("cols", false),
            // Typing in the filter box replaces the history entry instead of adding one.
            q: url_param("q", true),
            page: url_param("page", false),
            sel: url_param("sel", false),
        }
    }

    fn params(&self) -> TableParams {
        TableParams {
            sort: self.sort.get(),
            dir: self.dir.get(),
            cols: self.cols.get(),
            q: self.q.get(),
            page: self.page.get(),
            sel: None,
        }
    }
}

impl Default for TableUrl {
    fn default() -> Self {
        TableUrl::new()
    }
}

/// The rows a table shows: shared, never copied.
pub type Rows<R> = Arc<Vec<Arc<R>>>;

/// What the view needs to know of a column (no row type: the components are compiled once for
/// every kind of row).
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnMeta {
    pub key: String,
    pub label: String,
    pub numeric: bool,
    pub default_dir: SortDir,
}

type TextFn = Arc<dyn Fn(usize, &str) -> Option<String> + Send + Sync>;
type KeyFn = Arc<dyn Fn(usize) -> String + Send + Sync>;
type IdentFn = Arc<dyn Fn(usize) -> usize + Send + Sync>;

/// A table's derived state: what is shown, in which order, on which page. Rows are named by
/// their position in the current rows.
#[derive(Clone, Copy)]
pub struct TableModel {
    columns: StoredValue<Vec<ColumnMeta>>,
    default_columns: StoredValue<Vec<String>>,
    /// Cell text of row `i` in a column, over the current rows.
    text: StoredValue<TextFn>,
    /// Key of row `i`, over the current rows.
    key: StoredValue<KeyFn>,
    /// Identity of row `i`'s data (its allocation): equal only for the very same row value.
    ident: StoredValue<IdentFn>,
    len: Signal<usize>,
    pub url: TableUrl,
    pub state: Memo<TableState>,
    /// Positions into the rows that pass the filter, in table order.
    pub order: Memo<Vec<usize>>,
    /// `(start, end, page, pages)` of the current page within `order`.
    pub page: Memo<(usize, usize, usize, usize)>,
    /// Sentences about URL values that could not be used.
    pub problems: Memo<Vec<String>>,
}

impl TableModel {
    /// `candidates`: how many leading rows may show (the fits table keeps failed fits after the
    /// successful ones and shows them on request).
    pub fn new<R: Send + Sync + 'static>(
        spec: Arc<TableSpec<R>>,
        rows: Signal<Rows<R>>,
        candidates: Signal<usize>,
    ) -> TableModel {
        TableModel::within(spec, rows, candidates, Signal::stored(None))
    }

    /// A table of only the rows at positions `within` (sorted), when it says which: the rows
    /// an expression keeps, the rows selected in a chart.
    pub fn within<R: Send + Sync + 'static>(
        spec: Arc<TableSpec<R>>,
        rows: Signal<Rows<R>>,
        candidates: Signal<usize>,
        within: Signal<Option<Arc<Vec<usize>>>>,
    ) -> TableModel {
        let url = TableUrl::new();
        let noun = spec.noun.0;
        let columns = spec
            .columns
            .iter()
            .map(|c| ColumnMeta {
                key: c.key.clone(),
                label: c.label.clone(),
                numeric: c.numeric,
                default_dir: c.default_dir,
            })
            .collect();
        let default_columns = StoredValue::new(spec.default_columns.clone());
        let text: TextFn = {
            let spec = spec.clone();
            Arc::new(move |i, col| {
                let c = spec.column(col)?;
                rows.with_untracked(|r| r.get(i).map(|row| (c.cell)(row)))
            })
        };
        let key: KeyFn = {
            let spec = spec.clone();
            Arc::new(move |i| {
                rows.with_untracked(|r| r.get(i).map(|row| (spec.row_key)(row)).unwrap_or_default())
            })
        };
        // Snapshots share unchanged rows: a row keeps its allocation, so the table keeps its DOM.
        let ident: IdentFn = Arc::new(move |i| {
            rows.with_untracked(|r| {
                r.get(i)
                    .map_or(0, |row| Arc::as_ptr(row) as *const () as usize)
            })
        });
        let spec = StoredValue::new(spec);
        let resolved = Memo::new(move |_| spec.with_value(|s| resolve(s, &url.params())));
        let state = Memo::new(move |_| resolved.with(|(s, _)| s.clone()));
        let sort_and_needle =
            Memo::new(move |_| state.with(|s| (s.sort.clone(), s.needle.clone())));
        let order = Memo::new(move |_| {
            let ((col, dir), needle) = sort_and_needle.get();
            let rows = rows.get();
            let n = candidates.get().min(rows.len());
            within.with(|w| match w {
                Some(w) => {
                    let keep = w.iter().copied().take_while(|&i| i < n);
                    spec.with_value(|s| s.order(&rows, keep, &needle, (&col, dir)))
                }
                None => spec.with_value(|s| s.order(&rows, 0..n, &needle, (&col, dir))),
            })
        });
        let page =
            Memo::new(move |_| page_bounds(order.with(Vec::len), state.with(|s| s.page), PER_PAGE));
        let len = Signal::derive(move || rows.with(|r| r.len()));
        let model = TableModel {
            columns: StoredValue::new(columns),
            default_columns,
            text: StoredValue::new(text),
            key: StoredValue::new(key),
            ident: StoredValue::new(ident),
            len,
            url,
            state,
            order,
            page,
            problems: Memo::new(|_| Vec::new()),
        };
        let problems = Memo::new(move |_| {
            let mut out = resolved.with(|(_, p)| p.clone());
            let (_, _, _, pages) = page.get();
            out.extend(page_problem(state.with(|s| s.page), pages));
            if let Some(id) = url.sel.get() {
                if model.selected().is_none() {
                    out.push(format!("sel: no {noun} with id \"{id}\" in these results."));
                }
            }
            out
        });
        TableModel { problems, ..model }
    }

    /// The label of a column, and whether it holds numbers.
    pub fn label(&self, key: &str) -> Option<(String, bool)> {
        self.columns.with_value(|cs| {
            cs.iter()
                .find(|c| c.key == key)
                .map(|c| (c.label.clone(), c.numeric))
        })
    }

    /// Every column's (key, label), in the spec's order.
    pub fn columns(&self) -> Vec<(String, String)> {
        self.columns.with_value(|cs| {
            cs.iter()
                .map(|c| (c.key.clone(), c.label.clone()))
                .collect()
        })
    }

    /// The text of row `i` in a column.
    pub fn text(&self, i: usize, col: &str) -> Option<String> {
        self.text.with_value(|t| t(i, col))
    }

    /// The identity of row `i`'s data: two snapshots that share a row give it the same one.
    pub fn ident_of(&self, i: usize) -> usize {
        self.ident.with_value(|f| f(i))
    }

    /// The key of row `i`.
    pub fn key_of(&self, i: usize) -> String {
        self.key.with_value(|k| k(i))
    }

    /// The positions of the current page's rows.
    pub fn page_positions(&self) -> Vec<usize> {
        let (start, end, _, _) = self.page.get();
        self.order.with(|o| o[start..end].to_vec())
    }

    /// The position of the selected row, if it is among the rows.
    pub fn selected(&self) -> Option<usize> {
        let id = self.url.sel.get()?;
        let n = self.len.get();
        (0..n).find(|&i| self.key_of(i) == id)
    }

    /// Sorts by a column: again on the same column flips the direction.
    pub fn sort_by(&self, key: &str) {
        let (cur, dir) = self.state.get_untracked().sort;
        let next = if cur == key {
            dir.flip()
        } else {
            self.default_dir(key)
        };
        self.url.sort.set(Some(key.to_string()));
        self.url.dir.set(Some(next.key().to_string()));
        self.url.page.set(None);
    }

    fn default_dir(&self, key: &str) -> SortDir {
        self.columns.with_value(|cs| {
            cs.iter()
                .find(|c| c.key == key)
                .map_or(SortDir::Asc, |c| c.default_dir)
        })
    }

    pub fn toggle_selected(&self, key: String) {
        let again = self.url.sel.get_untracked().as_deref() == Some(key.as_str());
        self.url.sel.set((!again).then_some(key));
    }

    pub fn set_page(&self, n: usize) {
        self.url.page.set((n > 1).then(|| n.to_string()));
    }

    /// Shows these columns (the default set leaves the URL clean).
    pub fn set_columns(&self, cols: Vec<String>) {
        let is_default = self.default_columns.with_value(|d| *d == cols);
        self.url.cols.set((!is_default).then(|| cols.join(",")));
    }
}

/// The typed rows behind a model's positions, for the table's owner.
pub fn rows_at<R>(rows: &Rows<R>, positions: &[usize]) -> Vec<Arc<R>> {
    positions
        .iter()
        .filter_map(|&i| rows.get(i).cloned())
        .collect()
}
