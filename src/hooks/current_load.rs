//! The cancel token of a page's current load.
//!
//! A resource only calls its fetcher again once the previous future has finished, so cancelling
//! inside the fetcher would let a stale load run to its end before the new one starts. An effect
//! runs as soon as the inputs change, while the old future may still be pending, and aborts the
//! load if it was started for other inputs (when the old future had already finished, the
//! fetcher may have started the new load first: that one is kept).

use leptos::prelude::*;

use crate::net::http::Cancel;

pub struct CurrentLoad<K: 'static>(StoredValue<Option<(K, Cancel)>, LocalStorage>);

impl<K: 'static> Clone for CurrentLoad<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: 'static> Copy for CurrentLoad<K> {}

impl<K: PartialEq + Clone + 'static> CurrentLoad<K> {
    /// `inputs` reads the load's reactive inputs and returns the key a load is started for.
    pub fn new(inputs: impl Fn() -> K + 'static) -> CurrentLoad<K> {
        let current = StoredValue::new_local(None::<(K, Cancel)>);
        Effect::new(move |_| {
            let key = inputs();
            current.with_value(|c| {
                if let Some((started_for, cancel)) = c {
                    if *started_for != key {
                        cancel.cancel();
                    }
                }
            });
        });
        on_cleanup(move || {
            if let Some((_, c)) = current.try_get_value().flatten() {
                c.cancel();
            }
        });
        CurrentLoad(current)
    }

    /// A fresh token for a load of `key` (the previous load is cancelled, if it still runs).
    pub fn start(&self, key: K) -> Cancel {
        if let Some((_, old)) = self.0.get_value() {
            old.cancel();
        }
        let cancel = Cancel::new();
        self.0.set_value(Some((key, cancel.clone())));
        cancel
    }
}
