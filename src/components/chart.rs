//! One chart on screen: drawn with plotters on a canvas at the screen's pixel density, redrawn
//! when its data, its width or the colour scheme change. Hover and keyboard focus draw on an
//! overlay canvas and show a tooltip (with the fit's figure when the mark stands for one),
//! without redrawing the chart. Under it: PNG and SVG downloads and the data as a table.

use leptos::html;
use leptos::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::browser::watch_width;
use crate::charts::backend::AnyBackend;
use crate::charts::span::{nearest_x, px_per_trial, Span};
use crate::charts::{nearest, Chart, Hit, Style};
use crate::components::canvas::{device_ratio, draw_drag, draw_selection, highlight, size_canvas};
use crate::components::chart_downloads::Downloads;
use crate::components::chart_parts::{keys_help, ChartDataTable, Tip, TipBox};
use crate::components::chart_select::{Drag, Select};
use crate::components::chart_wheel::zoom_on_wheel;
use crate::components::zoom_bar::ZoomBar;
use crate::context::{rows_arriving, use_color_scheme, LOADING};
use crate::net::perf::{self, Phase};

/// Reach of the pointer around a mark, in CSS pixels.
const REACH: f64 = 12.0;

#[component]
pub fn ChartCanvas(
    chart: Signal<Chart>,
    /// File name stem of the downloads.
    #[prop(into)]
    name: Signal<String>,
    /// Height in CSS pixels (it may follow the data: a row per model).
    #[prop(into, default = Signal::stored(300.0))]
    height: Signal<f64>,
    /// What to say when there is nothing to draw.
    #[prop(into, default = "No values to draw for the fits shown.".into())]
    empty: Signal<String>,
    /// The figure (thumbnail URL) of a data row, for the tooltip.
    #[prop(optional)]
    thumb: Option<Callback<usize, Option<String>>>,
    /// Opens a data row (a click on its mark, or Enter).
    #[prop(optional)]
    on_open: Option<Callback<usize>>,
    /// More about a data row for the tooltip (after its first line).
    #[prop(optional)]
    row_lines: Option<Callback<usize, Vec<String>>>,
    /// The other way to open a data row (Shift+click, Shift+Enter), with what it opens.
    #[prop(optional)]
    on_alt_open: Option<(Callback<usize>, &'static str)>,
    /// A chart over trials asks for another window of trials (wheel, drag, keys, buttons).
    #[prop(optional)]
    on_span: Option<Callback<Span>>,
    /// Marks select their rows: a click takes one, a drag a box or lasso; a double click opens.
    #[prop(default = None)]
    select: Option<Select>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let scheme = use_color_scheme();
    let wrap = NodeRef::<html::Div>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let overlay = NodeRef::<html::Canvas>::new();
    let layer = NodeRef::<html::Canvas>::new();
    let sel_drag = Drag::new();
    // Counts the draws, so that the selection's rings follow each one.
    let draws = RwSignal::new(0u64);
    let width = RwSignal::new(0.0f64);
    let hits = StoredValue::new(Vec::<Hit>::new());
    let ratio = StoredValue::new(1.0f64);
    let active = RwSignal::new(None::<usize>);
    // The mark to point at again after a redraw, and a drag in progress (where it started, in
    // device pixels, and the window then).
    let restore = RwSignal::new(None::<usize>);
    let drag = StoredValue::new(None::<(f64, Span)>);
    let tip = RwSignal::new(None::<Tip>);
    let problem = RwSignal::new(None::<String>);
    let is_empty = Memo::new(move |_| chart.with(Chart::is_empty));
    // A chart over trials: its window and trial count; hover follows x alone.
    let span = Memo::new(move |_| chart.with(Chart::span));
    let columns = move || span.with_untracked(Option::is_some);
    let id = testid.clone();
    let hover_id = StoredValue::new(testid.clone());

    let watch = StoredValue::new_local(None);
    Effect::new(move |_| {
        if let Some(el) = wrap.get() {
            let w = el.get_bounding_client_rect().width();
            width.set(w.floor());
            watch.set_value(watch_width(&el, move |w| {
                let w = w.floor();
                if (w - width.get_untracked()).abs() >= 1.0 {
                    width.set(w);
                }
            }));
        }
    });

    // Draw: on new data, a new width or another colour scheme.
    Effect::new(move |_| {
        let theme = scheme.chart_theme();
        let w = width.get();
        let (Some(c), Some(o)) = (canvas.get(), overlay.get()) else {
            return;
        };
        // New data: whatever was pointed at before is gone (over trials, the cursor stays on
        // its trial when that is still shown).
        let kept_trial = active
            .get_untracked()
            .filter(|_| columns())
            .and_then(|i| hits.with_value(|h| h.get(i).map(|h| h.item)));
        tip.set(None);
        active.set(None);
        if w < 10.0 || is_empty.get() {
            hits.set_value(Vec::new());
            return;
        }
        let r = device_ratio();
        ratio.set_value(r);
        let start = perf::now();
        let height = height.get();
        size_canvas(&c, w, height, r);
        size_canvas(&o, w, height, r);
        if let Some(l) = layer.get_untracked() {
            size_canvas(&l, w, height, r);
        }
        let style = Style {
            theme,
            scale: r,
            legend: false,
        };
        let drawn = CanvasBackend::with_canvas_object(c)
            .ok_or_else(|| "this browser cannot draw on a canvas".to_string())
            .and_then(|backend| chart.with(|ch| ch.draw(AnyBackend::Canvas(backend), &style)));
        match drawn {
            Ok(h) => {
                hits.set_value(h);
                problem.set(None);
            }
            Err(e) => {
                hits.set_value(Vec::new());
                problem.set(Some(e));
            }
        }
        active.set(None);
        draws.update(|n| *n += 1);
        perf::measure_detail(Phase::ChartDraw, start, Some(&id));
        if let Some(t) = kept_trial {
            let i = hits.with_value(|h| h.iter().position(|h| h.item == t));
            if i.is_some() {
                restore.set(i);
            }
        }
    });

    // The active mark: ring on the overlay, tooltip beside it.
    let show = move |i: Option<usize>| {
        restore.set(None);
        let start = perf::now();
        active.set(i);
        let r = ratio.get_value();
        let hit = i.and_then(|i| hits.with_value(|h| h.get(i).copied()));
        if let Some(o) = overlay.get_untracked() {
            highlight(&o, hit.as_ref(), scheme.chart_theme(), r, columns());
        }
        tip.set(hit.map(|h| Tip {
            left: h.x / r,
            top: h.y / r,
            lines: {
                let mut lines = chart.with_untracked(|c| c.describe(&h));
                if let (Some(f), Some(row)) = (row_lines, h.row) {
                    let at = lines.len().min(1);
                    lines.splice(at..at, f.run(row));
                }
                lines
            },
            thumb: h.row.and_then(|row| thumb.and_then(|t| t.run(row))),
            opens: h.row.is_some() && on_open.is_some(),
        }));
        hover_id.with_value(|h| perf::measure_detail(Phase::ChartHover, start, Some(h)));
    };
    Effect::new(move |_| {
        if let Some(i) = restore.get() {
            show(Some(i));
        }
    });
    // The selected rows' rings, after each draw and each change of the selection.
    Effect::new(move |_| {
        let Some(sel) = select else { return };
        draws.track();
        let (Some(l), theme) = (layer.get(), scheme.chart_theme()) else {
            return;
        };
        sel.rows.with(|rows| {
            hits.with_value(|h| draw_selection(&l, h, rows, theme, ratio.get_value()))
        });
    });
    // The mark at (x, y) device pixels: the nearest within reach, or over trials the column.
    let mark_at = move |x: f64, y: f64| {
        let r = ratio.get_value();
        hits.with_value(|h| {
            if columns() {
                nearest_x(h, x)
            } else {
                nearest(h, x, y, REACH * r)
            }
        })
    };
    let on_move = move |ev: web_sys::MouseEvent| {
        let r = ratio.get_value();
        let (x, y) = (ev.offset_x() as f64 * r, ev.offset_y() as f64 * r);
        if let (Some(sel), true) = (select, sel_drag.active()) {
            if ev.buttons() & 1 == 1 {
                let lasso = sel.lasso.get_untracked();
                let path = sel_drag.extend((x, y), lasso);
                // A wobble of a pixel or two is still a click on the point.
                if crate::charts::select::is_drag(&path, 4.0 * r) {
                    if let Some(o) = overlay.get_untracked() {
                        tip.set(None);
                        active.set(None);
                        draw_drag(&o, &path, lasso, scheme.chart_theme(), r);
                    }
                    return;
                }
            }
            sel_drag.cancel();
        }
        if let Some((from, at)) = drag.get_value() {
            if ev.buttons() & 1 == 1 {
                if let (Some(f), Some(per)) = (on_span, hits.with_value(|h| px_per_trial(h))) {
                    let n = span.with_untracked(|s| s.map_or(0, |s| s.1));
                    let to = at.pan((from - x) / per, n);
                    if Some(to) != span.with_untracked(|s| s.map(|s| s.0)) {
                        f.run(to);
                    }
                }
                return;
            }
            drag.set_value(None);
        }
        let i = mark_at(x, y);
        if i != active.get_untracked() {
            show(i);
        }
    };
    // Over trials: the wheel zooms around the pointer, a drag pans, keys do both.
    zoom_on_wheel(overlay, span, on_span, hits, ratio);
    // Whether a press of `button` starts a drag: a box or lasso, or panning over trials.
    let starts_drag = move |button: i16| {
        button == 0
            && (if columns() {
                on_span.is_some()
            } else {
                select.is_some()
            })
    };
    let on_down = move |ev: web_sys::MouseEvent| {
        if select.is_some() && !columns() && ev.button() == 0 {
            ev.prevent_default();
            if let Some(w) = wrap.get_untracked() {
                let _ = w.focus();
            }
            let r = ratio.get_value();
            sel_drag.start((ev.offset_x() as f64 * r, ev.offset_y() as f64 * r));
            return;
        }
        if columns() && on_span.is_some() && ev.button() == 0 {
            // No text selection while dragging; the chart takes the focus, for its keys.
            ev.prevent_default();
            if let Some(w) = wrap.get_untracked() {
                let _ = w.focus();
            }
            let x = ev.offset_x() as f64 * ratio.get_value();
            drag.set_value(span.get_untracked().map(|(s, _)| (x, s)));
        }
    };
    let open = move |i: Option<usize>, alt: bool| {
        let row = i.and_then(|i| hits.with_value(|h| h.get(i).and_then(|h| h.row)));
        let f = if alt {
            on_alt_open.map(|(f, _)| f)
        } else {
            on_open
        };
        if let (Some(row), Some(f)) = (row, f) {
            f.run(row);
        }
    };
    // With a selection a click selects, a double click opens.
    let pick = move |i: Option<usize>, add: bool| {
        let row = i.and_then(|i| hits.with_value(|h| h.get(i).and_then(|h| h.row)));
        if let (Some(sel), Some(row)) = (select, row) {
            sel.on_select.run((vec![row], add));
        }
    };
    let on_up = move |ev: web_sys::MouseEvent| {
        drag.set_value(None);
        let Some(sel) = select else { return };
        let r = ratio.get_value();
        let lasso = sel.lasso.get_untracked();
        if let Some(rows) = hits.with_value(|h| sel_drag.finish(h, lasso, 4.0 * r)) {
            if let Some(o) = overlay.get_untracked() {
                highlight(&o, None, scheme.chart_theme(), r, false);
            }
            sel.on_select.run((rows, ev.shift_key()));
        }
    };
    // The mark under the pointer of a mouse event (not only the hovered one: a click may
    // come after a move that left the hover).
    let under = move |ev: &web_sys::MouseEvent| {
        let r = ratio.get_value();
        mark_at(ev.offset_x() as f64 * r, ev.offset_y() as f64 * r).or(active.get_untracked())
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if sel_drag.take_click() {
            return;
        }
        match select {
            // The second click of a double click: the double click decides.
            Some(_) if ev.detail() >= 2 => {}
            Some(_) => pick(under(&ev), ev.shift_key()),
            None => open(under(&ev), ev.shift_key()),
        }
    };
    let on_dblclick = move |ev: web_sys::MouseEvent| {
        if let Some(sel) = select {
            // Its first click picked the point: the selection is put back as it was.
            let i = under(&ev);
            sel.undo.run(());
            open(i, ev.shift_key());
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let n = hits.with_value(Vec::len);
        if n == 0 {
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            // The browser's own shortcuts (page zoom among them).
            return;
        }
        let cur = active.get_untracked();
        if let (true, Some(cb), Some((s, total))) = (columns(), on_span, span.get_untracked()) {
            let trial = cur.and_then(|i| hits.with_value(|h| h.get(i).map(|h| h.item as f64)));
            let ends = (cur == Some(0), cur == Some(n - 1));
            if let Some(to) = s.on_key(&ev.key(), trial, ends, total) {
                ev.prevent_default();
                if to != s {
                    cb.run(to);
                }
                return;
            }
        }
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => Some(cur.map_or(0, |i| (i + 1) % n)),
            "ArrowLeft" | "ArrowUp" => Some(cur.map_or(n - 1, |i| (i + n - 1) % n)),
            "Home" => Some(0),
            "End" => Some(n - 1),
            "Enter" => {
                open(cur, ev.shift_key());
                return;
            }
            " " if select.is_some() => {
                ev.prevent_default();
                pick(cur, ev.shift_key());
                return;
            }
            "Escape" => None,
            _ => return,
        };
        ev.prevent_default();
        show(next);
    };

    let label = move || chart.with(|c| c.title().to_string());

    view! {
        <figure class="chart" data-testid=testid>
            <div
                class="chart-area"
                node_ref=wrap
                style=move || format!("min-height:{}px", height.get())
                tabindex=move || if is_empty.get() { "-1" } else { "0" }
                role="group"
                aria-label=move || format!("{}. {}", label(), keys_help(span.with(Option::is_some), select.is_some()))
                on:keydown=on_key
                on:blur=move |_| show(None)
            >
                <Show when=move || is_empty.get()>
                    <p class="chart-empty" data-testid="chart-empty">
                        {move || if rows_arriving() { LOADING.to_string() } else { empty.get() }}
                    </p>
                </Show>
                <canvas node_ref=canvas class="chart-canvas" class:hidden=move || is_empty.get() aria-hidden="true"></canvas>
                {select.map(|_| view! { <canvas node_ref=layer class="chart-layer" class:hidden=move || is_empty.get() aria-hidden="true"></canvas> })}
                <canvas
                    node_ref=overlay
                    class="chart-overlay"
                    class:hidden=move || is_empty.get()
                    class:pointer=move || tip.with(|t| t.as_ref().is_some_and(|t| t.opens))
                    class:grab=move || span.with(Option::is_some) && on_span.is_some()
                    class:crosshair=select.is_some()
                    aria-hidden="true"
                    on:mousemove=on_move
                    on:pointerdown=move |ev: web_sys::PointerEvent| {
                        // A drag goes on, and ends, outside the chart: the events stay ours.
                        if starts_drag(ev.button()) {
                            if let Some(o) = overlay.get_untracked() {
                                let _ = o.set_pointer_capture(ev.pointer_id());
                            }
                        }
                    }
                    on:mousedown=on_down
                    on:mouseup=on_up
                    on:mouseleave=move |_| {
                        drag.set_value(None);
                        sel_drag.cancel();
                        show(None)
                    }
                    on:click=on_click
                    on:dblclick=on_dblclick
                ></canvas>
                {move || tip.get().map(|t| {
                    let hint = if select.is_some() { "Click: select · Double-click: the figure" } else { "Click: the figure" };
                    view! { <TipBox tip=t width=width.get_untracked() wide=columns() hint alt=on_alt_open.map(|(_, w)| w) /> }
                })}
            </div>
            {move || problem.get().map(|p| view! { <p class="banner warn" role="alert">{p}</p> })}
            <figcaption class="chart-tools">
                {on_span.map(|on_span| view! { <ZoomBar span on_span /> })}
                <Downloads chart name width=width.into() height is_empty problem />
                <ChartDataTable chart label=Signal::derive(label) />
            </figcaption>
        </figure>
    }
}
