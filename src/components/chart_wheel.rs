//! Zooming a chart over trials with the wheel, around the trial under the pointer.

use leptos::html;
use leptos::prelude::*;

use crate::charts::span::{trial_at, wheel_factor, Span};
use crate::charts::Hit;
use crate::components::canvas::listen_wheel;

/// Listens to the wheel on `overlay` while the chart is over trials (`span`): the zoom follows
/// how far the wheel turned (a trackpad sends many small steps), and a wheel that would change
/// nothing (zooming out of every trial) scrolls the page as usual. `hits` and `ratio` are the
/// drawn marks and the canvas' device pixels per CSS pixel.
pub fn zoom_on_wheel(
    overlay: NodeRef<html::Canvas>,
    span: Memo<Option<(Span, usize)>>,
    on_span: Option<Callback<Span>>,
    hits: StoredValue<Vec<Hit>>,
    ratio: StoredValue<f64>,
) {
    let on_wheel = move |ev: web_sys::WheelEvent| {
        let (Some(cb), Some((s, n))) = (on_span, span.get_untracked()) else {
            return;
        };
        let factor = wheel_factor(ev.delta_y(), ev.delta_mode());
        let r = ratio.get_value();
        let anchor = hits
            .with_value(|h| trial_at(h, ev.offset_x() as f64 * r))
            .unwrap_or((s.lo + s.hi) as f64 / 2.0);
        let to = s.zoom(factor, anchor, n);
        if to != s {
            ev.prevent_default();
            cb.run(to);
        } else if factor < 1.0 {
            // Already at the narrowest window: still the chart's wheel, not the page's.
            ev.prevent_default();
        }
    };
    // Added by hand: a wheel listener must not be passive to keep the page from scrolling.
    let wheel =
        StoredValue::new_local(None::<wasm_bindgen::closure::Closure<dyn Fn(web_sys::WheelEvent)>>);
    Effect::new(move |_| {
        let Some(o) = overlay.get() else { return };
        if !span.with(Option::is_some) || on_span.is_none() || wheel.with_value(Option::is_some) {
            return;
        }
        wheel.set_value(Some(listen_wheel(&o, on_wheel)));
    });
}
