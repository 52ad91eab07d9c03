//! The explorer as data: any column against any other over the rows a page has loaded, coloured,
//! shaped and sized by columns of their own. Generic over the rows: the columns come from the
//! table's spec (numbers from their sort keys, dates from text that reads as a date), so the fits
//! and any collection's documents can be explored alike. Pure.

pub mod choice;
pub mod layers;
pub mod pair;
pub mod rank;
pub mod scatter;
pub mod trend;

pub use choice::{Choice, Look, Params};
pub use rank::{ranks, RankAxis};
pub(crate) use scatter::{axis_kind, shown_rows, Groups};
pub use scatter::{scatter, Scatter};

use crate::charts::dates::day_number;
use crate::charts::xy::{Mark, XKind, XyChart};
use crate::table::{SortKey, TableSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisKind {
    Number,
    Date,
    /// A rank within a group (the session index within a subject), from [`ranks`].
    Rank,
    /// A number the page derives from a row beyond its columns (a fitted parameter).
    Extra,
}

impl AxisKind {
    /// How the chart labels its values (before any log).
    pub fn x_kind(self) -> XKind {
        match self {
            AxisKind::Number => XKind::Number,
            AxisKind::Date => XKind::Date,
            AxisKind::Rank => XKind::Index,
            AxisKind::Extra => XKind::Number,
        }
    }
}

/// A column that can be an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub key: String,
    pub label: String,
    pub kind: AxisKind,
}

/// Rows looked at to decide whether a text column holds dates.
const DATE_SAMPLE: usize = 200;

fn as_text(k: &SortKey<'_>) -> Option<String> {
    match k {
        SortKey::Text(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The columns that can be axes: numeric ones, and text ones whose values (among the first
/// rows) are all dates.
pub fn axes<R, A: AsRef<R>>(spec: &TableSpec<R>, rows: &[A]) -> Vec<Axis> {
    spec.columns
        .iter()
        .filter_map(|c| {
            let kind = if c.numeric {
                AxisKind::Number
            } else {
                let texts: Vec<String> = rows
                    .iter()
                    .take(DATE_SAMPLE)
                    .filter_map(|r| as_text(&(c.sort_key)(r.as_ref())))
                    .collect();
                if texts.is_empty()
                    || !texts
                        .iter()
                        .all(|t| t.len() == 10 && day_number(t).is_some())
                {
                    return None;
                }
                AxisKind::Date
            };
            Some(Axis {
                key: c.key.clone(),
                label: c.label.clone(),
                kind,
            })
        })
        .collect()
}

/// The columns that can group the points (colour, shape): text columns (their sort keys are
/// text, not times or numbers shown as text) that are not axes.
pub fn groupings<R, A: AsRef<R>>(
    spec: &TableSpec<R>,
    rows: &[A],
    axes: &[Axis],
) -> Vec<(String, String)> {
    spec.columns
        .iter()
        .filter(|c| !c.numeric && !axes.iter().any(|a| a.key == c.key))
        .filter(|c| {
            !rows
                .iter()
                .take(DATE_SAMPLE)
                .any(|r| matches!((c.sort_key)(r.as_ref()), SortKey::Num(_)))
        })
        .map(|c| (c.key.clone(), c.label.clone()))
        .collect()
}

/// A chart with nothing in it (no axes to draw).
pub fn empty_chart() -> XyChart {
    XyChart {
        title: String::new(),
        x_label: String::new(),
        y_label: String::new(),
        x_kind: XKind::Number,
        y_kind: XKind::Number,
        overlays: Vec::new(),
        encoding: None,
        layers: None,
        mark: Mark::Points,
        series: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_choice;
#[cfg(test)]
mod tests_layers;
