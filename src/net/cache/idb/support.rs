//! The IndexedDB backend's small helpers: a JS timer for bounded waits, error text from thrown
//! JS values, and entry metadata to and from plain JS objects.

use std::fmt;
use std::future::Future;
use std::pin::pin;

use futures::future::{select, Either};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::transaction::Transaction;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{EntryMeta, IdbError, OP_TIMEOUT_MS};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub(super) fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    pub(super) fn clear_timeout(id: &JsValue);
}

/// A timer future that rejects after `ms`, and its id for `clear_timeout`.
pub(super) fn timer(ms: i32) -> (JsFuture, JsValue) {
    let mut id = JsValue::UNDEFINED;
    let p = Promise::new(&mut |_resolve, reject| id = set_timeout(&reject, ms));
    (JsFuture::from(p), id)
}

/// Runs `op` on transaction `tx`, giving up after [`OP_TIMEOUT_MS`]: then `tx` is aborted (so
/// a write that timed out never lands later) and the unfinished future dropped.
pub(super) async fn bounded<T>(
    tx: &web_sys::IdbTransaction,
    what: &str,
    op: impl Future<Output = Result<T, IdbError>>,
) -> Result<T, IdbError> {
    let (t, id) = timer(OP_TIMEOUT_MS);
    match select(pin!(op), t).await {
        Either::Left((r, _)) => {
            clear_timeout(&id);
            r
        }
        Either::Right(_) => {
            let _ = tx.abort();
            Err(IdbError(format!(
                "{what} did not finish within {} s",
                OP_TIMEOUT_MS / 1000
            )))
        }
    }
}

pub(super) fn raw_tx(tx: &Transaction<'_>) -> web_sys::IdbTransaction {
    tx.as_sys().clone().into()
}

pub(super) use crate::net::error::describe_js as describe;

pub(super) fn failed(what: &str, why: impl fmt::Display) -> IdbError {
    IdbError(format!("{what} failed: {why}"))
}

pub(super) fn meta_to_js(m: &EntryMeta) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("key", m.key.as_str().into());
    set("format", m.format.into());
    set("saved_at_ms", m.saved_at_ms.into());
    set("used_at_ms", m.used_at_ms.into());
    set("bytes", (m.bytes as f64).into());
    set("label", m.label.as_str().into());
    o.into()
}

/// `None` for a record without a string key; missing or mistyped fields read as 0 or "" (so
/// the cache sees an old format and evicts the entry).
pub(super) fn meta_from_js(v: &JsValue) -> Option<EntryMeta> {
    let field = |k: &str| Reflect::get(v, &JsValue::from_str(k)).ok();
    let num = |k: &str| field(k).and_then(|x| x.as_f64()).unwrap_or(0.0);
    Some(EntryMeta {
        key: field("key")?.as_string()?,
        format: num("format") as u32,
        saved_at_ms: num("saved_at_ms"),
        used_at_ms: num("used_at_ms"),
        bytes: num("bytes") as u64,
        label: field("label")
            .and_then(|x| x.as_string())
            .unwrap_or_default(),
    })
}
