//! Horizontal bars, one per category (a model), first on top: counts and sums per model.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{err, fmt_num, DataTable, Hit, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub color: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub value_label: String,
    pub bars: Vec<Bar>,
}

impl BarChart {
    pub fn describe(&self, hit: &Hit) -> Vec<String> {
        self.bars
            .get(hit.item)
            .map(|b| {
                vec![
                    b.label.clone(),
                    format!("{}: {}", self.value_label, fmt_num(b.value)),
                ]
            })
            .unwrap_or_default()
    }

    pub fn table(&self) -> DataTable {
        DataTable {
            headers: vec!["Model".into(), self.value_label.clone()],
            rows: self
                .bars
                .iter()
                .map(|b| vec![b.label.clone(), fmt_num(b.value)])
                .collect(),
        }
    }
}

/// Room for the longest label, in CSS pixels (about 6.5 px a character at 11 px).
pub fn label_room(labels: impl Iterator<Item = usize>) -> f64 {
    (labels.max().unwrap_or(4) as f64 * 6.5 + 12.0).clamp(40.0, 240.0)
}

/// The labels of a categorical axis drawn top-down (category i at n-1-i), shortened to `room`.
pub fn top_down_labels(labels: Vec<String>, room: f64) -> impl Fn(&SegmentValue<i32>) -> String {
    let n = labels.len() as i32;
    move |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(k) | SegmentValue::Exact(k) => labels
            .get((n - 1 - k) as usize)
            .map(|l| fit_label(l, room))
            .unwrap_or_default(),
        SegmentValue::Last => String::new(),
    }
}

/// A label shortened in the middle to fit `room` CSS pixels (model names differ in the middle
/// less often than at their ends; the tooltip and the legend show them whole).
pub fn fit_label(label: &str, room: f64) -> String {
    let max = (((room - 12.0) / 6.5).floor() as usize).max(5);
    let chars: Vec<char> = label.chars().collect();
    if chars.len() <= max {
        return label.to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &BarChart,
    s: &Style,
) -> Result<Vec<Hit>, String> {
    let n = c.bars.len() as i32;
    if n == 0 {
        return Ok(Vec::new());
    }
    let max = c.bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let min = c.bars.iter().map(|b| b.value).fold(0.0, f64::min);
    let span = (max - min).max(1e-9);
    let (x0, x1) = (min - span * 0.02, max + span * 0.08);
    let room = label_room(c.bars.iter().map(|b| b.label.chars().count()))
        .min(root.dim_in_pixel().0 as f64 * 0.45 / s.scale);
    let mut chart = ChartBuilder::on(root)
        .margin(s.px(8.0))
        .caption(&c.title, s.font(14.0))
        .x_label_area_size(s.px(36.0))
        .y_label_area_size(s.px(room))
        .build_cartesian_2d(x0..x1, (0..n).into_segmented())
        .map_err(err)?;
    // Category i is drawn at n-1-i so that the first bar is on top.
    let y_fmt = top_down_labels(c.bars.iter().map(|b| b.label.clone()).collect(), room);
    let x_fmt = |v: &f64| fmt_num(*v);
    super::themed(&mut chart.configure_mesh(), s)
        .disable_y_mesh()
        .y_labels(c.bars.len())
        .x_labels(5)
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt)
        .x_desc(c.value_label.as_str())
        .draw()
        .map_err(err)?;
    let gap = s.px(3.0);
    chart
        .draw_series(c.bars.iter().enumerate().map(|(i, b)| {
            let k = n - 1 - i as i32;
            let mut r = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(k)),
                    (b.value, SegmentValue::Exact(k + 1)),
                ],
                s.theme.color(b.color).filled(),
            );
            r.set_margin(gap, gap, 0, 0);
            r
        }))
        .map_err(err)?;
    Ok(c.bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (x, y) = chart.backend_coord(&(b.value, SegmentValue::CenterOf(n - 1 - i as i32)));
            Hit {
                x: x as f64,
                y: y as f64,
                series: 0,
                item: i,
                row: None,
                radius: 0.0,
            }
        })
        .collect())
}
