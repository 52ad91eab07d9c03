//! Per-phase timings (`performance.measure`) that benchmarks read back with
//! `performance.getEntriesByType("measure")`: network (one entry per request), parse, normalize
//! and render. Timings are for people and benchmarks only; nothing depends on them.

/// The phases a load is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Network,
    Parse,
    Normalize,
    Render,
    Cache,
    /// One chart drawn.
    ChartDraw,
    /// One hover answered (nearest mark, highlight, tooltip).
    ChartHover,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Network => "aind:network",
            Phase::Parse => "aind:parse",
            Phase::Normalize => "aind:normalize",
            Phase::Render => "aind:render",
            Phase::Cache => "aind:cache",
            Phase::ChartDraw => "aind:chart-draw",
            Phase::ChartHover => "aind:chart-hover",
        }
    }
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Milliseconds since the page started (0 outside a browser).
pub fn now() -> f64 {
    performance().map_or(0.0, |p| p.now())
}

/// Records `phase` from `start` (a [`now`] reading) to now.
pub fn measure(phase: Phase, start: f64) {
    measure_detail(phase, start, None);
}

/// Like [`measure`], with a `detail` that tells entries of one phase apart (which chart).
pub fn measure_detail(phase: Phase, start: f64, detail: Option<&str>) {
    let Some(p) = performance() else { return };
    // `performance.measure(name, {start, end})`: web-sys has no binding for the options form.
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &p.now().into());
    if let Some(d) = detail {
        let _ = js_sys::Reflect::set(&options, &"detail".into(), &d.into());
    }
    if let Ok(measure) = js_sys::Reflect::get(&p, &"measure".into()) {
        if let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&measure) {
            let _ = f.call2(&p, &phase.name().into(), &options);
        }
    }
}

/// A named point in time (`aind:first-rows`, `aind:all-rows`), for benchmarks.
pub fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// Times a closure as `phase`.
pub fn timed<T>(phase: Phase, f: impl FnOnce() -> T) -> T {
    let start = now();
    let out = f();
    measure(phase, start);
    out
}

/// Waits until the next frame has been drawn (then a little more, so that work after this does
/// not delay showing what was just rendered). Returns at once outside a browser.
pub async fn after_paint() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    let tx = std::cell::Cell::new(Some(tx));
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(tx) = tx.take() {
            let _ = tx.send(());
        }
    });
    if window
        .request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&cb))
        .is_ok()
    {
        let _ = rx.await;
    }
    gloo_timers::future::TimeoutFuture::new(0).await;
}
