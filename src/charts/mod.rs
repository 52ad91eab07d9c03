//! Charts drawn with plotters, generic over its `DrawingBackend`: the same code draws on a
//! canvas in the browser and to SVG for downloads and host tests. A chart is data (a spec);
//! drawing it returns where each mark landed, so hover and click need no redraw.

pub mod backend;
pub mod bars;
pub mod dates;
pub mod encode;
pub mod heat;
pub mod layers;
pub mod pair;
pub mod select;
pub mod span;
pub mod theme;
pub mod trials;
pub mod xy;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_encode;

use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;

pub use theme::{Theme, DARK, LIGHT};

/// How to draw: the theme, the device pixels per CSS pixel, and whether to draw the legend
/// into the picture (downloads; on screen the legend is HTML that hides and shows series).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub theme: &'static Theme,
    pub scale: f64,
    pub legend: bool,
}

impl Style {
    /// A length in device pixels.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.scale).round().max(1.0) as u32
    }

    pub fn font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.scale)
            .into_font()
            .color(&self.theme.fg)
    }
}

/// A mark of a drawn chart, in device pixels: series `series`, its item `item`, standing for
/// row `row` of the data (when it stands for one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub x: f64,
    pub y: f64,
    pub series: usize,
    pub item: usize,
    pub row: Option<usize>,
    /// The drawn mark's radius in device pixels, when it is sized (0: the usual small mark),
    /// so that a ring around it is drawn outside it.
    pub radius: f64,
}

/// One chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    Xy(xy::XyChart),
    Heat(heat::HeatChart),
    Bars(bars::BarChart),
    Trials(trials::TrialChart),
    Pair(pair::PairChart),
}

/// A chart's data as a table: a text alternative and a CSV source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// As CSV (cells that a spreadsheet would run as formulas are neutralised).
    pub fn to_csv(&self) -> String {
        use crate::table::csv::{inert, line};
        let mut out = line(self.headers.iter().map(|h| inert(h)));
        for r in &self.rows {
            out.push_str(&line(r.iter().map(|c| inert(c))));
        }
        out
    }
}

impl Chart {
    /// Draws on `backend`; the marks, for hover.
    pub fn draw<DB: DrawingBackend>(&self, backend: DB, style: &Style) -> Result<Vec<Hit>, String> {
        let root = backend.into_drawing_area();
        root.fill(&style.theme.bg).map_err(err)?;
        let hits = match self {
            Chart::Xy(c) => xy::draw(&root, c, style),
            Chart::Heat(c) => heat::draw(&root, c, style),
            Chart::Bars(c) => bars::draw(&root, c, style),
            Chart::Trials(c) => trials::draw(&root, c, style),
            Chart::Pair(c) => pair::draw(&root, c, style),
        }?;
        root.present().map_err(err)?;
        Ok(hits)
    }

    pub fn title(&self) -> &str {
        match self {
            Chart::Xy(c) => &c.title,
            Chart::Heat(c) => &c.title,
            Chart::Bars(c) => &c.title,
            Chart::Trials(c) => &c.title,
            Chart::Pair(c) => &c.title,
        }
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        match self {
            Chart::Xy(c) => c.series.iter().all(|s| s.points.is_empty()),
            Chart::Heat(c) => c.cells.is_empty(),
            Chart::Bars(c) => c.bars.is_empty(),
            Chart::Trials(c) => c.is_empty(),
            Chart::Pair(c) => c.is_empty(),
        }
    }

    /// What a mark stands for, one line each (the tooltip).
    pub fn describe(&self, hit: &Hit) -> Vec<String> {
        match self {
            Chart::Xy(c) => c.describe(hit),
            Chart::Heat(c) => c.describe(hit),
            Chart::Bars(c) => c.describe(hit),
            Chart::Trials(c) => c.describe(hit),
            Chart::Pair(c) => c.describe(hit),
        }
    }

    pub fn table(&self) -> DataTable {
        match self {
            Chart::Xy(c) => c.table(),
            Chart::Heat(c) => c.table(),
            Chart::Bars(c) => c.table(),
            Chart::Trials(c) => c.table(),
            Chart::Pair(c) => c.table(),
        }
    }

