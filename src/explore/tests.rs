//! The explorer's chart from rows of a small table of its own.

use std::sync::Arc;

use super::scatter::Data;
use super::*;
use crate::charts::encode::Palette;
use crate::table::{ColumnSpec, SortDir};

pub(super) struct Row {
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

pub(super) fn spec() -> TableSpec<Row> {
    table(vec![
        text("model", |r: &Row| r.model),
        text("date", |r: &Row| r.date),
        num("aic", |r: &Row| r.aic),
        num("trials", |r: &Row| Some(r.trials)),
    ])
}

pub(super) fn rows() -> Vec<Arc<Row>> {
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

fn data<'a>(
    spec: &'a TableSpec<Row>,
    rows: &'a [Arc<Row>],
    shown: &'a [usize],
    axes: &'a [Axis],
    palette_rows: &'a [Arc<Row>],
) -> Data<'a, Row, Arc<Row>> {
    Data {
        spec,
        rows,
        shown,
        axes,
        palette_rows,
        ranks: &[],
        extra: None,
    }
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
    let s = scatter(&data(&spec, &rows, &[0, 1, 2, 3], &a, &[]), &choice).unwrap();
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
    let s2 = scatter(&data(&spec, &rows, &[0, 1, 2, 3], &a, &more), &choice).unwrap();
    assert_eq!(
        s2.chart.series.iter().map(|x| x.color).collect::<Vec<_>>(),
        [1, 2]
    );
    // Only WSLS rows shown: WSLS keeps colour 1.
    let only = scatter(&data(&spec, &rows, &[0, 2], &a, &[]), &choice).unwrap();
    assert_eq!(only.chart.series.len(), 1);
    assert_eq!(only.chart.series[0].color, 1);
    // Log x: a zero is left out and counted; values are log10; the axis says so.
    let log = Choice {
        log_x: true,
        x: "trials".into(),
        y: "date".into(),
        ..Choice::default()
    };
    let s = scatter(&data(&spec, &rows, &[0, 1, 2, 3], &a, &[]), &log).unwrap();
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
        ..Choice::default()
    };
    let s = scatter(&data(&spec, &rows, &[0, 1, 2, 3], &a, &[]), &log_date).unwrap();
    assert_eq!(
        (s.points, s.not_positive, s.chart.x_kind),
        (3, 0, XKind::Date)
    );
    assert_eq!(s.chart.series[0].points[0].x, 19_738.0);
}

#[test]
fn ranks_number_sessions_within_groups() {
    let (spec, rows) = (spec(), rows());
    // Groups by model, ordered by date: each model's sessions numbered from 1.
    let k = RankAxis {
        key: "idx",
        label: "Index",
        group: "model",
        order: &["date"],
    };
    assert_eq!(
        ranks(&spec, &rows, &k).unwrap(),
        [Some(1.0), Some(1.0), Some(2.0), Some(2.0)]
    );
    let bad = RankAxis {
        order: &["nope"],
        ..k.clone()
    };
    assert_eq!(ranks(&spec, &rows, &bad), None);
    // As an axis: its values are the ranks, its labels whole numbers.
    let mut a = axes(&spec, &rows);
    a.push(k.axis());
    let r = ranks(&spec, &rows, &k).unwrap();
    let choice = Choice {
        x: "idx".into(),
        y: "trials".into(),
        log_x: true,
        ..Choice::default()
    };
    let d = Data {
        ranks: &r,
        ..data(&spec, &rows, &[0, 1, 2, 3], &a, &[])
    };
    let s = scatter(&d, &choice).unwrap();
    assert_eq!(s.chart.x_kind, XKind::Index);
    assert_eq!(s.chart.x_label, "Index");
    let xs: Vec<f64> = s.chart.series[0].points.iter().map(|p| p.x).collect();
    assert_eq!(xs, [1.0, 1.0, 2.0, 2.0]);
}

