//! A heat strip: one row per model, one column per session, each cell coloured on a viridis
//! scale (Akaike weights, or Δ to the session's best model), with a colour bar.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::bars::{label_room, top_down_labels};
use super::encode::Palette;
use super::{err, fmt_num, label_fit, DataTable, Hit, Style};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeatCell {
    pub col: usize,
    pub row: usize,
    pub value: f64,
    /// Marked with a dot (the session's best model).
    pub marked: bool,
    /// The data row this cell stands for.
    pub fit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeatChart {
    pub title: String,
    pub x_label: String,
    /// Column labels (sessions), left to right.
    pub columns: Vec<String>,
    /// Row labels (models), top to bottom.
    pub rows: Vec<String>,
    pub cells: Vec<HeatCell>,
    pub value_label: String,
    /// Values are clamped into this range for colouring.
    pub range: (f64, f64),
    /// Whether the top of the range is the bright end.
    pub high_is_bright: bool,
}

impl HeatChart {
    fn shade(&self, v: f64) -> RGBColor {
        let (lo, hi) = self.range;
        let t = ((v - lo) / (hi - lo).max(1e-12)).clamp(0.0, 1.0);
        Palette::Viridis.at(if self.high_is_bright { t } else { 1.0 - t })
    }

    pub fn describe(&self, hit: &Hit) -> Vec<String> {
        let Some(cell) = self.cells.get(hit.item) else {
            return Vec::new();
        };
        let mut out = vec![
            self.rows.get(cell.row).cloned().unwrap_or_default(),
            format!(
                "{}: {}",
                self.x_label,
                self.columns.get(cell.col).cloned().unwrap_or_default()
            ),
            format!("{}: {}", self.value_label, fmt_num(cell.value)),
        ];
        if cell.marked {
            out.push("best model of the session".into());
        }
        out
    }

    pub fn table(&self) -> DataTable {
        DataTable {
            headers: vec![
                self.x_label.clone(),
                "Model".into(),
                self.value_label.clone(),
                "Best".into(),
            ],
            rows: self
                .cells
                .iter()
                .map(|c| {
                    vec![
                        self.columns.get(c.col).cloned().unwrap_or_default(),
                        self.rows.get(c.row).cloned().unwrap_or_default(),
                        fmt_num(c.value),
                        if c.marked {
                            "yes".into()
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
        }
    }
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &HeatChart,
    s: &Style,
) -> Result<Vec<Hit>, String> {
    let (nc, nr) = (c.columns.len(), c.rows.len() as i32);
    if c.cells.is_empty() || nc == 0 || nr == 0 {
        return Ok(Vec::new());
    }
    let (w, _) = root.dim_in_pixel();
    let (main, bar) = root.split_horizontally(w.saturating_sub(s.px(72.0)));
    // Model names take at most 40 % of the width (a phone's screen is narrow).
    let room = label_room(c.rows.iter().map(|r| r.chars().count())).min(w as f64 * 0.4 / s.scale);
    let mut chart = ChartBuilder::on(&main)
        .margin(s.px(8.0))
        .caption(&c.title, s.font(14.0))
        .x_label_area_size(s.px(40.0))
        .y_label_area_size(s.px(room))
        .build_cartesian_2d(0.0..nc as f64, (0..nr).into_segmented())
        .map_err(err)?;
    let y_fmt = top_down_labels(c.rows.clone(), room);
    let columns = c.columns.clone();
    let x_fmt = move |v: &f64| {
        let i = v.floor() as usize;
        if (v - v.floor()).abs() < 1e-9 && i < columns.len() {
            columns[i].clone()
        } else {
            String::new()
        }
    };
    let fit = label_fit(chart.plotting_area().dim_in_pixel().0, s);
    chart
        .configure_mesh()
        .disable_mesh()
        .y_labels(c.rows.len())
        .x_labels(nc.min(fit))
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt)
        .x_desc(c.x_label.as_str())
        .label_style(s.font(11.0))
        .axis_desc_style(s.font(12.0))
        .axis_style(s.theme.axis)
        .draw()
        .map_err(err)?;
    let y = |row: usize| nr - 1 - row as i32;
    chart
        .draw_series(c.cells.iter().map(|cell| {
            Rectangle::new(
                [
                    (cell.col as f64, SegmentValue::Exact(y(cell.row))),
                    (cell.col as f64 + 1.0, SegmentValue::Exact(y(cell.row) + 1)),
                ],
                c.shade(cell.value).filled(),
            )
        }))
        .map_err(err)?;
    let dot = s.px(2.5) as i32;
    chart
        .draw_series(c.cells.iter().filter(|cell| cell.marked).map(|cell| {
            Circle::new(
                (cell.col as f64 + 0.5, SegmentValue::CenterOf(y(cell.row))),
                dot,
                s.theme.bg.filled(),
            )
        }))
        .map_err(err)?;
    let hits = c
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let (x, yy) =
                chart.backend_coord(&(cell.col as f64 + 0.5, SegmentValue::CenterOf(y(cell.row))));
            Hit {
                x: x as f64,
                y: yy as f64,
                series: cell.row,
                item: i,
                row: cell.fit,
                radius: 0.0,
            }
        })
        .collect();
    colour_bar(&bar, c, s)?;
    Ok(hits)
}

fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    c: &HeatChart,
    s: &Style,
) -> Result<(), String> {
    let (lo, hi) = c.range;
    let mut bar = ChartBuilder::on(area)
        .margin_top(s.px(30.0))
        .margin_bottom(s.px(48.0))
        .margin_right(s.px(4.0))
        .y_label_area_size(s.px(34.0))
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(err)?;
    let y_fmt = |v: &f64| fmt_num(*v);
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(5)
        .y_label_formatter(&y_fmt)
        .label_style(s.font(10.0))
        .axis_style(s.theme.axis)
        .draw()
        .map_err(err)?;
    let steps = 48;
    bar.draw_series((0..steps).map(|i| {
        let a = lo + (hi - lo) * i as f64 / steps as f64;
        let b = lo + (hi - lo) * (i + 1) as f64 / steps as f64;
        Rectangle::new([(0.0, a), (1.0, b)], c.shade((a + b) / 2.0).filled())
    }))
    .map_err(err)?;
    Ok(())
}
