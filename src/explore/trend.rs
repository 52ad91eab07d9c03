//! Trends over the explorer's points, per group and for all points: the mean (± SEM) or the
//! median (with quartiles) of y in bins of x (exact x values or quantiles), a running average,
//! LOWESS, or a least-squares line with its slope, R² and p-value. Pure.

use crate::charts::xy::{Overlay, XySeries};
use crate::stats::bins::{bin_points, Binning};
use crate::stats::lowess::lowess;
use crate::stats::regress::linregress;
use crate::stats::summary::running_average;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Mean,
    MeanSem,
    Median,
    Running,
    Lowess,
    Linear,
}

impl Trend {
    pub const ALL: [Trend; 6] = [
        Trend::Mean,
        Trend::MeanSem,
        Trend::Median,
        Trend::Running,
        Trend::Lowess,
        Trend::Linear,
    ];

    /// The URL value.
    pub fn key(self) -> &'static str {
        match self {
            Trend::Mean => "mean",
            Trend::MeanSem => "sem",
            Trend::Median => "median",
            Trend::Running => "running",
            Trend::Lowess => "lowess",
            Trend::Linear => "linear",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Trend::Mean => "Mean per bin",
            Trend::MeanSem => "Mean ± SEM per bin",
            Trend::Median => "Median and quartiles per bin",
            Trend::Running => "Running average",
            Trend::Lowess => "LOWESS",
            Trend::Linear => "Linear fit",
        }
    }

    pub fn parse(s: &str) -> Option<Trend> {
        Trend::ALL.into_iter().find(|t| t.key() == s)
    }

    /// Whether it works on bins of x.
    pub fn binned(self) -> bool {
        matches!(self, Trend::Mean | Trend::MeanSem | Trend::Median)
    }
}

/// LOWESS costs about n² operations (every point fitted over two thirds of the others, four
/// times): beyond this many points it would hold up the page for seconds.
pub const LOWESS_MAX: usize = 5_000;

/// How a trend is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendSpec {
    pub trend: Trend,
    pub binning: Binning,
    /// Points averaged by the running average.
    pub window: usize,
    /// The share of points in each LOWESS neighbourhood.
    pub frac: f64,
}

/// One trend: the line to draw, and what it says in words (a line's slope, R² and p-value).
#[derive(Debug, Clone, PartialEq)]
pub struct TrendLine {
    pub line: Overlay,
    pub note: Option<String>,
}

/// The trend of the points `(x, y)` (already as plotted: logarithms on a log axis).
pub fn trend_line(
    label: &str,
    color: Option<usize>,
    pts: &[(f64, f64)],
    spec: &TrendSpec,
) -> Option<TrendLine> {
    let mut band = None;
    let mut note = None;
    let points: Vec<(f64, f64)> = match spec.trend {
        Trend::Mean | Trend::MeanSem | Trend::Median => {
            let bins = bin_points(pts, spec.binning);
            match spec.trend {
                Trend::Median => {
                    band = Some(bins.iter().map(|b| (b.x, b.y.q1, b.y.q3)).collect());
                    bins.iter().map(|b| (b.x, b.y.median)).collect()
                }
                Trend::MeanSem => {
                    band = Some(
                        bins.iter()
                            .map(|b| {
                                let s = if b.y.sem.is_finite() { b.y.sem } else { 0.0 };
                                (b.x, b.y.mean - s, b.y.mean + s)
                            })
                            .collect(),
                    );
                    bins.iter().map(|b| (b.x, b.y.mean)).collect()
                }
                _ => bins.iter().map(|b| (b.x, b.y.mean)).collect(),
            }
        }
        Trend::Running => {
            // 0: a tenth of the points (at least 3).
            let w = if spec.window == 0 {
                (pts.len() / 10).max(3)
            } else {
                spec.window
            };
            running_average(pts, w)
        }
        Trend::Lowess if pts.len() > LOWESS_MAX => {
            return Some(TrendLine {
                line: Overlay {
                    label: label.to_string(),
                    color,
                    points: Vec::new(),
                    band: None,
                },
                note: Some(format!(
                    "{label}: LOWESS is drawn for at most {LOWESS_MAX} points ({} here); choose \
                     another trend or fewer rows.",
                    pts.len()
                )),
            });
        }
        Trend::Lowess => {
            let (x, y): (Vec<f64>, Vec<f64>) = pts.iter().copied().unzip();
            lowess(&x, &y, spec.frac, 3)
        }
        Trend::Linear => {
            let (x, y): (Vec<f64>, Vec<f64>) = pts.iter().copied().unzip();
            let fit = linregress(&x, &y)?;
            let (lo, hi) = crate::charts::finite_extent(&x);
            note = Some(format!(
                "{label}: slope {}, R² {}, p {} (n = {})",
                crate::charts::fmt_num(fit.slope),
                crate::charts::fmt_num(fit.r_squared),
                fmt_p(fit.p_value),
                fit.n
            ));
            vec![
                (lo, fit.intercept + fit.slope * lo),
                (hi, fit.intercept + fit.slope * hi),
            ]
        }
    };
    (!points.is_empty() || note.is_some()).then(|| TrendLine {
        line: Overlay {
            label: label.to_string(),
            color,
            points,
            band,
        },
        note,
    })
}

