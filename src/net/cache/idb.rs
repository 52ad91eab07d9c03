//! The IndexedDB backend of the results cache: one database with two object stores, "meta"
//! (an [`EntryMeta`] as a plain JS object per key) and "data" (the entry's bytes as a
//! `Uint8Array` per key), keyed out of line by the entry key.
//!
//! Built on the `indexed_db_futures` crate. Every wait is bounded, so no call hangs:
//! - `open` fails at once when `indexedDB` is missing or its getter throws (blocked storage),
//!   when the open request errors, or when it is `blocked` by another tab that holds an older
//!   version open; a request that never answers is abandoned after [`OPEN_TIMEOUT_MS`]. An
//!   abandoned request that succeeds later has its connection closed at once.
//! - Every other call gives up after [`OP_TIMEOUT_MS`] and aborts its transaction, so a write
//!   that returned `Err` never lands later.
//! - Our connection closes itself on `versionchange`, so it never blocks another tab's upgrade
//!   or delete; calls on it then return `Err`, and the app goes on without the cache until
//!   the page is loaded again.
//!
//! Writes go through one readwrite transaction: the requests are issued, the last one awaited,
//! then the transaction committed and its outcome reported (`complete`, or `abort` with the
//! transaction's error, e.g. `QuotaExceededError`). Bytes cross the wasm boundary
//! once each way: `put` copies the slice into a fresh `Uint8Array` (a view of wasm memory
//! cannot be stored: structured clone would copy the whole memory), `get` copies the stored
//! array into the returned `Vec`.
//!
//! If the database exists without our stores (another layout under the same name), `open`
//! reopens it one version up and creates them. Single-threaded (the browser's event loop).

use std::fmt;

use futures::future::{select, Either};
use indexed_db_futures::database::Database;
use indexed_db_futures::error::OpenDbError;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::entry::EntryMeta;

mod support;
use support::*;

const META: &str = "meta";
const DATA: &str = "data";
/// How long `open` waits for IndexedDB before giving up (the app waits for it at start-up, so
/// this is short: a cache that takes longer is not worth the wait).
pub const OPEN_TIMEOUT_MS: i32 = 3_000;
/// How long any other call waits for its transaction before giving up and aborting it (a
/// 30 MB write takes about 0.1 s in Chromium; this only catches a transaction that never
/// finishes, e.g. one queued behind another tab's endless transaction).
pub const OP_TIMEOUT_MS: i32 = 120_000;

/// A failed IndexedDB call; the message says what failed in plain words.
#[derive(Debug, Clone, PartialEq)]
pub struct IdbError(pub String);

impl fmt::Display for IdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdbError {}

/// An open connection to the cache database. Closed when dropped.
pub struct IdbBackend {
    db: Database,
    _on_versionchange: Closure<dyn FnMut()>,
}

fn has_stores(db: &Database) -> bool {
    let names: Vec<String> = db.object_store_names().collect();
    [META, DATA].iter().all(|s| names.iter().any(|n| n == s))
}

/// One open request (at the current version, or at `version`), creating missing stores on
/// upgrade. Fails on error, on `blocked`, and after [`OPEN_TIMEOUT_MS`].
async fn open_once(name: &str, version: Option<u32>) -> Result<Database, IdbError> {
    let what = format!("opening IndexedDB database '{name}'");
    let (blocked_tx, blocked_rx) = futures::channel::oneshot::channel::<()>();
    let builder = Database::open(name).with_on_blocked(move |_| {
        let _ = blocked_tx.send(());
        Ok(())
    });
    let upgrade = |_, db: Database| {
        let names: Vec<String> = db.object_store_names().collect();
        for store in [META, DATA] {
            if !names.iter().any(|n| n == store) {
                db.create_object_store(store).build()?;
            }
        }
        Ok(())
    };
    let built = match version {
        Some(v) => builder
            .with_version(v)
            .with_on_upgrade_needed(upgrade)
            .build(),
        None => builder.with_on_upgrade_needed(upgrade).build(),
    };
    let request = built.map_err(|e| match e {
        // The crate reports any exception thrown by `indexedDB.open()` this way.
        OpenDbError::VersionZero => failed(&what, "the browser refused to open it"),
        e => failed(&what, e),
    })?;
    let raw: web_sys::IdbOpenDbRequest = request.as_sys().clone();

    let (t, id) = timer(OPEN_TIMEOUT_MS);
    let why = match select(request, select(blocked_rx, t)).await {
        Either::Left((result, _)) => {
            clear_timeout(&id);
            return result.map_err(|e| failed(&what, e));
        }
        Either::Right((gave_up, pending)) => {
            // Drop the crate's future now: it removes its handlers, then ours go in below.
            drop(pending);
            match gave_up {
                Either::Left(_) => {
                    clear_timeout(&id);
                    "it is blocked by another tab or connection that has an older version open"
                        .to_owned()
                }
                Either::Right(_) => format!(
                    "IndexedDB did not answer within {} s",
                    OPEN_TIMEOUT_MS / 1000
                ),
            }
        }
    };
    // The request is still pending; should it succeed later, close that connection at once so
    // it cannot block anyone.
    let late = raw.clone();
    let close_late = Closure::once_into_js(move || {
        if let Ok(db) = late.result() {
            db.unchecked_into::<web_sys::IdbDatabase>().close();
        }
    });
    raw.set_onsuccess(Some(close_late.unchecked_ref()));
    Err(failed(&what, why))
}

