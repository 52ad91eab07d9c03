//! The explorer as data: any column against any other over the rows a page has loaded, coloured
//! by a text column. Generic over the rows: the columns come from the table's spec (numbers from
//! their sort keys, dates from text that reads as a date), so the fits and any collection's
//! documents can be explored alike. Pure.

pub mod pair;
pub mod trend;

use crate::charts::dates::day_number;
use crate::charts::xy::{Mark, XKind, XyChart, XyPoint, XySeries};
use crate::table::{ColumnSpec, SortKey, TableSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisKind {
    Number,
    Date,
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

/// The columns that can colour the points: text columns (their sort keys are text, not times
/// or numbers shown as text) that are not axes.
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

/// What the explorer shows (its URL parameters).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub x: String,
    pub y: String,
    pub color: Option<String>,
    pub log_x: bool,
    pub log_y: bool,
}

impl Choice {
    /// The choice from URL values: unknown columns fall back to the defaults, and say so.
    pub fn resolve(
        params: [Option<&str>; 3],
        logs: (bool, bool),
        axes: &[Axis],
        groups: &[(String, String)],
        defaults: (&str, &str),
    ) -> (Choice, Vec<String>) {
        let mut problems = Vec::new();
        let [x, y, color] = params;
        let mut axis = |value: Option<&str>, name: &str, default: &str| -> String {
            let known = |k: &str| axes.iter().any(|a| a.key == k);
            match value {
                Some(v) if known(v) => v.to_string(),
                other => {
                    if let Some(v) = other {
                        problems.push(format!(
                            "{name}: no column \"{v}\" to draw; {default} shown."
                        ));
                    }
                    if known(default) {
                        default.to_string()
                    } else {
                        axes.first().map(|a| a.key.clone()).unwrap_or_default()
                    }
                }
            }
        };
        let x = axis(x, "ex_x", defaults.0);
        let y = axis(y, "ex_y", defaults.1);
        let color = match color {
            Some(c) if groups.iter().any(|g| g.0 == c) => Some(c.to_string()),
            Some(c) => {
                problems.push(format!(
                    "ex_color: no column \"{c}\" to colour by; one colour shown."
                ));
                None
            }
            None => None,
        };
        let choice = Choice {
            x,
            y,
            color,
            log_x: logs.0,
            log_y: logs.1,
        };
        (choice, problems)
    }
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
        mark: Mark::Points,
        series: Vec::new(),
    }
}

/// The chart and what could not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub chart: XyChart,
    pub points: usize,
    /// Rows shown without a value on an axis.
    pub missing: usize,
    /// Rows with a value at or below 0 on a log axis.
    pub not_positive: usize,
}

/// What a row's value on an axis is, as a number (a date as its day number).
fn value(key: SortKey<'_>, kind: AxisKind) -> Option<f64> {
    match (key, kind) {
        (SortKey::Num(v), AxisKind::Number) if v.is_finite() => Some(v),
        (SortKey::Text(s), AxisKind::Date) => day_number(&s).map(|d| d as f64),
        _ => None,
    }
}

/// The group of a row: the colour column's text as the table shows it ("(none)" when empty).
fn group<R>(c: &ColumnSpec<R>, r: &R) -> String {
    match (c.sort_key)(r) {
        SortKey::Missing => "(none)".into(),
        _ => (c.cell)(r),
    }
}

/// The groups of a colour column, as every chart of the page names and numbers them: one per
/// text of `rows` and `palette_rows` (all the rows the page knows, hidden ones too), in name
/// order, a group's place being its palette index, so filtering and hiding keep each group's
/// colour. Without a colour column (or an unknown one), one group.
struct Groups<'s, R> {
    column: Option<&'s ColumnSpec<R>>,
    names: Vec<String>,
}

