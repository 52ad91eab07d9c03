//! S3 locations: parsing `s3://bucket/key` strictly and building browser URLs from known hosts only.

use std::fmt;

/// Root folder of the model-fitting results; Han's pipeline records live at `<root>/<_id>`.
pub const ANALYSIS_ROOT: &str = "s3://aind-dynamic-foraging-analysis-prod-o5171v";
/// The main figure inside a record's folder.
pub const FIGURE_NAME: &str = "fitted_session.png";

/// A validated S3 object or folder address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Path {
    pub bucket: String,
    /// The key without a leading slash; may be empty (bucket root) or end in `/` (folder).
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Error {
    NotS3(String),
    BadBucket(String),
    BadKey(String),
}

impl fmt::Display for S3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            S3Error::NotS3(s) => write!(f, "not an s3:// address: {s}"),
            S3Error::BadBucket(b) => write!(f, "not a valid S3 bucket name: {b}"),
            S3Error::BadKey(k) => write!(f, "not a safe S3 key: {k}"),
        }
    }
}

impl S3Path {
    /// Parses `s3://bucket[/key]`. Rejects anything that is not a well-formed bucket and key:
    /// other schemes, credentials, ports, query strings, `.`/`..` or empty path segments, control
    /// characters and backslashes.
    pub fn parse(s: &str) -> Result<S3Path, S3Error> {
        let rest = s
            .strip_prefix("s3://")
            .ok_or_else(|| S3Error::NotS3(shorten(s)))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        validate_bucket(bucket)?;
        validate_key(key)?;
        Ok(S3Path {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }

    /// The object `name` inside this folder.
    pub fn join(&self, name: &str) -> Result<S3Path, S3Error> {
        let key = if self.key.is_empty() || self.key.ends_with('/') {
            format!("{}{}", self.key, name)
        } else {
            format!("{}/{}", self.key, name)
        };
        validate_key(&key)?;
        Ok(S3Path {
            bucket: self.bucket.clone(),
            key,
        })
    }

    /// The browser URL: `<s3_base>/<bucket>/<key>` when a mirror is configured, otherwise the
    /// public virtual-hosted URL (path-style for bucket names with dots, which break TLS).
    pub fn to_https(&self, s3_base: Option<&str>) -> String {
        let key = encode_key(&self.key);
        match s3_base {
            Some(base) => format!("{}/{}/{}", base.trim_end_matches('/'), self.bucket, key),
            None if self.bucket.contains('.') => {
                format!("https://s3.amazonaws.com/{}/{}", self.bucket, key)
            }
            None => format!("https://{}.s3.amazonaws.com/{}", self.bucket, key),
        }
    }

    pub fn to_s3_url(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.key)
    }
}

impl fmt::Display for S3Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push_str("...");
    }
    out
}

/// AWS bucket naming rules: 3-63 characters of lowercase letters, digits, `.` and `-`, starting
/// and ending with a letter or digit, no `..`, not shaped like an IP address.
fn validate_bucket(b: &str) -> Result<(), S3Error> {
    let bad = || S3Error::BadBucket(shorten(b));
    if !(3..=63).contains(&b.len()) {
        return Err(bad());
    }
    if !b
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
    {
        return Err(bad());
    }
    let first = b.as_bytes()[0];
    let last = b.as_bytes()[b.len() - 1];
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return Err(bad());
    }
    if b.contains("..") || b.contains(".-") || b.contains("-.") {
        return Err(bad());
    }
    if b.split('.').count() == 4 && b.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Err(bad());
    }
    Ok(())
}

fn validate_key(k: &str) -> Result<(), S3Error> {
    let bad = || S3Error::BadKey(shorten(k));
    if k.len() > 1024 {
        return Err(bad());
    }
    if k.chars().any(|c| c.is_control() || c == '\\') {
        return Err(bad());
    }
    if k.is_empty() {
        return Ok(());
    }
    let body = k.strip_suffix('/').unwrap_or(k);
    if body
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(bad());
    }
    Ok(())
}

