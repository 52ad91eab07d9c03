//! Pieces of the embedded (`/embed/...`) views: the link back to the full view, and the height
//! reports to the page that holds the iframe.

use leptos::prelude::*;

use crate::browser;

/// A small link from an embedded view to the same view (same parameters) on the full site.
#[component]
pub fn EmbedBackLink() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let base = crate::context::use_site_base();
    let href = move || {
        location.search.track();
        location.pathname.track();
        full_view_href(
            &browser::current_href(),
            &browser::current_origin(),
            &base.0,
        )
    };
    view! {
        <a class="embed-back" href=href target="_blank" rel="noopener" data-testid="embed-back">
            "Open in AIND Results Browser ↗"
        </a>
    }
}

/// Marks the document as an embedded view (compact styles) and starts reporting the content
/// height to the parent window when inside an iframe.
pub fn enter_embed_mode() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.class_list().add_1("embedded");
    }
    if let Some(observer) = browser::report_height_to_parent() {
        // Lives as long as the page: the observer is needed until the frame goes away.
        std::mem::forget(observer);
    }
}

/// `https://h/base/embed/subject/1?x` -> `https://h/base/subject/1?x`.
pub fn full_view_href(href: &str, origin: &str, base: &str) -> String {
    let embed_root = format!("{origin}{base}/embed/");
    match href.strip_prefix(&embed_root) {
        Some(rest) => format!("{origin}{base}/{rest}"),
        None => href.to_string(),
    }
}

/// `https://h/base/subject/1?x` -> `https://h/base/embed/subject/1?x` (the inverse of
/// [`full_view_href`]); an address outside the site gives the embedded start page.
pub fn embed_view_href(href: &str, origin: &str, base: &str) -> String {
    let site = format!("{origin}{base}");
    let rest = href
        .strip_prefix(&site)
        .filter(|r| r.starts_with('/'))
        .unwrap_or("/");
    format!("{site}/embed{rest}")
}

#[cfg(test)]
mod tests {
    use super::{embed_view_href, full_view_href};

    #[test]
    fn embed_links_and_back_links_are_inverse() {
        for (href, origin, base) in [
            ("http://h:1/subject/7?sort=AIC", "http://h:1", ""),
            (
                "https://o.io/repo/search?subject=1&q=a",
                "https://o.io",
                "/repo",
            ),
        ] {
            let embed = embed_view_href(href, origin, base);
            assert!(embed.contains("/embed/"), "{embed}");
            assert_eq!(full_view_href(&embed, origin, base), href);
        }
        assert_eq!(
            embed_view_href("https://x.io/other", "https://o.io", "/repo"),
            "https://o.io/repo/embed/"
        );
    }

    #[test]
    fn back_links_drop_the_embed_segment_only() {
        let cases = [
            (
                "http://h:1/embed/subject/7?sort=AIC",
                "http://h:1",
                "",
                "http://h:1/subject/7?sort=AIC",
            ),
            (
                "https://o.io/repo/embed/search?subject=1",
                "https://o.io",
                "/repo",
                "https://o.io/repo/search?subject=1",
            ),
            (
                "https://o.io/repo/subject/embed/x",
                "https://o.io",
                "/repo",
                "https://o.io/repo/subject/embed/x",
            ),
        ];
        for (href, origin, base, want) in cases {
            assert_eq!(full_view_href(href, origin, base), want);
        }
    }
}