#[test]
fn colour_scale_shapes_and_sizes() {
    let (spec, rows) = (spec(), rows());
    let a = axes(&spec, &rows);
    let choice = Choice {
        x: "date".into(),
        y: "trials".into(),
        color: Some("aic".into()),
        shape: Some("model".into()),
        size: Some("trials".into()),
        look: Look {
            palette: Palette::Cividis,
            reversed: true,
            size_px: (2.0, 8.0),
            gamma: 2.0,
        },
        ..Choice::default()
    };
    let s = scatter(&data(&spec, &rows, &[0, 1, 2, 3], &a, &[]), &choice).unwrap();
    // A numeric colour: one series, a scale over the values shown; a missing value is grey
    // and counted.
    assert_eq!(s.chart.series.len(), 1);
    assert_eq!((s.points, s.no_color, s.no_size), (4, 1, 0));
    let e = s.chart.encoding.as_ref().unwrap();
    let c = e.color.as_ref().unwrap();
    assert_eq!((c.lo, c.hi, c.label.as_str()), (90.0, 104.0, "AIC"));
    assert_eq!(c.color(104.0), Palette::Cividis.at(0.0), "reversed");
    let z = e.size.as_ref().unwrap();
    assert_eq!((z.lo, z.hi), (0.0, 310.0));
    assert_eq!(z.radius(0.0), 2.0);
    assert_eq!(z.radius(310.0), 8.0);
    assert!(
        (z.radius(155.0) - (2.0 + 6.0 * 0.25)).abs() < 1e-12,
        "gamma 2"
    );
    // Shapes by model, in name order: QL is the first mark, WSLS the second.
    assert_eq!(
        e.shapes,
        Some((
            "MODEL".to_string(),
            vec!["QL".to_string(), "WSLS".to_string()]
        ))
    );
    let shapes: Vec<usize> = e.looks[0].iter().map(|l| l.shape).collect();
    assert_eq!(shapes, [1, 0, 1, 0]);
    // The tooltip and the data table carry the encoded values.
    let hit = crate::charts::Hit {
        x: 0.0,
        y: 0.0,
        series: 0,
        item: 2,
        row: Some(2),
        radius: 0.0,
    };
    let lines = crate::charts::Chart::Xy(s.chart.clone()).describe(&hit);
    assert_eq!(lines[3..], ["AIC: –", "TRIALS: 0", "MODEL: WSLS"]);
    let t = s.chart.table();
    assert_eq!(t.headers[3..], ["AIC", "TRIALS", "MODEL"]);
    assert_eq!(t.rows[0][3..], ["100", "200", "WSLS"]);
}

#[test]
fn extra_axes_take_their_values_from_the_page() {
    let (spec, rows) = (spec(), rows());
    let mut a = axes(&spec, &rows);
    a.push(Axis {
        key: "param.k".into(),
        label: "k (fitted)".into(),
        kind: AxisKind::Extra,
    });
    // Row 1 has no value; row 2's is not finite: both counted as without a value.
    let f = |i: usize, key: &str| {
        assert_eq!(key, "param.k");
        [Some(0.5), None, Some(f64::NAN), Some(2.0)][i]
    };
    let d = Data {
        extra: Some(&f),
        ..data(&spec, &rows, &[0, 1, 2, 3], &a, &[])
    };
    let choice = Choice {
        x: "trials".into(),
        y: "param.k".into(),
        log_y: true,
        ..Choice::default()
    };
    let s = scatter(&d, &choice).unwrap();
    assert_eq!((s.points, s.missing), (2, 2));
    assert_eq!(s.chart.y_label, "k (fitted) (log)");
    let ys: Vec<f64> = s.chart.series[0].points.iter().map(|p| p.y).collect();
    assert_eq!(ys, [0.5f64.log10(), 2f64.log10()]);
}

#[test]
fn the_summary_says_what_was_left_out() {
    let (spec, rows) = (spec(), rows());
    let a = axes(&spec, &rows);
    let choice = Choice {
        x: "trials".into(),
        y: "aic".into(),
        log_x: true,
        ..Choice::default()
    };
    let s = scatter(&data(&spec, &rows, &[0, 1, 2, 3], &a, &[]), &choice).unwrap();
    assert_eq!(
        s.summary(false, false),
        "3 points · 1 without a value on an axis"
    );
    assert!(s
        .summary(true, true)
        .ends_with(" · only the selected fits · dots hidden"));
}
