//! What the app shell provides to every page, and the hooks to read it: the deployment's
//! configuration, the path the site is served under, whether the view is embedded, and the
//! results cache. Missing providers fail loudly (`expect_context`) instead of quietly falling
//! back to production settings.

use leptos::prelude::*;

use crate::config::AppConfig;
use crate::net::cache::ResultsCache;

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
