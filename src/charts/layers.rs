//! What a scatter may carry besides its points: a 2-D density under them (a heat map of
//! smoothed counts) and marginal histograms along both axes, per group (stacked or overlaid),
//! as counts or fractions, with a density curve. The histograms share the plot's pixel scale,
//! so a bar stands exactly over the points it counts.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::encode::{color_bar, Palette};
use super::xy::{draw_in, XyChart};
use super::{err, Hit, Style};
use crate::stats::hist::{Bins, Grid};

/// A group's histogram over shared bins (counts or fractions) and its density curve, in the
/// same unit.
#[derive(Debug, Clone, PartialEq)]
pub struct HistGroup {
    /// Palette index; `None`: the foreground colour (one group).
    pub color: Option<usize>,
    pub values: Vec<f64>,
    pub curve: Option<Vec<(f64, f64)>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hist1 {
    pub bins: Bins,
    pub groups: Vec<HistGroup>,
}

impl Hist1 {
    /// The tallest bar (stacked: the tallest stack) or curve.
    fn top(&self, stacked: bool) -> f64 {
        let bars = (0..self.bins.n).map(|i| {
            let v = self.groups.iter().map(|g| g.values[i]);
            if stacked {
                v.sum()
            } else {
                v.fold(0.0, f64::max)
            }
        });
        let curves = self
            .groups
            .iter()
            .flat_map(|g| g.curve.iter().flatten().map(|p| p.1));
        bars.chain(curves).fold(0.0, f64::max)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marginals {
    pub x: Option<Hist1>,
    pub y: Option<Hist1>,
    pub stacked: bool,
    /// "count" or "fraction".
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DensityLayer {
    pub grid: Grid,
    /// Of the densest cell (lighter cells are more transparent).
    pub opacity: f64,
    pub palette: Palette,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layers {
    pub density: Option<DensityLayer>,
    pub marginals: Option<Marginals>,
    /// Only the density and the trends: no dots.
    pub hide_points: bool,
}

/// The density's cells under the points (cells below 2% of the densest are left clear).
pub fn draw_density<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    d: &DensityLayer,
) -> Result<(), String> {
    let g = &d.grid;
    let max = g.max();
    if max <= 0.0 {
        return Ok(());
    }
    let cells = (0..g.y.n).flat_map(|iy| (0..g.x.n).map(move |ix| (ix, iy)));
    chart
        .draw_series(cells.filter_map(|(ix, iy)| {
            let t = g.at(ix, iy) / max;
            (t >= 0.02).then(|| {
                let c = d.palette.at(t).mix(d.opacity * (0.25 + 0.75 * t));
                Rectangle::new(
                    [
                        (g.x.edge(ix), g.y.edge(iy)),
                        (g.x.edge(ix + 1), g.y.edge(iy + 1)),
                    ],
                    c.filled(),
                )
            })
        }))
        .map_err(err)?;
    Ok(())
}

/// Band sizes in CSS pixels: the x histogram above, the y histogram right of the plot.
const BAND: f64 = 84.0;
const BAR: f64 = 96.0;

/// The scatter with its marginal histograms: title, x histogram, then the plot with the
/// y histogram (and the colour bar) at its right.
pub fn draw_with_marginals<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &XyChart,
    m: &Marginals,
    s: &Style,
) -> Result<Vec<Hit>, String> {
    let (w, _) = root.dim_in_pixel();
    let title = s.px(24.0);
    root.draw_text(
        &c.title,
        &s.font(14.0).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        )),
        ((w / 2) as i32, s.px(6.0) as i32),
    )
    .map_err(err)?;
    let bar = c.encoding.as_ref().is_some_and(|e| e.color.is_some());
    let band = s.px(BAND);
    let right = band + if bar { s.px(BAR) } else { 0 };
    let top = title + if m.x.is_some() { band } else { 0 };
    let main = root.margin(top, 0, 0, if m.y.is_some() { right } else { 0 });
    let (hits, frame) = draw_in(&main, c, s, false)?;
    // The frame is in the main area's pixels; the root's are offset by the margin.
    let base = main.get_base_pixel();
    let rb = root.get_base_pixel();
    let (off_x, off_y) = (base.0 - rb.0, base.1 - rb.1);
    let ((l, t), (r, b)) = frame.plot;
    let (l, t, r, b) = (l + off_x, t + off_y, r + off_x, b + off_y);
    let fx = |x: f64| l as f64 + (x - frame.x.0) / (frame.x.1 - frame.x.0) * (r - l) as f64;
    let fy = |y: f64| b as f64 - (y - frame.y.0) / (frame.y.1 - frame.y.0) * (b - t) as f64;
    let gap = s.px(6.0) as f64;
    if let Some(hx) = &m.x {
        // Bars grow up from just above the plot.
        let base_y = t as f64 - gap;
        let height = band as f64 - 2.0 * gap;
        strip(root, hx, (m.stacked, false), s, &fx, &|v| {
            base_y - v * height
        })?;
        label(
            root,
            &m.unit,
            (l - s.px(60.0) as i32, (t as f64 - band as f64 / 2.0) as i32),
            s,
        )?;
    }
    if let Some(hy) = &m.y {
        let base_x = r as f64 + gap;
        let width = band as f64 - 2.0 * gap;
        strip(root, hy, (m.stacked, true), s, &fy, &|v| base_x + v * width)?;
        label(
            root,
            &m.unit,
            (r + s.px(8.0) as i32, b + s.px(8.0) as i32),
            s,
        )?;
    }
    if let Some(scale) = c.encoding.as_ref().and_then(|e| e.color.as_ref()) {
        let at = r + if m.y.is_some() { band as i32 } else { 0 };
        color_bar(root, ((l, t), (at, b)), scale, s)?;
    }
    Ok(hits)
}

fn label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    s: &Style,
) -> Result<(), String> {
    root.draw_text(text, &s.font(10.0), at).map_err(err)
}

