//! Canvas plumbing of the chart component: the screen's pixel density, sizing a canvas for it,
//! and the highlight of the active mark on the overlay.

use wasm_bindgen::JsCast;

use crate::charts::{Hit, Theme};

pub fn device_ratio() -> f64 {
    web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0))
}

pub fn context_2d(
    canvas: &web_sys::HtmlCanvasElement,
) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Sizes a canvas to `w` x `h` CSS pixels at `ratio` device pixels each.
pub fn size_canvas(canvas: &web_sys::HtmlCanvasElement, w: f64, h: f64, ratio: f64) {
    canvas.set_width((w * ratio).round() as u32);
    canvas.set_height((h * ratio).round() as u32);
    let _ = canvas.set_attribute("style", &format!("width:{w}px;height:{h}px"));
}

/// The highlight of the active mark (or none): a ring, or a line across the chart when the
/// chart's marks are columns (`column`).
pub fn highlight(
    overlay: &web_sys::HtmlCanvasElement,
    hit: Option<&Hit>,
    theme: &Theme,
    ratio: f64,
    column: bool,
) {
    let Some(ctx) = context_2d(overlay) else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, overlay.width() as f64, overlay.height() as f64);
    let Some(h) = hit else { return };
    ctx.begin_path();
    if column {
        ctx.move_to(h.x, 0.0);
        ctx.line_to(h.x, overlay.height() as f64);
        ctx.set_line_width(ratio);
        ctx.set_stroke_style_str(&Theme::css(theme.fg));
        ctx.stroke();
        return;
    }
    let _ = ctx.arc(h.x, h.y, 6.0 * ratio, 0.0, std::f64::consts::TAU);
    ctx.set_line_width(2.0 * ratio);
    ctx.set_stroke_style_str(&Theme::css(theme.fg));
    ctx.stroke();
}
