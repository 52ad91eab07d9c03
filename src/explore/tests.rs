//! The explorer's chart from rows of a small table of its own.

use std::sync::Arc;

use super::*;
use crate::table::{ColumnSpec, SortDir};

struct Row {
    model: &'static str,
    date: &'static str,
    aic: Option<f64>,
    trials: f64,
}

/// A numeric column of test rows.
pub(super) fn num<R: 'static>(key: &str, f: fn(&R) -> Option<f64>) -> ColumnSpec<R> {
    ColumnSpec {
        key: key.into(),
        label: key.to_uppercase(),
        numeric: true,
        default_dir: SortDir::Asc,
        cell: Arc::new(move |r: &R| format!("{:?}", f(r))),
        sort_key: Arc::new(move |r: &R| SortKey::num(f(r))),
    }
}

/// A text column of test rows.
pub(super) fn text<R: 'static>(key: &str, f: fn(&R) -> &str) -> ColumnSpec<R> {
    ColumnSpec {
        key: key.into(),
        label: key.to_uppercase(),
        numeric: false,
        default_dir: SortDir::Asc,
        cell: Arc::new(move |r: &R| f(r).to_string()),
        sort_key: Arc::new(move |r: &R| SortKey::text(Some(f(r)))),
    }
}

/// A table of test rows with these columns.
pub(super) fn table<R: 'static>(columns: Vec<ColumnSpec<R>>) -> TableSpec<R> {
    TableSpec {
        columns,
        default_columns: vec![],
        default_sort: ("aic".into(), SortDir::Asc),
        row_key: Arc::new(|_: &R| String::new()),
        matches: Arc::new(|_, _| true),
        tie_break: Arc::new(|_, _| std::cmp::Ordering::Equal),
        noun: ("row", "rows"),
    }
}

fn spec() -> TableSpec<Row> {
    table(vec![
        text("model", |r: &Row| r.model),
        text("date", |r: &Row| r.date),
        num("aic", |r: &Row| r.aic),
        num("trials", |r: &Row| Some(r.trials)),
    ])
}

fn rows() -> Vec<Arc<Row>> {
    [
        Row {
            model: "WSLS",
            date: "2024-01-16",
            aic: Some(100.0),
            trials: 200.0,
        },
        Row {
            model: "QL",
            date: "2024-01-16",
            aic: Some(104.0),
            trials: 200.0,
        },
        Row {
            model: "WSLS",
            date: "2024-01-18",
            aic: None,
            trials: 0.0,
        },
        Row {
            model: "QL",
            date: "2024-01-18",
            aic: Some(90.0),
            trials: 310.0,
        },
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
}

#[test]
fn numbers_and_dates_are_axes_and_text_colours() {
    let (spec, rows) = (spec(), rows());
    let a = axes(&spec, &rows);
    let keys: Vec<(&str, AxisKind)> = a.iter().map(|a| (a.key.as_str(), a.kind)).collect();
    assert_eq!(
        keys,
        [
            ("date", AxisKind::Date),
            ("aic", AxisKind::Number),
            ("trials", AxisKind::Number)
        ]
    );
    assert_eq!(
        groupings(&spec, &rows, &a),
        [("model".to_string(), "MODEL".to_string())]
    );
}

#[test]
fn scatter_groups_counts_and_logs() {
    let (spec, rows) = (spec(), rows());
    let a = axes(&spec, &rows);
    let choice = Choice {
        x: "trials".into(),
        y: "aic".into(),
        color: Some("model".into()),
        ..Choice::default()
    };
    let s = scatter(&spec, &rows, &[0, 1, 2, 3], &a, &choice, &[]).unwrap();
    assert_eq!((s.points, s.missing, s.not_positive), (3, 1, 0));
    type Points = Vec<(f64, f64, Option<usize>)>;
    let series: Vec<(&str, usize, Points)> = s
        .chart
        .series
        .iter()
        .map(|x| {
            (
                x.label.as_str(),
                x.color,
                x.points.iter().map(|p| (p.x, p.y, p.row)).collect(),
            )
        })
        .collect();
    // Groups in name order, each keeping its colour; rows point back to the table.
    assert_eq!(
        series,
        [
            (
                "QL",
                0,
                vec![(200.0, 104.0, Some(1)), (310.0, 90.0, Some(3))]
            ),
            ("WSLS", 1, vec![(200.0, 100.0, Some(0))]),
        ]
    );
    assert_eq!(s.chart.title, "AIC against TRIALS");
    // A palette from more rows (a model hidden elsewhere, "AA"): colours move as they would
    // in the page's other charts.
    let more = vec![Arc::new(Row {
        model: "AA",
        date: "2024-01-20",
        aic: Some(1.0),
        trials: 1.0,
    })];
    let s2 = scatter(&spec, &rows, &[0, 1, 2, 3], &a, &choice, &more).unwrap();
    assert_eq!(
        s2.chart.series.iter().map(|x| x.color).collect::<Vec<_>>(),
        [1, 2]
    );
    // Only WSLS rows shown: WSLS keeps colour 1.
    let only = scatter(&spec, &rows, &[0, 2], &a, &choice, &[]).unwrap();
    assert_eq!(only.chart.series.len(), 1);
    assert_eq!(only.chart.series[0].color, 1);
    // Log x: a zero is left out and counted; values are log10; the axis says so.
    let log = Choice {
        log_x: true,
        x: "trials".into(),
        y: "date".into(),
        color: None,
        log_y: false,
    };
    let s = scatter(&spec, &rows, &[0, 1, 2, 3], &a, &log, &[]).unwrap();
    assert_eq!((s.points, s.missing, s.not_positive), (3, 0, 1));
    assert_eq!(
        (s.chart.x_kind, s.chart.y_kind),
        (XKind::Log10, XKind::Date)
    );
    assert_eq!(s.chart.x_label, "TRIALS (log)");
    assert!((s.chart.series[0].points[0].x - 200f64.log10()).abs() < 1e-12);
    assert_eq!(s.chart.series[0].points[0].y, 19_738.0);
    assert_eq!(s.chart.series[0].label, "Fits");
    // Log on a date axis: ignored, the dates stay dates.
    let log_date = Choice {
        log_x: true,
        x: "date".into(),
        y: "aic".into(),
        color: None,
        log_y: false,
    };
    let s = scatter(&spec, &rows, &[0, 1, 2, 3], &a, &log_date, &[]).unwrap();
    assert_eq!(
        (s.points, s.not_positive, s.chart.x_kind),
        (3, 0, XKind::Date)
    );
    assert_eq!(s.chart.series[0].points[0].x, 19_738.0);
}

#[test]
fn choices_from_the_url_fall_back_and_say_why() {
    let (spec, rows) = (spec(), rows());
    let a = axes(&spec, &rows);
    let g = groupings(&spec, &rows, &a);
    let (c, problems) = Choice::resolve(
        [Some("aic"), Some("nope"), Some("model")],
        (false, true),
        &a,
        &g,
        ("date", "aic"),
    );
    assert_eq!(
        (c.x.as_str(), c.y.as_str(), c.color.as_deref(), c.log_y),
        ("aic", "aic", Some("model"), true)
    );
    assert_eq!(problems, ["ex_y: no column \"nope\" to draw; aic shown."]);
    let (c, problems) = Choice::resolve(
        [None, None, Some("aic")],
        (false, false),
        &a,
        &g,
        ("date", "missing"),
    );
    assert_eq!(
        (c.x.as_str(), c.y.as_str(), c.color),
        ("date", "date", None)
    );
    assert_eq!(problems.len(), 1);
}
