//! What a point of a scatter says beyond its place: a colour on a continuous scale, a size and a
//! shape, each from a column of its own. The chart keeps the raw values (the tooltip shows them)
//! and the scales that turn them into colours, radii and marks; drawing lives here too, so the
//! x-y chart only asks for each point's look.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::xy::{XKind, XySeries};
use super::{err, Style};

/// Sequential and diverging colour scales, all readable with the common colour-vision
/// deficiencies (cividis is made for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Palette {
    #[default]
    Viridis,
    Cividis,
    Magma,
    /// Diverging, blue through grey to red (Moreland's cool-warm).
    CoolWarm,
}

type Stops = [(u8, u8, u8); 9];

const VIRIDIS: Stops = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];
const CIVIDIS: Stops = [
    (0, 34, 78),
    (18, 53, 112),
    (59, 73, 108),
    (87, 92, 109),
    (112, 113, 115),
    (138, 134, 120),
    (166, 157, 117),
    (196, 181, 105),
    (254, 232, 56),
];
const MAGMA: Stops = [
    (0, 0, 4),
    (28, 16, 68),
    (79, 18, 123),
    (129, 37, 129),
    (181, 54, 122),
    (229, 80, 100),
    (251, 135, 97),
    (254, 194, 135),
    (252, 253, 191),
];
const COOLWARM: Stops = [
    (59, 76, 192),
    (98, 130, 234),
    (141, 176, 254),
    (184, 208, 249),
    (221, 221, 221),
    (245, 196, 173),
    (244, 154, 123),
    (222, 96, 77),
    (180, 4, 38),
];

impl Palette {
    pub const ALL: [Palette; 4] = [
        Palette::Viridis,
        Palette::Cividis,
        Palette::Magma,
        Palette::CoolWarm,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Palette::Viridis => "viridis",
            Palette::Cividis => "cividis",
            Palette::Magma => "magma",
            Palette::CoolWarm => "coolwarm",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Palette::Viridis => "Viridis",
            Palette::Cividis => "Cividis",
            Palette::Magma => "Magma",
            Palette::CoolWarm => "Cool–warm (diverging)",
        }
    }

    pub fn parse(s: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.key() == s)
    }

    /// The colour at `t` in [0, 1] (linear between the stops; outside: the ends).
    pub fn at(self, t: f64) -> RGBColor {
        let stops = match self {
            Palette::Viridis => &VIRIDIS,
            Palette::Cividis => &CIVIDIS,
            Palette::Magma => &MAGMA,
            Palette::CoolWarm => &COOLWARM,
        };
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let f = t * (stops.len() - 1) as f64;
        let i = (f.floor() as usize).min(stops.len() - 2);
        let u = f - i as f64;
        let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * u).round() as u8;
        let (a, b) = (stops[i], stops[i + 1]);
        RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// Where `v` lies between `lo` and `hi`, in [0, 1] (the middle when they are equal).
fn unit(v: f64, lo: f64, hi: f64) -> f64 {
    if hi - lo > 0.0 {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// A column's values as colours.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorScale {
    pub label: String,
    pub kind: XKind,
    pub lo: f64,
    pub hi: f64,
    pub palette: Palette,
    pub reversed: bool,
}

impl ColorScale {
    pub fn color(&self, v: f64) -> RGBColor {
        let t = unit(v, self.lo, self.hi);
        self.palette.at(if self.reversed { 1.0 - t } else { t })
    }
}

/// A column's values as radii (CSS pixels): `min + (max - min) * t^gamma`.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeScale {
    pub label: String,
    pub kind: XKind,
    pub lo: f64,
    pub hi: f64,
    pub min_px: f64,
    pub max_px: f64,
    pub gamma: f64,
}

impl SizeScale {
    pub fn radius(&self, v: f64) -> f64 {
        let t = unit(v, self.lo, self.hi).powf(self.gamma);
        self.min_px + (self.max_px - self.min_px) * t
    }
}

