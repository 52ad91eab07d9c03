//! A table generic over its rows. Columns are data (a key for URLs, a label, the cell text, a
//! sort key), so the fits table and a table of any collection's JSON documents are two
//! instances of one thing. Rows are shared (`Arc`) and the table orders, filters and pages
//! positions into them, never copies of them. Pure here; `view.rs` draws it, `state.rs` keeps
//! its state in the URL.

pub mod csv;
pub mod documents;
pub mod expr;
pub mod model;
pub mod state;
pub mod view;

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

/// One number per key that orders as the table does in `dir` (so that the sort compares
/// numbers and reads no row): numbers by `f64::total_cmp` before text (after it when
/// descending), text by its place among the distinct texts (each sorted once, however many
/// rows share it), missing values last either way.
fn sortable_keys(keyed: &[(SortKey, usize)], dir: SortDir) -> Vec<u128> {
    let mut distinct: crate::hash::FastMap<&str, u32> = crate::hash::FastMap::default();
    for (k, _) in keyed {
        if let SortKey::Text(t) = k {
            distinct.entry(t.as_ref()).or_insert(0);
        }
    }
    let mut texts: Vec<&str> = distinct.keys().copied().collect();
    crate::sort::sort_vec(&mut texts, &|a, b| a.cmp(b));
    for (i, t) in texts.iter().enumerate() {
        distinct.insert(t, i as u32);
    }
    keyed
        .iter()
        .map(|(k, _)| {
            let (class, value) = match k {
                SortKey::Missing => return u128::MAX,
                SortKey::Num(x) => {
                    let bits = x.to_bits();
                    // Negatives in reverse, below the positives: the total order as a number.
                    let ordered = if bits >> 63 == 1 {
                        !bits
                    } else {
                        bits | 1 << 63
                    };
                    (0u128, ordered)
                }
                SortKey::Text(t) => (1, u64::from(distinct[t.as_ref()])),
            };
            match dir {
                SortDir::Asc => class << 64 | u128::from(value),
                SortDir::Desc => (1 - class) << 64 | u128::from(!value),
            }
        })
        .collect()
}

