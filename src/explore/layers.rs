//! Marginal histograms and a 2-D density from the points a scatter draws (after hidden groups
//! are left out), and their choices from the URL. Pure.

use crate::charts::encode::Palette;
use crate::charts::layers::{DensityLayer, Hist1, HistGroup, Layers, Marginals};
use crate::charts::xy::XySeries;
use crate::stats::hist::{density_2d, gaussian_kde, gaussian_kde_binned, Bins};

/// Marginal histograms: groups on one another, or over one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marg {
    Stacked,
    Overlaid,
}

impl Marg {
    pub fn key(self) -> &'static str {
        match self {
            Marg::Stacked => "stacked",
            Marg::Overlaid => "overlaid",
        }
    }

    pub fn parse(s: &str) -> Option<Marg> {
        [Marg::Stacked, Marg::Overlaid]
            .into_iter()
            .find(|m| m.key() == s)
    }
}

/// The layers' choices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayerChoice {
    pub marginals: Option<Marg>,
    /// Histograms as fractions: of each group's points (overlaid), of all points (stacked).
    pub normalised: bool,
    pub bins: usize,
    /// A density curve over each histogram.
    pub curve: bool,
    pub density: bool,
    pub opacity: f64,
    /// The density's Gaussian smoothing, in cells.
    pub smoothing: f64,
    pub hide_points: bool,
}

pub const BINS: (usize, usize, usize) = (5, 20, 100);
pub const OPACITY: (f64, f64, f64) = (0.05, 0.6, 1.0);
pub const SMOOTHING: (f64, f64, f64) = (0.0, 1.5, 8.0);
/// Cells of the density along each axis.
const CELLS: usize = 64;
/// Points of a density curve.
const CURVE: usize = 120;
/// Values up to which a density curve is computed exactly.
const KDE_EXACT: usize = 2_000;

impl Default for LayerChoice {
    fn default() -> LayerChoice {
        LayerChoice {
            marginals: None,
            normalised: false,
            bins: BINS.1,
            curve: false,
            density: false,
            opacity: OPACITY.1,
            smoothing: SMOOTHING.1,
            hide_points: false,
        }
    }
}

/// The URL's text of the layers' parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayerParams {
    pub marginals: Option<String>,
    pub bins: Option<String>,
    pub opacity: Option<String>,
    pub smoothing: Option<String>,
    pub normalised: bool,
    pub curve: bool,
    pub density: bool,
    pub hide_points: bool,
}

fn number(v: &Option<String>, range: (f64, f64, f64)) -> Result<f64, String> {
    match v.as_deref() {
        None => Ok(range.1),
        Some(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| (range.0..=range.2).contains(x))
            .ok_or_else(|| s.to_string()),
    }
}

impl LayerChoice {
    /// The choice, and a sentence for each value that could not be used.
    pub fn resolve(p: &LayerParams) -> (LayerChoice, Vec<String>) {
        let mut problems = Vec::new();
        let mut c = LayerChoice {
            normalised: p.normalised,
            curve: p.curve,
            density: p.density,
            hide_points: p.hide_points,
            ..LayerChoice::default()
        };
        if let Some(m) = p.marginals.as_deref() {
            match Marg::parse(m) {
                Some(m) => c.marginals = Some(m),
                None => problems.push(format!(
                    "ex_marg: \"{m}\" is not stacked or overlaid; no histograms drawn."
                )),
            }
        }
        let b = (BINS.0 as f64, BINS.1 as f64, BINS.2 as f64);
        match number(&p.bins, b) {
            Ok(n) if n.fract() == 0.0 => c.bins = n as usize,
            Ok(_) | Err(_) => problems.push(format!(
                "ex_mbins: \"{}\" is not a bin count ({} to {}); {} used.",
                p.bins.as_deref().unwrap_or(""),
                BINS.0,
                BINS.2,
                BINS.1
            )),
        }
        let mut num = |v: &Option<String>, r: (f64, f64, f64), name: &str| match number(v, r) {
            Ok(x) => x,
            Err(s) => {
                problems.push(format!(
                    "{name}: \"{s}\" is not between {} and {}; {} used.",
                    r.0, r.2, r.1
                ));
                r.1
            }
        };
        c.opacity = num(&p.opacity, OPACITY, "ex_dopacity");
        c.smoothing = num(&p.smoothing, SMOOTHING, "ex_dsmooth");
        (c, problems)
    }
}

