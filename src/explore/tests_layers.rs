//! Marginal histograms and the 2-D density as data: their URL choices, counts per group over
//! shared bins, and their ranges.

use crate::charts::encode::Palette;

#[test]
fn layers_resolve_from_the_url_and_fall_back() {
    use super::layers::{LayerChoice, LayerParams, Marg};
    let p = LayerParams {
        marginals: Some("overlaid".into()),
        bins: Some("12".into()),
        opacity: Some("0.3".into()),
        smoothing: Some("2".into()),
        curve: true,
        density: true,
        ..LayerParams::default()
    };
    let (c, problems) = LayerChoice::resolve(&p);
    assert!(problems.is_empty());
    assert_eq!(
        (
            c.marginals,
            c.bins,
            c.opacity,
            c.smoothing,
            c.curve,
            c.density
        ),
        (Some(Marg::Overlaid), 12, 0.3, 2.0, true, true)
    );
    let bad = LayerParams {
        marginals: Some("sideways".into()),
        bins: Some("2.5".into()),
        opacity: Some("7".into()),
        smoothing: Some("x".into()),
        ..LayerParams::default()
    };
    let (c, problems) = LayerChoice::resolve(&bad);
    assert_eq!(c, LayerChoice::default());
    assert_eq!(problems.len(), 4);
    assert_eq!(
        problems[0],
        "ex_marg: \"sideways\" is not stacked or overlaid; no histograms drawn."
    );
}

#[test]
fn marginals_count_each_group_over_shared_bins_and_density_counts_every_point() {
    use super::layers::{layers, LayerChoice, Marg};
    use crate::charts::xy::{XyPoint, XySeries};
    let pt = |x: f64, y: f64| XyPoint {
        x,
        y,
        spread: None,
        row: None,
    };
    let series = vec![
        XySeries {
            label: "A".into(),
            color: 2,
            points: vec![pt(0.0, 0.0), pt(1.0, 1.0), pt(1.0, 3.0)],
        },
        XySeries {
            label: "B".into(),
            color: 5,
            points: vec![pt(4.0, 4.0)],
        },
    ];
    let c = LayerChoice {
        marginals: Some(Marg::Overlaid),
        bins: 4,
        curve: true,
        density: true,
        smoothing: 0.0,
        ..LayerChoice::default()
    };
    let l = layers(&series, true, &c, Palette::Viridis).unwrap();
    let m = l.marginals.as_ref().unwrap();
    let hx = m.x.as_ref().unwrap();
    // numpy.histogram([0, 1, 1, 4], bins=4): edges 0, 1, 2, 3, 4.
    assert_eq!((hx.bins.lo, hx.bins.hi, hx.bins.n), (0.0, 4.0, 4));
    assert_eq!(hx.groups[0].values, [1.0, 2.0, 0.0, 0.0]);
    assert_eq!(hx.groups[1].values, [0.0, 0.0, 0.0, 1.0]);
    assert_eq!(
        hx.groups.iter().map(|g| g.color).collect::<Vec<_>>(),
        [Some(2), Some(5)]
    );
    // A group of one value has no density curve; a group of three does.
    assert!(hx.groups[0].curve.is_some() && hx.groups[1].curve.is_none());
    assert_eq!(m.unit, "count");
    // Fractions stacked: of all points, one curve (of all) after the groups.
    let stacked = LayerChoice {
        marginals: Some(Marg::Stacked),
        normalised: true,
        ..c
    };
    let l2 = layers(&series, true, &stacked, Palette::Viridis).unwrap();
    let hx = l2.marginals.as_ref().unwrap().x.clone().unwrap();
    assert_eq!(hx.groups[0].values, [0.25, 0.5, 0.0, 0.0]);
    assert_eq!(hx.groups.len(), 3);
    assert!(hx.groups[2].curve.is_some() && hx.groups[2].color.is_none());
    // The density counts every point once (no smoothing).
    let d = l.density.as_ref().unwrap();
    assert_eq!(d.grid.values.iter().sum::<f64>(), 4.0);
    // Nothing asked: no layers.
    assert!(layers(&series, true, &LayerChoice::default(), Palette::Viridis).is_none());
}

#[test]
fn one_value_on_an_axis_keeps_histograms_and_density_inside_the_chart() {
    use super::layers::{layers, LayerChoice, Marg};
    use crate::charts::xy::{XyPoint, XySeries};
    let series = vec![XySeries {
        label: "A".into(),
        color: 0,
        points: (0..5)
            .map(|i| XyPoint {
                x: 0.001,
                y: i as f64,
                spread: None,
                row: None,
            })
            .collect(),
    }];
    let c = LayerChoice {
        marginals: Some(Marg::Overlaid),
        density: true,
        ..LayerChoice::default()
    };
    let l = layers(&series, false, &c, Palette::Viridis).unwrap();
    let (lo, hi) = crate::charts::padded(0.001, 0.001);
    let hx = l.marginals.as_ref().unwrap().x.as_ref().unwrap();
    assert_eq!((hx.bins.lo, hx.bins.hi), (lo, hi));
    let g = &l.density.as_ref().unwrap().grid;
    assert_eq!((g.x.lo, g.x.hi), (lo, hi));
}