    /// The trials shown and the trial count, for a chart that zooms and pans over trials
    /// (hover then follows x alone).
    pub fn span(&self) -> Option<(trials::Span, usize)> {
        match self {
            Chart::Trials(c) if !c.is_empty() => Some((c.span.clamp(c.n()), c.n())),
            _ => None,
        }
    }

    /// Renders to an SVG document of `width` x `height` CSS pixels.
    pub fn to_svg(&self, width: u32, height: u32, style: &Style) -> Result<String, String> {
        let mut out = String::new();
        {
            let svg = plotters::backend::SVGBackend::with_string(&mut out, (width, height));
            self.draw(backend::AnyBackend::Svg(svg), style)?;
        }
        Ok(out)
    }
}

/// The mark nearest to (x, y) within `radius`, or within its own radius when it is drawn larger
/// (all in device pixels).
pub fn nearest(hits: &[Hit], x: f64, y: f64, radius: f64) -> Option<usize> {
    let mut best = None;
    let mut best_d = f64::INFINITY;
    for (i, h) in hits.iter().enumerate() {
        let d = (h.x - x).powi(2) + (h.y - y).powi(2);
        // A large mark is reached anywhere on it.
        let reach = radius.max(h.radius);
        if d <= reach * reach && d <= best_d {
            best_d = d;
            best = Some(i);
        }
    }
    best
}

/// A number as people read it on an axis or in a tooltip: up to 4 significant digits, built
/// from whole numbers (the standard library's exponent formatting, `{:e}`, is kept out of the
/// download).
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a == 0.0 {
        return "0".into();
    }
    let e = a.log10().floor() as i32;
    if (-3..6).contains(&e) {
        let digits = (3 - e).clamp(0, 6) as u32;
        let n = (a * 10f64.powi(digits as i32)).round() as u64;
        if n == 0 {
            return "0".into();
        }
        format!("{sign}{}", decimal(n, digits))
    } else {
        let mut n = (a / 10f64.powi(e) * 1000.0).round() as u64;
        let mut e = e;
        // Rounding may carry into the next power (9.9996e7 -> 1e8).
        if n >= 10_000 {
            n /= 10;
            e += 1;
        }
        format!("{sign}{}e{e}", decimal(n, 3))
    }
}

/// `n / 10^digits` written out, without trailing zeros.
fn decimal(n: u64, digits: u32) -> String {
    let p = 10u64.pow(digits);
    let (int, frac) = (n / p, n % p);
    if frac == 0 {
        return int.to_string();
    }
    let mut f = frac.to_string();
    while f.len() < digits as usize {
        f.insert(0, '0');
    }
    format!("{int}.{}", f.trim_end_matches('0'))
}

/// The mesh of a chart in the theme: labels, axis titles, grid lines on the labelled ticks only.
pub(crate) fn themed<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    s: &Style,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.label_style(s.font(11.0))
        .axis_desc_style(s.font(12.0))
        .light_line_style(TRANSPARENT)
        .bold_line_style(s.theme.grid)
        .axis_style(s.theme.axis)
}

/// The legend of the labelled series, in the upper right corner (downloads).
pub(crate) fn legend_box<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    s: &Style,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .background_style(s.theme.bg.mix(0.85))
        .border_style(s.theme.axis)
        .label_font(s.font(11.0))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(err)
}

/// How many date labels fit across `width` device pixels (one takes about 90 CSS pixels).
pub fn label_fit(width: u32, s: &Style) -> usize {
    (width as f64 / (90.0 * s.scale)).floor().clamp(2.0, 8.0) as usize
}

/// The smallest and the largest of the finite values (∞ and −∞ when there is none).
pub fn finite_extent(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        })
}

/// A range around `lo..hi` with a margin, never empty.
pub fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        let d = if lo.abs() > 1e-12 {
            lo.abs() * 0.05
        } else {
            1.0
        };
        return (lo - d, hi + d);
    }
    let m = (hi - lo) * 0.05;
    (lo - m, hi + m)
}

fn err<E: std::error::Error + Send + Sync>(
    e: plotters::drawing::DrawingAreaErrorKind<E>,
) -> String {
    format!("the chart could not be drawn: {e}")
}