/// Percent-encodes each key segment (RFC 3986 unreserved characters stay), keeping `/`.
fn encode_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The browser URL of a record's `fitted_session.png`, from its `S3_location`.
pub fn figure_url(s3_location: &str, s3_base: Option<&str>) -> Result<String, S3Error> {
    Ok(S3Path::parse(s3_location)?
        .join(FIGURE_NAME)?
        .to_https(s3_base))
}

/// Checks a configured mirror base: an absolute http(s) URL with a host, no query, fragment or
/// credentials. Returns it without a trailing slash.
pub fn validate_base_url(s: &str) -> Result<String, String> {
    let t = s.trim();
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .ok_or_else(|| format!("{t:?} must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Err(format!("{t:?} has no valid host"));
    }
    if t.contains(['?', '#', ' ', '"', '<', '>', '\\']) || t.chars().any(char::is_control) {
        return Err(format!(
            "{t:?} must be a plain URL without query or fragment"
        ));
    }
    Ok(t.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let ok = [
            ("s3://my-bucket/a/b.png", "my-bucket", "a/b.png"),
            ("s3://my-bucket", "my-bucket", ""),
            ("s3://my-bucket/", "my-bucket", ""),
            ("s3://my-bucket/folder/", "my-bucket", "folder/"),
            ("s3://b.with.dots/x", "b.with.dots", "x"),
            ("s3://abc/with space/ü.png", "abc", "with space/ü.png"),
        ];
        for (input, bucket, key) in ok {
            let p = S3Path::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(
                (p.bucket.as_str(), p.key.as_str()),
                (bucket, key),
                "{input}"
            );
        }
        let bad = [
            "https://bucket/x",
            "S3://bucket/x",
            "s3://",
            "s3://ab/x",
            "s3://UPPER/x",
            "s3://-bucket/x",
            "s3://bucket-/x",
            "s3://a..b/x",
            "s3://192.168.1.1/x",
            "s3://user@bucket/x",
            "s3://bucket:443/x",
            "s3://bucket?x=1",
            "s3://bucket/a/../../v1/x",
            "s3://bucket/./x",
            "s3://bucket/a//b",
            "s3://bucket/a\\b",
            "s3://bucket/a\nb",
            "javascript:alert(1)",
            "",
        ];
        for input in bad {
            assert!(S3Path::parse(input).is_err(), "{input} should be rejected");
        }
    }

    #[test]
    fn urls() {
        let root = format!("{ANALYSIS_ROOT}/abc123");
        assert_eq!(
            figure_url(&root, None).unwrap(),
            "https://aind-dynamic-foraging-analysis-prod-o5171v.s3.amazonaws.com/abc123/fitted_session.png"
        );
        assert_eq!(
            figure_url(&format!("{root}/"), Some("http://127.0.0.1:9000/s3/")).unwrap(),
            "http://127.0.0.1:9000/s3/aind-dynamic-foraging-analysis-prod-o5171v/abc123/fitted_session.png"
        );
        assert_eq!(
            S3Path::parse("s3://b.c.d/a b/#?%.png")
                .unwrap()
                .to_https(None),
            "https://s3.amazonaws.com/b.c.d/a%20b/%23%3F%25.png"
        );
        assert!(figure_url("s3://bucket/../x", None).is_err());
        assert!(figure_url("not a url", None).is_err());
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            validate_base_url("https://mirror.example.org/s3/").unwrap(),
            "https://mirror.example.org/s3"
        );
        assert_eq!(
            validate_base_url("http://127.0.0.1:8000").unwrap(),
            "http://127.0.0.1:8000"
        );
        for bad in [
            "ftp://x",
            "javascript:alert(1)",
            "https://",
            "https://a@b/",
            "https://x/?q",
            "https://x/#f",
            "//x",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad}");
        }
    }
}
