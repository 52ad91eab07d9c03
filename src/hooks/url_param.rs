//! A URL query parameter as view state: the URL is the source of truth for everything a
//! permalink restores.

use leptos::prelude::*;
use leptos_router::hooks::query_signal_with_options;
use leptos_router::NavigateOptions;

/// A query parameter's value and its setter.
#[derive(Clone, Copy)]
pub struct UrlParam(Memo<Option<String>>, SignalSetter<Option<String>>);

impl UrlParam {
    pub fn get(&self) -> Option<String> {
        self.0.get()
    }

    pub fn get_untracked(&self) -> Option<String> {
        self.0.get_untracked()
    }

    pub fn set(&self, value: Option<String>) {
        self.1.set(value)
    }

    pub fn memo(&self) -> Memo<Option<String>> {
        self.0
    }
}

/// `replace` updates the current history entry (typing in a filter box) instead of adding one
/// (everything else, so back and forward walk the changes). `resolve: false` because
/// leptos_router 0.8 would otherwise put the router base in front twice.
pub fn url_param(key: &'static str, replace: bool) -> UrlParam {
    let (get, set) = query_signal_with_options::<String>(
        key,
        NavigateOptions {
            resolve: false,
            scroll: false,
            replace,
            ..Default::default()
        },
    );
    UrlParam(get, set)
}
