//! The results cache: what a load produced, kept under a key made from its exact requests, so
//! that a revisit shows it at once while it is refreshed in the background.
//!
//! Entries live in IndexedDB when the browser allows it, otherwise in memory (the app works the
//! same, only without persistence). Every entry is tied to this version of the app and is
//! discarded, never shown, when another version wrote it or it cannot be read. Least recently
//! used entries are evicted to stay under [`entry::MAX_BYTES`]; [`ResultsCache::clear`]
//! empties it.

pub mod codec;
pub mod entry;
pub mod idb;
pub mod memory;

use std::rc::Rc;

use leptos::prelude::{ArcRwSignal, Track, Update};
use send_wrapper::SendWrapper;

use entry::{evictions, format_version, unwrap, wrap, EntryMeta, MAX_BYTES, MAX_ENTRIES};
use idb::IdbBackend;
use memory::MemoryBackend;

/// The IndexedDB database the app uses.
pub const DB_NAME: &str = "aind-results-browser";

enum Backend {
    Idb(IdbBackend),
    Memory(MemoryBackend),
}

/// Where results are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheMode {
    /// In IndexedDB: results survive reloads.
    Persistent,
    /// In memory only, with the reason IndexedDB could not be used.
    MemoryOnly(String),
}

/// A cached result.
pub struct Cached {
    pub payload: Vec<u8>,
    pub saved_at_ms: f64,
}

/// The app's cache; cheap to clone (shared).
#[derive(Clone)]
pub struct ResultsCache {
    inner: SendWrapper<Rc<(Backend, CacheMode)>>,
    /// Bumped whenever entries are written or removed (the footer shows the usage).
    changes: ArcRwSignal<u64>,
}

/// Wall-clock milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl ResultsCache {
    /// Opens IndexedDB, or falls back to memory; drops entries of other app versions.
    pub async fn open() -> ResultsCache {
        let (backend, mode) = match IdbBackend::open(DB_NAME).await {
            Ok(db) => (Backend::Idb(db), CacheMode::Persistent),
            Err(e) => (
                Backend::Memory(MemoryBackend::default()),
                CacheMode::MemoryOnly(e.to_string()),
            ),
        };
        let cache = ResultsCache::with(backend, mode);
        let stale: Vec<String> = cache
            .all_meta()
            .await
            .into_iter()
            .filter(|m| m.format != format_version())
            .map(|m| m.key)
            .collect();
        if !stale.is_empty() {
            cache.delete(&stale).await;
        }
        cache
    }

    fn with(backend: Backend, mode: CacheMode) -> ResultsCache {
        ResultsCache {
            inner: SendWrapper::new(Rc::new((backend, mode))),
            changes: ArcRwSignal::new(0),
        }
    }

    fn backend(&self) -> &Backend {
        &self.inner.0
    }

    pub fn mode(&self) -> CacheMode {
        self.inner.1.clone()
    }

    /// Tracks changes of the cache's entries (read it in an effect).
    pub fn track_changes(&self) {
        self.changes.track();
    }

    fn changed(&self) {
        self.changes.update(|n| *n += 1);
    }

    async fn all_meta(&self) -> Vec<EntryMeta> {
        match self.backend() {
            Backend::Idb(db) => db.all_meta().await.unwrap_or_default(),
            Backend::Memory(m) => m.all_meta(),
        }
    }

    async fn delete(&self, keys: &[String]) {
        match self.backend() {
            Backend::Idb(db) => {
                let _ = db.delete(keys).await;
            }
            Backend::Memory(m) => m.delete(keys),
        }
        self.changed();
    }

    /// The entry under `key`, if this app version wrote it and it can be read; anything else
    /// found there is deleted. The listing and the data are read at once (two transactions in
    /// flight, not one after the other); [`ResultsCache::touch`] marks the entry used.
    pub async fn get(&self, key: &str) -> Option<Cached> {
        let (metas, data) = match self.backend() {
            Backend::Idb(db) => {
                let (metas, data) = futures::future::join(self.all_meta(), db.get(key)).await;
                match data {
                    Ok(data) => (metas, data),
                    // A read that failed says nothing about the entry: keep it for next time.
                    Err(_) => return None,
                }
            }
            Backend::Memory(m) => (m.all_meta(), m.get(key)),
        };
        let meta = metas.into_iter().find(|m| m.key == key)?;
        let payload = match data.as_deref().map(unwrap) {
            Some(Ok(p)) if meta.format == format_version() => p.to_vec(),
            _ => {
                self.discard(key).await;
                return None;
            }
        };
        Some(Cached {
            payload,
            saved_at_ms: meta.saved_at_ms,
        })
    }

    /// Marks the entry under `key` as used now (for least-recently-used eviction).
    pub async fn touch(&self, key: &str) {
        let now = now_ms();
        match self.backend() {
            Backend::Idb(db) => {
                let _ = db.touch(key, now).await;
            }
            Backend::Memory(m) => m.touch(key, now),
        }
    }

    /// Deletes one entry (one that could not be decoded, say).
    pub async fn discard(&self, key: &str) {
        self.delete(&[key.to_string()]).await;
    }

    /// Stores `payload` under `key`, evicting least recently used entries to make room; whether
    /// it was stored. A failure (quota, blocked storage) only means the result is not cached.
    pub async fn put(&self, key: &str, label: &str, payload: &[u8]) -> bool {
        let data = wrap(payload);
        let bytes = data.len() as u64;
        if bytes > MAX_BYTES {
            // Too large to keep: an older entry under the key must not be shown instead.
            self.discard(key).await;
            return false;
        }
        let evict = evictions(&self.all_meta().await, key, bytes, MAX_BYTES, MAX_ENTRIES);
        if !evict.is_empty() {
            self.delete(&evict).await;
        }
        let now = now_ms();
        let meta = EntryMeta {
            key: key.to_string(),
            format: format_version(),
            saved_at_ms: now,
            used_at_ms: now,
            bytes,
            label: label.to_string(),
        };
        let stored = match self.backend() {
            Backend::Idb(db) => db.put(&meta, &data).await.is_ok(),
            Backend::Memory(m) => {
                m.put(&meta, &data);
                true
            }
        };
        self.changed();
        stored
    }

    /// How many entries and bytes the cache holds.
    pub async fn usage(&self) -> (usize, u64) {
        let metas = self.all_meta().await;
        (metas.len(), metas.iter().map(|m| m.bytes).sum())
    }

    /// Empties the cache.
    pub async fn clear(&self) {
        match self.backend() {
            Backend::Idb(db) => {
                let _ = db.clear().await;
            }
            Backend::Memory(m) => m.clear(),
        }
        self.changed();
    }
}
