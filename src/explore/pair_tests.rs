//! The pair plot from rows of a small table of its own, as data and drawn to SVG.

use std::sync::Arc;

use super::*;
use crate::charts::{Chart, Hit, Style, LIGHT};
use crate::explore::scatter::{Data, ExtraFn};
use crate::explore::tests::{num, table, text};
use crate::explore::{axes, scatter, Axis, Choice};
use crate::table::TableSpec;

pub(super) struct Row {
    model: &'static str,
    date: &'static str,
    /// aic, bic, trials, rate, p4, p5, p6.
    v: [Option<f64>; 7],
}

const KEYS: [&str; 7] = ["aic", "bic", "trials", "rate", "p4", "p5", "p6"];
const MODELS: [&str; 3] = ["QL", "WSLS", "RL"];
const DATES: [&str; 4] = ["2024-01-16", "2024-01-20", "2024-02-02", "2024-02-19"];

fn spec() -> TableSpec<Row> {
    table(vec![
        text("model", |r: &Row| r.model),
        text("date", |r: &Row| r.date),
        num("aic", |r: &Row| r.v[0]),
        num("bic", |r: &Row| r.v[1]),
        num("trials", |r: &Row| r.v[2]),
        num("rate", |r: &Row| r.v[3]),
        num("p4", |r: &Row| r.v[4]),
        num("p5", |r: &Row| r.v[5]),
        num("p6", |r: &Row| r.v[6]),
    ])
}

/// `n` rows: three models in turn, AIC missing in every fifth, BIC in every seventh.
fn rows(n: usize) -> Vec<Arc<Row>> {
    (0..n)
        .map(|k| {
            let x = k as f64;
            Arc::new(Row {
                model: MODELS[k % 3],
                date: DATES[k % 4],
                v: [
                    (k % 5 != 4).then_some(100.0 + 7.0 * x),
                    (k % 7 != 3).then_some(90.0 + ((k * 37) % 101) as f64),
                    Some(50.0 + 13.0 * x),
                    Some((k * 29 % 97) as f64),
                    Some(x),
                    Some(-x),
                    Some(x * x),
                ],
            })
        })
        .collect()
}

pub(super) fn choose(columns: &[&str], color: Option<&str>) -> PairChoice {
    PairChoice {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        color: color.map(str::to_string),
        hidden: Vec::new(),
    }
}

/// `n` rows of the table, all shown, and its axes.
pub(super) struct Fixture {
    spec: TableSpec<Row>,
    rows: Vec<Arc<Row>>,
    pub(super) axes: Vec<Axis>,
    shown: Vec<usize>,
}

pub(super) fn fixture(n: usize) -> Fixture {
    let (spec, rows) = (spec(), rows(n));
    let axes = axes(&spec, &rows);
    Fixture {
        spec,
        rows,
        axes,
        shown: (0..n).collect(),
    }
}

impl Fixture {
    fn pair(&self, choice: &PairChoice, palette_rows: &[Arc<Row>]) -> Result<Pair, String> {
        pair(&self.data(palette_rows, &[], None), choice)
    }

    pub(super) fn data<'a>(
        &'a self,
        palette_rows: &'a [Arc<Row>],
        ranks: &'a [Option<f64>],
        extra: Option<&'a ExtraFn>,
    ) -> Data<'a, Row, Arc<Row>> {
        Data {
            spec: &self.spec,
            rows: &self.rows,
            shown: &self.shown,
            axes: &self.axes,
            palette_rows,
            ranks,
            extra,
        }
    }
}

pub(super) fn build(columns: &[&str], color: Option<&str>, n: usize) -> (Vec<Arc<Row>>, Pair) {
    let f = fixture(n);
    let p = f.pair(&choose(columns, color), &[]).expect("a pair plot");
    (f.rows, p)
}

pub(super) const STYLE: Style = Style {
    theme: &LIGHT,
    scale: 1.0,
    legend: false,
};

fn draw(chart: &Chart, (w, h): (u32, u32)) -> (String, Vec<Hit>) {
    let mut svg = String::new();
    let hits = {
        let backend = plotters::backend::SVGBackend::with_string(&mut svg, (w, h));
        chart.draw(backend, &STYLE).expect("draws")
    };
    (svg, hits)
}

/// How often the SVG shows this text (plotters writes a text's content on a line of its own).
fn shown_times(svg: &str, text: &str) -> usize {
    svg.matches(&format!(">\n{text}\n</text>")).count()
}

/// The point squares (4 x 4 at scale 1) filled in series colour `i` of the light theme.
fn squares_in(svg: &str, i: usize) -> usize {
    let c = LIGHT.color(i);
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
    svg.lines()
        .filter(|l| l.starts_with("<rect") && l.contains("width=\"4\" height=\"4\""))
        .filter(|l| l.contains(&fill))
        .count()
}

