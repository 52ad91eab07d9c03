//! The scatter: the rows a table shows as points, one series per colour group, with the
//! colour scale, shapes and sizes the choice asks for. Pure.

use crate::charts::dates::day_number;
use crate::charts::encode::{ColorScale, Encoding, PointLook, SizeScale};
use crate::charts::xy::{Mark, XKind, XyChart, XyPoint, XySeries};
use crate::table::{ColumnSpec, SortKey, TableSpec};

use super::{Axis, AxisKind, Choice};

/// What the explorer draws from: the table's spec, its rows, the positions it shows, the axes,
/// every row the page knows (`palette_rows`: colours and shapes follow them, so hiding and
/// filtering keep each group's look) and each row's rank for a rank axis.
pub struct Data<'a, R, A> {
    pub spec: &'a TableSpec<R>,
    pub rows: &'a [A],
    pub shown: &'a [usize],
    pub axes: &'a [Axis],
    pub palette_rows: &'a [A],
    pub ranks: &'a [Option<f64>],
    /// The value of row `i` on an extra axis (by its key).
    pub extra: Option<&'a ExtraFn>,
}

/// Values beyond the columns: row position and axis key to a number.
pub type ExtraFn = dyn Fn(usize, &str) -> Option<f64> + Send + Sync;

/// The chart and what could not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub chart: XyChart,
    pub points: usize,
    /// Rows shown without a value on an axis.
    pub missing: usize,
    /// Rows with a value at or below 0 on a log axis.
    pub not_positive: usize,
    /// Points drawn without a value for the colour scale (grey) or the size (smallest).
    pub no_color: usize,
    pub no_size: usize,
}

impl Scatter {
    /// The line under the explorer's controls: points drawn, and what was left out or drawn
    /// without a value (`only`: only the selected rows are shown; `hidden_dots`: dots hidden).
    pub fn summary(&self, only: bool, hidden_dots: bool) -> String {
        let p = self.points;
        let mut out = format!("{p} point{}", if p == 1 { "" } else { "s" });
        let mut add = |n: usize, what: &str| {
            if n > 0 {
                out.push_str(&format!(" · {n} {what}"));
            }
        };
        add(self.missing, "without a value on an axis");
        add(self.not_positive, "at or below 0 left off the log axis");
        add(self.no_color, "without a colour value (grey)");
        add(self.no_size, "without a size value (smallest)");
        if only {
            out.push_str(" · only the selected fits");
        }
        if hidden_dots {
            out.push_str(" · dots hidden");
        }
        out
    }
}

type Getter<'a, R> = Box<dyn Fn(usize, &R) -> Option<f64> + 'a>;

impl<'a, R, A: AsRef<R>> Data<'a, R, A> {
    pub fn axis(&self, key: &str) -> Option<&'a Axis> {
        self.axes.iter().find(|a| a.key == key)
    }

    /// A row's value on an axis as a number (a date as its day number, a rank as itself).
    pub fn getter(&self, axis: &Axis) -> Option<Getter<'a, R>> {
        let ranks = self.ranks;
        Some(match axis.kind {
            AxisKind::Rank => Box::new(move |i, _| ranks.get(i).copied().flatten()),
            AxisKind::Extra => {
                let (f, key) = (self.extra?, axis.key.clone());
                Box::new(move |i, _| f(i, &key).filter(|v| v.is_finite()))
            }
            kind => {
                let c = self.spec.column(&axis.key)?;
                Box::new(move |_, r| value((c.sort_key)(r), kind))
            }
        })
    }
}

/// A row's value in a column as a number: a number, or a date as its day number (a rank
/// comes from [`super::ranks`], not from the row).
pub fn value(key: SortKey<'_>, kind: AxisKind) -> Option<f64> {
    match (key, kind) {
        (SortKey::Num(v), AxisKind::Number) if v.is_finite() => Some(v),
        (SortKey::Text(s), AxisKind::Date) => day_number(&s).map(|d| d as f64),
        _ => None,
    }
}

/// The groups of a text column, as every chart of the page names and numbers them: one per
/// text of `rows` and `palette_rows` (all the rows the page knows, hidden ones too), in name
/// order, a group's place being its palette index, so filtering and hiding keep each group's
/// colour. Without a column (or an unknown one), one group.
pub struct Groups<'s, R> {
    pub column: Option<&'s ColumnSpec<R>>,
    names: Vec<String>,
}

