//! The subject page's charts as data: which metric, which x, which models, built from the rows
//! the table shows (so that its filter, the failed-fit switch and the hidden models apply to
//! both). Pure; the drawing is `charts`, the page is `components::subject_charts`.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::charts::bars::{Bar, BarChart};
use crate::charts::dates::day_number;
use crate::charts::heat::{HeatCell, HeatChart};
use crate::charts::xy::{Mark, XKind, XyChart, XyPoint, XySeries};
use crate::hash::FastMap;
use crate::sort::{sort_vec, sorted_unique};
use crate::stats::compare::{per_session, summarize, ModelSummary, Score, SessionComparison};

use super::rows::FitRow;

mod choices;
pub use choices::{ll_per_trial, Compare, Metric, XAxis};

/// Every model of the table with a stable palette index (alphabetical), so that a model keeps
/// its colour when others are hidden.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Models(pub Vec<String>);

impl Models {
    pub fn of(rows: &[Arc<FitRow>]) -> Models {
        Models(sorted_unique(
            rows.iter().map(|r| r.agent_alias.clone()).collect(),
        ))
    }

    pub fn color(&self, model: &str) -> usize {
        self.0.iter().position(|m| m == model).unwrap_or(0)
    }
}

/// The sessions of the rows in order (date, then NWB name), for the session index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sessions(BTreeMap<String, usize>);

impl Sessions {
    pub fn of(rows: &[Arc<FitRow>]) -> Sessions {
        let s = sorted_unique(
            rows.iter()
                .map(|r| (r.session_date.as_deref().unwrap_or(""), r.nwb_name.as_str()))
                .collect(),
        );
        // Inserted one by one: collecting into a map sorts, and each sort compiles a copy of
        // the standard library's (a later repeat of a name wins either way).
        let mut map = BTreeMap::new();
        for (i, (_, nwb)) in s.into_iter().enumerate() {
            map.insert(nwb.to_string(), i + 1);
        }
        Sessions(map)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The x of a fit's session.
    fn x(&self, r: &FitRow, axis: XAxis) -> Option<f64> {
        match axis {
            XAxis::Date => day_number(r.session_date.as_deref()?).map(|d| d as f64),
            XAxis::Index => self.0.get(&r.nwb_name).map(|&i| i as f64),
        }
    }
}

/// What the charts are drawn from: the table's rows, the positions it shows, and the rows' own
/// models and sessions (so colours and indices do not move with the filter).
pub struct ChartData<'a> {
    pub rows: &'a [Arc<FitRow>],
    pub shown: &'a [usize],
    pub models: &'a Models,
    pub sessions: &'a Sessions,
}

