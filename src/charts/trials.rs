//! Latent variables trial by trial, several models overlaid: the probability of choosing right
//! with the animal's choices and rewards as a raster, the q-values of both sides, and the reward
//! prediction errors below, over a window of trials that zooms and pans ([`Span`]).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, fmt_num, padded, DataTable, Hit, Style};

/// The trials shown: `lo..hi` (0-based, `hi` excluded) of `0..n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lo: usize,
    pub hi: usize,
}

/// The fewest trials a zoom shows.
pub const MIN_SPAN: usize = 10;

impl Span {
    pub fn full(n: usize) -> Span {
        Span { lo: 0, hi: n }
    }

    pub fn width(&self) -> usize {
        self.hi - self.lo
    }

    pub fn is_full(&self, n: usize) -> bool {
        self.lo == 0 && self.hi >= n
    }

    /// Inside `0..n`, at least [`MIN_SPAN`] trials wide (or all of them).
    pub fn clamp(self, n: usize) -> Span {
        let hi = self.hi.min(n);
        let width = hi.saturating_sub(self.lo).max(MIN_SPAN.min(n));
        let lo = self.lo.min(n - width);
        Span { lo, hi: lo + width }
    }

    /// `factor` times as many trials (below 1 zooms in), keeping trial `anchor` where it is on
    /// screen.
    pub fn zoom(self, factor: f64, anchor: f64, n: usize) -> Span {
        let w = self.width().max(1) as f64;
        let nw = (w * factor).round().clamp(MIN_SPAN.min(n) as f64, n as f64);
        let at = ((anchor - self.lo as f64) / w).clamp(0.0, 1.0);
        let lo = (anchor - at * nw).round().clamp(0.0, n as f64 - nw);
        Span {
            lo: lo as usize,
            hi: (lo + nw) as usize,
        }
        .clamp(n)
    }

    /// Moved by `by` trials (negative: to earlier trials), as wide as before.
    pub fn pan(self, by: f64, n: usize) -> Span {
        let w = self.width();
        let lo = (self.lo as f64 + by)
            .round()
            .clamp(0.0, n.saturating_sub(w) as f64) as usize;
        Span { lo, hi: lo + w }.clamp(n)
    }

    /// `first-last` (trial numbers from 1, both included), as in the URL.
    pub fn parse(s: &str, n: usize) -> Option<Span> {
        let (a, b) = s.split_once('-')?;
        let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (a >= 1 && b >= a).then(|| Span { lo: a - 1, hi: b }.clamp(n))
    }

    pub fn to_param(self) -> String {
        format!("{}-{}", self.lo + 1, self.hi)
    }
}

/// One model's latent variables (each per trial; the q-values with one entry more).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrialSeries {
    pub label: String,
    /// Palette index.
    pub color: usize,
    pub p_right: Option<Vec<f64>>,
    pub q: Option<[Vec<f64>; 2]>,
    pub rpe: Option<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrialChart {
    pub title: String,
    /// The animal's choices (0 = left, 1 = right) and rewards, per trial.
    pub choices: Vec<usize>,
    pub rewards: Vec<f64>,
    pub series: Vec<TrialSeries>,
    pub span: Span,
}

fn at(v: &Option<Vec<f64>>, t: usize) -> Option<f64> {
    v.as_ref().and_then(|v| v.get(t)).copied()
}

impl TrialChart {
    /// Trials in the session.
    pub fn n(&self) -> usize {
        self.choices.len()
    }

    fn shown(&self) -> std::ops::Range<usize> {
        let s = self.span.clamp(self.n());
        s.lo..s.hi
    }

    pub fn is_empty(&self) -> bool {
        self.n() == 0 || self.series.is_empty()
    }

    fn choice(&self, t: usize) -> String {
        let side = if self.choices.get(t) == Some(&1) {
            "right"
        } else {
            "left"
        };
        let reward = if self.rewards.get(t).is_some_and(|&r| r > 0.0) {
            "rewarded"
        } else {
            "not rewarded"
        };
        format!("Choice: {side}, {reward}")
    }

