//! One GET with a timeout, retries with backoff, cancellation through `AbortController`, and a
//! slot from the load's [`Limiter`] while it is on the wire.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use web_sys::AbortController;

use super::error::{
    backoff_ms, body_start, describe_js, FetchError, FetchErrorKind, MAX_ATTEMPTS, TIMEOUT_MS,
};
use super::limiter::Limiter;
use super::perf::{self, Phase};

/// Cancels every request started under it. One per page load: a new load cancels the old one.
#[derive(Clone, Default)]
pub struct Cancel(Rc<CancelInner>);

#[derive(Default)]
struct CancelInner {
    cancelled: Cell<bool>,
    controllers: RefCell<Vec<AbortController>>,
}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.cancelled.set(true);
        for c in self.0.controllers.borrow_mut().drain(..) {
            c.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    fn register(&self, c: &AbortController) {
        if self.is_cancelled() {
            c.abort();
        } else {
            self.0.controllers.borrow_mut().push(c.clone());
        }
    }

    fn release(&self, c: &AbortController) {
        self.0.controllers.borrow_mut().retain(|x| x != c);
    }
}

/// GETs `url` as text, retrying 429/5xx, timeouts, network failures and empty bodies. With a
/// limiter, each attempt holds one of its slots and a 429 lowers its limit.
pub async fn get_text(
    url: &str,
    cancel: &Cancel,
    limiter: Option<&Limiter>,
) -> Result<String, FetchError> {
    get_text_with(url, cancel, limiter, MAX_ATTEMPTS).await
}

/// [`get_text`], with at most `network_attempts` attempts when the network fails (a read that
/// the browser refuses for want of CORS headers fails the same way, and retrying it only
/// wastes time).
pub async fn get_text_with(
    url: &str,
    cancel: &Cancel,
    limiter: Option<&Limiter>,
    network_attempts: u32,
) -> Result<String, FetchError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let permit = match limiter {
            Some(l) => Some(l.acquire().await),
            None => None,
        };
        let start = perf::now();
        let (result, retry_after) = fetch_once(url, cancel).await;
        perf::measure(Phase::Network, start);
        drop(permit);
        let kind = match result {
            Ok(text) => {
                if let Some(l) = limiter {
                    l.succeeded();
                }
                return Ok(text);
            }
            Err(kind) => kind,
        };
        if let (Some(l), FetchErrorKind::Http { status: 429, .. }) = (limiter, &kind) {
            l.throttled();
        }
        if cancel.is_cancelled() {
            return Err(error(url, FetchErrorKind::Cancelled, attempt));
        }
        let network = matches!(kind, FetchErrorKind::Network(_));
        if !kind.is_retryable()
            || (network && attempt >= network_attempts)
            || attempt >= MAX_ATTEMPTS
        {
            return Err(error(url, kind, attempt));
        }
        TimeoutFuture::new(backoff_ms(attempt, retry_after)).await;
    }
}

fn error(url: &str, kind: FetchErrorKind, attempts: u32) -> FetchError {
    FetchError {
        url: url.to_string(),
        kind,
        attempts,
    }
}

async fn fetch_once(url: &str, cancel: &Cancel) -> (Result<String, FetchErrorKind>, Option<u32>) {
    if cancel.is_cancelled() {
        return (Err(FetchErrorKind::Cancelled), None);
    }
    let Ok(controller) = AbortController::new() else {
        return (
            Err(FetchErrorKind::Network(
                "AbortController is unavailable".into(),
            )),
            None,
        );
    };
    cancel.register(&controller);
    let timed_out = Rc::new(Cell::new(false));
    let _timer = Timeout::new(TIMEOUT_MS, {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        move || {
            timed_out.set(true);
            controller.abort();
        }
    });
    let failed = |e: &dyn std::fmt::Display| {
        if timed_out.get() {
            FetchErrorKind::Timeout
        } else if cancel.is_cancelled() {
            FetchErrorKind::Cancelled
        } else {
            FetchErrorKind::Network(e.to_string())
        }
    };
    let signal = controller.signal();
    let result = async {
        let resp = Request::get(url)
            .abort_signal(Some(&signal))
            .send()
            .await
            .map_err(|e| (failed(&e), None))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse().ok());
        // The body as bytes: one copy into Wasm memory, no detour through a UTF-16 string.
        let bytes = body_bytes(resp.into())
            .await
            .map_err(|e| (failed(&e), None))?;
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        if !(200..300).contains(&status) {
            return Err((
                FetchErrorKind::Http {
                    status,
                    body: body_start(&text, 200),
                },
                retry_after,
            ));
        }
        if text.trim().is_empty() {
            return Err((FetchErrorKind::EmptyBody, None));
        }
        Ok(text)
    };
    let out = match result.await {
        Ok(text) => (Ok(text), None),
        Err((kind, retry_after)) => (Err(kind), retry_after),
    };
    cancel.release(&controller);
    out
}

/// A response's body, copied once into Wasm memory. (`Response::binary` zeroes its buffer
/// before copying into it: 47 MB of zeroes in a full load, about 40 ms on a slow machine;
/// `Uint8Array::to_vec` does not.)
async fn body_bytes(resp: web_sys::Response) -> Result<Vec<u8>, String> {
    let promise = resp.array_buffer().map_err(|e| describe_js(&e))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| describe_js(&e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