type Map<'a> = &'a dyn Fn(f64) -> f64;

fn color(g: &HistGroup, s: &Style) -> RGBColor {
    g.color.map_or(s.theme.fg, |i| s.theme.color(i))
}

/// A histogram along a side: bar `i` spans `along` of its edges and grows `across` (a map of
/// the value over the tallest); `turned`: along is y (the histogram right of the plot).
/// Stacked: bars on one another; else overlaid, see-through.
fn strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Hist1,
    (stacked, turned): (bool, bool),
    s: &Style,
    along: Map,
    across: Map,
) -> Result<(), String> {
    let top = h.top(stacked).max(f64::MIN_POSITIVE);
    let at = |a: f64, c: f64| -> (i32, i32) {
        let (a, c) = (a.round() as i32, c.round() as i32);
        if turned {
            (c, a)
        } else {
            (a, c)
        }
    };
    let mut below = vec![0.0; h.bins.n];
    for g in &h.groups {
        let c = color(g, s);
        let fill = if stacked { c.mix(0.8) } else { c.mix(0.35) };
        for (i, &v) in g.values.iter().enumerate() {
            if v <= 0.0 {
                continue;
            }
            let lo = if stacked { below[i] } else { 0.0 };
            let p = at(along(h.bins.edge(i)), across(lo / top));
            let q = at(along(h.bins.edge(i + 1)), across((lo + v) / top));
            // One pixel between neighbouring bars.
            let (x0, x1) = (p.0.min(q.0), p.0.max(q.0) - i32::from(!turned));
            let (y0, y1) = (p.1.min(q.1) + i32::from(turned), p.1.max(q.1));
            root.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled()))
                .map_err(err)?;
            if stacked {
                below[i] += v;
            }
        }
        if let Some(curve) = &g.curve {
            let pts: Vec<(i32, i32)> = curve
                .iter()
                .map(|&(x, v)| at(along(x), across(v / top)))
                .collect();
            root.draw(&PathElement::new(pts, c.stroke_width(s.px(1.5))))
                .map_err(err)?;
        }
    }
    Ok(())
}