/// The values' own extent, except for a single value: then the chart's padded range around it
/// (numpy would widen it by ±0.5, far past a chart of small numbers).
fn range_of(values: &[f64]) -> Option<(f64, f64)> {
    let (lo, hi) = crate::charts::finite_extent(values);
    (lo.is_finite() && hi - lo < 1e-12).then(|| crate::charts::padded(lo, hi))
}

/// One axis' histogram per series over shared bins (`pick`: the axis' value of a point). With
/// stacked bars the density curve is of all points (the stack's outline); else one per group.
fn hist(
    series: &[XySeries],
    grouped: bool,
    c: &LayerChoice,
    pick: fn(&crate::charts::xy::XyPoint) -> f64,
) -> Option<Hist1> {
    let stacked = c.marginals == Some(Marg::Stacked);
    let all: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(pick))
        .collect();
    let bins = Bins::new(&all, c.bins, range_of(&all))?;
    let step = (bins.hi - bins.lo) / bins.n as f64;
    let grid: Vec<f64> = (0..CURVE)
        .map(|i| bins.lo + (bins.hi - bins.lo) * i as f64 / (CURVE - 1) as f64)
        .collect();
    let curve = |values: &[f64], unit: f64| {
        // Exact for a few thousand values; beyond, from 1,024 bins (within 0.1 % of its height).
        let k = if values.len() > KDE_EXACT {
            gaussian_kde_binned(values, &grid, 1024)
        } else {
            gaussian_kde(values, &grid)
        };
        let line: Vec<(f64, f64)> = grid
            .iter()
            .zip(k)
            .map(|(&x, d)| (x, d * unit * step))
            .collect();
        (!line.is_empty()).then_some(line)
    };
    let mut groups: Vec<HistGroup> = series
        .iter()
        .map(|s| {
            let values: Vec<f64> = s.points.iter().map(pick).collect();
            let n = values.len() as f64;
            let mut counts = vec![0.0; bins.n];
            for v in &values {
                if let Some(i) = bins.index(*v) {
                    counts[i] += 1.0;
                }
            }
            // Counts, or fractions of the group's points; the curve in the same unit.
            // Fractions of the group's points (overlaid), or of all points (stacked, so that
            // the stack is the histogram of all).
            let unit = if c.normalised { 1.0 } else { n };
            let of = if stacked { all.len() as f64 } else { n };
            if c.normalised && of > 0.0 {
                counts.iter_mut().for_each(|v| *v /= of);
            }
            HistGroup {
                color: grouped.then_some(s.color),
                values: counts,
                curve: (c.curve && !stacked)
                    .then(|| curve(&values, unit))
                    .flatten(),
            }
        })
        .collect();
    if c.curve && stacked {
        let unit = if c.normalised { 1.0 } else { all.len() as f64 };
        groups.push(HistGroup {
            color: None,
            values: vec![0.0; bins.n],
            curve: curve(&all, unit),
        });
    }
    Some(Hist1 { bins, groups })
}

/// The layers the choice asks for over these series (`grouped`: the series are colour groups).
pub fn layers(
    series: &[XySeries],
    grouped: bool,
    c: &LayerChoice,
    palette: Palette,
) -> Option<Box<Layers>> {
    if c.marginals.is_none() && !c.density && !c.hide_points {
        return None;
    }
    let marginals = c.marginals.map(|m| Marginals {
        x: hist(series, grouped, c, |p| p.x),
        y: hist(series, grouped, c, |p| p.y),
        stacked: m == Marg::Stacked,
        unit: if c.normalised { "fraction" } else { "count" }.into(),
    });
    let density = c
        .density
        .then(|| {
            let points: Vec<(f64, f64)> = series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| (p.x, p.y)))
                .collect();
            let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
            density_2d(
                &points,
                (CELLS, CELLS),
                range_of(&xs),
                range_of(&ys),
                c.smoothing,
            )
        })
        .flatten()
        .map(|grid| DensityLayer {
            grid,
            opacity: c.opacity,
            palette,
        });
    Some(Box::new(Layers {
        density,
        marginals,
        hide_points: c.hide_points,
    }))
}
