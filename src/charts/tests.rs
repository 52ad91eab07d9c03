//! Charts rendered to SVG on the host: what was drawn (series, marks, labels, axis ranges).

use super::bars::{Bar, BarChart};
use super::heat::{HeatCell, HeatChart};
use super::xy::{Mark, XKind, XyChart, XyPoint, XySeries};
use super::*;

pub(super) const STYLE: Style = Style {
    theme: &LIGHT,
    scale: 1.0,
    legend: false,
};

pub(super) fn point(x: f64, y: f64) -> XyPoint {
    XyPoint {
        x,
        y,
        spread: None,
        row: None,
    }
}

fn two_models() -> XyChart {
    XyChart {
        title: "AIC over sessions".into(),
        x_label: "Session date".into(),
        y_label: "AIC".into(),
        x_kind: XKind::Date,
        y_kind: XKind::Number,
        overlays: Vec::new(),
        encoding: None,
        layers: None,
        mark: Mark::LinesAndPoints,
        series: vec![
            XySeries {
                label: "WSLS".into(),
                color: 0,
                points: vec![
                    point(19_738.0, 600.0),
                    point(19_740.0, 650.0),
                    point(19_745.0, 700.0),
                ],
            },
            XySeries {
                label: "QLearning".into(),
                color: 1,
                points: vec![point(19_738.0, 500.0), point(19_745.0, 550.0)],
            },
        ],
    }
}

pub(super) fn count(svg: &str, needle: &str) -> usize {
    svg.matches(needle).count()
}

/// Whether the SVG shows this text (plotters writes a text's content on a line of its own).
pub(super) fn shows(svg: &str, text: &str) -> bool {
    svg.contains(&format!(">\n{text}\n</text>"))
}

/// Lines drawn in series colour `i` of the light theme.
fn lines_in(svg: &str, i: usize) -> usize {
    let c = LIGHT.color(i);
    let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
    svg.lines()
        .filter(|l| l.starts_with("<polyline") && l.contains(&stroke))
        .count()
}

pub(super) fn draw(chart: &Chart, style: &Style) -> (String, Vec<Hit>) {
    let mut svg = String::new();
    let hits = {
        let backend = plotters::backend::SVGBackend::with_string(&mut svg, (640, 320));
        chart.draw(backend, style).expect("draws")
    };
    (svg, hits)
}

#[test]
fn xy_draws_one_line_per_series_and_a_point_per_value() {
    let chart = Chart::Xy(two_models());
    let (svg, hits) = draw(&chart, &STYLE);
    assert_eq!(
        (lines_in(&svg, 0), lines_in(&svg, 1)),
        (1, 1),
        "one line per series"
    );
    assert_eq!(count(&svg, "<circle"), 5, "one point per value");
    assert_eq!(hits.len(), 5);
    for label in [
        "AIC over sessions",
        "Session date",
        "AIC",
        "2024-01-16",
        "700",
    ] {
        assert!(shows(&svg, label), "{label} missing");
    }
    // Axis ranges: the lowest value is drawn lowest, the earliest date leftmost.
    let low = hits.iter().find(|h| h.series == 1 && h.item == 0).unwrap();
    let high = hits.iter().find(|h| h.series == 0 && h.item == 2).unwrap();
    assert!(low.y > high.y, "500 is below 700 on screen");
    assert!(low.x < high.x, "2024-01-16 is left of 2024-01-23");
    for h in &hits {
        assert!((0.0..640.0).contains(&h.x) && (0.0..320.0).contains(&h.y));
    }
}

#[test]
fn the_legend_is_drawn_only_for_downloads() {
    let chart = Chart::Xy(two_models());
    let (plain, _) = draw(&chart, &STYLE);
    assert!(!shows(&plain, "QLearning"));
    let (with, _) = draw(
        &chart,
        &Style {
            legend: true,
            ..STYLE
        },
    );
    assert!(shows(&with, "QLearning") && shows(&with, "WSLS"));
}

