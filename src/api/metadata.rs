//! The metadata API: paged `find` and the model-fitting loader that merges both formats.

use futures::future::try_join;
use serde_json::{json, Value};

use super::http::{get_text, Cancel};
use crate::core::config::AppConfig;
use crate::core::fetch_error::{FetchError, FetchErrorKind};
use crate::core::json::{parse_lenient, preview};
use crate::core::normalize::{merge, FitTable};
use crate::core::query::{
    find_url, projection, FindParams, FitQuery, Pipeline, COLLECTION, DATABASE, MAX_URL_BYTES,
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
    let filter_of = |p| {
        query.filter(p).map_err(|e| FetchError {
            url: String::new(),
            kind: FetchErrorKind::Invalid(e.to_string()),
            attempts: 0,
        })
    };
    let (fw_filter, han_filter) = (filter_of(Pipeline::Framework)?, filter_of(Pipeline::Han)?);
    let (fw_proj, han_proj) = (
        projection(Pipeline::Framework, true),
        projection(Pipeline::Han, true),
    );
    let result = try_join(
        find_all(cfg, COLLECTION, &fw_filter, Some(&fw_proj), cancel, on_page),
        find_all(
            cfg,
            COLLECTION,
            &han_filter,
            Some(&han_proj),
            cancel,
            on_page,
        ),
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
