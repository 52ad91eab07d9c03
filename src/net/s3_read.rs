//! Reading JSON objects of public S3 buckets from the browser: the first existing file of a
//! list of candidates in a folder, at most [`MAX_IN_FLIGHT`] requests at a time (the check that
//! a server answers included), and a read the browser refused (no CORS headers) told apart from
//! a missing file and from a failed network.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use serde_json::Value;

use super::error::FetchErrorKind;
use super::http::{get_text_with, Cancel};
use super::limiter::Limiter;
use super::s3::S3Path;

/// Files read at once (the reference reads with 10 threads).
pub const MAX_IN_FLIGHT: usize = 10;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The server answered, but the browser did not let the page read the answer: the bucket
    /// sends no CORS headers.
    Refused {
        url: String,
    },
    Network {
        url: String,
        message: String,
    },
    Http {
        url: String,
        status: u16,
    },
    /// The file is there but is not JSON (a truncated upload, say).
    NotJson {
        url: String,
        message: String,
    },
}

impl ReadError {
    pub fn url(&self) -> &str {
        match self {
            ReadError::Refused { url }
            | ReadError::Network { url, .. }
            | ReadError::Http { url, .. }
            | ReadError::NotJson { url, .. } => url,
        }
    }

    /// Whether trying again in this visit could help.
    pub fn is_transient(&self) -> bool {
        matches!(self, ReadError::Network { .. })
            || matches!(self, ReadError::Http { status, .. } if *status >= 500 || *status == 429)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Refused { .. } => write!(
                f,
                "the browser may not read it: the bucket does not allow reads from other sites (CORS)"
            ),
            ReadError::Network { message, .. } => write!(f, "the network failed ({message})"),
            ReadError::Http { status, .. } => write!(f, "S3 answered HTTP {status}"),
            ReadError::NotJson { message, .. } => write!(f, "it is not valid JSON ({message})"),
        }
    }
}

/// What one file turned out to be.
#[derive(Debug, Clone)]
enum File {
    Json(Value),
    Missing,
    Failed(ReadError),
}

thread_local! {
    /// Reads refused per origin in this visit: after two, its other files are not tried (until
    /// [`forget_refusals`]); one alone may have been a dropped connection.
    static REFUSED: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
    /// Whether an origin answers at all, asked once per origin.
    static PROBES: RefCell<HashMap<String, Shared<LocalBoxFuture<'static, bool>>>> =
        RefCell::new(HashMap::new());
    static LIMITER: Limiter = Limiter::new(MAX_IN_FLIGHT);
}

/// Tries the origins that refused reads again (the user asked to).
pub fn forget_refusals() {
    REFUSED.with(|r| r.borrow_mut().clear());
}

fn refusing(origin: &str) -> bool {
    REFUSED.with(|r| r.borrow().get(origin).is_some_and(|n| *n >= 2))
}

fn origin(url: &str) -> &str {
    let rest = url.find("://").map_or(0, |i| i + 3);
    url[rest..].find('/').map_or(url, |i| &url[..rest + i])
}

/// How long the check that a server answers may take.
const PROBE_MS: u32 = 10_000;

/// Whether the server of `origin` answers at all: a `no-cors` HEAD of its root succeeds (with
/// an opaque answer) when it does, whatever CORS headers it sends. Asked once per origin, in
/// one of the limiter's slots, never of a file itself (no file is fetched twice).
async fn reachable(origin: &str, limiter: &Limiter) -> bool {
    let probe = PROBES.with(|p| {
        p.borrow_mut()
            .entry(origin.to_string())
            .or_insert_with(|| {
                let (root, limiter) = (format!("{origin}/"), limiter.clone());
                async move {
                    let _slot = limiter.acquire().await;
                    let Ok(controller) = web_sys::AbortController::new() else {
                        return false;
                    };
                    let _timer = gloo_timers::callback::Timeout::new(PROBE_MS, {
                        let c = controller.clone();
                        move || c.abort()
                    });
                    gloo_net::http::RequestBuilder::new(&root)
                        .method(gloo_net::http::Method::HEAD)
                        .mode(web_sys::RequestMode::NoCors)
                        .abort_signal(Some(&controller.signal()))
                        .send()
                        .await
                        .is_ok()
                }
                .boxed_local()
                .shared()
            })
            .clone()
    });
    let up = probe.await;
    if !up {
        // Perhaps only offline for a moment: ask again next time.
        PROBES.with(|p| p.borrow_mut().remove(origin));
    }
    up
}

