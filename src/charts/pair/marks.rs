//! The marks of a pair plot's cells: the squares of a scatter, stacked histogram bars, the
//! pixels a cell spans, round tick values, and the legend of downloads.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::{PairChart, PairPoint};
use crate::charts::xy::XKind;
use crate::charts::{err, finite_extent, padded, Hit, Style};

/// Squares of one colour at device pixels: a single filled rectangle each, the least a backend
/// can be asked to draw (no path, arc or text per point).
struct Dots {
    at: Vec<BackendCoord>,
    half: i32,
    color: RGBColor,
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Dots {
    type Point = &'a BackendCoord;
    type IntoIter = std::slice::Iter<'a, BackendCoord>;

    fn point_iter(self) -> Self::IntoIter {
        self.at.iter()
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Dots {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let d = self.half;
        for (x, y) in pos {
            backend.draw_rect((x - d, y - d), (x + d, y + d), &self.color, true)?;
        }
        Ok(())
    }
}

/// Where a pair plot is drawn (`base`: the area's place on the backend, as hits are in the
/// backend's pixels), and the marks drawn so far.
pub(super) struct Pen<'a, DB: DrawingBackend> {
    pub(super) root: &'a DrawingArea<DB, Shift>,
    pub(super) s: &'a Style,
    pub(super) base: BackendCoord,
    pub(super) hits: Vec<Hit>,
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// A mark at (x, y) of the area.
    fn hit(&mut self, (x, y): BackendCoord, series: usize, item: usize, row: Option<usize>) {
        self.hits.push(Hit {
            x: f64::from(x + self.base.0),
            y: f64::from(y + self.base.1),
            series,
            item,
            row,
            radius: 0.0,
        });
    }
}

/// A cell's plotting rectangle (pixels of the area drawn on) and the values it spans.
pub(super) struct Frame {
    pub(super) l: i32,
    pub(super) t: i32,
    pub(super) r: i32,
    pub(super) b: i32,
    pub(super) x: (f64, f64),
    pub(super) y: (f64, f64),
}

impl Frame {
    pub(super) fn px(&self, x: f64) -> i32 {
        let (lo, hi) = self.x;
        self.l + ((x - lo) / (hi - lo) * f64::from(self.r - self.l)).round() as i32
    }

    pub(super) fn py(&self, y: f64) -> i32 {
        let (lo, hi) = self.y;
        self.b - ((y - lo) / (hi - lo) * f64::from(self.b - self.t)).round() as i32
    }
}

/// The extent of a column's values, padded, never empty.
pub(super) fn range(values: &[f64]) -> (f64, f64) {
    let (lo, hi) = finite_extent(values);
    padded(lo, hi)
}

/// At most `count` round values inside `range` (whole days for dates).
pub(super) fn ticks((lo, hi): (f64, f64), kind: XKind, count: usize) -> Vec<f64> {
    let r: RangedCoordf64 = (lo..hi).into();
    let mut t = r.key_points(count);
    if kind == XKind::Date {
        t.retain(|v| v.fract() == 0.0);
    }
    t
}

/// The scatter of cell (i, j). A point that lands exactly on a later one (same pixel) would be
/// painted over by it, so it is neither drawn nor hoverable: dense columns (counts, whole
/// numbers) draw far fewer squares than they have rows, and the picture is the same.
pub(super) fn scatter<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    c: &PairChart,
    (i, j): (usize, usize),
    f: &Frame,
) -> Result<(), String> {
    if f.r - f.l < 2 || f.b - f.t < 2 {
        return Ok(());
    }
    let (fw, fh) = ((f.r - f.l + 1) as usize, (f.b - f.t + 1) as usize);
    let placed: Vec<(BackendCoord, PairPoint)> = c
        .points(i, j)
        .map(|p| ((f.px(p.x), f.py(p.y)), p))
        .collect();
    let mut seen = vec![false; fw * fh];
    let mut on_top = vec![false; placed.len()];
    for (k, &((x, y), _)) in placed.iter().enumerate().rev() {
        let (dx, dy) = ((x - f.l) as usize, (y - f.t) as usize);
        let at = dy.min(fh - 1) * fw + dx.min(fw - 1);
        on_top[k] = !std::mem::replace(&mut seen[at], true);
    }
    let (root, s) = (pen.root, pen.s);
    let half = s.px(1.75) as i32;
    let series = i * c.n() + j;
    // The points come group after group: one run of squares per group.
    let mut dots: Option<(usize, Dots)> = None;
    for (k, &(xy, p)) in placed.iter().enumerate() {
        if !on_top[k] {
            continue;
        }
        if dots.as_ref().is_none_or(|d| d.0 != p.group) {
            if let Some((_, d)) = dots.take() {
                root.draw(&d).map_err(err)?;
            }
            let color = s.theme.color(c.groups.get(p.group).map_or(0, |g| g.color));
            let at = Vec::new();
            dots = Some((p.group, Dots { at, half, color }));
        }
        if let Some((_, d)) = dots.as_mut() {
            d.at.push(xy);
        }
        pen.hit(xy, series, p.entry, Some(p.row));
    }
    if let Some((_, d)) = dots {
        root.draw(&d).map_err(err)?;
    }
    Ok(())
}

