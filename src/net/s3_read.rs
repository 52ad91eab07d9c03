//! Reading JSON objects of public S3 buckets from the browser: the first existing file of a
//! list of candidates in a folder, at most [`MAX_IN_FLIGHT`] requests at a time, each file
//! fetched at most once per visit, and a read the browser refused (no CORS headers) told apart
//! from a missing file and from a failed network.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

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
    fn is_transient(&self) -> bool {
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
    Json(Rc<Value>),
    Missing,
    Failed(ReadError),
}

type Pending = Shared<LocalBoxFuture<'static, File>>;

thread_local! {
    /// Every file asked for in this visit, by URL: asked again, it is not fetched again.
    static FILES: RefCell<HashMap<String, Pending>> = RefCell::new(HashMap::new());
    /// Origins that refused a read: the rest of their files are not tried.
    static REFUSING: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    /// Whether an origin answers at all, asked once per origin.
    static PROBES: RefCell<HashMap<String, Shared<LocalBoxFuture<'static, bool>>>> =
        RefCell::new(HashMap::new());
    static LIMITER: Limiter = Limiter::new(MAX_IN_FLIGHT);
}

fn origin(url: &str) -> &str {
    let rest = url.find("://").map_or(0, |i| i + 3);
    url[rest..].find('/').map_or(url, |i| &url[..rest + i])
}

/// Whether the server of `origin` can be reached at all: a `no-cors` request of its root
/// succeeds (with an opaque answer) when it can, whatever CORS headers it sends. Asked once
/// per origin, and never of the file itself (no file is fetched twice).
async fn reachable(origin: &str) -> bool {
    let probe = PROBES.with(|p| {
        p.borrow_mut()
            .entry(origin.to_string())
            .or_insert_with(|| {
                let root = format!("{origin}/");
                async move {
                    gloo_net::http::Request::get(&root)
                        .mode(web_sys::RequestMode::NoCors)
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

async fn fetch(url: String) -> File {
    if REFUSING.with(|r| r.borrow().contains(origin(&url))) {
        return File::Failed(ReadError::Refused { url });
    }
    let limiter = LIMITER.with(Clone::clone);
    match get_text_with(&url, &Cancel::new(), Some(&limiter), false).await {
        Ok(text) => match crate::mongo::json::parse_lenient(&text) {
            Ok(v) => File::Json(Rc::new(v)),
            Err(message) => File::Failed(ReadError::NotJson { url, message }),
        },
        // A missing key: S3 says 403 when the bucket may not be listed, 404 when it may.
        Err(e)
            if matches!(
                e.kind,
                FetchErrorKind::Http {
                    status: 403 | 404,
                    ..
                }
            ) =>
        {
            File::Missing
        }
        Err(e) => match e.kind {
            FetchErrorKind::Http { status, .. } => File::Failed(ReadError::Http { url, status }),
            FetchErrorKind::Network(message) => {
                if reachable(origin(&url)).await {
                    REFUSING.with(|r| r.borrow_mut().insert(origin(&url).to_string()));
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

/// One file, fetched once per visit (a transient failure is forgotten, so that it can be tried
/// again).
async fn file(url: &str) -> File {
    let pending = FILES.with(|f| {
        f.borrow_mut()
            .entry(url.to_string())
            .or_insert_with(|| fetch(url.to_string()).boxed_local().shared())
            .clone()
    });
    let out = pending.await;
    if matches!(&out, File::Failed(e) if e.is_transient()) {
        FILES.with(|f| f.borrow_mut().remove(url));
    }
    out
}

/// The first of `names` that exists in `folder`.
#[derive(Debug, Clone)]
pub enum FirstOf {
    Found {
        name: &'static str,
        url: String,
        json: Rc<Value>,
    },
    /// None of them exists.
    Missing {
        urls: Vec<String>,
    },
    Failed(ReadError),
}

/// Tries `names` in order in `folder` (the reference's order of result files), each file once
/// per visit.
pub async fn first_of(folder: &S3Path, names: &[&'static str], s3_base: Option<&str>) -> FirstOf {
    let mut urls = Vec::new();
    for &name in names {
        let url = match folder.join(name) {
            Ok(p) => p.to_https(s3_base),
            Err(_) => continue,
        };
        urls.push(url.clone());
        match file(&url).await {
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