impl ChartData<'_> {
    /// The successful fits shown, with their positions.
    fn fits(&self) -> impl Iterator<Item = (usize, &FitRow)> {
        self.shown.iter().filter_map(|&i| {
            let r = self.rows.get(i)?;
            r.is_success().then_some((i, r.as_ref()))
        })
    }

    /// One series per model, points in x order.
    fn per_model(
        &self,
        axis: XAxis,
        value: impl Fn(&FitRow) -> Option<(f64, Option<f64>)>,
        only: Option<&str>,
    ) -> Vec<XySeries> {
        let mut by_model: BTreeMap<&str, Vec<XyPoint>> = BTreeMap::new();
        for (i, r) in self.fits() {
            if only.is_some_and(|m| m != r.agent_alias) {
                continue;
            }
            let (Some(x), Some((y, spread))) = (self.sessions.x(r, axis), value(r)) else {
                continue;
            };
            by_model.entry(&r.agent_alias).or_default().push(XyPoint {
                x,
                y,
                spread,
                row: Some(i),
            });
        }
        by_model
            .into_iter()
            .map(|(model, mut points)| {
                sort_vec(&mut points, &|a, b| a.x.total_cmp(&b.x));
                XySeries {
                    label: model.to_string(),
                    color: self.models.color(model),
                    points,
                }
            })
            .collect()
    }

    /// A metric over sessions, one line per model.
    pub fn metric(&self, metric: Metric, axis: XAxis) -> XyChart {
        XyChart {
            title: format!("{} over sessions", metric.label()),
            x_label: axis.label().into(),
            y_label: metric.label().into(),
            x_kind: axis.kind(),
            y_kind: XKind::Number,
            overlays: Vec::new(),
            encoding: None,
            layers: None,
            mark: Mark::LinesAndPoints,
            series: self.per_model(axis, |r| metric.value(r), None),
        }
    }

    /// The criterion of each shown fit, per session.
    pub fn comparison(&self, bic: bool) -> Vec<SessionComparison> {
        let scores: Vec<Score> = self
            .fits()
            .filter_map(|(_, r)| {
                Some(Score {
                    session: &r.nwb_name,
                    model: &r.agent_alias,
                    value: if bic { r.bic } else { r.aic }?,
                })
            })
            .collect();
        per_session(&scores)
    }

    /// Models as rows, sessions (in date order) as columns.
    pub fn heat(&self, compare: Compare) -> HeatChart {
        let sessions = self.comparison(compare.uses_bic());
        let mut columns: Vec<(usize, &SessionComparison)> = sessions
            .iter()
            .map(|s| (self.sessions.0.get(&s.session).copied().unwrap_or(0), s))
            .collect();
        sort_vec(&mut columns, &|a, b| a.0.cmp(&b.0));
        let models: Vec<String> = sorted_unique(
            sessions
                .iter()
                .flat_map(|s| s.models.iter().map(|m| m.model.clone()))
                .collect(),
        );
        // Each cell's fit and each column's date, looked up once (not a scan per cell).
        let mut fits: FastMap<(&str, &str), usize> = FastMap::default();
        let mut dates: FastMap<&str, &str> = FastMap::default();
        // The fit a cell stands for is the one whose value the comparison kept (the lowest,
        // when a session has two fits of one model).
        let crit = |r: &FitRow| if compare.uses_bic() { r.bic } else { r.aic };
        for (i, r) in self.fits() {
            let slot = fits.entry((&r.nwb_name, &r.agent_alias)).or_insert(i);
            let lower =
                |a: Option<f64>, b: Option<f64>| matches!((a, b), (Some(x), Some(y)) if x < y);
            if lower(crit(r), crit(&self.rows[*slot])) {
                *slot = i;
            }
            if let Some(d) = r.session_date.as_deref() {
                dates.entry(&r.nwb_name).or_insert(d);
            }
        }
        let fit_of = |nwb: &str, model: &str| fits.get(&(nwb, model)).copied();
        let date_of = |nwb: &str| dates.get(nwb).map_or(nwb, |d| *d).to_string();
        let mut cells = Vec::new();
        for (col, (_, s)) in columns.iter().enumerate() {
            for st in &s.models {
                let row = models.iter().position(|m| *m == st.model).unwrap_or(0);
                let value = match compare {
                    Compare::AicWeight | Compare::BicWeight => st.weight,
                    Compare::DeltaAic | Compare::DeltaBic => st.delta,
                };
                cells.push(HeatCell {
                    col,
                    row,
                    value,
                    marked: st.best,
                    fit: fit_of(&s.session, &st.model),
                });
            }
        }
        let weights = matches!(compare, Compare::AicWeight | Compare::BicWeight);
        HeatChart {
            title: format!("{} per session", compare.label()),
            x_label: "Session".into(),
            columns: columns.iter().map(|(_, s)| date_of(&s.session)).collect(),
            rows: models,
            cells,
            value_label: compare.label().into(),
            // Beyond a Δ of 10 a model has essentially no support (Burnham & Anderson).
            range: if weights { (0.0, 1.0) } else { (0.0, 10.0) },
            high_is_bright: weights,
        }
    }

    /// Each model's record over the shown sessions, ranked (AIC or BIC).
    pub fn summary(&self, bic: bool) -> Vec<ModelSummary> {
        summarize(&self.comparison(bic))
    }

    /// How often each model is best, ranked.
    pub fn best_counts(&self, bic: bool) -> BarChart {
        best_bars(&self.summary(bic), self.models, bic)
    }

    /// One chart per fitted parameter of `model`, over sessions.
    pub fn parameters(&self, model: &str, axis: XAxis) -> Vec<XyChart> {
        let names: Vec<String> = sorted_unique(
            self.fits()
                .filter(|(_, r)| r.agent_alias == model)
                .flat_map(|(_, r)| r.params.iter().flat_map(|p| p.keys().cloned()))
                .collect(),
        );
        names
            .into_iter()
            .map(|name| {
                let value = |r: &FitRow| {
                    let v = r.params.as_ref()?.get(&name)?.as_f64()?;
                    v.is_finite().then_some((v, None))
                };
                XyChart {
                    title: name.clone(),
                    x_label: axis.label().into(),
                    y_label: name.clone(),
                    x_kind: axis.kind(),
                    y_kind: XKind::Number,
                    overlays: Vec::new(),
                    encoding: None,
                    layers: None,
                    mark: Mark::LinesAndPoints,
                    series: self.per_model(axis, value, Some(model)),
                }
            })
            .collect()
    }

    /// Trials per session (the most any shown fit of the session saw).
    pub fn trials(&self, axis: XAxis) -> XyChart {
        let mut by_session: BTreeMap<&str, XyPoint> = BTreeMap::new();
        for (i, r) in self.fits() {
            let (Some(x), Some(n)) = (self.sessions.x(r, axis), r.n_trials) else {
                continue;
            };
            let p = by_session.entry(&r.nwb_name).or_insert(XyPoint {
                x,
                y: n as f64,
                spread: None,
                row: Some(i),
            });
            p.y = p.y.max(n as f64);
        }
        let mut points: Vec<XyPoint> = by_session.into_values().collect();
        sort_vec(&mut points, &|a, b| a.x.total_cmp(&b.x));
        XyChart {
            title: "Trials per session".into(),
            x_label: axis.label().into(),
            y_label: "Trials".into(),
            x_kind: axis.kind(),
            y_kind: XKind::Number,
            overlays: Vec::new(),
            encoding: None,
            layers: None,
            mark: Mark::Bars,
            series: if points.is_empty() {
                Vec::new()
            } else {
                vec![XySeries {
                    label: "Trials".into(),
                    color: 0,
                    points,
                }]
            },
        }
    }
}

#[cfg(test)]
mod tests;

/// How often each model is best, from a summary already made (ranked).
pub fn best_bars(summary: &[ModelSummary], models: &Models, bic: bool) -> BarChart {
    let name = if bic { "BIC" } else { "AIC" };
    BarChart {
        title: format!("Sessions where the model is best ({name})"),
        value_label: "sessions".into(),
        bars: summary
            .iter()
            .map(|m| Bar {
                color: models.color(&m.model),
                label: m.model.clone(),
                value: m.best as f64,
            })
            .collect(),
    }
}
