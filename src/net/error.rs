//! What can go wrong talking to the API or S3, and the retry policy. Pure, tested on the host;
//! retry decisions look at the kind of error, never at its message.

use std::fmt;

/// Per-attempt timeout.
pub const TIMEOUT_MS: u32 = 30_000;
/// Attempts per request, the first included.
pub const MAX_ATTEMPTS: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchErrorKind {
    /// A non-2xx answer, with the start of its body.
    Http {
        status: u16,
        body: String,
    },
    Timeout,
    /// The request never got an answer (offline, DNS, refused, or blocked by CORS).
    Network(String),
    /// A 2xx answer with an empty body (the gateway produces these under load).
    EmptyBody,
    /// A 2xx answer whose body is not what was expected.
    BadBody(String),
    /// The request was refused before sending (e.g. a URL over the gateway's limit).
    Invalid(String),
    /// Stopped because the page moved on.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
    pub kind: FetchErrorKind,
    pub attempts: u32,
}

impl FetchErrorKind {
    /// 429, 500, 502, 503 and 504 are retried like the reference client; so are timeouts, network
    /// failures and empty 200 bodies, which the gateway produces under load.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchErrorKind::Http { status, .. } => matches!(status, 429 | 500 | 502 | 503 | 504),
            FetchErrorKind::Timeout | FetchErrorKind::Network(_) | FetchErrorKind::EmptyBody => {
                true
            }
            FetchErrorKind::BadBody(_) | FetchErrorKind::Invalid(_) | FetchErrorKind::Cancelled => {
                false
            }
        }
    }
}

/// "Name: message" of a thrown JS value (DOMException, Error, string).
pub fn describe_js(v: &wasm_bindgen::JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    let field = |k: &str| {
        js_sys::Reflect::get(v, &wasm_bindgen::JsValue::from_str(k))
            .ok()
            .and_then(|x| x.as_string())
    };
    match (field("name"), field("message")) {
        (Some(n), Some(m)) if !m.is_empty() => format!("{n}: {m}"),
        (Some(n), _) => n,
        (None, Some(m)) => m,
        (None, None) => "unknown error".to_owned(),
    }
}

/// Delay before attempt `attempt + 1` (attempt counts from 1): 0.5 s, 1 s, 2 s, ...; a server's
/// `Retry-After` of up to 10 s wins.
pub fn backoff_ms(attempt: u32, retry_after_secs: Option<u32>) -> u32 {
    if let Some(s) = retry_after_secs.filter(|s| *s <= 10) {
        return s * 1000;
    }
    500u32.saturating_mul(1 << attempt.saturating_sub(1).min(6))
}

/// The first `max` characters of a body on one line.
pub fn body_start(body: &str, max: usize) -> String {
    let flat: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat.to_string()
    }
}

impl fmt::Display for FetchErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchErrorKind::Http { status, body } if body.is_empty() => {
                write!(
                    f,
                    "the server answered HTTP {status} ({})",
                    status_text(*status)
                )
            }
            FetchErrorKind::Http { status, body } => write!(
                f,
                "the server answered HTTP {status} ({}): {body}",
                status_text(*status)
            ),
            FetchErrorKind::Timeout => write!(f, "no answer within {} s", TIMEOUT_MS / 1000),
            FetchErrorKind::Network(msg) => write!(
                f,
                "the server could not be reached ({msg}); it may be offline or refuse \
                 cross-origin requests"
            ),
            FetchErrorKind::EmptyBody => write!(f, "the response body was empty"),
            FetchErrorKind::BadBody(msg) => write!(f, "{msg}"),
            FetchErrorKind::Invalid(msg) => write!(f, "{msg}"),
            FetchErrorKind::Cancelled => write!(f, "cancelled"),
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

impl FetchError {
    /// An error about a request that was never sent (e.g. a URL over the gateway's limit).
    pub fn invalid(url: &str, msg: impl fmt::Display) -> FetchError {
        FetchError {
            url: url.chars().take(200).collect(),
            kind: FetchErrorKind::Invalid(msg.to_string()),
            attempts: 0,
        }
    }

    /// A 2xx answer that could not be used.
    pub fn bad_body(url: &str, msg: impl fmt::Display) -> FetchError {
        FetchError {
            url: url.to_string(),
            kind: FetchErrorKind::BadBody(msg.to_string()),
            attempts: 1,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.kind == FetchErrorKind::Cancelled
    }
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        403 => "forbidden",
        404 => "not found",
        413 => "response too large",
        429 => "too many requests",
        500 => "server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "unexpected status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_policy() {
        let http = |status| FetchErrorKind::Http {
            status,
            body: String::new(),
        };
        for s in [429, 500, 502, 503, 504] {
            assert!(http(s).is_retryable(), "{s}");
        }
        for s in [400, 401, 403, 404, 413, 501] {
            assert!(!http(s).is_retryable(), "{s}");
        }
        assert!(FetchErrorKind::Timeout.is_retryable());
        assert!(FetchErrorKind::EmptyBody.is_retryable());
        // Decisions never read message text: a body error that says "empty" is not retried.
        assert!(!FetchErrorKind::BadBody("empty list".into()).is_retryable());
        assert!(!FetchErrorKind::Cancelled.is_retryable());
        assert_eq!(
            (1..=4).map(|a| backoff_ms(a, None)).collect::<Vec<_>>(),
            [500, 1000, 2000, 4000]
        );
        assert_eq!(backoff_ms(1, Some(3)), 3000);
        assert_eq!(backoff_ms(1, Some(60)), 500);
        assert_eq!(backoff_ms(40, None), 32000);
    }

    #[test]
    fn messages_keep_status_and_body_start() {
        let e = FetchError {
            url: "u".into(),
            kind: FetchErrorKind::Http {
                status: 504,
                body: body_start("{\"message\": \"Endpoint request timed out\"}\n", 200),
            },
            attempts: 4,
        };
        assert_eq!(
            e.to_string(),
            "the server answered HTTP 504 (gateway timeout): {\"message\": \"Endpoint request timed out\"} (after 4 attempts)"
        );
        assert_eq!(body_start(&"x".repeat(300), 5), "xxxxx…");
    }
}