/// Marks for the groups of a shape column, in order (the palette repeats after six).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
    TriangleDown,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::Circle,
        Shape::Square,
        Shape::Triangle,
        Shape::Diamond,
        Shape::Cross,
        Shape::TriangleDown,
    ];

    pub fn of(i: usize) -> Shape {
        Shape::ALL[i % Shape::ALL.len()]
    }

    /// The same mark as a character, for legends written in HTML.
    pub fn glyph(self) -> &'static str {
        match self {
            Shape::Circle => "●",
            Shape::Square => "■",
            Shape::Triangle => "▲",
            Shape::Diamond => "◆",
            Shape::Cross => "✚",
            Shape::TriangleDown => "▼",
        }
    }
}

/// A point's colour value, size value and shape group (as set by the encoding's columns).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PointLook {
    pub color: Option<f64>,
    pub size: Option<f64>,
    pub shape: usize,
}

/// The encodings of a scatter: `looks[series][item]` parallels the series' points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Encoding {
    pub color: Option<ColorScale>,
    pub size: Option<SizeScale>,
    /// The shape column's label and its groups in order (`PointLook::shape` indexes them).
    pub shapes: Option<(String, Vec<String>)>,
    pub looks: Vec<Vec<PointLook>>,
}

impl Encoding {
    /// The radius (CSS pixels) of a point: by the size scale, the smallest without a value,
    /// 2.5 without a size column.
    pub fn radius(&self, series: usize, item: usize) -> f64 {
        match (&self.size, self.look(series, item).size) {
            (Some(scale), Some(v)) => scale.radius(v),
            (Some(scale), None) => scale.min_px,
            (None, _) => 2.5,
        }
    }

    pub fn look(&self, series: usize, item: usize) -> PointLook {
        self.looks
            .get(series)
            .and_then(|l| l.get(item))
            .copied()
            .unwrap_or_default()
    }

    /// The lines a tooltip adds for a point.
    pub fn describe(&self, series: usize, item: usize) -> Vec<String> {
        let l = self.look(series, item);
        let value = |v: Option<f64>, kind: XKind| v.map_or("–".to_string(), |v| kind.label(v));
        let mut out = Vec::new();
        if let Some(c) = &self.color {
            out.push(format!("{}: {}", c.label, value(l.color, c.kind)));
        }
        if let Some(s) = &self.size {
            out.push(format!("{}: {}", s.label, value(l.size, s.kind)));
        }
        if let Some((label, names)) = &self.shapes {
            let name = names.get(l.shape).map_or("–", String::as_str);
            out.push(format!("{label}: {name}"));
        }
        out
    }

    /// The headers and cells it adds to the chart's data table.
    pub fn headers(&self) -> Vec<String> {
        let mut h = Vec::new();
        h.extend(self.color.as_ref().map(|c| c.label.clone()));
        h.extend(self.size.as_ref().map(|s| s.label.clone()));
        h.extend(self.shapes.as_ref().map(|s| s.0.clone()));
        h
    }

    pub fn cells(&self, series: usize, item: usize) -> Vec<String> {
        let l = self.look(series, item);
        let value = |v: Option<f64>, kind: XKind| v.map(|v| kind.label(v)).unwrap_or_default();
        let mut out = Vec::new();
        out.extend(self.color.as_ref().map(|c| value(l.color, c.kind)));
        out.extend(self.size.as_ref().map(|s| value(l.size, s.kind)));
        out.extend(
            self.shapes
                .as_ref()
                .map(|(_, n)| n.get(l.shape).cloned().unwrap_or_default()),
        );
        out
    }

    /// Room to keep right of the plot for the colour bar (CSS pixels).
    pub fn right_margin(&self) -> f64 {
        if self.color.is_some() {
            96.0
        } else {
            30.0
        }
    }
}