impl<'s, R> Groups<'s, R> {
    fn new<A: AsRef<R>>(
        spec: &'s TableSpec<R>,
        color: Option<&str>,
        rows: &[A],
        palette_rows: &[A],
    ) -> Self {
        let column = color.and_then(|k| spec.column(k));
        let names = match column {
            Some(c) => crate::sort::sorted_unique(
                rows.iter()
                    .chain(palette_rows)
                    .map(|r| group(c, r.as_ref()))
                    .collect(),
            ),
            None => vec![String::new()],
        };
        Groups { column, names }
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the rows are grouped by a column.
    fn grouped(&self) -> bool {
        self.column.is_some()
    }

    /// The palette index of the group of `r`.
    fn of(&self, r: &R) -> usize {
        match self.column {
            Some(c) => self.names.binary_search(&group(c, r)).unwrap_or(0),
            None => 0,
        }
    }

    /// The name of group `i` ("Fits" when the rows are not grouped).
    fn label(&self, i: usize) -> String {
        match self.column {
            Some(_) => self.names.get(i).cloned().unwrap_or_default(),
            None => "Fits".into(),
        }
    }
}

/// The rows at positions `shown` with their positions (a position past the end is left out).
fn shown_rows<'a, R: 'a, A: AsRef<R>>(
    rows: &'a [A],
    shown: &'a [usize],
) -> impl Iterator<Item = (usize, &'a R)> + 'a {
    shown
        .iter()
        .filter_map(|&i| Some((i, rows.get(i)?.as_ref())))
}

/// How a chart labels the values of an axis.
fn axis_kind(a: &Axis, log: bool) -> XKind {
    match (a.kind, log) {
        (AxisKind::Date, _) => XKind::Date,
        (AxisKind::Number, true) => XKind::Log10,
        (AxisKind::Number, false) => XKind::Number,
    }
}

/// The rows at positions `shown` of `rows` as a scatter of `choice.y` against `choice.x`, one
/// series per group. Colours follow the groups of `rows` and `palette_rows` (all the rows the
/// page knows, hidden ones too) in name order, so filtering and hiding keep each group's colour,
/// the one other charts of the page give it. `None` when an axis is not among `axes`.
pub fn scatter<R, A: AsRef<R>>(
    spec: &TableSpec<R>,
    rows: &[A],
    shown: &[usize],
    axes: &[Axis],
    choice: &Choice,
    palette_rows: &[A],
) -> Option<Scatter> {
    let ax = |k: &str| axes.iter().find(|a| a.key == k);
    let (xa, ya) = (ax(&choice.x)?, ax(&choice.y)?);
    let (xc, yc) = (spec.column(&xa.key)?, spec.column(&ya.key)?);
    let groups = Groups::new(spec, choice.color.as_deref(), rows, palette_rows);
    let mut series: Vec<XySeries> = (0..groups.len())
        .map(|i| XySeries {
            label: groups.label(i),
            color: i,
            points: Vec::new(),
        })
        .collect();
    let (mut missing, mut not_positive, mut points) = (0, 0, 0);
    let log = |v: f64, on: bool| {
        if on {
            (v > 0.0).then(|| v.log10())
        } else {
            Some(v)
        }
    };
    for (i, r) in shown_rows(rows, shown) {
        let (Some(x), Some(y)) = (
            value((xc.sort_key)(r), xa.kind),
            value((yc.sort_key)(r), ya.kind),
        ) else {
            missing += 1;
            continue;
        };
        // Logarithms of numbers only: a date axis stays a date axis.
        let log_x = choice.log_x && xa.kind == AxisKind::Number;
        let log_y = choice.log_y && ya.kind == AxisKind::Number;
        let (Some(x), Some(y)) = (log(x, log_x), log(y, log_y)) else {
            not_positive += 1;
            continue;
        };
        series[groups.of(r)].points.push(XyPoint {
            x,
            y,
            spread: None,
            row: Some(i),
        });
        points += 1;
    }
    series.retain(|s| !s.points.is_empty());
    let label = |a: &Axis, log: bool| {
        if log && a.kind == AxisKind::Number {
            format!("{} (log)", a.label)
        } else {
            a.label.clone()
        }
    };
    Some(Scatter {
        chart: XyChart {
            title: format!("{} against {}", ya.label, xa.label),
            x_label: label(xa, choice.log_x),
            y_label: label(ya, choice.log_y),
            x_kind: axis_kind(xa, choice.log_x),
            y_kind: axis_kind(ya, choice.log_y),
            overlays: Vec::new(),
            mark: Mark::Points,
            series,
        },
        points,
        missing,
        not_positive,
    })
}

#[cfg(test)]
mod tests;
