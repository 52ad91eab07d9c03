//! The in-memory backend of the results cache, used when the browser refuses IndexedDB (private
//! windows, blocked storage): results are then remembered only until the page is reloaded.

use std::cell::RefCell;
use std::collections::HashMap;

use super::entry::EntryMeta;

#[derive(Default)]
pub struct MemoryBackend {
    entries: RefCell<HashMap<String, (EntryMeta, Vec<u8>)>>,
}

impl MemoryBackend {
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.entries.borrow().get(key).map(|(_, d)| d.clone())
    }

    pub fn put(&self, meta: &EntryMeta, data: &[u8]) {
        self.entries
            .borrow_mut()
            .insert(meta.key.clone(), (meta.clone(), data.to_vec()));
    }

    pub fn touch(&self, key: &str, used_at_ms: f64) {
        if let Some((m, _)) = self.entries.borrow_mut().get_mut(key) {
            m.used_at_ms = used_at_ms;
        }
    }

    pub fn all_meta(&self) -> Vec<EntryMeta> {
        self.entries
            .borrow()
            .values()
            .map(|(m, _)| m.clone())
            .collect()
    }

    pub fn delete(&self, keys: &[String]) {
        let mut entries = self.entries.borrow_mut();
        for k in keys {
            entries.remove(k);
        }
    }

    pub fn clear(&self) {
        self.entries.borrow_mut().clear();
    }
}