/// Whose trend is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendOf {
    Groups,
    All,
    Both,
}

impl TrendOf {
    pub fn key(self) -> &'static str {
        match self {
            TrendOf::Groups => "groups",
            TrendOf::All => "all",
            TrendOf::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<TrendOf> {
        [TrendOf::Groups, TrendOf::All, TrendOf::Both]
            .into_iter()
            .find(|t| t.key() == s)
    }
}

/// Bins from the URL: `exact`, or `q<N>` for N quantile bins (2 to 50); 8 quantiles otherwise.
pub fn parse_binning(s: Option<&str>) -> Binning {
    match s {
        Some("exact") => Binning::Exact,
        Some(q) => q
            .strip_prefix('q')
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (2..=50).contains(n))
            .map_or(Binning::Quantiles(8), Binning::Quantiles),
        None => Binning::Quantiles(8),
    }
}

pub fn binning_key(b: Binning) -> String {
    match b {
        Binning::Exact => "exact".into(),
        Binning::Quantiles(n) => format!("q{n}"),
    }
}

/// The trends of a scatter's series (its groups) and/or of all its points.
pub fn trends(series: &[XySeries], spec: &TrendSpec, of: TrendOf) -> Vec<TrendLine> {
    let pts = |s: &XySeries| s.points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>();
    let mut out = Vec::new();
    if of != TrendOf::All && series.len() > 1 {
        out.extend(
            series
                .iter()
                .filter_map(|s| trend_line(&s.label, Some(s.color), &pts(s), spec)),
        );
    }
    if of != TrendOf::Groups || series.len() <= 1 {
        let all: Vec<(f64, f64)> = series.iter().flat_map(pts).collect();
        out.extend(trend_line("All points", None, &all, spec));
    }
    out
}

