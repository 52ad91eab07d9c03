//! The app shell: reads the configuration and opens the results cache, provides the contexts,
//! and routes. The site layout wraps pages in the top bar and footer; the `/embed` layout marks
//! everything under it as embedded. Nothing imports this module.

use futures::future::join;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::embed::enter_embed_mode;
use crate::components::parts::{LazyCollectionPage, LazySessionPage};
use crate::config::AppConfig;
use crate::context::{
    provide_color_scheme, provide_embed, provide_site, use_cache, use_color_scheme, SiteBase,
};
use crate::net::cache::{CacheMode, ResultsCache};
use crate::net::config::load_config;
use crate::pages::{home::Home, not_found::NotFound, search::SearchPage, subject::SubjectPage};
use crate::prefs::SchemePref;

/// Mounts the app on `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// The path the site is served under, read from the `<base href>` that trunk writes from
/// `--public-url`.
fn read_site_base() -> String {
    let doc = document();
    let has_base = doc.query_selector("base[href]").ok().flatten().is_some();
    let uri = if has_base {
        doc.base_uri().ok().flatten()
    } else {
        None
    };
    uri.map(|u| path_of_url(&u)).unwrap_or_default()
}

/// `https://host/a/b/?q` -> `/a/b` (no trailing slash; empty for the root).
fn path_of_url(u: &str) -> String {
    let after_scheme = u.split_once("://").map_or(u, |(_, r)| r);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_string()
}

#[component]
pub fn App() -> impl IntoView {
    provide_color_scheme();
    let boot = LocalResource::new(|| async {
        let ((config, warnings), cache) = join(load_config(), ResultsCache::open()).await;
        (config, warnings, cache)
    });
    view! {
        <Suspense fallback=|| view! { <p class="boot">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (config, warnings, cache) = boot.await;
                view! { <Shell config warnings cache /> }
            })}
        </Suspense>
    }
}

#[component]
fn Shell(config: AppConfig, warnings: Vec<String>, cache: ResultsCache) -> impl IntoView {
    let base = SiteBase(read_site_base());
    provide_site(config, base.clone(), cache);
    let warnings = StoredValue::new(warnings);
    view! {
        <Router base=base.0.clone()>
            <Routes fallback=move || view! { <SiteLayout warnings=warnings.get_value()><NotFound /></SiteLayout> }>
                <ParentRoute path=path!("/embed") view=move || view! { <EmbedLayout warnings=warnings.get_value() /> }>
                    <Route path=path!("/search") view=SearchPage />
                    <Route path=path!("/subject/:id") view=SubjectPage />
                    <Route path=path!("/subject/:id/session/:date") view=LazySessionPage />
                    <Route path=path!("/collection/:name") view=LazyCollectionPage />
                </ParentRoute>
                <ParentRoute path=path!("") view=move || view! { <SiteLayout warnings=warnings.get_value()><Outlet /></SiteLayout> }>
                    <Route path=path!("") view=Home />
                    <Route path=path!("/search") view=SearchPage />
                    <Route path=path!("/subject/:id") view=SubjectPage />
                    <Route path=path!("/subject/:id/session/:date") view=LazySessionPage />
                    <Route path=path!("/collection/:name") view=LazyCollectionPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Config problems, on every page.
#[component]
fn ConfigWarnings(warnings: Vec<String>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <div class="banner warn" role="status">
                {warnings.into_iter().map(|w| view! { <p>{w}</p> }).collect_view()}
            </div>
        }
    })
}

/// The site's frame: the top bar, the page, and a footer about the cache.
#[component]
fn SiteLayout(warnings: Vec<String>, children: Children) -> impl IntoView {
    let base = crate::context::use_site_base();
    view! {
        <header class="topbar">
            <a class="brand" href=base.href("/")>
                <span class="brand-mark">"AIND"</span>
                " Results Browser"
            </a>
            <nav class="topnav" aria-label="Site">
                <a href=base.href("/search")>"Search"</a>
            </nav>
            <span class="topbar-sub">"Dynamic foraging model fits"</span>
        </header>
        <ConfigWarnings warnings />
        <main class="page">{children()}</main>
        <CacheFooter />
    }
}

/// Embedded views: no chrome, compact, and the height reported to the page holding the iframe.
#[component]
fn EmbedLayout(warnings: Vec<String>) -> impl IntoView {
    provide_embed();
    enter_embed_mode();
    view! {
        <ConfigWarnings warnings />
        <main class="page embedded"><Outlet /></main>
    }
}

/// How much the results cache holds, and a way to empty it.
#[component]
fn CacheFooter() -> impl IntoView {
    let cache = use_cache();
    let usage = RwSignal::new(None::<(usize, u64)>);
    let refresh_usage = {
        let cache = cache.clone();
        move || {
            let cache = cache.clone();
            leptos::task::spawn_local(async move {
                usage.try_set(Some(cache.usage().await));
            });
        }
    };
    {
        let (cache, refresh_usage) = (cache.clone(), refresh_usage.clone());
        Effect::new(move |_| {
            cache.track_changes();
            refresh_usage();
        });
    }
    let clear = {
        let cache = cache.clone();
        let refresh_usage = refresh_usage.clone();
        move |_| {
            let (cache, refresh_usage) = (cache.clone(), refresh_usage.clone());
            leptos::task::spawn_local(async move {
                cache.clear().await;
                refresh_usage();
            });
        }
    };
    let memory_only = match cache.mode() {
        CacheMode::MemoryOnly(reason) => Some(reason),
        CacheMode::Persistent => None,
    };
    let in_tab = memory_only.is_some();
    let counted = move || match usage.get() {
        Some((0, _)) => "No cached results.".to_string(),
        Some((n, bytes)) => format!(
            "{n} cached result{} ({}) in this {}.",
            if n == 1 { "" } else { "s" },
            human_bytes(bytes),
            if in_tab { "tab" } else { "browser" }
        ),
        None => String::new(),
    };
    view! {
        <footer class="site-footer" data-testid="cache-footer">
            <SchemeSwitch />
            {memory_only.map(|reason| view! {
                <span data-testid="cache-unavailable" title=reason>
                    "Results are not cached across visits: this browser does not allow storage for this site."
                </span>
            })}
            <span data-testid="cache-usage">{counted}</span>
            <button class="btn small" data-testid="clear-cache" on:click=clear>"Clear cache"</button>
        </footer>
    }
}

/// The colour scheme: the system's, light or dark (remembered in this browser).
#[component]
fn SchemeSwitch() -> impl IntoView {
    let scheme = use_color_scheme();
    view! {
        <label class="scheme-switch">
            "Colours "
            <select data-testid="scheme" on:change=move |ev| scheme.choose(SchemePref::from_key(&event_target_value(&ev)))>
                {SchemePref::ALL.into_iter().map(|p| view! {
                    <option value=p.key() selected=move || scheme.pref.get() == p>{p.label()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// "12 KB", "3.4 MB".
fn human_bytes(bytes: u64) -> String {
    if bytes < 1_048_576 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{human_bytes, path_of_url};

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_bytes(0), "0 KB");
        assert_eq!(human_bytes(1500), "2 KB");
        assert_eq!(human_bytes(3 * 1_048_576 + 400_000), "3.4 MB");
    }

    #[test]
    fn base_paths() {
        assert_eq!(path_of_url("http://127.0.0.1:8080/"), "");
        assert_eq!(path_of_url("https://x.github.io/repo/"), "/repo");
        assert_eq!(path_of_url("https://x.github.io/repo/?a#b"), "/repo");
        assert_eq!(path_of_url("weird"), "");
    }
}
