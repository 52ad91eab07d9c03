//! The share tools above a table: copy link, embed snippet, CSV and JSON downloads of the rows
//! the filter lets through, and (for the fits) the "Reproduce in Python" snippet.

use std::sync::Arc;

use leptos::prelude::*;

use crate::browser;
use crate::components::embed::embed_view_href;
use crate::context::use_site_base;

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// What the share tools need to know about the view.
#[derive(Clone)]
pub struct ShareInfo {
    /// File name stem for downloads (`fits-subject-730945`).
    pub file_stem: String,
    /// The iframe's title in the embed snippet.
    pub title: String,
    /// Paste-ready Python that reproduces the query, when there is a reference library for it.
    pub python: Option<String>,
    /// The file text of the current rows in a format, and how many rows it holds.
    pub export: Arc<dyn Fn(Format) -> (String, usize) + Send + Sync>,
}

/// Copy link, embed snippet, downloads and the Python snippet.
#[component]
pub fn ShareTools(share: ShareInfo) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let panel = RwSignal::new(None::<&'static str>); // "embed" | "python" | "link"
    let base = use_site_base();
    let copy = move |text: String, what: &'static str| {
        leptos::task::spawn_local(async move {
            let ok = browser::copy_text(&text).await;
            status.set(Some(if ok {
                format!("Copied the {what}.")
            } else {
                if what == "link" {
                    panel.set(Some("link"));
                }
                format!("Copy the {what} below (the browser did not allow copying).")
            }));
        });
    };
    let title = share.title.clone();
    let embed_snippet = move || {
        let src = embed_view_href(
            &browser::current_href(),
            &browser::current_origin(),
            &base.0,
        );
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"600\" \
             style=\"border:0\" loading=\"lazy\"></iframe>",
            html_attr(&src),
            html_attr(&title)
        )
    };
    let stem = share.file_stem.clone();
    let export = share.export.clone();
    let download = Callback::new(move |kind: Format| {
        let (text, rows) = export(kind);
        let (mime, ext) = match kind {
            Format::Csv => ("text/csv;charset=utf-8", "csv"),
            Format::Json => ("application/json", "json"),
        };
        let name = format!("{stem}.{ext}");
        status.set(Some(match browser::download(&name, mime, &text) {
            Ok(()) => format!("Downloaded {name} ({rows} rows)"),
            Err(e) => format!("Download failed: {e}"),
        }));
    });
    let python = share.python.clone().unwrap_or_default();
    let has_python = share.python.is_some();
    let toggle = move |which: &'static str| {
        panel.update(|p| *p = if *p == Some(which) { None } else { Some(which) })
    };
    view! {
        <div class="share">
            <button
                class="btn"
                data-testid="copy-link"
                on:click=move |_| copy(browser::current_href(), "link")
            >
                "Copy link"
            </button>
            <button class="btn" data-testid="embed-button" on:click=move |_| toggle("embed")>
                "Embed"
            </button>
            <button class="btn" data-testid="download-csv" on:click=move |_| download.run(Format::Csv)>
                "CSV"
            </button>
            <button class="btn" data-testid="download-json" on:click=move |_| download.run(Format::Json)>
                "JSON"
            </button>
            {has_python.then(|| view! {
                <button class="btn" data-testid="python-button" on:click=move |_| toggle("python")>
                    "Python"
                </button>
            })}
        </div>
        {move || status.get().map(|s| view! { <p class="share-status" role="status" data-testid="share-status">{s}</p> })}
        {move || {
            let python = python.clone();
            match panel.get() {
                Some("embed") => {
                    let snippet = embed_snippet();
                    let text = snippet.clone();
                    Some(view! {
                        <SnippetPanel
                            title="Embed this view in a wiki page"
                            hint="Paste this HTML into the page. The frame reports its height; see the README for the two-line script that sizes it."
                            testid="embed-snippet"
                            text=snippet
                            on_copy=Callback::new(move |_| copy(text.clone(), "embed snippet"))
                        />
                    }.into_any())
                }
                Some("python") => {
                    let text = python.clone();
                    Some(view! {
                        <SnippetPanel
                            title="Reproduce in Python"
                            hint="Runs the same query with aind-analysis-arch-result-access (pip install aind-analysis-arch-result-access)."
                            testid="python-snippet"
                            text=python
                            on_copy=Callback::new(move |_| copy(text.clone(), "Python snippet"))
                        />
                    }.into_any())
                }
                Some(_) => {
                    let href = browser::current_href();
                    Some(view! {
                        <div class="snippet">
                            <input class="link-text" readonly prop:value=href aria-label="Link to this view" />
                        </div>
                    }.into_any())
                }
                None => None,
            }
        }}
    }
}

#[component]
fn SnippetPanel(
    title: &'static str,
    hint: &'static str,
    testid: &'static str,
    text: String,
    on_copy: Callback<()>,
) -> impl IntoView {
    let rows = text.lines().count().clamp(2, 18);
    view! {
        <section class="snippet" aria-label=title>
            <div class="snippet-head">
                <b>{title}</b>
                <button class="btn" on:click=move |_| on_copy.run(())>"Copy"</button>
            </div>
            <p class="menu-hint">{hint}</p>
            <textarea readonly rows=rows data-testid=testid spellcheck="false">{text}</textarea>
        </section>
    }
}

/// Escapes text for a double-quoted HTML attribute in a snippet the user pastes elsewhere.
fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