/// One file, fetched once (a server error is retried). When the network fails while the server
/// answers a `no-cors` request, the browser refused the read (no CORS headers).
async fn file(url: String) -> File {
    if refusing(origin(&url)) {
        return File::Failed(ReadError::Refused { url });
    }
    let limiter = LIMITER.with(Clone::clone);
    match get_text_with(&url, &Cancel::new(), Some(&limiter), 1).await {
        Ok(text) => match crate::mongo::json::parse_lenient(&text) {
            Ok(v) => File::Json(v),
            Err(message) => File::Failed(ReadError::NotJson { url, message }),
        },
        Err(e) => match e.kind {
            // A missing key: S3 says 403 when the bucket may not be listed, 404 when it may.
            FetchErrorKind::Http {
                status: 403 | 404, ..
            } => File::Missing,
            FetchErrorKind::Http { status, .. } => File::Failed(ReadError::Http { url, status }),
            FetchErrorKind::Network(message) => {
                if reachable(origin(&url), &limiter).await {
                    REFUSED.with(|r| {
                        *r.borrow_mut().entry(origin(&url).to_string()).or_default() += 1
                    });
                    File::Failed(ReadError::Refused { url })
                } else {
                    File::Failed(ReadError::Network { url, message })
                }
            }
            other => File::Failed(ReadError::Network {
                url,
                message: FetchErrorKind::to_string(&other),
            }),
        },
    }
}

/// The first of `names` that exists in `folder`.
#[derive(Debug, Clone)]
pub enum FirstOf {
    Found {
        name: &'static str,
        url: String,
        json: Value,
    },
    /// None of them exists.
    Missing {
        urls: Vec<String>,
    },
    Failed(ReadError),
}

/// Tries `names` in order in `folder` (the reference's order of result files). Nothing is
/// remembered here: a caller that must not fetch a folder twice keeps what it made of it.
pub async fn first_of(folder: &S3Path, names: &[&'static str], s3_base: Option<&str>) -> FirstOf {
    let mut urls = Vec::new();
    for &name in names {
        let url = match folder.join(name) {
            Ok(p) => p.to_https(s3_base),
            Err(_) => continue,
        };
        urls.push(url.clone());
        match file(url.clone()).await {
            File::Json(json) => return FirstOf::Found { name, url, json },
            File::Missing => {}
            File::Failed(e) => return FirstOf::Failed(e),
        }
    }
    FirstOf::Missing { urls }
}

/// The URLs of `names` in `folder`, for links when they cannot be read.
pub fn urls(folder: &S3Path, names: &[&'static str], s3_base: Option<&str>) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| folder.join(n).ok())
        .map(|p| p.to_https(s3_base))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://b.s3.amazonaws.com/k/x.json"),
            "https://b.s3.amazonaws.com"
        );
        assert_eq!(origin("http://127.0.0.1:9/s3/b/k"), "http://127.0.0.1:9");
        assert_eq!(origin("https://host"), "https://host");
    }

    #[test]
    fn only_network_and_server_errors_are_retried() {
        let u = || "u".to_string();
        assert!(ReadError::Network {
            url: u(),
            message: "x".into()
        }
        .is_transient());
        assert!(ReadError::Http {
            url: u(),
            status: 503
        }
        .is_transient());
        assert!(!ReadError::Http {
            url: u(),
            status: 400
        }
        .is_transient());
        assert!(!ReadError::Refused { url: u() }.is_transient());
        assert!(!ReadError::NotJson {
            url: u(),
            message: "x".into()
        }
        .is_transient());
    }
}