    pub fn describe(&self, hit: &Hit) -> Vec<String> {
        let t = hit.item;
        let mut out = vec![format!("Trial {}", t + 1), self.choice(t)];
        for s in &self.series {
            let mut parts = Vec::new();
            if let Some(p) = at(&s.p_right, t) {
                parts.push(format!("P(right) {}", fmt_num(p)));
            }
            if let Some(q) = &s.q {
                parts.push(format!(
                    "Q left {} right {}",
                    q[0].get(t).map_or("–".into(), |v| fmt_num(*v)),
                    q[1].get(t).map_or("–".into(), |v| fmt_num(*v)),
                ));
            }
            if let Some(r) = at(&s.rpe, t) {
                parts.push(format!("RPE {}", fmt_num(r)));
            }
            out.push(format!("{}: {}", s.label, parts.join(" · ")));
        }
        out
    }

    /// The plotted values of the trials shown, at full precision.
    pub fn table(&self) -> DataTable {
        let mut headers = vec![
            "Trial".to_string(),
            "Choice (1 = right)".into(),
            "Reward".into(),
        ];
        for s in &self.series {
            if s.p_right.is_some() {
                headers.push(format!("{} P(right)", s.label));
            }
            if s.q.is_some() {
                headers.push(format!("{} Q left", s.label));
                headers.push(format!("{} Q right", s.label));
            }
            if s.rpe.is_some() {
                headers.push(format!("{} RPE", s.label));
            }
        }
        // The shortest text that reads back as the same number.
        let num = |v: Option<f64>| {
            v.filter(|v| v.is_finite())
                .map_or(String::new(), |v| v.to_string())
        };
        let rows = self
            .shown()
            .map(|t| {
                let mut r = vec![
                    (t + 1).to_string(),
                    self.choices[t].to_string(),
                    num(self.rewards.get(t).copied()),
                ];
                for s in &self.series {
                    if s.p_right.is_some() {
                        r.push(num(at(&s.p_right, t)));
                    }
                    if let Some(q) = &s.q {
                        r.push(num(q[0].get(t).copied()));
                        r.push(num(q[1].get(t).copied()));
                    }
                    if s.rpe.is_some() {
                        r.push(num(at(&s.rpe, t)));
                    }
                }
                r
            })
            .collect();
        DataTable { headers, rows }
    }

