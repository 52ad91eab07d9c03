//! Latent variables trial by trial, several models overlaid: the probability of choosing right
//! with the animal's choices and rewards as a raster, the q-values of both sides, and the reward
//! prediction errors below, over a window of trials that zooms and pans ([`Span`]).

use plotters::coord::Shift;
use plotters::prelude::*;

pub use super::span::{Span, MIN_SPAN};
use super::{err, fmt_num, padded, DataTable, Hit, Style};

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
            radius: 0.0,
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