/// A p-value as people write it: "< 0.0001" below that, 2 significant digits above.
pub fn fmt_p(p: f64) -> String {
    if !p.is_finite() {
        "–".into()
    } else if p < 1e-4 {
        "< 0.0001".into()
    } else {
        let e = p.log10().floor() as i32;
        let digits = (1 - e).clamp(0, 6) as usize;
        let scale = 10f64.powi(digits as i32);
        crate::charts::fmt_num((p * scale).round() / scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(trend: Trend) -> TrendSpec {
        TrendSpec {
            trend,
            binning: Binning::Exact,
            window: 3,
            frac: 2.0 / 3.0,
        }
    }

    #[test]
    fn binned_trends_follow_the_bins() {
        let pts = [(1.0, 2.0), (1.0, 4.0), (2.0, 6.0), (2.0, 10.0), (2.0, 8.0)];
        let mean = trend_line("all", None, &pts, &spec(Trend::Mean)).unwrap();
        assert_eq!(mean.line.points, [(1.0, 3.0), (2.0, 8.0)]);
        assert!(mean.line.band.is_none());
        let sem = trend_line("all", Some(2), &pts, &spec(Trend::MeanSem)).unwrap();
        // sem of (2, 4) = sd sqrt(2) / sqrt(2) = 1; of (6, 10, 8) = 2 / sqrt(3)
        let b = sem.line.band.unwrap();
        assert!((b[0].1 - 2.0).abs() < 1e-12 && (b[0].2 - 4.0).abs() < 1e-12);
        assert!((b[1].2 - (8.0 + 2.0 / 3f64.sqrt())).abs() < 1e-12);
        let med = trend_line("all", None, &pts, &spec(Trend::Median)).unwrap();
        assert_eq!(med.line.points, [(1.0, 3.0), (2.0, 8.0)]);
        assert_eq!(med.line.band.unwrap()[1], (2.0, 7.0, 9.0));
    }

    #[test]
    fn a_line_says_its_slope_fit_and_p_value() {
        let pts: Vec<(f64, f64)> = (0..10)
            .map(|i| {
                (
                    i as f64,
                    2.0 * i as f64 + 1.0 + if i % 2 == 0 { 0.1 } else { -0.1 },
                )
            })
            .collect();
        let l = trend_line("WSLS", Some(0), &pts, &spec(Trend::Linear)).unwrap();
        assert_eq!(l.line.points.len(), 2);
        assert_eq!(l.line.points[0].0, 0.0);
        assert_eq!(l.line.points[1].0, 9.0);
        let note = l.note.unwrap();
        assert!(note.starts_with("WSLS: slope 1.99"), "{note}");
        assert!(
            note.contains("p < 0.0001") && note.ends_with("(n = 10)"),
            "{note}"
        );
        assert!(trend_line("x", None, &pts[..2], &spec(Trend::Linear)).is_none());
    }

    #[test]
    fn running_and_lowess_trends_run_through_every_point() {
        let pts: Vec<(f64, f64)> = (0..20)
            .map(|i| (i as f64, (i as f64 / 3.0).sin()))
            .collect();
        assert_eq!(
            trend_line("a", None, &pts, &spec(Trend::Running))
                .unwrap()
                .line
                .points
                .len(),
            20
        );
        assert_eq!(
            trend_line("a", None, &pts, &spec(Trend::Lowess))
                .unwrap()
                .line
                .points
                .len(),
            20
        );
        assert!(trend_line("a", None, &[], &spec(Trend::Lowess)).is_none());
        let many: Vec<(f64, f64)> = (0..=LOWESS_MAX).map(|i| (i as f64, 1.0)).collect();
        let t = trend_line("a", None, &many, &spec(Trend::Lowess)).unwrap();
        assert!(
            t.line.points.is_empty() && t.note.unwrap().contains("at most 5000 points (5001 here)")
        );
    }

    #[test]
    fn trends_per_group_and_for_all_points() {
        use crate::charts::xy::XyPoint;
        let s = |label: &str, color, ys: &[f64]| XySeries {
            label: label.into(),
            color,
            points: ys
                .iter()
                .enumerate()
                .map(|(i, &y)| XyPoint {
                    x: i as f64,
                    y,
                    spread: None,
                    row: None,
                })
                .collect(),
        };
        let series = [s("a", 0, &[1.0, 2.0, 3.0]), s("b", 3, &[5.0, 5.0, 5.0])];
        let sp = spec(Trend::Linear);
        let groups = trends(&series, &sp, TrendOf::Groups);
        let labels: Vec<(&str, Option<usize>)> = groups
            .iter()
            .map(|t| (t.line.label.as_str(), t.line.color))
            .collect();
        assert_eq!(labels, [("a", Some(0)), ("b", Some(3))]);
        assert_eq!(trends(&series, &sp, TrendOf::All).len(), 1);
        let both = trends(&series, &sp, TrendOf::Both);
        assert_eq!(both.last().unwrap().line.label, "All points");
        assert_eq!(both.last().unwrap().line.color, None);
        // One group: its trend is the trend of all points, once.
        assert_eq!(trends(&series[..1], &sp, TrendOf::Groups).len(), 1);
        assert_eq!(parse_binning(Some("q5")), Binning::Quantiles(5));
        assert_eq!(parse_binning(Some("q500")), Binning::Quantiles(8));
        assert_eq!(parse_binning(Some("exact")), Binning::Exact);
        assert_eq!(binning_key(Binning::Quantiles(5)), "q5");
    }

    #[test]
    fn p_values_read_well() {
        assert_eq!(fmt_p(0.034_56), "0.035");
        assert_eq!(fmt_p(0.5), "0.5");
        assert_eq!(fmt_p(0.000_01), "< 0.0001");
        assert_eq!(fmt_p(0.001_234), "0.0012");
        assert_eq!(Trend::parse("lowess"), Some(Trend::Lowess));
        assert_eq!(Trend::parse("x"), None);
    }
}
