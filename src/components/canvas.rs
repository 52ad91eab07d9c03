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
    let r = (6.0 * ratio).max(h.radius + 3.0 * ratio);
    let _ = ctx.arc(h.x, h.y, r, 0.0, std::f64::consts::TAU);
    ctx.set_line_width(2.0 * ratio);
    ctx.set_stroke_style_str(&Theme::css(theme.fg));
    ctx.stroke();
}

/// Rings around the marks of the selected rows (`rows` sorted), on a layer of their own.
pub fn draw_selection(
    layer: &web_sys::HtmlCanvasElement,
    hits: &[Hit],
    rows: &[usize],
    theme: &Theme,
    ratio: f64,
) {
    let Some(ctx) = context_2d(layer) else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, layer.width() as f64, layer.height() as f64);
    if rows.is_empty() {
        return;
    }
    ctx.begin_path();
    for h in hits {
        if h.row.is_some_and(|r| rows.binary_search(&r).is_ok()) {
            // Around the mark, however large it is drawn.
            let r = (5.0 * ratio).max(h.radius + 2.0 * ratio);
            ctx.move_to(h.x + r, h.y);
            let _ = ctx.arc(h.x, h.y, r, 0.0, std::f64::consts::TAU);
        }
    }
    ctx.set_line_width(1.5 * ratio);
    ctx.set_stroke_style_str(&Theme::css(theme.fg));
    ctx.stroke();
}

/// The box or lasso being drawn (device pixels), dashed, on the overlay.
pub fn draw_drag(
    overlay: &web_sys::HtmlCanvasElement,
    path: &[(f64, f64)],
    lasso: bool,
    theme: &Theme,
    ratio: f64,
) {
    let Some(ctx) = context_2d(overlay) else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, overlay.width() as f64, overlay.height() as f64);
    let (Some(&(x0, y0)), Some(&(x1, y1))) = (path.first(), path.last()) else {
        return;
    };
    ctx.begin_path();
    if lasso {
        ctx.move_to(x0, y0);
        for &(x, y) in &path[1..] {
            ctx.line_to(x, y);
        }
        ctx.close_path();
    } else {
        ctx.rect(x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs());
    }
    let dash = js_sys::Array::of2(&(4.0 * ratio).into(), &(3.0 * ratio).into());
    let _ = ctx.set_line_dash(&dash);
    ctx.set_line_width(ratio);
    ctx.set_stroke_style_str(&Theme::css(theme.fg));
    ctx.stroke();
    let _ = ctx.set_line_dash(&js_sys::Array::new());
}

/// Listens to the wheel on `el` with a listener that is not passive (so it may keep the page
/// from scrolling); the closure must live as long as the listener.
pub fn listen_wheel(
    el: &web_sys::HtmlCanvasElement,
    f: impl Fn(web_sys::WheelEvent) + 'static,
) -> wasm_bindgen::closure::Closure<dyn Fn(web_sys::WheelEvent)> {
    let f = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::WheelEvent)>::new(f);
    let opts = web_sys::AddEventListenerOptions::new();
    opts.set_passive(false);
    let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
        "wheel",
        f.as_ref().unchecked_ref(),
        &opts,
    );
    f
}