    /// The y extent of the q-values or the RPEs shown (with 0..1 or -1..1 always in view).
    fn extent(&self, rpe: bool) -> (f64, f64) {
        let (mut lo, mut hi) = if rpe { (-1.0f64, 1.0f64) } else { (0.0, 1.0) };
        for s in &self.series {
            let lists: Vec<&Vec<f64>> = if rpe {
                s.rpe.iter().collect()
            } else {
                s.q.iter().flat_map(|q| q.iter()).collect()
            };
            let r = self.shown();
            for v in lists
                .into_iter()
                .flat_map(|l| l.iter().skip(r.start).take(r.len()))
                .filter(|v| v.is_finite())
            {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        (lo, hi)
    }
}

/// One panel's mesh: the shared x range, `y` on the left, x labels only on the bottom panel.
fn panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    c: &TrialChart,
    y: (f64, f64),
    y_label: &str,
    caption: bool,
    bottom: bool,
    s: &Style,
) -> Result<
    ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    String,
> {
    let r = c.shown();
    let mut b = ChartBuilder::on(area);
    b.margin_left(s.px(8.0))
        .margin_right(s.px(30.0))
        .margin_top(s.px(if caption { 4.0 } else { 6.0 }))
        .x_label_area_size(s.px(if bottom { 40.0 } else { 0.0 }))
        .y_label_area_size(s.px(64.0));
    if caption {
        b.caption(&c.title, s.font(14.0));
    }
    let mut chart = b
        .build_cartesian_2d(r.start as f64 - 0.5..r.end as f64 - 0.5, y.0..y.1)
        .map_err(err)?;
    let x_fmt = |v: &f64| format!("{}", v.round() as i64 + 1);
    let y_fmt = |v: &f64| fmt_num(*v);
    let width = chart.plotting_area().dim_in_pixel().0;
    super::themed(&mut chart.configure_mesh(), s)
        .x_labels(if bottom {
            super::label_fit(width, s).max(4)
        } else {
            0
        })
        .y_labels(4)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(if bottom { "Trial" } else { "" })
        .y_desc(y_label)
        .draw()
        .map_err(err)?;
    Ok(chart)
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &TrialChart,
    s: &Style,
) -> Result<Vec<Hit>, String> {
    if c.is_empty() {
        return Ok(Vec::new());
    }
    let r = c.shown();
    let h = root.dim_in_pixel().1 as f64;
    let (top, rest) = root.split_vertically((h * 0.44).round() as u32);
    let (middle, bottom) = rest.split_vertically((h * 0.25).round() as u32);
    let line = s.px(1.5);
    let pts = |v: &[f64]| -> Vec<(f64, f64)> {
        r.clone()
            .filter_map(|t| v.get(t).filter(|y| y.is_finite()).map(|y| (t as f64, *y)))
            .collect()
    };

    // Choice probability, with the choices (right above, left below) and rewards as a raster.
    let mut p = panel(&top, c, (-0.2, 1.2), "P(right)", true, false, s)?;
    let raster = r.clone().map(|t| {
        let right = c.choices[t] == 1;
        let rewarded = c.rewards.get(t).is_some_and(|&v| v > 0.0);
        let (y0, y1) = match (right, rewarded) {
            (true, true) => (1.04, 1.18),
            (true, false) => (1.04, 1.1),
            (false, true) => (-0.18, -0.04),
            (false, false) => (-0.1, -0.04),
        };
        let color = if rewarded { s.theme.fg } else { s.theme.axis };
        PathElement::new(
            vec![(t as f64, y0), (t as f64, y1)],
            color.stroke_width(s.px(1.0)),
        )
    });
    p.draw_series(raster).map_err(err)?;
    for series in &c.series {
        let color = s.theme.color(series.color);
        // A model without a choice probability still gets its legend entry (an empty path).
        let v = series.p_right.as_deref().map(pts).unwrap_or_default();
        if !v.is_empty() || s.legend {
            let anno = p
                .draw_series(std::iter::once(PathElement::new(
                    v,
                    color.stroke_width(line),
                )))
                .map_err(err)?;
            if s.legend {
                let w = s.px(16.0) as i32;
                anno.label(series.label.as_str()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + w, y)], color.stroke_width(line))
                });
            }
        }
    }
    if s.legend {
        super::legend_box(&mut p, s)?;
    }

    // Q-values: right solid, left pale.
    let mut q = panel(
        &middle,
        c,
        padded_pair(c.extent(false)),
        "Q (right; left pale)",
        false,
        false,
        s,
    )?;
    let x_mid = (r.start + r.end) as f64 / 2.0 - 0.5;
    if c.series.iter().all(|x| x.q.is_none()) {
        q.draw_series(std::iter::once(note(
            "No q-values for the models shown",
            (x_mid, 0.5),
            s,
        )))
        .map_err(err)?;
    }
    for series in &c.series {
        let color = s.theme.color(series.color);
        if let Some([left, right]) = &series.q {
            q.draw_series([
                PathElement::new(pts(left), color.mix(0.4).stroke_width(line)),
                PathElement::new(pts(right), color.stroke_width(line)),
            ])
            .map_err(err)?;
        }
    }

    // Reward prediction errors.
    let mut e = panel(
        &bottom,
        c,
        padded_pair(c.extent(true)),
        "RPE",
        false,
        true,
        s,
    )?;
    e.draw_series(std::iter::once(PathElement::new(
        vec![(r.start as f64 - 0.5, 0.0), (r.end as f64 - 0.5, 0.0)],
        s.theme.axis.stroke_width(s.px(1.0)),
    )))
    .map_err(err)?;
    if c.series.iter().all(|x| x.rpe.is_none()) {
        let text = "No reward prediction errors (they need q-values)";
        e.draw_series(std::iter::once(note(text, (x_mid, 0.5), s)))
            .map_err(err)?;
    }
    for series in &c.series {
        if let Some(v) = &series.rpe {
            let color = s.theme.color(series.color);
            e.draw_series(std::iter::once(PathElement::new(
                pts(v),
                color.stroke_width(line),
            )))
            .map_err(err)?;
        }
    }

    // One mark per trial shown, at its x (hover looks at x only).
    let mid = (h / 2.0).round();
    Ok(r.map(|t| {
        let (x, _) = e.backend_coord(&(t as f64, 0.0));
        Hit {
            x: x as f64,
            y: mid,
            series: 0,
            item: t,
            row: None,
        }
    })
    .collect())
}