impl<'s, R> Groups<'s, R> {
    pub fn new<A: AsRef<R>>(
        spec: &'s TableSpec<R>,
        column: Option<&str>,
        rows: &[A],
        palette_rows: &[A],
    ) -> Self {
        let column = column.and_then(|k| spec.column(k));
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

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Whether the rows are grouped by a column.
    pub fn grouped(&self) -> bool {
        self.column.is_some()
    }

    /// The palette index of the group of `r`.
    pub fn of(&self, r: &R) -> usize {
        match self.column {
            Some(c) => self.names.binary_search(&group(c, r)).unwrap_or(0),
            None => 0,
        }
    }

    /// The name of group `i` ("Fits" when the rows are not grouped).
    pub fn label(&self, i: usize) -> String {
        match self.column {
            Some(_) => self.names.get(i).cloned().unwrap_or_default(),
            None => "Fits".into(),
        }
    }

    /// The column's label and its groups' names.
    pub fn named(self) -> Option<(String, Vec<String>)> {
        Some((self.column?.label.clone(), self.names))
    }
}

/// The rows at positions `shown` with their positions (a position past the end is left out).
pub fn shown_rows<'a, R: 'a, A: AsRef<R>>(
    rows: &'a [A],
    shown: &'a [usize],
) -> impl Iterator<Item = (usize, &'a R)> + 'a {
    shown
        .iter()
        .filter_map(|&i| Some((i, rows.get(i)?.as_ref())))
}

/// How a chart labels the values of an axis.
pub fn axis_kind(a: &Axis, log: bool) -> XKind {
    match (a.kind, log) {
        (AxisKind::Number | AxisKind::Extra, true) => XKind::Log10,
        (k, _) => k.x_kind(),
    }
}

/// The group of a row: the column's text as the table shows it ("(none)" when empty).
pub fn group<R>(c: &ColumnSpec<R>, r: &R) -> String {
    match (c.sort_key)(r) {
        SortKey::Missing => "(none)".into(),
        _ => (c.cell)(r),
    }
}

/// The low and high of some values (`None` when there are none).
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// The shown rows as a scatter of `choice.y` against `choice.x`. `None` when an axis is not
/// among the data's axes.
pub fn scatter<R, A: AsRef<R>>(d: &Data<'_, R, A>, choice: &Choice) -> Option<Scatter> {
    let (xa, ya) = (d.axis(&choice.x)?, d.axis(&choice.y)?);
    let (xv, yv) = (d.getter(xa)?, d.getter(ya)?);
    // Colour by a text column: one series per group; by an axis: one series on a scale.
    let color_axis = choice.color.as_deref().and_then(|k| d.axis(k));
    let by = choice.color.as_deref().filter(|_| color_axis.is_none());
    let groups = Groups::new(d.spec, by, d.rows, d.palette_rows);
    let mut series: Vec<XySeries> = (0..groups.len())
        .map(|i| XySeries {
            label: groups.label(i),
            color: i,
            points: Vec::new(),
        })
        .collect();
    let cv = color_axis.and_then(|a| d.getter(a));
    let size_axis = choice.size.as_deref().and_then(|k| d.axis(k));
    let sv = size_axis.and_then(|a| d.getter(a));
    let shapes = Groups::new(d.spec, choice.shape.as_deref(), d.rows, d.palette_rows);
    let encoded = cv.is_some() || sv.is_some() || shapes.grouped();
    let mut looks: Vec<Vec<PointLook>> = vec![Vec::new(); series.len()];

    let (mut missing, mut not_positive, mut points) = (0, 0, 0);
    let log = |v: f64, on: bool| {
        if on {
            (v > 0.0).then(|| v.log10())
        } else {
            Some(v)
        }
    };
    // Logarithms of numbers only: a date or a rank axis stays as it is.
    let numeric = |a: &Axis| matches!(a.kind, AxisKind::Number | AxisKind::Extra);
    let log_x = choice.log_x && numeric(xa);
    let log_y = choice.log_y && numeric(ya);
    for (i, r) in shown_rows(d.rows, d.shown) {
        let (Some(x), Some(y)) = (xv(i, r), yv(i, r)) else {
            missing += 1;
            continue;
        };
        let (Some(x), Some(y)) = (log(x, log_x), log(y, log_y)) else {
            not_positive += 1;
            continue;
        };
        let s = groups.of(r);
        series[s].points.push(XyPoint {
            x,
            y,
            spread: None,
            row: Some(i),
        });
        if encoded {
            looks[s].push(PointLook {
                color: cv.as_ref().and_then(|f| f(i, r)),
                size: sv.as_ref().and_then(|f| f(i, r)),
                shape: shapes.of(r),
            });
        }
        points += 1;
    }
    let keep: Vec<bool> = series.iter().map(|s| !s.points.is_empty()).collect();
    series.retain(|s| !s.points.is_empty());
    let mut keep_it = keep.iter();
    looks.retain(|_| *keep_it.next().unwrap_or(&false));
    let all = |f: fn(&PointLook) -> Option<f64>| looks.iter().flatten().map(f);
    let no_color = cv
        .as_ref()
        .map_or(0, |_| all(|l| l.color).filter(Option::is_none).count());
    let no_size = sv
        .as_ref()
        .map_or(0, |_| all(|l| l.size).filter(Option::is_none).count());
    let color = color_axis.and_then(|a| {
        let (lo, hi) = extent(all(|l| l.color).flatten())?;
        Some(ColorScale {
            label: a.label.clone(),
            kind: a.kind.x_kind(),
            lo,
            hi,
            palette: choice.look.palette,
            reversed: choice.look.reversed,
        })
    });
    let size = size_axis.and_then(|a| {
        let (lo, hi) = extent(all(|l| l.size).flatten())?;
        Some(SizeScale {
            label: a.label.clone(),
            kind: a.kind.x_kind(),
            lo,
            hi,
            min_px: choice.look.size_px.0,
            max_px: choice.look.size_px.1,
            gamma: choice.look.gamma,
        })
    });
    let encoding = encoded.then(|| {
        Box::new(Encoding {
            color,
            size,
            shapes: shapes.named(),
            looks,
        })
    });
    let label = |a: &Axis, log: bool| {
        if log && numeric(a) {
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
            encoding,
            layers: None,
            mark: Mark::Points,
            series,
        },
        points,
        missing,
        not_positive,
        no_color,
        no_size,
    })
}