/// Draws one point at `at` (device pixels) with radius `r` in `style`.
pub fn mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    r: i32,
    shape: Shape,
    style: ShapeStyle,
) -> Result<(), String> {
    let (x, y) = at;
    let r = r.max(1);
    match shape {
        Shape::Circle => area.draw(&Circle::new(at, r, style)),
        Shape::Square => {
            let h = (r as f64 * 0.85).round() as i32;
            area.draw(&Rectangle::new([(x - h, y - h), (x + h, y + h)], style))
        }
        Shape::Triangle | Shape::TriangleDown => {
            let d = if shape == Shape::Triangle { 1 } else { -1 };
            let p = vec![(x, y - d * r), (x + r, y + d * r), (x - r, y + d * r)];
            area.draw(&Polygon::new(p, style))
        }
        Shape::Diamond => {
            let p = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
            area.draw(&Polygon::new(p, style))
        }
        Shape::Cross => {
            let w = (r / 3).max(1);
            area.draw(&Rectangle::new([(x - r, y - w), (x + r, y + w)], style))
                .map_err(err)?;
            area.draw(&Rectangle::new([(x - w, y - r), (x + w, y + r)], style))
        }
    }
    .map_err(err)
}

/// The colour bar: a vertical gradient right of the plot (`plot` is its pixel box), the
/// scale's label above it and five values beside it.
pub fn color_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: ((i32, i32), (i32, i32)),
    scale: &ColorScale,
    s: &Style,
) -> Result<(), String> {
    let ((_, top), (right, bottom)) = plot;
    let x0 = right + s.px(14.0) as i32;
    let x1 = x0 + s.px(12.0) as i32;
    let title_y = top;
    let (top, bottom) = (top + s.px(26.0) as i32, bottom);
    if bottom <= top {
        return Ok(());
    }
    let h = (bottom - top) as f64;
    for y in top..bottom {
        // The top is the scale's high end.
        let v = scale.lo + (scale.hi - scale.lo) * (bottom - y) as f64 / h;
        root.draw(&Rectangle::new(
            [(x0, y), (x1, y + 1)],
            scale.color(v).filled(),
        ))
        .map_err(err)?;
    }
    root.draw(&Rectangle::new([(x0, top), (x1, bottom)], s.theme.axis))
        .map_err(err)?;
    let font = s.font(10.0);
    let mut label = scale.label.clone();
    if label.chars().count() > 14 {
        label = label.chars().take(13).collect::<String>() + "…";
    }
    root.draw_text(&label, &font, (x0 - s.px(6.0) as i32, title_y))
        .map_err(err)?;
    for k in 0..5 {
        let f = k as f64 / 4.0;
        let v = scale.lo + (scale.hi - scale.lo) * f;
        let y = bottom - (h * f).round() as i32;
        root.draw_text(
            &scale.kind.label(v),
            &font.pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            )),
            (x1 + s.px(4.0) as i32, y),
        )
        .map_err(err)?;
    }
    Ok(())
}

/// The points of a series, each in its own colour, size and shape.
pub fn draw_points<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    (si, series): (usize, &XySeries),
    e: &Encoding,
    color: RGBColor,
    s: &Style,
) -> Result<(), String> {
    let base = root.get_base_pixel();
    for (item, p) in series.points.iter().enumerate() {
        let look = e.look(si, item);
        let fill = match (&e.color, look.color) {
            (Some(scale), Some(v)) => scale.color(v),
            (Some(_), None) => s.theme.muted,
            (None, _) => color,
        };
        let r = e.radius(si, item);
        let (x, y) = chart.backend_coord(&(p.x, p.y));
        let shape = if e.shapes.is_some() {
            Shape::of(look.shape)
        } else {
            Shape::Circle
        };
        // Large marks see through, so crowded points stay apart.
        let style = if r > 4.0 {
            fill.mix(0.7).filled()
        } else {
            fill.filled()
        };
        mark(root, (x - base.0, y - base.1), s.px(r) as i32, shape, style)?;
    }
    Ok(())
}
