//! The pair plot drawn through a backend that only counts (large and narrow plots), and axes
//! beyond the table's columns (the session index, fitted parameters).

use super::tests::{build, choose, fixture, STYLE};
use super::*;
use crate::charts::{Chart, Style, LIGHT};
use crate::explore::{Axis, AxisKind};

/// A backend that draws nothing and counts the rectangles it is asked for.
struct Counting {
    rects: std::rc::Rc<std::cell::Cell<usize>>,
}

impl plotters::prelude::DrawingBackend for Counting {
    type ErrorType = std::io::Error;

    fn get_size(&self) -> (u32, u32) {
        (900, 900)
    }

    fn ensure_prepared(
        &mut self,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        _: plotters_backend::BackendCoord,
        _: plotters_backend::BackendColor,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        _: plotters_backend::BackendCoord,
        _: plotters_backend::BackendCoord,
        _: &S,
        _: bool,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        self.rects.set(self.rects.get() + 1);
        Ok(())
    }

    fn draw_text<T: plotters_backend::BackendTextStyle>(
        &mut self,
        _: &str,
        _: &T,
        _: plotters_backend::BackendCoord,
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::io::Error>> {
        Ok(())
    }
}

#[test]
fn a_large_pair_plot_draws_a_square_per_visible_point() {
    let (_, p) = build(&["aic", "bic", "trials", "rate"], Some("model"), 25_000);
    let points: usize = (0..4)
        .flat_map(|i| (0..4).filter(move |&j| j != i).map(move |j| (i, j)))
        .map(|(i, j)| p.chart.points(i, j).count())
        .sum();
    let chart = Chart::Pair(p.chart);
    let rects = std::rc::Rc::default();
    let backend = Counting {
        rects: std::rc::Rc::clone(&rects),
    };
    let start = std::time::Instant::now();
    let hits = chart.draw(backend, &STYLE).expect("draws");
    let rects: usize = rects.get();
    println!(
        "25,000 rows x 4 columns: {points} points, {} squares and bars drawn, {} hits, {:?} \
         (without a backend's own work)",
        rects,
        hits.len(),
        start.elapsed()
    );
    // A square on the same pixel as a later one is not drawn (these columns take few values).
    assert!(rects < points, "{rects} of {points}");
    assert!(hits.iter().all(|h| h.series % 5 == 0 || h.row.is_some()));
}

#[test]
fn a_narrow_pair_plot_draws_nothing_rather_than_failing() {
    let (_, p) = build(
        &["aic", "bic", "trials", "date", "rate", "p4"],
        Some("model"),
        40,
    );
    for w in [20u32, 60, 80, 150, 640] {
        let mut svg = String::new();
        let backend = plotters::backend::SVGBackend::with_string(&mut svg, (w, 560));
        let style = Style {
            theme: &LIGHT,
            scale: 1.0,
            legend: false,
        };
        Chart::Pair(p.chart.clone())
            .draw(backend, &style)
            .expect("draws or skips");
    }
}

#[test]
fn the_session_index_and_extra_axes_are_columns_too() {
    let mut f = fixture(4);
    f.axes.push(Axis {
        key: "rank".into(),
        label: "Session index".into(),
        kind: AxisKind::Rank,
    });
    f.axes.push(Axis {
        key: "param.beta".into(),
        label: "beta".into(),
        kind: AxisKind::Extra,
    });
    let ranks = [Some(1.0), Some(2.0), None, Some(4.0)];
    // The parameter of row i is 10 i, but row 1 has none.
    let beta = |i: usize, key: &str| (key == "param.beta" && i != 1).then_some(10.0 * i as f64);
    let data = f.data(&[], &ranks, Some(&beta));
    let p = pair(&data, &choose(&["rank", "param.beta"], None)).unwrap();
    let cols = &p.chart.columns;
    assert_eq!(
        (cols[0].label.as_str(), cols[1].label.as_str()),
        ("Session index", "beta")
    );
    let order = &p.chart.rows;
    let want = |get: &dyn Fn(usize) -> Option<f64>| -> Vec<Option<f64>> {
        order.iter().map(|&i| get(i)).collect()
    };
    let got = |c: &crate::charts::pair::PairColumn| -> Vec<Option<f64>> {
        c.values
            .iter()
            .map(|v| v.is_finite().then_some(*v))
            .collect()
    };
    assert_eq!(got(&cols[0]), want(&|i| ranks[i]));
    assert_eq!(got(&cols[1]), want(&|i| beta(i, "param.beta")));
    assert_eq!((cols[0].missing, cols[1].missing), (1, 1));
    // Without the extra values, such an axis cannot be drawn.
    let bare = f.data(&[], &ranks, None);
    assert!(pair(&bare, &choose(&["aic", "param.beta"], None)).is_err());
}
