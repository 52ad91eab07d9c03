//! A pair plot: N columns against each other in an N x N grid. Cell (i, j) has column j's
//! values across and column i's up: a scatter off the diagonal, column i's histogram on it
//! (the groups stacked), every row in its group's colour.
//!
//! The chart keeps the values as columns, one value per row drawn, not N x N lists of points:
//! 25,000 rows of six columns are 150,000 numbers, and a cell reads its points from two columns
//! ([`PairChart::points`]) while it is drawn.

mod marks;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::fit_label;
use super::xy::XKind;
use super::{err, DataTable, Hit, Style};
use marks::{histogram, legend, range, scatter, ticks, Frame, Pen};

#[derive(Debug, Clone, PartialEq)]
pub struct PairGroup {
    pub label: String,
    /// Palette index (the one the page's other charts give the group).
    pub color: usize,
}

/// One column's histogram: equal bins over `lo..=hi` shared by every group, so the groups'
/// bars stack; `counts[group][bin]`, groups as in [`PairChart::groups`].
#[derive(Debug, Clone, PartialEq)]
pub struct PairHist {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<Vec<u64>>,
}

impl PairHist {
    pub fn bins(&self) -> usize {
        self.counts.first().map_or(0, Vec::len)
    }

    /// Edge `b` of the bins (0..=bins).
    pub fn edge(&self, b: usize) -> f64 {
        self.lo + (self.hi - self.lo) * b as f64 / self.bins().max(1) as f64
    }

