//! What the app shell provides to every page, and the hooks to read it: the deployment's
//! configuration, the path the site is served under, whether the view is embedded, the
//! results cache and the colour scheme. Missing providers fail loudly (`expect_context`) instead of quietly falling
//! back to production settings.

use leptos::prelude::*;

use crate::charts::{Theme, DARK, LIGHT};
use crate::config::AppConfig;
use crate::net::cache::ResultsCache;
use crate::prefs::SchemePref;

/// The path the site is served under (`/repo` on GitHub Pages, empty at the root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteBase(pub String);

impl SiteBase {
    /// An app path (`/subject/1`) under the site base, for plain `<a href>` links.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

/// Whether the current view is an embedded one (`/embed/...`): no site chrome, compact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embed(pub bool);

/// Rows are still arriving (a load's first pages): an empty table or chart says "loading"
/// rather than "nothing". Provided by the view that loads them; absent means not loading.
#[derive(Clone, Copy)]
pub struct RowsArriving(pub Signal<bool>);

/// Whether the rows of the view around are still arriving (tracked).
pub fn rows_arriving() -> bool {
    use_context::<RowsArriving>().is_some_and(|r| r.0.get())
}

/// What an empty table or chart says while its rows are still arriving.
pub const LOADING: &str = "Loading…";

pub fn provide_site(config: AppConfig, base: SiteBase, cache: ResultsCache) {
    provide_context(config);
    provide_context(base);
    provide_context(cache);
    provide_context(Embed(false));
}

/// Called by the `/embed` parent route for everything under it.
pub fn provide_embed() {
    provide_context(Embed(true));
}

pub fn use_config() -> AppConfig {
    expect_context::<AppConfig>()
}

pub fn use_site_base() -> SiteBase {
    expect_context::<SiteBase>()
}

pub fn use_embed() -> bool {
    expect_context::<Embed>().0
}

pub fn use_cache() -> ResultsCache {
    expect_context::<ResultsCache>()
}

/// The colour scheme: what people chose, and whether the system prefers dark.
#[derive(Clone, Copy)]
pub struct ColorScheme {
    pub pref: RwSignal<SchemePref>,
    pub system_dark: RwSignal<bool>,
}

impl ColorScheme {
    pub fn dark(&self) -> bool {
        match self.pref.get() {
            SchemePref::Auto => self.system_dark.get(),
            SchemePref::Light => false,
            SchemePref::Dark => true,
        }
    }

    /// The charts' colours for the scheme in use.
    pub fn chart_theme(&self) -> &'static Theme {
        if self.dark() {
            &DARK
        } else {
            &LIGHT
        }
    }

    pub fn choose(&self, p: SchemePref) {
        crate::prefs::set_scheme_pref(p);
        self.pref.set(p);
    }
}

/// Reads the remembered choice and the system's preference (following its changes), marks the
/// document (`<html data-theme="dark|light">`, which the style sheet follows) and provides it.
pub fn provide_color_scheme() -> ColorScheme {
    let scheme = ColorScheme {
        pref: RwSignal::new(crate::prefs::scheme_pref()),
        system_dark: RwSignal::new(false),
    };
    if let Some(query) = crate::browser::watch_media("(prefers-color-scheme: dark)", move |on| {
        scheme.system_dark.set(on)
    }) {
        // The page lives as long as the app: keep the listener.
        std::mem::forget(query);
    }
    Effect::new(move |_| {
        let dark = scheme.dark();
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("data-theme", if dark { "dark" } else { "light" });
        }
    });
    provide_context(scheme);
    scheme
}

pub fn use_color_scheme() -> ColorScheme {
    expect_context::<ColorScheme>()
}
