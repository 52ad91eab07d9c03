//! `/collection/:name`: any analysis collection as a table of its JSON documents, with columns
//! discovered from the documents themselves. `filter` (a MongoDB filter as JSON) narrows it;
//! the first 1,000 documents load unless `all=1` asks for every one.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use crate::components::embed::EmbedBackLink;
use crate::components::error::ErrorPanel;
use crate::components::progress::LoadingProgress;
use crate::components::share::{Format, ShareInfo, ShareTools};
use crate::config::ANALYSIS_DATABASE;
use crate::context::{use_config, use_embed, use_site_base};
use crate::hooks::current_load::CurrentLoad;
use crate::hooks::url_param::url_param;
use crate::mongo::filter::{parse_custom_filter, pretty};
use crate::mongo::paging::{Lost, PagingConfig, StreamPlan};
use crate::mongo::params::Collection;
use crate::net::client::{collect_all, Client, Progress, Unreadable};
use crate::net::error::FetchError;
use crate::net::s3::S3Path;
use crate::table::documents::{documents_spec, value_text};
use crate::table::model::{rows_at, Rows, TableModel};
use crate::table::view::{ColumnChooser, DataTable, Pager, ParamProblems, QuickFilter, RowCount};
use crate::table::{csv, TableSpec};

/// Documents loaded unless everything is asked for.
pub const FIRST_DOCUMENTS: u64 = 1000;

/// A loaded set of documents.
#[derive(Clone)]
struct Docs {
    docs: Rows<Value>,
    unreadable: Vec<Unreadable>,
    /// Documents the count promised that did not come, with the reason.
    lost: Vec<Lost>,
    count: Option<u64>,
    limited: bool,
}

