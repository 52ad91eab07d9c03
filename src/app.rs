//! The router and the page frame.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::api::config::load_config;
use crate::core::config::AppConfig;
use crate::pages::{home::Home, not_found::NotFound, search::SearchPage, subject::SubjectPage};

/// Mounts the app on `<body>`.
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// The path the site is served under (`/repo` on GitHub Pages, empty at the root), read from the
/// `<base href>` that trunk writes from `--public-url`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteBase(pub String);

impl SiteBase {
    /// An app path (`/subject/1`) under the site base, for plain `<a href>` links.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

pub fn use_site_base() -> SiteBase {
    use_context::<SiteBase>().unwrap_or(SiteBase(String::new()))
}

pub fn use_config() -> AppConfig {
    use_context::<AppConfig>().unwrap_or_default()
}

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
    let config = LocalResource::new(load_config);
    view! {
        <Suspense fallback=|| view! { <p class="boot">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (config, warnings) = config.await;
                view! { <Shell config warnings /> }
            })}
        </Suspense>
    }
}

#[component]
fn Shell(config: AppConfig, warnings: Vec<String>) -> impl IntoView {
    let base = SiteBase(read_site_base());
    provide_context(config);
    provide_context(base.clone());
    let home = base.href("/");
    view! {
        <Router base=base.0.clone()>
            <Frame home warnings>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=Home />
                    <Route path=path!("/search") view=|| view! { <SearchPage /> } />
                    <Route path=path!("/subject/:id") view=|| view! { <SubjectPage /> } />
                    <Route path=path!("/embed/search") view=|| view! { <SearchPage embed=true /> } />
                    <Route
                        path=path!("/embed/subject/:id")
                        view=|| view! { <SubjectPage embed=true /> }
                    />
                </Routes>
            </Frame>
        </Router>
    }
}

/// The page frame: the top bar and config warnings, left out in embedded views, which also
/// report their height to the page holding the iframe.
#[component]
fn Frame(home: String, warnings: Vec<String>, children: Children) -> impl IntoView {
    let location = use_location();
    let base = use_site_base();
    let embed_prefix = base.href("/embed/");
    let is_embed = {
        let path = location.pathname.get_untracked();
        path.starts_with(&embed_prefix) || path.starts_with("/embed/")
    };
    if is_embed {
        crate::components::embed::enter_embed_mode();
    }
    view! {
        {(!is_embed).then(|| view! {
            <header class="topbar">
                <a class="brand" href=home.clone()>
                    <span class="brand-mark">"AIND"</span>
                    " Results Browser"
                </a>
                <nav class="topnav">
                    <a href=base.href("/search")>"Search"</a>
                </nav>
                <span class="topbar-sub">"Dynamic foraging model fits"</span>
            </header>
        })}
        {(!warnings.is_empty()).then(|| view! {
            <div class="banner warn" role="status">
                {warnings.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}
            </div>
        })}
        <main class="page" class:embedded=is_embed>{children()}</main>
    }
}

#[cfg(test)]
mod tests {
    use super::path_of_url;

    #[test]
    fn base_paths() {
        assert_eq!(path_of_url("http://127.0.0.1:8080/"), "");
        assert_eq!(path_of_url("https://x.github.io/repo/"), "/repo");
        assert_eq!(path_of_url("https://x.github.io/repo/?a#b"), "/repo");
        assert_eq!(path_of_url("weird"), "");
    }
}
