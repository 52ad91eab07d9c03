//! The metadata API: paged `find` and the model-fitting loader that merges both formats.

use futures::future::try_join;
use serde_json::{json, Value};

use super::http::{get_text, Cancel};
use crate::core::config::AppConfig;
use crate::core::fetch_error::{FetchError, FetchErrorKind};
use crate::core::json::{parse_lenient, preview};
use crate::core::normalize::{merge, FitTable};
use crate::core::query::{
    find_url, form_encode, path_segment, projection, FindParams, FitQuery, Pipeline, API_VERSION,
    COLLECTION, DATABASE, MAX_URL_BYTES,
};

/// Records asked for per request; the gateway may return fewer (payload cap).
pub const PAGE_SIZE: u64 = 500;

/// Progress of a load, for the page to show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub pages: u32,
    pub records: usize,
}

/// Every record matching `filter`, page by page: `skip` advances by the records received and the
/// loop stops only on an empty page, so a gateway-truncated page loses nothing.
pub async fn find_all(
    cfg: &AppConfig,
    collection: &str,
    filter: &Value,
    projection: Option<&Value>,
    cancel: &Cancel,
    on_page: &dyn Fn(usize),
) -> Result<Vec<Value>, FetchError> {
    let mut records = Vec::new();
    loop {
        let params = FindParams {
            filter: filter.clone(),
            projection: projection.cloned(),
            sort: Some(json!({"_id": 1})),
            limit: PAGE_SIZE,
            skip: records.len() as u64,
        };
        let url = find_url(&cfg.api_base, DATABASE, collection, &params);
        if url.len() > MAX_URL_BYTES {
            return Err(FetchError {
                url: url.chars().take(200).collect(),
                kind: FetchErrorKind::Invalid(format!(
                    "the query is too long for the API ({} bytes; the limit is about {MAX_URL_BYTES})",
                    url.len()
                )),
                attempts: 0,
            });
        }
        let text = get_text(&url, cancel).await?;
        let page = match parse_lenient(&text) {
            Ok(Value::Array(page)) => page,
            Ok(other) => {
                return Err(bad_body(
                    &url,
                    format!("expected a list of records, got {}", preview(&other)),
                ))
            }
            Err(msg) => return Err(bad_body(&url, msg)),
        };
        if page.is_empty() {
            return Ok(records);
        }
        on_page(page.len());
        records.extend(page);
    }
}

fn bad_body(url: &str, msg: String) -> FetchError {
    FetchError {
        url: url.to_string(),
        kind: FetchErrorKind::BadBody(msg),
        attempts: 1,
    }
}

/// Loads the MLE fits of a query from both formats concurrently and merges them.
pub async fn load_fits(
    cfg: &AppConfig,
    query: &FitQuery,
    cancel: &Cancel,
    on_page: &dyn Fn(usize),
) -> Result<FitTable, FetchError> {
    let filter_of = |p| query.filter(p).map_err(invalid);
    let framework = vec![filter_of(Pipeline::Framework)?];
    let han = vec![filter_of(Pipeline::Han)?];
    load_merged(cfg, &framework, &han, cancel, on_page).await
}

pub fn invalid(e: impl std::fmt::Display) -> FetchError {
    FetchError {
        url: String::new(),
        kind: FetchErrorKind::Invalid(e.to_string()),
        attempts: 0,
    }
}

/// Every record of each format's filters (several when a long `$in` list was split into batches;
/// none when the format is not asked for), both formats concurrently, merged.
pub async fn load_merged(
    cfg: &AppConfig,
    framework: &[Value],
    han: &[Value],
    cancel: &Cancel,
    on_page: &dyn Fn(usize),
) -> Result<FitTable, FetchError> {
    let all_of = |pipeline: Pipeline, filters: &[Value]| {
        let filters = filters.to_vec();
        async move {
            let proj = projection(pipeline, true);
            let mut out = Vec::new();
            for f in &filters {
                out.extend(find_all(cfg, COLLECTION, f, Some(&proj), cancel, on_page).await?);
            }
            Ok::<_, FetchError>(out)
        }
    };
    let result = try_join(
        all_of(Pipeline::Framework, framework),
        all_of(Pipeline::Han, han),
    )
    .await;
    match result {
        Ok((framework, han)) => Ok(merge(&framework, &han)),
        Err(e) => {
            // The other format's requests are no longer wanted.
            cancel.cancel();
            Err(e)
        }
    }
}

/// `count_documents`: how many records match `filter` (for the "load everything" progress bar).
pub async fn count_matching(
    cfg: &AppConfig,
    filter: &Value,
    cancel: &Cancel,
) -> Result<u64, FetchError> {
    let url = format!(
        "{}/{API_VERSION}/{DATABASE}/{}/count_documents?{}",
        cfg.api_base.trim_end_matches('/'),
        path_segment(COLLECTION),
        form_encode(&[("filter", filter.to_string())])
    );
    let text = get_text(&url, cancel).await?;
    match parse_lenient(&text) {
        Ok(v) => v
            .get("filtered_record_count")
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                bad_body(
                    &url,
                    format!("expected a record count, got {}", preview(&v)),
                )
            }),
        Err(msg) => Err(bad_body(&url, msg)),
    }
}