#[component]
pub fn CollectionPage() -> impl IntoView {
    let embed = use_embed();
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let filter_param = url_param("filter", false);
    let all_param = url_param("all", false);
    let filter = Memo::new(move |_| match filter_param.get() {
        None => Ok(Value::Object(Default::default())),
        Some(text) => parse_custom_filter(&text).map(Value::Object),
    });
    let all = Memo::new(move |_| matches!(all_param.get().as_deref(), Some("1" | "true")));
    let config = use_config();
    let progress = RwSignal::new(Progress::default());
    let reload = RwSignal::new(0u32);
    let current = CurrentLoad::new(move || (name.get(), filter.get().ok(), all.get()));
    let docs = LocalResource::new(move || {
        let (name, filter, all) = (name.get(), filter.get(), all.get());
        reload.track();
        let cancel = current.start((name.clone(), filter.clone().ok(), all));
        progress.set(Progress::default());
        let api_base = config.api_base.clone();
        async move {
            let filter = filter.map_err(|e| FetchError::invalid("", format!("filter: {e}")))?;
            let client = Client::new(Collection::new(&api_base, ANALYSIS_DATABASE, &name), cancel);
            let limit = (!all).then_some(FIRST_DOCUMENTS);
            let plan = StreamPlan::new(filter, None, PagingConfig::default()).with_limit(limit);
            let (docs, unreadable, report) =
                collect_all(&client, &plan, &|p| progress.set(p)).await?;
            let limited = limit.is_some_and(|l| report.count.is_some_and(|c| c > l));
            Ok::<_, FetchError>(Docs {
                docs: Arc::new(docs.into_iter().map(Arc::new).collect()),
                unreadable,
                lost: report.lost,
                count: report.count,
                limited,
            })
        }
    });
    let retry = Callback::new(move |_| reload.update(|n| *n += 1));
    let base = use_site_base();
    view! {
        {(!embed).then(|| view! {
            <nav class="crumbs" aria-label="Breadcrumbs">
                <a href=base.href("/")>"Home"</a>
                <span aria-hidden="true">" / "</span>
                <span>{move || format!("Collection {}", name.get())}</span>
            </nav>
        })}
        <header class="subject-head">
            <h1>"Collection " <span data-testid="collection-name">{move || name.get()}</span></h1>
            {embed.then(|| view! { <EmbedBackLink /> })}
        </header>
        {move || filter_param.get().filter(|_| filter.with(Result::is_ok)).map(|_| view! {
            <section class="custom-shown" data-testid="custom-shown">
                <p><b>"Filtered by a custom MongoDB filter:"</b></p>
                <pre>{filter.with(|f| f.as_ref().ok().and_then(|v| v.as_object().map(pretty)).unwrap_or_default())}</pre>
            </section>
        })}
        <Suspense fallback=move || view! { <LoadingProgress what=format!("documents of {}", name.get_untracked()) progress /> }>
            {move || Suspend::new(async move {
                match docs.await {
                    Ok(d) => view! { <Documents docs=d all_param /> }.into_any(),
                    Err(e) if e.is_cancelled() => view! { <LoadingProgress what="documents" progress /> }.into_any(),
                    Err(error) => view! {
                        <ErrorPanel title="Could not load the documents" error on_retry=retry />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Documents(docs: Docs, all_param: crate::hooks::url_param::UrlParam) -> impl IntoView {
    let embed = use_embed();
    let n = docs.docs.len();
    if n == 0 && docs.unreadable.is_empty() && docs.lost.is_empty() {
        return view! {
            <section class="empty-state" data-testid="empty">
                <h2>"No documents"</h2>
                <p>"Nothing in this collection matches. Check the collection name and the filter."</p>
            </section>
        }
        .into_any();
    }
    let spec = Arc::new(documents_spec(&docs.docs));
    let csv_spec = spec.clone();
    let rows = docs.docs.clone();
    let model = TableModel::new(
        spec,
        Signal::derive(move || rows.clone()),
        Signal::derive(move || n),
    );
    let all_docs = docs.docs.clone();
    let share = ShareInfo {
        file_stem: "documents".into(),
        title: "AIND analysis documents".into(),
        python: None,
        export: Arc::new(move |format| {
            let rows = rows_at(&all_docs, &model.order.get_untracked());
            let text = match format {
                Format::Json => {
                    let docs: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
                    format!("[{}]", docs.join(","))
                }
                Format::Csv => documents_csv(&model, &csv_spec, &rows),
            };
            (text, rows.len())
        }),
    };
    let summary = match (docs.count, docs.limited) {
        (Some(c), true) => format!("The first {n} of {c} documents."),
        (Some(c), false) => format!("{c} document{}.", if c == 1 { "" } else { "s" }),
        (None, _) => format!("{n} documents (the total could not be counted)."),
    };
    let unreadable = docs.unreadable.clone();
    let lost = docs.lost.clone();
    let docs_for_details = docs.docs.clone();
    view! {
        <p class="counts" data-testid="document-counts">
            <span>{summary}</span>
            {docs.limited.then(|| view! {
                <button class="btn small" data-testid="load-all" on:click=move |_| all_param.set(Some("1".into()))>
                    "Load everything"
                </button>
            })}
        </p>
        {(!unreadable.is_empty() || !lost.is_empty()).then(|| view! {
            <div class="banner warn" role="alert" data-testid="lost-records">
                <p><b>"Some documents could not be loaded or read."</b>" The table shows everything else."</p>
                <ul>
                    {lost.into_iter().map(|l| view! {
                        <li>{match &l.id {
                            Some(id) => format!("{id}: {}", l.reason),
                            None => l.reason.to_string(),
                        }}</li>
                    }).collect_view()}
                    {unreadable.into_iter().map(|u| view! {
                        <li>{format!("{}: could not be read ({})", u.id.unwrap_or_else(|| format!("#{}", u.pos + 1)), u.reason)}</li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        <div
            class="results-view"
            class:embed=embed
            class:has-details=move || model.url.sel.get().is_some()
            data-state="complete"
        >
            <ParamProblems problems=model.problems />
            <div class="toolbar" role="toolbar" aria-label="Table tools">
                <QuickFilter model placeholder="Filter documents…" />
                <ColumnChooser model />
                <span class="toolbar-gap"></span>
                {(!embed).then(|| view! { <ShareTools share=share.clone() /> })}
            </div>
            <RowCount model />
            <DataTable model label="Documents" />
            <Pager model />
            {move || model.selected().and_then(|i| docs_for_details.get(i).cloned()).map(|doc| view! {
                <DocumentDetails doc on_close=Callback::new(move |_| model.url.sel.set(None)) />
            })}
        </div>
    }
    .into_any()
}

/// The shown columns of the filtered documents as CSV.
fn documents_csv(model: &TableModel, spec: &TableSpec<Value>, rows: &[Arc<Value>]) -> String {
    let cols = model.state.get_untracked().columns;
    let mut out = csv::line(cols.iter().cloned());
    for r in rows {
        let cells = cols
            .iter()
            .filter_map(|c| spec.column(c).map(|col| csv::inert(&(col.cell)(r))));
        out.push_str(&csv::line(cells));
    }
    out
}

/// One document in full, as indented JSON text, with its folder's figure when it has one.
#[component]
fn DocumentDetails(doc: Arc<Value>, on_close: Callback<()>) -> impl IntoView {
    let s3_base = use_config().s3_base;
    let id = doc.get("_id").map(value_text).unwrap_or_default();
    let text = match doc.as_ref() {
        Value::Object(m) => pretty(m),
        other => other.to_string(),
    };
    let figure = doc
        .get("location")
        .and_then(Value::as_str)
        .and_then(|loc| S3Path::parse(loc).ok())
        .and_then(|p| p.join("result.png").ok())
        .map(|p| p.to_https(s3_base.as_deref()));
    view! {
        <aside class="details" data-testid="details" aria-label="Selected document">
            <div class="details-head">
                <h2>{format!("Document {id}")}</h2>
                <button class="btn" on:click=move |_| on_close.run(()) aria-label="Close details">"Close"</button>
            </div>
            {figure.map(|src| view! {
                <figure class="doc-figure">
                    <img src=src alt="result.png of this document's folder" loading="lazy" />
                    <figcaption>"result.png"</figcaption>
                </figure>
            })}
            <pre class="doc-json" data-testid="document-json">{text}</pre>
        </aside>
    }
}