#[test]
fn the_grid_has_histograms_on_the_diagonal_and_scatters_elsewhere() {
    let (rows, p) = build(&["aic", "bic", "trials"], Some("model"), 30);
    let c = &p.chart;
    let n = c.n();
    assert_eq!(n, 3);
    assert_eq!(c.title, "Pair plot of AIC, BIC, TRIALS");
    let chart = Chart::Pair(c.clone());
    assert!(!chart.is_empty());
    let (svg, hits) = draw(&chart, (720, 600));
    let cells: Vec<Vec<&Hit>> = (0..n * n)
        .map(|s| hits.iter().filter(|h| h.series == s).collect())
        .collect();
    let mut histograms = 0;
    for (s, cell) in cells.iter().enumerate() {
        let (i, j) = (s / n, s % n);
        assert!(!cell.is_empty(), "cell ({i}, {j}) draws something");
        if i == j {
            histograms += 1;
            assert!(
                cell.iter().all(|h| h.row.is_none()),
                "bars stand for no row"
            );
            continue;
        }
        // Every row with both values is a point, and its hit says which row.
        // (The columns are the first three of `v`.)
        let both = rows
            .iter()
            .filter(|r| r.v[i].is_some() && r.v[j].is_some())
            .count();
        assert_eq!(c.points(i, j).count(), both, "cell ({i}, {j})");
        assert_eq!(cell.len(), both, "cell ({i}, {j}) hits");
        for h in cell {
            let row = h.row.expect("a point stands for a row");
            let lines = chart.describe(h);
            assert_eq!(lines[0], rows[row].model, "the group comes first");
            assert!(lines[1].starts_with(&format!("{}: ", c.columns[j].label)));
            assert!(lines[2].starts_with(&format!("{}: ", c.columns[i].label)));
        }
    }
    assert_eq!(histograms, n);
    // The squares in the SVG: one per point, in its group's colour (groups as the scatter
    // numbers them: QL 0, RL 1, WSLS 2).
    let squares: usize = (0..3).map(|g| squares_in(&svg, g)).sum();
    let points: usize = (0..n)
        .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
        .map(|(i, j)| c.points(i, j).count())
        .sum();
    assert_eq!(squares, points);
    for g in 0..3 {
        assert!(squares_in(&svg, g) > 0, "group {g} is drawn in its colour");
    }
    // Each column is named under the bottom row and beside the left column, once each.
    for label in ["AIC", "BIC", "TRIALS"] {
        assert_eq!(shown_times(&svg, label), 2, "{label}");
    }
    assert_eq!(shown_times(&svg, "Pair plot of AIC, BIC, TRIALS"), 1);
    for h in &hits {
        assert!((0.0..720.0).contains(&h.x) && (0.0..600.0).contains(&h.y));
    }
}

/// The chart's groups and their palette indices.
fn colours(c: &crate::charts::pair::PairChart) -> Vec<(&str, usize)> {
    c.groups
        .iter()
        .map(|g| (g.label.as_str(), g.color))
        .collect()
}

#[test]
fn groups_are_named_and_coloured_as_the_scatter_does_it() {
    let f = fixture(30);
    let more = vec![Arc::new(Row {
        model: "AA",
        date: DATES[0],
        v: [Some(1.0); 7],
    })];
    let mut choice = choose(&["aic", "bic"], Some("model"));
    let p = f.pair(&choice, &more).unwrap();
    let data = crate::explore::scatter::Data {
        spec: &f.spec,
        rows: &f.rows,
        shown: &f.shown,
        axes: &f.axes,
        palette_rows: &more,
        ranks: &[],
        extra: None,
    };
    let s = scatter(
        &data,
        &Choice {
            x: "aic".into(),
            y: "bic".into(),
            color: Some("model".into()),
            ..Choice::default()
        },
    )
    .unwrap();
    let of_pair = colours(&p.chart);
    let of_scatter: Vec<(&str, usize)> = s
        .chart
        .series
        .iter()
        .map(|x| (x.label.as_str(), x.color))
        .collect();
    assert_eq!(of_pair, of_scatter);
    assert_eq!(of_pair[0], ("QL", 1), "AA, never shown, keeps 0");
    let legend: Vec<(&str, usize)> = p.groups.iter().map(|(g, c)| (g.as_str(), *c)).collect();
    assert_eq!(legend, of_pair);
    // A hidden group is left out of the chart but stays in the legend; the others keep their
    // colours.
    choice.hidden = vec!["RL".into()];
    let h = f.pair(&choice, &more).unwrap();
    assert_eq!(colours(&h.chart), [("QL", 1), ("WSLS", 3)]);
    assert_eq!(h.chart.rows.len(), 20);
    assert!(h.chart.rows.iter().all(|&r| f.rows[r].model != "RL"));
    assert_eq!(h.groups.len(), 3);
    // Histograms stack the groups over shared bins: every column's counts add up to the
    // rows with a value.
    for col in &h.chart.columns {
        let hist = col.hist.as_ref().unwrap();
        assert_eq!(hist.counts.len(), 2);
        let counted: u64 = hist.counts.iter().flatten().sum();
        assert_eq!(counted as usize, 20 - col.missing);
    }
    // Without a colour column: one group, no legend.
    let one = f.pair(&choose(&["aic", "bic"], None), &[]).unwrap();
    assert_eq!(one.chart.groups.len(), 1);
    assert_eq!(one.chart.groups[0].label, "Fits");
    assert!(one.groups.is_empty() && one.chart.group_label.is_none());
}