    /// The rows counted in bin `b`, all groups together.
    pub fn total(&self, b: usize) -> u64 {
        self.counts
            .iter()
            .map(|c| c.get(b).copied().unwrap_or(0))
            .sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PairColumn {
    pub label: String,
    /// `Number` or `Date` (day numbers).
    pub kind: XKind,
    /// The value of each entry of the chart (NaN: the row has none).
    pub values: Vec<f64>,
    /// Entries without a value.
    pub missing: usize,
    /// `None` when no entry has a value.
    pub hist: Option<PairHist>,
}

/// A point of cell (i, j): `x` from column j, `y` from column i.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairPoint {
    pub x: f64,
    pub y: f64,
    /// Index into [`PairChart::groups`].
    pub group: usize,
    /// Index into the chart's entries.
    pub entry: usize,
    /// The data row.
    pub row: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairChart {
    pub title: String,
    /// The label of the column the groups come from (`None`: one group).
    pub group_label: Option<String>,
    pub groups: Vec<PairGroup>,
    pub columns: Vec<PairColumn>,
    /// The entries (rows drawn), group after group: each one's data row...
    pub rows: Vec<usize>,
    /// ...and its group, an index into `groups`.
    pub group_of: Vec<usize>,
}

impl PairChart {
    /// Columns (and rows) of the grid.
    pub fn n(&self) -> usize {
        self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.n() < 2 || self.columns.iter().all(|c| c.hist.is_none())
    }

    /// The points of cell (i, j) (i ≠ j), group after group: the entries with a value in both
    /// columns.
    pub fn points(&self, i: usize, j: usize) -> impl Iterator<Item = PairPoint> + '_ {
        let (ys, xs) = (&self.columns[i].values, &self.columns[j].values);
        (0..self.rows.len()).filter_map(move |k| {
            let (x, y) = (xs[k], ys[k]);
            (x.is_finite() && y.is_finite()).then(|| PairPoint {
                x,
                y,
                group: self.group_of[k],
                entry: k,
                row: self.rows[k],
            })
        })
    }

    fn group_name(&self, g: usize) -> String {
        self.groups
            .get(g)
            .map(|g| g.label.clone())
            .unwrap_or_default()
    }

    /// A hit's cell (i, j): its series is `i * n + j`.
    fn cell(&self, hit: &Hit) -> Option<(&PairColumn, &PairColumn, bool)> {
        let n = self.n().max(1);
        let (i, j) = (hit.series / n, hit.series % n);
        Some((self.columns.get(i)?, self.columns.get(j)?, i == j))
    }

    /// A point: its group and both values; a bar (item `group * bins + bin`): its group, bin
    /// and count.
    pub fn describe(&self, hit: &Hit) -> Vec<String> {
        let Some((yc, xc, diagonal)) = self.cell(hit) else {
            return Vec::new();
        };
        if diagonal {
            let Some(h) = &yc.hist else {
                return Vec::new();
            };
            let (g, b) = (hit.item / h.bins().max(1), hit.item % h.bins().max(1));
            let Some(count) = h.counts.get(g).and_then(|c| c.get(b)) else {
                return Vec::new();
            };
            return vec![
                self.group_name(g),
                format!(
                    "{}: {} to {}",
                    yc.label,
                    yc.kind.label(h.edge(b)),
                    yc.kind.label(h.edge(b + 1))
                ),
                format!("Count: {count} of {}", h.total(b)),
            ];
        }
        let k = hit.item;
        let (Some(&g), Some(&x), Some(&y)) =
            (self.group_of.get(k), xc.values.get(k), yc.values.get(k))
        else {
            return Vec::new();
        };
        vec![
            self.group_name(g),
            format!("{}: {}", xc.label, xc.kind.label(x)),
            format!("{}: {}", yc.label, yc.kind.label(y)),
        ]
    }

    /// One line per entry: its group (when grouped) and its values.
    pub fn table(&self) -> DataTable {
        let headers = self
            .group_label
            .iter()
            .cloned()
            .chain(self.columns.iter().map(|c| c.label.clone()))
            .collect();
        let rows = (0..self.rows.len())
            .map(|k| {
                let group = self
                    .group_label
                    .as_ref()
                    .map(|_| self.group_name(self.group_of[k]));
                group
                    .into_iter()
                    .chain(self.columns.iter().map(|c| {
                        let v = c.values[k];
                        if v.is_finite() {
                            c.kind.label(v)
                        } else {
                            String::new()
                        }
                    }))
                    .collect()
            })
            .collect();
        DataTable { headers, rows }
    }
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &PairChart,
    s: &Style,
) -> Result<Vec<Hit>, String> {
    if c.is_empty() {
        return Ok(Vec::new());
    }
    let n = c.n();
    let (w, _) = root.dim_in_pixel();
    let base = root.get_base_pixel();
    let mut top = s.px(6.0);
    if !c.title.is_empty() {
        let at = Pos::new(HPos::Center, VPos::Top);
        root.draw_text(&c.title, &s.font(13.0).pos(at), (w as i32 / 2, top as i32))
            .map_err(err)?;
        top += s.px(20.0);
    }
    if s.legend && c.groups.len() > 1 {
        top = legend(root, c, s, top)?;
    }
    let ranges: Vec<(f64, f64)> = c.columns.iter().map(|col| range(&col.values)).collect();
    let y_ticks: Vec<Vec<f64>> = (0..n)
        .map(|i| ticks(ranges[i], c.columns[i].kind, 4))
        .collect();
    // Room for the longest label on the left (about 6 CSS px a character at 10 px), and the
    // column's name turned on its side.
    let longest = (0..n)
        .flat_map(|i| y_ticks[i].iter().map(move |&v| c.columns[i].kind.label(v)))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1);
    let left = s.px((longest as f64 * 6.0 + 26.0).clamp(40.0, 110.0));
    // Too small for its cells (a narrow embed): nothing drawn rather than a broken grid.
    let (gw, gh) = root.dim_in_pixel();
    let min_cell = s.px(24.0) * n as u32;
    if gw < left + s.px(8.0) + min_cell || gh < top + s.px(36.0) + min_cell {
        return Ok(Vec::new());
    }
    let grid = root.margin(top, s.px(36.0), left, s.px(8.0));
    let cells = grid.split_evenly((n, n));
    let (gap, tick) = (s.px(3.0) as i32, s.px(3.0) as i32);
    let small = s.font(10.0);
    let mut pen = Pen {
        root,
        s,
        base,
        hits: Vec::new(),
    };
    for (at, area) in cells.iter().enumerate() {
        let (i, j) = (at / n, at % n);
        let (x0, y0) = area.get_base_pixel();
        let (aw, ah) = area.dim_in_pixel();
        let (x0, y0) = (x0 - base.0, y0 - base.1);
        let f = Frame {
            l: x0 + gap,
            t: y0 + gap,
            r: x0 + aw as i32 - gap,
            b: y0 + ah as i32 - gap,
            x: ranges[j],
            y: ranges[i],
        };
        let (xc, yc) = (&c.columns[j], &c.columns[i]);
        // As many labels as fit under a cell (a date takes about 65 CSS px, a number 30).
        let room = f64::from(f.r - f.l) / s.scale;
        let fit = match xc.kind {
            XKind::Date => (room / 70.0).clamp(1.0, 2.0) as usize,
            _ => (room / 35.0).clamp(1.0, 4.0) as usize,
        };
        let x_ticks = ticks(f.x, xc.kind, fit);
        let grid_line = |p: Vec<(i32, i32)>| PathElement::new(p, s.theme.grid.stroke_width(1));
        for &v in &x_ticks {
            root.draw(&grid_line(vec![(f.px(v), f.t), (f.px(v), f.b)]))
                .map_err(err)?;
        }
        for &v in &y_ticks[i] {
            root.draw(&grid_line(vec![(f.l, f.py(v)), (f.r, f.py(v))]))
                .map_err(err)?;
        }
        root.draw(&Rectangle::new(
            [(f.l, f.t), (f.r, f.b)],
            s.theme.axis.stroke_width(1),
        ))
        .map_err(err)?;
        if i == j {
            histogram(&mut pen, c, i, &f)?;
        } else {
            scatter(&mut pen, c, (i, j), &f)?;
        }
        if i == n - 1 {
            let below = small.pos(Pos::new(HPos::Center, VPos::Top));
            for &v in &x_ticks {
                root.draw_text(&xc.kind.label(v), &below, (f.px(v), f.b + tick))
                    .map_err(err)?;
            }
            let name = s.font(11.0).pos(Pos::new(HPos::Center, VPos::Top));
            let at = ((f.l + f.r) / 2, f.b + s.px(17.0) as i32);
            root.draw_text(&fit_label(&xc.label, room), &name, at)
                .map_err(err)?;
        }
        if j == 0 {
            let beside = small.pos(Pos::new(HPos::Right, VPos::Center));
            for &v in &y_ticks[i] {
                root.draw_text(&yc.kind.label(v), &beside, (f.l - tick, f.py(v)))
                    .map_err(err)?;
            }
            let room = f64::from(f.b - f.t) / s.scale;
            let name = s
                .font(11.0)
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top));
            let at = (s.px(4.0) as i32, (f.t + f.b) / 2);
            root.draw_text(&fit_label(&yc.label, room), &name, at)
                .map_err(err)?;
        }
    }
    Ok(pen.hits)
}