#[test]
fn spreads_are_whiskers_and_bars_start_at_zero() {
    let mut c = two_models();
    c.series.truncate(1);
    c.series[0].points[0].spread = Some(20.0);
    let (svg, _) = draw(&Chart::Xy(c.clone()), &STYLE);
    assert_eq!(lines_in(&svg, 0), 2, "the line and one whisker");
    assert_eq!(count(&svg, "opacity=\"0.6\""), 1, "the whisker is lighter");
    c.mark = Mark::Bars;
    c.x_kind = XKind::Index;
    let (svg, hits) = draw(&Chart::Xy(c), &STYLE);
    assert_eq!(count(&svg, "<circle"), 0);
    assert!(shows(&svg, "0"), "the value axis starts at 0");
    assert_eq!(hits.len(), 3);
}

#[test]
fn dark_theme_fills_the_background_dark() {
    let (svg, _) = draw(
        &Chart::Xy(two_models()),
        &Style {
            theme: &DARK,
            ..STYLE
        },
    );
    assert!(svg.contains("#181D24"), "dark background");
}

#[test]
fn heat_strip_colours_each_cell_and_marks_the_best() {
    let chart = Chart::Heat(HeatChart {
        title: "Akaike weight".into(),
        x_label: "Session".into(),
        columns: vec!["2024-01-16".into(), "2024-01-17".into()],
        rows: vec!["WSLS".into(), "QLearning".into()],
        cells: vec![
            HeatCell {
                col: 0,
                row: 0,
                value: 0.9,
                marked: true,
                fit: Some(3),
            },
            HeatCell {
                col: 0,
                row: 1,
                value: 0.1,
                marked: false,
                fit: Some(4),
            },
            HeatCell {
                col: 1,
                row: 1,
                value: 1.0,
                marked: true,
                fit: Some(5),
            },
        ],
        value_label: "weight".into(),
        range: (0.0, 1.0),
        high_is_bright: true,
    });
    let (svg, hits) = draw(&chart, &STYLE);
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[2].row, Some(5));
    assert_eq!(
        count(&svg, "<circle"),
        2,
        "the best of each session is marked"
    );
    assert!(shows(&svg, "WSLS") && shows(&svg, "QLearning"));
    // Weight 1.0 is viridis' bright end, 0.1 near its dark end.
    assert!(svg.contains("#FDE725"));
    // WSLS (first row) is drawn above QLearning.
    assert!(hits[0].y < hits[1].y);
    assert_eq!(chart.describe(&hits[0])[0], "WSLS");
}

#[test]
fn bars_are_ranked_top_down_with_their_labels() {
    let chart = Chart::Bars(BarChart {
        title: "Sessions where the model is best".into(),
        value_label: "sessions".into(),
        bars: vec![
            Bar {
                label: "A".into(),
                value: 7.0,
                color: 0,
            },
            Bar {
                label: "B".into(),
                value: 2.0,
                color: 1,
            },
        ],
    });
    let (svg, hits) = draw(&chart, &STYLE);
    assert!(shows(&svg, "A") && shows(&svg, "B"));
    assert!(hits[0].y < hits[1].y, "the first bar is on top");
    assert!(hits[0].x > hits[1].x, "7 reaches further than 2");
    assert_eq!(
        chart.table().rows,
        vec![
            vec!["A".to_string(), "7".into()],
            vec!["B".into(), "2".into()]
        ]
    );
}