#[test]
fn missing_values_are_counted_per_column_and_the_table_has_a_line_per_row() {
    let (rows, p) = build(&["aic", "bic"], Some("model"), 30);
    let c = &p.chart;
    assert_eq!(c.columns[0].missing, 6, "every fifth AIC");
    assert_eq!(c.columns[1].missing, 4, "every seventh BIC");
    let t = Chart::Pair(c.clone()).table();
    assert_eq!(t.headers, ["MODEL", "AIC", "BIC"]);
    assert_eq!(t.rows.len(), 30, "every row shown, with or without values");
    let k = c.rows.iter().position(|&r| r == 4).unwrap();
    assert_eq!(
        t.rows[k],
        [rows[4].model.to_string(), String::new(), "137".into()]
    );
}

#[test]
fn two_to_six_columns_and_no_other() {
    let f = fixture(10);
    let try_ = |cols: &[&str]| f.pair(&choose(cols, None), &[]);
    let seven = try_(&KEYS).unwrap_err();
    assert!(
        seven.contains("at most six") && seven.contains('7'),
        "{seven}"
    );
    assert_eq!(try_(&["aic"]).unwrap_err(), "Choose two to six columns.");
    assert!(try_(&["aic", "model"]).unwrap_err().contains("\"model\""));
    let six = try_(&KEYS[..6]).unwrap();
    let (svg, hits) = draw(&Chart::Pair(six.chart), (900, 900));
    assert_eq!(
        (0..36)
            .filter(|s| hits.iter().any(|h| h.series == *s))
            .count(),
        36
    );
    assert!(svg.contains("P5"));
}

#[test]
fn a_date_column_is_an_axis_with_dates() {
    let (rows, p) = build(&["date", "aic"], Some("model"), 12);
    let c = &p.chart;
    assert_eq!(c.columns[0].kind, crate::charts::xy::XKind::Date);
    let chart = Chart::Pair(c.clone());
    let (svg, hits) = draw(&chart, (500, 400));
    // Tick labels are dates.
    assert!(
        svg.lines()
            .any(|l| l.starts_with("2024-0") && l.len() == 10),
        "a date label"
    );
    // Cell (1, 0): AIC up, dates across.
    let h = hits.iter().find(|h| h.series == 2).unwrap();
    let row = h.row.unwrap();
    let tip = chart.describe(h);
    assert_eq!(tip[1], format!("DATE: {}", rows[row].date));
    // The diagonal of dates: a histogram over days.
    let bar = hits.iter().find(|h| h.series == 0).unwrap();
    assert!(chart.describe(bar)[1].starts_with("DATE: 2024-"));
}

#[test]
fn columns_from_the_url_are_checked() {
    let a = fixture(10).axes;
    let (keys, problems) = parse_columns(Some("aic,nope,model,,aic, bic"), &a);
    assert_eq!(keys, ["aic", "bic"]);
    assert_eq!(
        problems,
        [
            "ex_pair: no column \"nope\" of numbers or dates; left out.",
            "ex_pair: no column \"model\" of numbers or dates; left out.",
            "ex_pair: \"aic\" is named twice; drawn once.",
        ]
    );
    let (keys, problems) = parse_columns(Some(&KEYS.join(",")), &a);
    assert_eq!(keys.len(), 7);
    assert_eq!(
        problems,
        ["ex_pair: 7 columns named; a pair plot takes at most 6."]
    );
    assert_eq!(parse_columns(None, &a), (vec![], vec![]));
    // Markup in a key is text, not HTML: it is only ever quoted in a sentence.
    let (_, p) = parse_columns(Some("<b>x</b>"), &a);
    assert_eq!(
        p[0],
        "ex_pair: no column \"<b>x</b>\" of numbers or dates; left out."
    );
}
