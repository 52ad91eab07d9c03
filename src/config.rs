//! The deployment's `config.json`, read at start-up. No URL parameter can change it.

use serde_json::Value;

use crate::net::s3::validate_base_url;

pub const DEFAULT_API_BASE: &str = "https://api.allenneuraldynamics.org";
/// The database of analysis results behind the API (one collection per analysis project).
pub const ANALYSIS_DATABASE: &str = "analysis";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// Origin (and optional path) of the metadata API.
    pub api_base: String,
    /// When set, S3 objects are served as `<s3_base>/<bucket>/<key>`.
    pub s3_base: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            api_base: DEFAULT_API_BASE.to_string(),
            s3_base: None,
        }
    }
}

/// Reads `config.json`. Problems become warnings and fall back to defaults, never a failure.
pub fn parse_config(text: &str) -> (AppConfig, Vec<String>) {
    let mut cfg = AppConfig::default();
    let mut warnings = Vec::new();
    let obj = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            warnings.push("config.json is not a JSON object; using defaults".into());
            return (cfg, warnings);
        }
        Err(e) => {
            warnings.push(format!(
                "config.json is not valid JSON ({e}); using defaults"
            ));
            return (cfg, warnings);
        }
    };
    for (key, value) in &obj {
        match (key.as_str(), value) {
            ("api_base", Value::String(s)) => match validate_base_url(s) {
                Ok(url) => cfg.api_base = url,
                Err(e) => warnings.push(format!("config.json api_base: {e}; using the default")),
            },
            ("s3_base", Value::Null) => {}
            ("s3_base", Value::String(s)) if s.trim().is_empty() => {}
            ("s3_base", Value::String(s)) => match validate_base_url(s) {
                Ok(url) => cfg.s3_base = Some(url),
                Err(e) => warnings.push(format!("config.json s3_base: {e}; ignored")),
            },
            ("api_base" | "s3_base", _) => {
                warnings.push(format!("config.json {key} must be text; ignored"))
            }
            (k, _) if k.starts_with('_') => {}
            _ => warnings.push(format!("config.json has an unknown key {key:?}; ignored")),
        }
    }
    (cfg, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_table() {
        type Want<'a> = Option<(&'a str, Option<&'a str>)>;
        let cases: &[(&str, Want, usize)] = &[
            ("{}", Some((DEFAULT_API_BASE, None)), 0),
            (
                r#"{"api_base": "http://127.0.0.1:8765/", "s3_base": "http://127.0.0.1:8765/s3"}"#,
                Some(("http://127.0.0.1:8765", Some("http://127.0.0.1:8765/s3"))),
                0,
            ),
            (
                r#"{"s3_base": null, "_comment": "x"}"#,
                Some((DEFAULT_API_BASE, None)),
                0,
            ),
            (
                r#"{"api_base": "javascript:alert(1)"}"#,
                Some((DEFAULT_API_BASE, None)),
                1,
            ),
            (
                r#"{"api_base": 5, "extra": 1}"#,
                Some((DEFAULT_API_BASE, None)),
                2,
            ),
            ("[]", None, 1),
            ("{", None, 1),
        ];
        for (text, want, n_warn) in cases {
            let (cfg, warnings) = parse_config(text);
            assert_eq!(warnings.len(), *n_warn, "{text}: {warnings:?}");
            let (api, s3) = want.unwrap_or((DEFAULT_API_BASE, None));
            assert_eq!(cfg.api_base, api, "{text}");
            assert_eq!(cfg.s3_base.as_deref(), s3, "{text}");
        }
    }
}
