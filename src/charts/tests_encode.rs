//! Scatters whose points carry a colour scale, shapes and sizes, rendered to SVG.

use super::encode::{ColorScale, Encoding, Palette, PointLook, Shape, SizeScale};
use super::tests::{count, draw, point, shows, STYLE};
use super::xy::{Mark, XKind, XyChart, XySeries};
use super::*;

fn encoded(shapes: bool) -> XyChart {
    let looks = (0..6)
        .map(|i| PointLook {
            color: (i != 5).then_some(i as f64 * 10.0),
            size: Some(i as f64),
            shape: i % 3,
        })
        .collect();
    XyChart {
        title: "AIC against trials".into(),
        x_label: "Trials".into(),
        y_label: "AIC".into(),
        x_kind: XKind::Number,
        y_kind: XKind::Number,
        overlays: Vec::new(),
        layers: None,
        encoding: Some(Box::new(Encoding {
            color: Some(ColorScale {
                label: "Log-likelihood".into(),
                kind: XKind::Number,
                lo: 0.0,
                hi: 40.0,
                palette: Palette::Viridis,
                reversed: false,
            }),
            size: Some(SizeScale {
                label: "k".into(),
                kind: XKind::Number,
                lo: 0.0,
                hi: 5.0,
                min_px: 2.0,
                max_px: 12.0,
                gamma: 1.0,
            }),
            shapes: shapes.then(|| {
                (
                    "Model".to_string(),
                    vec!["A".to_string(), "B".to_string(), "C".to_string()],
                )
            }),
            looks: vec![looks],
        })),
        mark: Mark::Points,
        series: vec![XySeries {
            label: "Fits".into(),
            color: 0,
            points: (0..6).map(|i| point(i as f64, i as f64 * 2.0)).collect(),
        }],
    }
}

fn fill(c: plotters::style::RGBColor) -> String {
    format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2)
}

#[test]
fn points_take_their_colour_size_and_shape() {
    let (svg, hits) = draw(&Chart::Xy(encoded(true)), &STYLE);
    assert_eq!(hits.len(), 6);
    // Shapes: circles (0, 3), squares (1, 4; rects), triangles (2, 5; polygons).
    assert_eq!(count(&svg, "<circle"), 2);
    assert_eq!(count(&svg, "<polygon"), 2);
    // Each coloured point in its scale colour; the point without a value in grey.
    for v in [0.0, 10.0, 30.0, 40.0] {
        let c = Palette::Viridis.at(v / 40.0);
        assert!(svg.contains(&fill(c)), "a point coloured for {v}");
    }
    assert!(svg.contains(&fill(LIGHT.muted)), "grey for no value");
    // Sizes from 2 to 12 px: the first circle small, the fourth (size 3) 2 + 10 * 3/5 = 8.
    assert!(svg.contains("r=\"2\""));
    assert!(svg.contains("r=\"8\""));
    // Each mark knows its radius, so a ring goes around it and hover reaches all of it.
    let radii: Vec<f64> = hits.iter().map(|h| h.radius).collect();
    assert_eq!(
        radii,
        [2.0, 4.0, 6.0, 8.0, 10.0, 12.0].map(|r| r * STYLE.scale)
    );
    // The colour bar: its label and the scale's ends beside it.
    assert!(shows(&svg, "Log-likelihood"));
    assert!(shows(&svg, "0") && shows(&svg, "40") && shows(&svg, "20"));
}

#[test]
fn downloads_name_the_shapes_in_the_legend() {
    let style = Style {
        legend: true,
        ..STYLE
    };
    let (svg, _) = draw(&Chart::Xy(encoded(true)), &style);
    for (i, name) in ["A", "B", "C"].iter().enumerate() {
        assert!(shows(&svg, name), "legend names {name}");
        assert!(shows(&svg, Shape::of(i).glyph()));
    }
    let (svg, _) = draw(&Chart::Xy(encoded(false)), &style);
    assert!(!shows(&svg, "A"));
}

#[test]
fn palettes_run_from_end_to_end_and_reverse() {
    for p in Palette::ALL {
        assert_eq!(Palette::parse(p.key()), Some(p));
        assert_ne!(p.at(0.0), p.at(1.0));
        assert_eq!(p.at(-1.0), p.at(0.0));
        assert_eq!(p.at(f64::NAN), p.at(0.0));
    }
    let s = ColorScale {
        label: String::new(),
        kind: XKind::Number,
        lo: 1.0,
        hi: 1.0,
        palette: Palette::Magma,
        reversed: true,
    };
    // One value only: the middle of the scale.
    assert_eq!(s.color(1.0), Palette::Magma.at(0.5));
}
