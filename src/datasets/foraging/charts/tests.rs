//! The subject page's charts built from rows: series, values, sessions, comparison.

use super::*;
use crate::charts::Chart;
use crate::datasets::foraging::normalize::normalize_record;
use crate::datasets::foraging::schema::Pipeline;
use serde_json::{json, Value};

fn fit(nwb: &str, date: &str, alias: &str, extra: Value) -> Arc<FitRow> {
    let mut rec = json!({"_id": format!("{nwb}-{alias}"), "nwb_name": nwb, "agent_alias": alias,
        "status": "success", "analysis_time": "2025-01-01T00:00:00", "session_date": date});
    for (k, v) in extra.as_object().unwrap() {
        rec[k] = v.clone();
    }
    let mut r = normalize_record(&rec, Pipeline::Han).unwrap();
    r.warnings.clear();
    Arc::new(r)
}

/// Two sessions; WSLS and QL in the first, WSLS in the second; one failed fit.
fn rows() -> Vec<Arc<FitRow>> {
    vec![
        fit(
            "s1.nwb",
            "2024-01-16",
            "WSLS",
            json!({"AIC": 100.0, "BIC": 110.0, "log_likelihood": -50.0, "n_trials": 200,
            "params": {"win_stay": 0.4, "lose_shift": 0.2}}),
        ),
        fit(
            "s1.nwb",
            "2024-01-16",
            "QL",
            json!({"AIC": 104.0, "BIC": 108.0, "n_trials": 200,
            "prediction_accuracy_test": [0.6, 0.8]}),
        ),
        fit(
            "s2.nwb",
            "2024-01-18",
            "WSLS",
            json!({"AIC": 90.0, "BIC": 95.0, "log_likelihood": -40.0, "n_trials": 400,
            "params": {"win_stay": 0.5, "lose_shift": 0.1}}),
        ),
        {
            let mut r = (*fit("s3.nwb", "2024-01-20", "QL", json!({"AIC": 1.0}))).clone();
            r.status = Some("failed".into());
            Arc::new(r)
        },
    ]
}

fn with<T>(shown: &[usize], f: impl FnOnce(&ChartData) -> T) -> T {
    let rows = rows();
    let models = Models::of(&rows);
    let sessions = Sessions::of(&rows);
    f(&ChartData {
        rows: &rows,
        shown,
        models: &models,
        sessions: &sessions,
    })
}

#[test]
fn metric_over_dates_has_one_series_per_model_with_dated_points() {
    let c = with(&[0, 1, 2, 3], |d| d.metric(Metric::Aic, XAxis::Date));
    let labels: Vec<&str> = c.series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        ["QL", "WSLS"],
        "the failed QL fit of s3 is left out"
    );
    let wsls = &c.series[1];
    assert_eq!(
        wsls.points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>(),
        [(19_738.0, 100.0), (19_740.0, 90.0)]
    );
    assert_eq!(wsls.points[0].row, Some(0));
    // Colours follow the model's place among all models, not among those shown.
    assert_eq!((c.series[0].color, wsls.color), (0, 1));
    let only_wsls = with(&[0, 2], |d| d.metric(Metric::Aic, XAxis::Index));
    assert_eq!(only_wsls.series.len(), 1);
    assert_eq!(only_wsls.series[0].color, 1);
    assert_eq!(
        only_wsls.series[0]
            .points
            .iter()
            .map(|p| p.x)
            .collect::<Vec<_>>(),
        [1.0, 2.0]
    );
}

#[test]
fn per_trial_log_likelihood_and_cv_spread() {
    let c = with(&[0, 1, 2], |d| d.metric(Metric::LlPerTrial, XAxis::Index));
    let wsls: Vec<f64> = c.series[0].points.iter().map(|p| p.y).collect();
    assert_eq!(c.series[0].label, "WSLS");
    assert_eq!(wsls, [-0.25, -0.1]);
    let cv = with(&[0, 1, 2], |d| d.metric(Metric::CvTest, XAxis::Index));
    assert_eq!(cv.series.len(), 1, "only QL has folds");
    let p = cv.series[0].points[0];
    assert!((p.y - 0.7).abs() < 1e-12);
    assert!(
        (p.spread.unwrap() - 0.1).abs() < 1e-12,
        "population SD of 0.6 and 0.8"
    );
}

