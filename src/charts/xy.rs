//! Values over x, one series per group: lines with points (metrics over sessions), points
//! only, or bars (one series). A point may carry a spread, drawn as ± whiskers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::encode::{self, Encoding, Shape};
use super::layers::{draw_density, draw_with_marginals, Layers};
use super::{dates, err, fmt_num, padded, DataTable, Hit, Style};

/// What the values of an axis are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XKind {
    Number,
    /// Base-10 logarithms, labelled with the numbers they stand for.
    Log10,
    /// Day numbers (see [`dates`]), labelled as dates.
    Date,
    /// Whole numbers (a session index).
    Index,
}

impl XKind {
    pub fn label(self, x: f64) -> String {
        match self {
            XKind::Date => dates::date_of(x.round() as i64),
            XKind::Index => format!("{}", x.round() as i64),
            XKind::Number => fmt_num(x),
            XKind::Log10 => fmt_num(10f64.powf(x)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    LinesAndPoints,
    Points,
    Bars,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XyPoint {
    pub x: f64,
    pub y: f64,
    /// Drawn as y ± spread.
    pub spread: Option<f64>,
    /// The data row this point stands for.
    pub row: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct XySeries {
    pub label: String,
    /// Palette index (stable per series name, so colours do not move when one is hidden).
    pub color: usize,
    /// In x order.
    pub points: Vec<XyPoint>,
}

/// A line drawn over the points (a trend), with a band (`x`, `lo`, `hi`) when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    pub label: String,
    /// Palette index; `None`: the foreground colour (a trend of all points).
    pub color: Option<usize>,
    pub points: Vec<(f64, f64)>,
    pub band: Option<Vec<(f64, f64, f64)>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct XyChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_kind: XKind,
    pub y_kind: XKind,
    pub mark: Mark,
    pub series: Vec<XySeries>,
    /// Drawn over the series.
    pub overlays: Vec<Overlay>,
    /// Colour, size and shape of each point from columns of their own (points only).
    pub encoding: Option<Box<Encoding>>,
    /// A density under the points, marginal histograms, dots hidden (points only).
    pub layers: Option<Box<Layers>>,
}

impl XyChart {
    fn points(&self) -> impl Iterator<Item = &XyPoint> {
        self.series.iter().flat_map(|s| s.points.iter())
    }

    /// x and y extents (y including spreads, and 0 for bars).
    pub fn extents(&self) -> Option<((f64, f64), (f64, f64))> {
        let mut xs = (f64::INFINITY, f64::NEG_INFINITY);
        let mut ys = if self.mark == Mark::Bars {
            (0.0, 0.0)
        } else {
            (f64::INFINITY, f64::NEG_INFINITY)
        };
        let mut any = false;
        for p in self.points() {
            any = true;
            xs = (xs.0.min(p.x), xs.1.max(p.x));
            let s = p.spread.unwrap_or(0.0).abs();
            ys = (ys.0.min(p.y - s), ys.1.max(p.y + s));
        }
        for o in &self.overlays {
            let bands = o
                .band
                .iter()
                .flatten()
                .flat_map(|&(x, lo, hi)| [(x, lo), (x, hi)]);
            for (x, y) in o.points.iter().copied().chain(bands) {
                if x.is_finite() && y.is_finite() {
                    xs = (xs.0.min(x), xs.1.max(x));
                    ys = (ys.0.min(y), ys.1.max(y));
                }
            }
        }
        any.then_some((xs, ys))
    }

    pub fn describe(&self, hit: &Hit) -> Vec<String> {
        let Some(p) = self
            .series
            .get(hit.series)
            .and_then(|s| s.points.get(hit.item))
        else {
            return Vec::new();
        };
        let mut y = format!("{}: {}", self.y_label, self.y_kind.label(p.y));
        if let Some(s) = p.spread {
            y.push_str(&format!(" ± {}", fmt_num(s)));
        }
        let mut out = vec![
            self.series[hit.series].label.clone(),
            format!("{}: {}", self.x_label, self.x_kind.label(p.x)),
            y,
        ];
        if let Some(e) = &self.encoding {
            out.extend(e.describe(hit.series, hit.item));
        }
        out
    }

    pub fn table(&self) -> DataTable {
        let spread = self.points().any(|p| p.spread.is_some());
        let mut headers = vec![
            self.x_label.clone(),
            "Series".to_string(),
            self.y_label.clone(),
        ];
        if spread {
            headers.push("±".into());
        }
        if let Some(e) = &self.encoding {
            headers.extend(e.headers());
        }
        let rows = self
            .series
            .iter()
            .enumerate()
            .flat_map(|(si, s)| {
                s.points.iter().enumerate().map(move |(item, p)| {
                    let mut r = vec![
                        self.x_kind.label(p.x),
                        s.label.clone(),
                        self.y_kind.label(p.y),
                    ];
                    if spread {
                        r.push(p.spread.map(fmt_num).unwrap_or_default());
                    }
                    if let Some(e) = &self.encoding {
                        r.extend(e.cells(si, item));
                    }
                    r
                })
            })
            .collect();
        DataTable { headers, rows }
    }
}

/// As many x labels as fit, and for dates and
/// indices (whole numbers) no more than there are values.
fn x_label_count(kind: XKind, lo: f64, hi: f64, width: u32, s: &Style) -> usize {
    let fit = super::label_fit(width, s);
    match kind {
        XKind::Number | XKind::Log10 => fit,
        _ => ((hi - lo).round() as usize + 1).clamp(1, fit),
    }
}

/// Where a drawn chart's plot is (pixels of the area it was drawn on) and the x and y ranges
/// it spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub plot: ((i32, i32), (i32, i32)),
    pub x: (f64, f64),
    pub y: (f64, f64),
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &XyChart,
    s: &Style,
) -> Result<Vec<Hit>, String> {
    match c.layers.as_ref().and_then(|l| l.marginals.as_ref()) {
        Some(m) if c.extents().is_some() => draw_with_marginals(root, c, m, s),
        _ => draw_in(root, c, s, true).map(|(hits, _)| hits),
    }
}

/// Draws the chart on `root`; `whole`: with its title and colour bar (else the caller draws
/// them, around marginal histograms).
pub fn draw_in<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &XyChart,
    s: &Style,
    whole: bool,
) -> Result<(Vec<Hit>, Frame), String> {
    let empty = Frame {
        plot: ((0, 0), (0, 0)),
        x: (0.0, 1.0),
        y: (0.0, 1.0),
    };
    let Some(((xlo, xhi), (ylo, yhi))) = c.extents() else {
        return Ok((Vec::new(), empty));
    };
    let bar_w = match c.mark {
        Mark::Bars => min_gap(c).unwrap_or(1.0) * 0.8,
        _ => 0.0,
    };
    let (x0, x1) = padded(xlo - bar_w / 2.0, xhi + bar_w / 2.0);
    let (mut y0, y1) = padded(ylo, yhi);
    if c.mark == Mark::Bars && ylo >= 0.0 {
        y0 = 0.0;
    }
    let right = match (&c.encoding, whole) {
        (Some(e), true) => e.right_margin(),
        _ => 30.0,
    };
    let mut builder = ChartBuilder::on(root);
    builder.margin(s.px(8.0)).margin_right(s.px(right));
    if whole {
        builder.caption(&c.title, s.font(14.0));
    }
    let mut chart = builder
        .x_label_area_size(s.px(40.0))
        .y_label_area_size(s.px(64.0))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    let kind = c.x_kind;
    let width = chart.plotting_area().dim_in_pixel().0;
    let x_fmt = move |v: &f64| kind.label(*v);
    let y_kind = c.y_kind;
    let y_fmt = move |v: &f64| y_kind.label(*v);
    super::themed(&mut chart.configure_mesh(), s)
        .x_labels(x_label_count(kind, xlo, xhi, width, s))
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .draw()
        .map_err(err)?;

    let line_w = s.px(1.5);
    let radius = s.px(2.5) as i32;
    let mut hits = Vec::new();
    if let Some(d) = c.layers.as_ref().and_then(|l| l.density.as_ref()) {
        draw_density(&mut chart, d)?;
    }
    let dots = !c.layers.as_ref().is_some_and(|l| l.hide_points);
    for (si, series) in c.series.iter().enumerate().filter(|_| dots) {
        let color = s.theme.color(series.color);
        let xy = |p: &XyPoint| (p.x, p.y);
        let whiskers = series.points.iter().filter_map(|p| {
            let d = p.spread?;
            Some(PathElement::new(
                vec![(p.x, p.y - d), (p.x, p.y + d)],
                color.mix(0.6).stroke_width(s.px(1.0)),
            ))
        });
        chart.draw_series(whiskers).map_err(err)?;
        let anno = match c.mark {
            Mark::LinesAndPoints => {
                chart
                    .draw_series(
                        series
                            .points
                            .iter()
                            .map(|p| Circle::new(xy(p), radius, color.filled())),
                    )
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        series.points.iter().map(xy).collect::<Vec<_>>(),
                        color.stroke_width(line_w),
                    )))
                    .map_err(err)?
            }
            Mark::Points => match c.encoding.as_deref() {
                Some(e) => {
                    encode::draw_points(root, &chart, (si, series), e, color, s)?;
                    chart
                        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                        .map_err(err)?
                }
                None => chart
                    .draw_series(
                        series
                            .points
                            .iter()
                            .map(|p| Circle::new(xy(p), radius, color.filled())),
                    )
                    .map_err(err)?,
            },
            Mark::Bars => chart
                .draw_series(series.points.iter().map(|p| {
                    Rectangle::new(
                        [(p.x - bar_w / 2.0, 0.0), (p.x + bar_w / 2.0, p.y)],
                        color.mix(0.85).filled(),
                    )
                }))
                .map_err(err)?,
        };
        if s.legend {
            let w = s.px(16.0) as i32;
            anno.label(series.label.as_str()).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + w, y)], color.stroke_width(line_w))
            });
        }
    }
    {
        // Every point is a mark, drawn or not: hidden dots still answer hover, keys and
        // selection.
        for (si, series) in c.series.iter().enumerate() {
            for (item, p) in series.points.iter().enumerate() {
                let (px, py) = chart.backend_coord(&(p.x, p.y));
                // Hidden dots answer hover and selection at the usual small reach.
                let radius = c
                    .encoding
                    .as_ref()
                    .filter(|e| dots && e.size.is_some())
                    .map_or(0.0, |e| e.radius(si, item) * s.scale);
                hits.push(Hit {
                    x: px as f64,
                    y: py as f64,
                    series: si,
                    item,
                    row: p.row,
                    radius,
                });
            }
        }
    }
    for o in &c.overlays {
        let color = o.color.map_or(s.theme.fg, |i| s.theme.color(i));
        if let Some(band) = &o.band {
            if band.len() > 1 {
                let outline: Vec<(f64, f64)> = band
                    .iter()
                    .map(|&(x, lo, _)| (x, lo))
                    .chain(band.iter().rev().map(|&(x, _, hi)| (x, hi)))
                    .collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        outline,
                        color.mix(0.18).filled(),
                    )))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(band.iter().map(|&(x, lo, hi)| {
                        PathElement::new(vec![(x, lo), (x, hi)], color.stroke_width(s.px(2.0)))
                    }))
                    .map_err(err)?;
            }
        }
        if let [only] = o.points.as_slice() {
            // A trend of one bin: a mark, since a line through one point shows nothing.
            chart
                .draw_series(std::iter::once(Cross::new(
                    *only,
                    s.px(6.0) as i32,
                    color.stroke_width(s.px(2.5)),
                )))
                .map_err(err)?;
        } else {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    o.points.clone(),
                    color.stroke_width(s.px(2.5)),
                )))
                .map_err(err)?;
        }
    }
    let shapes = c.encoding.as_ref().and_then(|e| e.shapes.as_ref());
    if s.legend {
        // Downloads name the shapes too (on screen an HTML legend does).
        for (i, name) in shapes.iter().flat_map(|(_, n)| n.iter()).enumerate() {
            let (fg, r) = (s.theme.fg, s.px(4.0) as i32);
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    EmptyElement::at((x + r, y))
                        + Text::new(
                            Shape::of(i).glyph(),
                            (-r, -r),
                            ("sans-serif", 2 * r).into_font().color(&fg),
                        )
                });
        }
    }
    if s.legend && c.series.len() + shapes.map_or(0, |s| s.1.len()) > 1 {
        super::legend_box(&mut chart, s)?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let base = root.get_base_pixel();
    let plot = (
        (xr.start - base.0, yr.start - base.1),
        (xr.end - base.0, yr.end - base.1),
    );
    if let Some(scale) = c
        .encoding
        .as_ref()
        .and_then(|e| e.color.as_ref())
        .filter(|_| whole)
    {
        encode::color_bar(root, plot, scale, s)?;
    }
    let frame = Frame {
        plot,
        x: (x0, x1),
        y: (y0, y1),
    };
    Ok((hits, frame))
}

/// The smallest distance between distinct x values (the width a bar may take).
fn min_gap(c: &XyChart) -> Option<f64> {
    let mut xs: Vec<f64> = c.points().map(|p| p.x).collect();
    crate::sort::sort_vec(&mut xs, &f64::total_cmp);
    xs.dedup();
    xs.windows(2).map(|w| w[1] - w[0]).reduce(f64::min)
}
