//! A table's view state as it lives in permalinks: the sort column and direction (`sort`,
//! `dir`), the chosen columns in their order (`cols`), the quick filter (`q`), the page (`page`,
//! counted from 1) and the selected row (`sel`). Read leniently: what cannot be used is said in
//! a sentence and replaced by the default.

use super::{SortDir, TableSpec};

/// The raw URL values (absent parameters are `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableParams {
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub cols: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
    pub sel: Option<String>,
}

/// The state the table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableState {
    pub sort: (String, SortDir),
    pub columns: Vec<String>,
    pub needle: String,
    /// The requested page (1 when absent or unusable); clamp it with [`page_bounds`].
    pub page: usize,
}

/// Reads a comma list of column keys: order kept, repeats and blanks dropped. Keys that name no
/// column are returned separately (each once).
pub fn parse_columns<R>(spec: &TableSpec<R>, text: &str) -> (Vec<String>, Vec<String>) {
    let mut columns: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for key in text.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        let list = if spec.column(key).is_some() {
            &mut columns
        } else {
            &mut unknown
        };
        if !list.iter().any(|c| c == key) {
            list.push(key.to_string());
        }
    }
    (columns, unknown)
}

/// The columns as a comma list of keys, the inverse of [`parse_columns`].
pub fn columns_param(cols: &[String]) -> String {
    cols.join(",")
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|u| format!("\"{u}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The state for `params`, and a sentence for each value that could not be used.
pub fn resolve<R>(spec: &TableSpec<R>, params: &TableParams) -> (TableState, Vec<String>) {
    let mut problems = Vec::new();
    let dir = match params.dir.as_deref() {
        None => None,
        Some(d) => {
            let parsed = SortDir::parse(d);
            if parsed.is_none() {
                problems.push(format!("dir: \"{d}\" is neither asc nor desc; ignored."));
            }
            parsed
        }
    };
    let sort = match params.sort.as_deref().map(|s| (s, spec.column(s))) {
        Some((_, Some(col))) => (col.key.clone(), dir.unwrap_or(col.default_dir)),
        other => {
            let (key, default_dir) = &spec.default_sort;
            if let Some((s, None)) = other {
                let label = spec.column(key).map_or(key.as_str(), |c| c.label.as_str());
                problems.push(format!(
                    "sort: unknown column \"{s}\"; sorted by {label} instead."
                ));
            }
            (key.clone(), dir.unwrap_or(*default_dir))
        }
    };
    let columns = match params.cols.as_deref() {
        None => spec.default_columns.clone(),
        Some(text) => {
            let (cols, unknown) = parse_columns(spec, text);
            if !unknown.is_empty() {
                problems.push(format!(
                    "cols: unknown column{} {}; ignored.",
                    if unknown.len() == 1 { "" } else { "s" },
                    quoted_list(&unknown)
                ));
            }
            if cols.is_empty() {
                problems.push("cols: no known column; showing the default columns.".into());
                spec.default_columns.clone()
            } else {
                cols
            }
        }
    };
    let page = match params.page.as_deref() {
        None => 1,
        Some(pg) => match pg.parse::<usize>() {
            Ok(n) if n >= 1 => n,
            _ => {
                problems.push(format!(
                    "page: \"{pg}\" is not a page number; showing page 1."
                ));
                1
            }
        },
    };
    let state = TableState {
        sort,
        columns,
        needle: params.q.clone().unwrap_or_default(),
        page,
    };
    (state, problems)
}

/// The sentence for a page number past the end, if it is.
pub fn page_problem(requested: usize, pages: usize) -> Option<String> {
    (requested > pages).then(|| {
        format!(
            "page: there {} only {pages} page{}; showing the last.",
            if pages == 1 { "is" } else { "are" },
            if pages == 1 { "" } else { "s" }
        )
    })
}

/// The slice of rows on a page: `(start, end, page, pages)` with `rows[start..end]` valid for
/// `total` rows. `page` counts from 1 and is clamped into `1..=pages`; there is always at least
/// one (possibly empty) page. A `per_page` of 0 is treated as 1.
pub fn page_bounds(total: usize, page: usize, per_page: usize) -> (usize, usize, usize, usize) {
    let per_page = per_page.max(1);
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1).saturating_mul(per_page).min(total);
    let end = start.saturating_add(per_page).min(total);
    (start, end, page, pages)
}

/// The page numbers a pager shows: the first, the last, and two either side of the current
/// one; `None` marks a gap.
pub fn pager_items(page: usize, pages: usize) -> Vec<Option<usize>> {
    let near = page.saturating_sub(2).max(1)..=(page + 2).min(pages);
    let shown = std::iter::once(1)
        .chain(near.filter(|n| *n != 1 && *n != pages))
        .chain((pages > 1).then_some(pages));
    let mut out = Vec::new();
    let mut last = 0;
    for n in shown {
        if n > last + 1 {
            out.push(None);
        }
        out.push(Some(n));
        last = n;
    }
    out
}