/// Whether `hay`, in lower case, contains `needle` (already in lower case), without making a
/// lower-case copy when both are ASCII (the quick filter runs this over every text of every
/// row at each key press).
pub fn contains_folded(hay: &str, needle: &str) -> bool {
    match (hay.is_ascii(), needle.is_ascii()) {
        // Lower-case ASCII stays ASCII: it cannot hold other characters.
        (true, false) => return false,
        (false, _) => return hay.to_lowercase().contains(needle),
        (true, true) => {}
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty()
        || h.windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// Placeholder text of an empty cell.
pub const EMPTY: &str = "—";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDir {
    Asc,
    Desc,
}

impl SortDir {
    pub fn key(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }

    pub fn parse(s: &str) -> Option<SortDir> {
        match s {
            "asc" => Some(SortDir::Asc),
            "desc" => Some(SortDir::Desc),
            _ => None,
        }
    }

    pub fn flip(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// What a cell sorts by, borrowed from the row where it can be (sorting 20,000 rows then
/// allocates nothing for keys that are text in the row). Missing values go last in both directions; numbers before text.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey<'a> {
    Missing,
    Num(f64),
    Text(Cow<'a, str>),
}

impl<'a> SortKey<'a> {
    pub fn num(x: Option<f64>) -> SortKey<'a> {
        match x {
            Some(v) if !v.is_nan() => SortKey::Num(v),
            _ => SortKey::Missing,
        }
    }

    pub fn text(s: Option<&'a str>) -> SortKey<'a> {
        s.map_or(SortKey::Missing, |s| SortKey::Text(Cow::Borrowed(s)))
    }
}

pub type CellFn<R> = Arc<dyn Fn(&R) -> String + Send + Sync>;
pub type KeyFn<R> = Arc<dyn for<'a> Fn(&'a R) -> SortKey<'a> + Send + Sync>;
/// Whether a row matches the quick filter's needle.
pub type MatchFn<R> = Arc<dyn Fn(&R, &str) -> bool + Send + Sync>;
/// The order of two rows.
pub type OrderFn<R> = Arc<dyn Fn(&R, &R) -> Ordering + Send + Sync>;

/// One column: how to show, sort and name it.
pub struct ColumnSpec<R> {
    /// The name in URLs (`sort=`, `cols=`) and exports.
    pub key: String,
    pub label: String,
    /// Right-aligned, and sorted best-first by default when a score.
    pub numeric: bool,
    /// The direction of a first click.
    pub default_dir: SortDir,
    pub cell: CellFn<R>,
    pub sort_key: KeyFn<R>,
}

impl<R> Clone for ColumnSpec<R> {
    fn clone(&self) -> Self {
        ColumnSpec {
            key: self.key.clone(),
            label: self.label.clone(),
            numeric: self.numeric,
            default_dir: self.default_dir,
            cell: self.cell.clone(),
            sort_key: self.sort_key.clone(),
        }
    }
}

/// Everything a table needs to know about its rows.
pub struct TableSpec<R> {
    pub columns: Vec<ColumnSpec<R>>,
    /// Column keys shown unless the URL says otherwise.
    pub default_columns: Vec<String>,
    pub default_sort: (String, SortDir),
    /// A key unique among the rows (the URL's `sel`).
    pub row_key: Arc<dyn Fn(&R) -> String + Send + Sync>,
    /// Whether the quick filter's needle (trimmed, lowercase, not empty) matches the row.
    pub matches: MatchFn<R>,
    /// The order of rows that tie on the sort column.
    pub tie_break: OrderFn<R>,
    /// What a row is called: ("fit", "fits"), ("document", "documents").
    pub noun: (&'static str, &'static str),
}

impl<R> TableSpec<R> {
    pub fn column(&self, key: &str) -> Option<&ColumnSpec<R>> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The positions among `candidates` whose rows match `needle`, in table order: the sort
    /// column in its direction with missing values last, then the spec's tie break. An unknown
    /// column keeps the candidates' order (tie break only).
    pub fn order(
        &self,
        rows: &[Arc<R>],
        candidates: impl Iterator<Item = usize>,
        needle: &str,
        sort: (&str, SortDir),
    ) -> Vec<usize> {
        let needle = needle.trim().to_lowercase();
        let col = self.column(sort.0);
        let keyed: Vec<(SortKey, usize)> = candidates
            .filter(|&i| needle.is_empty() || (self.matches)(&rows[i], &needle))
            .map(|i| (col.map_or(SortKey::Missing, |c| (c.sort_key)(&rows[i])), i))
            .collect();
        // By the sort column alone first, comparing one number per row (no row is read), then
        // each run of equal keys by the tie break: the same order as comparing both at once.
        let primary = sortable_keys(&keyed, sort.1);
        let mut positions =
            crate::sort::sorted_positions(keyed.len(), &|x, y| primary[x].cmp(&primary[y]));
        let mut start = 0;
        while start < positions.len() {
            let key = primary[positions[start]];
            let end = start
                + positions[start..]
                    .iter()
                    .take_while(|&&p| primary[p] == key)
                    .count();
            if end - start > 1 {
                crate::sort::sort_positions(&mut positions[start..end], &|x, y| {
                    (self.tie_break)(&rows[keyed[x].1], &rows[keyed[y].1])
                });
            }
            start = end;
        }
        positions.into_iter().map(|p| keyed[p].1).collect()
    }

    /// "1 fit", "12 fits".
    pub fn count(&self, n: usize) -> String {
        format!("{n} {}", if n == 1 { self.noun.0 } else { self.noun.1 })
    }
}

/// A number with fixed decimals, or the empty-cell mark.
pub fn fmt_fixed(x: Option<f64>, decimals: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => EMPTY.to_string(),
    }
}

#[cfg(test)]
mod tests;