#[test]
fn heat_strip_has_a_column_per_session_and_marks_the_best() {
    let h = with(&[0, 1, 2, 3], |d| d.heat(Compare::DeltaAic));
    assert_eq!(h.columns, ["2024-01-16", "2024-01-18"]);
    assert_eq!(h.rows, ["QL", "WSLS"]);
    let cell = |col, row| {
        h.cells
            .iter()
            .find(|c| c.col == col && c.row == row)
            .copied()
    };
    assert_eq!(
        cell(0, 0).map(|c| (c.value, c.marked, c.fit)),
        Some((4.0, false, Some(1)))
    );
    assert_eq!(cell(0, 1).map(|c| (c.value, c.marked)), Some((0.0, true)));
    assert!(cell(1, 0).is_none(), "QL was not fitted to s2");
    let bic = with(&[0, 1, 2], |d| d.heat(Compare::BicWeight));
    // s1 by BIC: QL 108 beats WSLS 110; weight of QL = 1 / (1 + e^-1) = 0.731059.
    let ql = bic.cells.iter().find(|c| c.col == 0 && c.row == 0).unwrap();
    assert!(ql.marked && (ql.value - 0.731_058_6).abs() < 1e-6);
}

#[test]
fn best_counts_rank_models() {
    let b = with(&[0, 1, 2], |d| d.best_counts(false));
    let bars: Vec<(&str, f64)> = b.bars.iter().map(|b| (b.label.as_str(), b.value)).collect();
    assert_eq!(bars, [("WSLS", 2.0), ("QL", 0.0)]);
    let s = with(&[0, 1, 2], |d| d.summary(true));
    // By BIC each is best once; QL's summed ΔBIC (0) beats WSLS' (2, in s1).
    assert_eq!(
        (s[0].model.as_str(), s[0].best, s[0].summed_delta),
        ("QL", 1, 0.0)
    );
    assert_eq!(
        (s[1].model.as_str(), s[1].best, s[1].summed_delta),
        ("WSLS", 1, 2.0)
    );
}

#[test]
fn parameters_of_one_model_one_chart_each() {
    let p = with(&[0, 1, 2], |d| d.parameters("WSLS", XAxis::Date));
    let titles: Vec<&str> = p.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["lose_shift", "win_stay"]);
    assert_eq!(
        p[1].series[0]
            .points
            .iter()
            .map(|p| p.y)
            .collect::<Vec<_>>(),
        [0.4, 0.5]
    );
    assert!(with(&[0, 1, 2], |d| d.parameters("nobody", XAxis::Date)).is_empty());
}

#[test]
fn trials_per_session_are_bars() {
    let t = with(&[0, 1, 2, 3], |d| d.trials(XAxis::Index));
    assert_eq!(
        t.series[0]
            .points
            .iter()
            .map(|p| (p.x, p.y))
            .collect::<Vec<_>>(),
        [(1.0, 200.0), (2.0, 400.0)]
    );
    let empty = with(&[], |d| d.trials(XAxis::Index));
    assert!(Chart::Xy(empty).is_empty());
}

#[test]
fn url_keys_round_trip() {
    for m in Metric::ALL {
        assert_eq!(Metric::from_key(m.key()), Some(m));
    }
    for c in Compare::ALL {
        assert_eq!(Compare::from_key(c.key()), Some(c));
    }
    assert_eq!(XAxis::from_key("index"), Some(XAxis::Index));
    assert_eq!(Metric::from_key("$where"), None);
}

#[test]
fn a_model_fitted_twice_to_a_session_points_at_the_fit_the_comparison_kept() {
    let mut rows = rows();
    // A second WSLS fit of s1 with a lower AIC (95) than the first (100), after it in the table.
    let mut rerun = (*fit("s1.nwb", "2024-01-16", "WSLS", json!({"AIC": 95.0}))).clone();
    rerun.key = "rerun".into();
    rows.insert(3, Arc::new(rerun));
    let models = Models::of(&rows);
    let sessions = Sessions::of(&rows);
    let d = ChartData {
        rows: &rows,
        shown: &[0, 1, 2, 3],
        models: &models,
        sessions: &sessions,
    };
    let h = d.heat(Compare::DeltaAic);
    let wsls = h.rows.iter().position(|m| m == "WSLS").unwrap();
    let cell = h
        .cells
        .iter()
        .find(|c| c.col == 0 && c.row == wsls)
        .unwrap();
    assert_eq!(
        cell.fit,
        Some(3),
        "the rerun with AIC 95 is the value shown"
    );
    assert_eq!(cell.value, 0.0);
}