#[test]
fn nearest_finds_the_closest_mark_within_reach() {
    let h = |x, y| Hit {
        x,
        y,
        series: 0,
        item: 0,
        row: None,
        radius: 0.0,
    };
    let hits = [h(10.0, 10.0), h(20.0, 10.0), h(100.0, 100.0)];
    assert_eq!(nearest(&hits, 17.0, 11.0, 8.0), Some(1));
    assert_eq!(nearest(&hits, 50.0, 50.0, 8.0), None);
    // A mark drawn with a radius of 40 px is reached 30 px from its centre.
    let big = Hit {
        radius: 40.0,
        ..h(100.0, 100.0)
    };
    let hits = [h(10.0, 10.0), big];
    assert_eq!(nearest(&hits, 130.0, 100.0, 8.0), Some(1));
    assert_eq!(nearest(&hits, 141.0, 100.0, 8.0), None);
}

#[test]
fn numbers_read_well() {
    assert_eq!(fmt_num(652.455_963), "652.5");
    assert_eq!(fmt_num(0.789_558), "0.7896");
    assert_eq!(fmt_num(2.0), "2");
    assert_eq!(fmt_num(-321.227), "-321.2");
    assert_eq!(fmt_num(f64::NAN), "–");
    assert_eq!(fmt_num(1.5e7), "1.5e7");
    assert_eq!(fmt_num(0.000_123_45), "1.235e-4");
    assert_eq!(fmt_num(999_999_999.0), "1e9");
    assert_eq!(fmt_num(0.1 + 0.2), "0.3");
    assert_eq!(fmt_num(-0.000_01), "-1e-5");
}

#[test]
fn an_empty_chart_says_so_and_draws_nothing() {
    let mut c = two_models();
    c.series.clear();
    let chart = Chart::Xy(c);
    assert!(chart.is_empty());
    let (_, hits) = draw(&chart, &STYLE);
    assert!(hits.is_empty());
}

#[test]
fn long_labels_are_shortened_in_the_middle() {
    use super::bars::fit_label;
    assert_eq!(fit_label("WSLS", 100.0), "WSLS");
    let short = fit_label("QLearning_L1F1_CK1_softmax", 90.0);
    assert_eq!(short, "QLear…oftmax");
    assert_eq!(short.chars().count(), 12, "(90 - 12) / 6.5 characters");
}

fn latents_chart(span: trials::Span) -> Chart {
    use trials::{TrialChart, TrialSeries};
    let n = 40;
    let choices: Vec<usize> = (0..n).map(|t| t % 3 % 2).collect();
    let rewards: Vec<f64> = (0..n).map(|t| f64::from(u8::from(t % 4 == 0))).collect();
    let q = [
        (0..=n).map(|t| t as f64 / n as f64).collect::<Vec<_>>(),
        (0..=n)
            .map(|t| 1.0 - t as f64 / n as f64)
            .collect::<Vec<_>>(),
    ];
    let rpe: Vec<f64> = (0..n).map(|t| rewards[t] - q[choices[t]][t]).collect();
    Chart::Trials(TrialChart {
        title: "Latent variables over trials".into(),
        choices,
        rewards,
        series: vec![
            TrialSeries {
                label: "QLearning".into(),
                color: 1,
                p_right: Some(vec![0.6; n]),
                q: Some(q),
                rpe: Some(rpe),
            },
            TrialSeries {
                label: "WSLS".into(),
                color: 2,
                p_right: Some(vec![0.3; n]),
                q: None,
                rpe: None,
            },
        ],
        span,
    })
}

#[test]
fn latents_draw_every_panel_over_the_trials_shown() {
    let chart = latents_chart(trials::Span::full(40));
    let svg = chart.to_svg(800, 460, &STYLE).unwrap();
    assert!(shows(&svg, "Latent variables over trials"));
    for label in ["P(right)", "Q (right; left pale)", "RPE", "Trial"] {
        assert!(shows(&svg, label), "{label}");
    }
    // QLearning: P(right), Q left (paler), Q right, RPE; WSLS: P(right) only.
    assert_eq!(lines_in(&svg, 1), 4);
    assert_eq!(count(&svg, " opacity=\"0.4\""), 1);
    assert_eq!(lines_in(&svg, 2), 1);
    // One raster tick per trial; one mark per trial for hover.
    let (_, hits) = draw(&chart, &STYLE);
    assert_eq!(hits.len(), 40);
    assert_eq!((hits[0].item, hits[39].item), (0, 39));
    assert!(hits.windows(2).all(|w| w[1].x > w[0].x));
    // Hover says the trial's values, numbered from 1.
    let tip = chart.describe(&hits[4]);
    assert_eq!(tip[0], "Trial 5");
    assert_eq!(tip[1], "Choice: right, rewarded");
    assert!(
        tip[2].starts_with("QLearning: P(right) 0.6 · Q left 0.1 right 0.9 · RPE 0.1"),
        "{tip:?}"
    );
    assert_eq!(tip[3], "WSLS: P(right) 0.3");
}