impl IdbBackend {
    /// Opens (creating or upgrading) database `name` with two object stores: "meta" (EntryMeta
    /// per key) and "data" (the bytes per key).
    /// Fails cleanly (Err, never a panic or a hang) when IndexedDB is missing
    /// (`window.indexedDB` undefined), throws (SecurityError in blocked storage), or the open
    /// request errors or is blocked.
    pub async fn open(name: &str) -> Result<IdbBackend, IdbError> {
        let factory =
            Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB")).map_err(|e| {
                IdbError(format!(
                    "the browser refused access to IndexedDB ({})",
                    describe(&e)
                ))
            })?;
        if factory.is_undefined() || factory.is_null() {
            return Err(IdbError(
                "IndexedDB is not available in this browser".to_owned(),
            ));
        }
        let mut db = open_once(name, None).await?;
        if !has_stores(&db) {
            let next = db.version() as u32 + 1;
            db.close();
            db = open_once(name, Some(next)).await?;
            if !has_stores(&db) {
                db.close();
                return Err(IdbError(format!(
                    "IndexedDB database '{name}' lacks the cache's object stores and they could not be created"
                )));
            }
        }
        let raw: &web_sys::IdbDatabase = db.as_sys();
        let on_versionchange = Closure::<dyn FnMut()>::new({
            let raw = raw.clone();
            move || raw.close()
        });
        raw.set_onversionchange(Some(on_versionchange.as_ref().unchecked_ref()));
        Ok(IdbBackend {
            db,
            _on_versionchange: on_versionchange,
        })
    }

    /// The data bytes of `key`, or `None` when there is no such entry.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, IdbError> {
        let what = format!("reading cache entry '{key}' from IndexedDB");
        let w = what.as_str();
        let tx = self
            .db
            .transaction(DATA)
            .build()
            .map_err(|e| failed(w, e))?;
        bounded(&raw_tx(&tx), w, async {
            let store = tx.object_store(DATA).map_err(|e| failed(w, e))?;
            let value: Option<JsValue> = store
                .get(key)
                .primitive()
                .map_err(|e| failed(w, e))?
                .await
                .map_err(|e| failed(w, e))?;
            let Some(value) = value.filter(|v| !v.is_undefined()) else {
                return Ok(None);
            };
            if let Some(a) = value.dyn_ref::<Uint8Array>() {
                Ok(Some(a.to_vec()))
            } else if let Some(b) = value.dyn_ref::<ArrayBuffer>() {
                Ok(Some(Uint8Array::new(b).to_vec()))
            } else {
                Err(failed(w, "the stored value is not bytes"))
            }
        })
        .await
    }

    /// Saves `meta` and `data` under `meta.key` in one readwrite transaction over both stores,
    /// replacing any previous entry. Quota errors come back as `Err`.
    pub async fn put(&self, meta: &EntryMeta, data: &[u8]) -> Result<(), IdbError> {
        let what = format!(
            "saving cache entry '{}' ({} bytes) to IndexedDB",
            meta.key,
            data.len()
        );
        let w = what.as_str();
        let tx = self
            .db
            .transaction([META, DATA])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(|e| failed(w, e))?;
        let raw = raw_tx(&tx);
        bounded(&raw, w, async {
            let meta_store = tx.object_store(META).map_err(|e| failed(w, e))?;
            let data_store = tx.object_store(DATA).map_err(|e| failed(w, e))?;
            meta_store
                .put(meta_to_js(meta))
                .with_key(meta.key.clone())
                .without_key_type()
                .primitive()
                .map_err(|e| failed(w, e))?;
            let bytes: JsValue = Uint8Array::from(data).into();
            data_store
                .put(bytes)
                .with_key(meta.key.clone())
                .without_key_type()
                .primitive()
                .map_err(|e| failed(w, e))?
                .await
                .map_err(|e| failed(w, e))?;
            // Commit only once the requests ran: a transaction still queued behind another one
            // stays abortable, so a timed-out write cannot land later.
            // On abort the crate only says "aborted"; the transaction knows why (quota, ...).
            tx.commit().await.map_err(|e| match raw.error() {
                Some(cause) => failed(w, describe(&cause)),
                None => failed(w, e),
            })
        })
        .await
    }

    /// Sets `used_at_ms` of the entry `key`; does nothing when there is no such entry.
    pub async fn touch(&self, key: &str, used_at_ms: f64) -> Result<(), IdbError> {
        let what = format!("marking cache entry '{key}' as used in IndexedDB");
        let w = what.as_str();
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(|e| failed(w, e))?;
        bounded(&raw_tx(&tx), w, async {
            let store = tx.object_store(META).map_err(|e| failed(w, e))?;
            let found: Option<JsValue> = store
                .get(key)
                .primitive()
                .map_err(|e| failed(w, e))?
                .await
                .map_err(|e| failed(w, e))?;
            let Some(record) = found.filter(JsValue::is_object) else {
                return Ok(());
            };
            Reflect::set(
                &record,
                &JsValue::from_str("used_at_ms"),
                &used_at_ms.into(),
            )
            .map_err(|e| failed(w, describe(&e)))?;
            store
                .put(record)
                .with_key(key.to_owned())
                .without_key_type()
                .primitive()
                .map_err(|e| failed(w, e))?;
            tx.commit().await.map_err(|e| failed(w, e))
        })
        .await
    }

    /// The metadata of every entry (records without a string key are skipped).
    pub async fn all_meta(&self) -> Result<Vec<EntryMeta>, IdbError> {
        let w = "listing the cache entries in IndexedDB";
        let tx = self
            .db
            .transaction(META)
            .build()
            .map_err(|e| failed(w, e))?;
        bounded(&raw_tx(&tx), w, async {
            let store = tx.object_store(META).map_err(|e| failed(w, e))?;
            let records = store
                .get_all::<JsValue>()
                .primitive()
                .map_err(|e| failed(w, e))?
                .await
                .map_err(|e| failed(w, e))?;
            let mut out = Vec::new();
            for record in records {
                if let Some(m) = meta_from_js(&record.map_err(|e| failed(w, e))?) {
                    out.push(m);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Deletes the entries `keys` (meta and data) in one transaction; unknown keys are ignored.
    pub async fn delete(&self, keys: &[String]) -> Result<(), IdbError> {
        if keys.is_empty() {
            return Ok(());
        }
        let what = format!("deleting {} cache entries from IndexedDB", keys.len());
        let w = what.as_str();
        let tx = self
            .db
            .transaction([META, DATA])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(|e| failed(w, e))?;
        bounded(&raw_tx(&tx), w, async {
            let meta_store = tx.object_store(META).map_err(|e| failed(w, e))?;
            let data_store = tx.object_store(DATA).map_err(|e| failed(w, e))?;
            let mut last = None;
            for key in keys {
                meta_store
                    .delete(key.as_str())
                    .primitive()
                    .map_err(|e| failed(w, e))?;
                last = Some(
                    data_store
                        .delete(key.as_str())
                        .primitive()
                        .map_err(|e| failed(w, e))?,
                );
            }
            if let Some(last) = last {
                last.await.map_err(|e| failed(w, e))?; // requests run in order: all are done
            }
            tx.commit().await.map_err(|e| failed(w, e))
        })
        .await
    }

    /// Deletes every entry.
    pub async fn clear(&self) -> Result<(), IdbError> {
        let w = "clearing the cache in IndexedDB";
        let tx = self
            .db
            .transaction([META, DATA])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(|e| failed(w, e))?;
        bounded(&raw_tx(&tx), w, async {
            tx.object_store(META)
                .map_err(|e| failed(w, e))?
                .clear()
                .map_err(|e| failed(w, e))?;
            let cleared = tx
                .object_store(DATA)
                .map_err(|e| failed(w, e))?
                .clear()
                .map_err(|e| failed(w, e))?;
            cleared.await.map_err(|e| failed(w, e))?;
            tx.commit().await.map_err(|e| failed(w, e))
        })
        .await
    }
}

impl Drop for IdbBackend {
    fn drop(&mut self) {
        let raw: &web_sys::IdbDatabase = self.db.as_sys();
        raw.set_onversionchange(None);
        raw.close();
    }
}