/// The histogram of column i, the groups stacked in their order, the fullest bin at 90 % of
/// the cell's height.
pub(super) fn histogram<DB: DrawingBackend>(
    pen: &mut Pen<DB>,
    c: &PairChart,
    i: usize,
    f: &Frame,
) -> Result<(), String> {
    let (root, s) = (pen.root, pen.s);
    let Some(h) = &c.columns[i].hist else {
        return Ok(());
    };
    let bins = h.bins();
    let tallest = (0..bins).map(|b| h.total(b)).max().unwrap_or(0).max(1);
    let per = f64::from(f.b - f.t) * 0.9 / tallest as f64;
    let series = i * c.n() + i;
    for b in 0..bins {
        let (l, r) = (f.px(h.edge(b)), f.px(h.edge(b + 1)));
        // A hairline between bars when they are wide enough to spare it.
        let l = if r - l > 3 { l + 1 } else { l };
        let mut under = 0;
        for (g, counts) in h.counts.iter().enumerate() {
            let k = counts[b];
            if k == 0 {
                continue;
            }
            let lo = f.b - (under as f64 * per).round() as i32;
            under += k;
            let hi = f.b - (under as f64 * per).round() as i32;
            let color = s.theme.color(c.groups[g].color);
            root.draw(&Rectangle::new(
                [(l, hi), (r, lo)],
                color.mix(0.85).filled(),
            ))
            .map_err(err)?;
            pen.hit(((l + r) / 2, (lo + hi) / 2), series, g * bins + b, None);
        }
    }
    Ok(())
}

/// The groups' colours in a line (downloads), wrapped; the top of what comes under them.
pub(super) fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &PairChart,
    s: &Style,
    top: u32,
) -> Result<u32, String> {
    let (w, _) = root.dim_in_pixel();
    let (start, line) = (s.px(8.0) as i32, s.px(16.0) as i32);
    let (mut x, mut y) = (start, top as i32);
    let text = s.font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
    for g in &c.groups {
        let item = s.px(22.0 + g.label.chars().count() as f64 * 6.5) as i32;
        if x > start && x + item > w as i32 {
            (x, y) = (start, y + line);
        }
        let box_ = s.px(9.0) as i32;
        let color = s.theme.color(g.color);
        root.draw(&Rectangle::new(
            [
                (x, y + (line - box_) / 2),
                (x + box_, y + (line + box_) / 2),
            ],
            color.filled(),
        ))
        .map_err(err)?;
        root.draw_text(&g.label, &text, (x + box_ + s.px(4.0) as i32, y + line / 2))
            .map_err(err)?;
        x += item;
    }
    Ok((y + line) as u32 + s.px(4.0))
}