/// A grey note centred at `at` (a panel with nothing to draw says why).
fn note<'a>(text: &'a str, at: (f64, f64), s: &Style) -> Text<'a, (f64, f64), &'a str> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    Text::new(
        text,
        at,
        s.font(12.0)
            .color(&s.theme.muted)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    )
}

fn padded_pair((lo, hi): (f64, f64)) -> (f64, f64) {
    padded(lo, hi)
}

/// The mark whose x is nearest to `x`, if `x` is within half a step of the marks.
pub fn nearest_x(hits: &[Hit], x: f64) -> Option<usize> {
    let (first, last) = (hits.first()?, hits.last()?);
    let step = if hits.len() > 1 {
        (last.x - first.x) / (hits.len() - 1) as f64
    } else {
        1.0
    };
    if x < first.x - step.max(4.0) || x > last.x + step.max(4.0) {
        return None;
    }
    let i = if step > 0.0 {
        ((x - first.x) / step).round()
    } else {
        0.0
    };
    Some(i.clamp(0.0, (hits.len() - 1) as f64) as usize)
}

/// The trial (fractional) at device x `x`, from the marks of the trials shown.
pub fn trial_at(hits: &[Hit], x: f64) -> Option<f64> {
    let (first, last) = (hits.first()?, hits.last()?);
    if hits.len() < 2 || last.x <= first.x {
        return Some(first.item as f64);
    }
    let per = (last.x - first.x) / (last.item - first.item) as f64;
    Some(first.item as f64 + (x - first.x) / per)
}

/// Device pixels per trial.
pub fn px_per_trial(hits: &[Hit]) -> Option<f64> {
    let (first, last) = (hits.first()?, hits.last()?);
    (hits.len() > 1 && last.x > first.x)
        .then(|| (last.x - first.x) / (last.item - first.item) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_zoom_around_the_anchor_and_stay_inside() {
        let full = Span::full(500);
        let z = full.zoom(0.5, 250.0, 500);
        assert_eq!(z, Span { lo: 125, hi: 375 });
        // The anchor keeps its place on screen: 1/5 of the way in before and after.
        let z2 = z.zoom(0.5, 175.0, 500);
        assert_eq!(z2, Span { lo: 150, hi: 275 });
        // Never below the minimum, never outside.
        assert_eq!(
            full.zoom(0.0001, 0.0, 500),
            Span {
                lo: 0,
                hi: MIN_SPAN
            }
        );
        assert_eq!(z.zoom(10.0, 400.0, 500), full);
        assert_eq!(z.pan(1000.0, 500), Span { lo: 250, hi: 500 });
        assert_eq!(z.pan(-1000.0, 500), Span { lo: 0, hi: 250 });
        assert_eq!(z.pan(10.4, 500), Span { lo: 135, hi: 385 });
        // Fewer trials than the minimum: all of them.
        assert_eq!(Span::full(4).zoom(0.1, 2.0, 4), Span::full(4));
        assert_eq!(Span::full(0).clamp(0), Span::full(0));
    }

    #[test]
    fn spans_read_and_write_the_url_form() {
        assert_eq!(Span::parse("101-250", 500), Some(Span { lo: 100, hi: 250 }));
        assert_eq!(Span { lo: 100, hi: 250 }.to_param(), "101-250");
        assert_eq!(Span::parse("400-900", 500), Some(Span { lo: 399, hi: 500 }));
        assert_eq!(
            Span::parse("1-3", 500),
            Some(Span {
                lo: 0,
                hi: MIN_SPAN
            })
        );
        for bad in ["", "x", "0-10", "20-10", "-5", "1-", "1-2-3"] {
            assert_eq!(Span::parse(bad, 500), None, "{bad}");
        }
    }

    #[test]
    fn x_lookups_follow_the_marks() {
        let hits: Vec<Hit> = (10..20)
            .map(|t| Hit {
                x: 100.0 + (t - 10) as f64 * 8.0,
                y: 0.0,
                series: 0,
                item: t,
                row: None,
            })
            .collect();
        assert_eq!(nearest_x(&hits, 100.0), Some(0));
        assert_eq!(nearest_x(&hits, 113.0), Some(2));
        assert_eq!(nearest_x(&hits, 500.0), None);
        assert_eq!(trial_at(&hits, 116.0), Some(12.0));
        assert_eq!(px_per_trial(&hits), Some(8.0));
    }
}