#[test]
fn latents_zoomed_show_and_export_only_their_window() {
    let chart = latents_chart(trials::Span { lo: 10, hi: 20 });
    let (_, hits) = draw(&chart, &STYLE);
    assert_eq!(
        hits.iter().map(|h| h.item).collect::<Vec<_>>(),
        (10..20).collect::<Vec<_>>()
    );
    assert_eq!(chart.span(), Some((trials::Span { lo: 10, hi: 20 }, 40)));
    let t = chart.table();
    assert_eq!(
        t.headers,
        [
            "Trial",
            "Choice (1 = right)",
            "Reward",
            "QLearning P(right)",
            "QLearning Q left",
            "QLearning Q right",
            "QLearning RPE",
            "WSLS P(right)"
        ]
    );
    assert_eq!(t.rows.len(), 10);
    assert_eq!(t.rows[0][..3], ["11".to_string(), "1".into(), "0".into()]);
    assert_eq!(t.rows[0][4], "0.25");
}

#[test]
fn latents_without_q_values_say_so_in_their_panels() {
    let Chart::Trials(mut c) = latents_chart(trials::Span::full(40)) else {
        unreachable!()
    };
    c.series.remove(0);
    let svg = Chart::Trials(c).to_svg(800, 460, &STYLE).unwrap();
    assert!(shows(&svg, "No q-values for the models shown"));
    assert!(shows(
        &svg,
        "No reward prediction errors (they need q-values)"
    ));
    let empty = latents_chart(trials::Span::full(40));
    let Chart::Trials(mut e) = empty else {
        unreachable!()
    };
    e.series.clear();
    let e = Chart::Trials(e);
    assert!(e.is_empty() && e.span().is_none());
}

#[test]
fn trends_draw_over_the_points_with_their_bands() {
    let mut c = two_models();
    c.mark = Mark::Points;
    c.overlays = vec![
        xy::Overlay {
            label: "WSLS".into(),
            color: Some(0),
            points: vec![(19_738.0, 600.0), (19_745.0, 700.0)],
            band: Some(vec![(19_738.0, 580.0, 620.0), (19_745.0, 650.0, 760.0)]),
        },
        xy::Overlay {
            label: "All points".into(),
            color: None,
            points: vec![(19_738.0, 500.0), (19_745.0, 720.0)],
            band: None,
        },
    ];
    let (svg, hits) = draw(&Chart::Xy(c.clone()), &STYLE);
    // Points only for hover; the trend of a group in its colour, the trend of all in the
    // foreground colour, one band as a filled polygon.
    assert_eq!(hits.len(), 5);
    assert_eq!(lines_in(&svg, 0), 1);
    let fg = format!(
        "stroke=\"#{:02X}{:02X}{:02X}\"",
        LIGHT.fg.0, LIGHT.fg.1, LIGHT.fg.2
    );
    assert!(svg
        .lines()
        .any(|l| l.starts_with("<polyline") && l.contains(&fg)));
    assert_eq!(count(&svg, "<polygon"), 1);
    // The band widens the y range: 760 is inside the plotted range.
    let ((_, _), (_, y1)) = c.extents().unwrap();
    assert_eq!(y1, 760.0);
}
