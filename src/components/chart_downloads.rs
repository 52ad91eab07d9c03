//! A chart's downloads: PNG (drawn again at twice the pixels, with a legend), SVG (the same
//! drawing code on plotters' SVG backend) and CSV (its data table).

use leptos::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

use crate::browser::{click_download, download};
use crate::charts::backend::AnyBackend;
use crate::charts::{Chart, Style};
use crate::components::canvas::size_canvas;
use crate::context::use_color_scheme;

#[component]
pub fn Downloads(
    chart: Signal<Chart>,
    /// File name stem.
    name: Signal<String>,
    /// The chart's size on screen, in CSS pixels.
    width: Signal<f64>,
    height: Signal<f64>,
    is_empty: Memo<bool>,
    /// Where a failure is told.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let scheme = use_color_scheme();
    let save_png = move |_| {
        let w = width.get_untracked();
        let Ok(el) = document().create_element("canvas") else {
            return;
        };
        let c: web_sys::HtmlCanvasElement = el.unchecked_into();
        let height = height.get_untracked();
        size_canvas(&c, w, height, 2.0);
        let style = Style {
            theme: scheme.chart_theme(),
            scale: 2.0,
            legend: true,
        };
        let Some(backend) = CanvasBackend::with_canvas_object(c.clone()) else {
            return;
        };
        let drawn = chart.with_untracked(|ch| ch.draw(AnyBackend::Canvas(backend), &style));
        let saved = drawn
            .and_then(|_| {
                c.to_data_url()
                    .map_err(|_| "the browser refused".to_string())
            })
            .and_then(|url| click_download(&url, &format!("{}.png", name.get_untracked())));
        if let Err(e) = saved {
            problem.set(Some(format!("The PNG could not be made: {e}")));
        }
    };
    let save_svg = move |_| {
        let style = Style {
            theme: scheme.chart_theme(),
            scale: 1.0,
            legend: true,
        };
        let w = width.get_untracked().max(320.0) as u32;
        let saved = chart
            .with_untracked(|ch| ch.to_svg(w, height.get_untracked() as u32, &style))
            .and_then(|svg| {
                download(
                    &format!("{}.svg", name.get_untracked()),
                    "image/svg+xml",
                    &svg,
                )
            });
        if let Err(e) = saved {
            problem.set(Some(format!("The SVG could not be made: {e}")));
        }
    };
    let save_csv = move |_| {
        let csv = chart.with_untracked(|c| c.table().to_csv());
        if let Err(e) = download(&format!("{}.csv", name.get_untracked()), "text/csv", &csv) {
            problem.set(Some(format!("The CSV could not be made: {e}")));
        }
    };
    view! {
        <button class="btn small" data-testid="save-png" disabled=move || is_empty.get() on:click=save_png>"PNG"</button>
        <button class="btn small" data-testid="save-svg" disabled=move || is_empty.get() on:click=save_svg>"SVG"</button>
        <button class="btn small" data-testid="save-csv" disabled=move || is_empty.get() on:click=save_csv>"CSV"</button>
    }
}
