//! Small preferences kept in the browser's local storage (the recently visited subjects).
//! Storage failures (private mode, quota, blocked storage) are ignored: preferences are a nicety.

const RECENT_KEY: &str = "aind-results-browser.recent-subjects";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The recently visited subjects, newest first.
pub fn recent_subjects() -> Vec<String> {
    let text = storage().and_then(|s| s.get_item(RECENT_KEY).ok().flatten());
    parse_recent(text.as_deref())
}

/// Puts `id` first in the recently visited subjects.
pub fn remember_subject(id: &str) {
    let list = push_recent(&recent_subjects(), id);
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&list)) {
        let _ = s.set_item(RECENT_KEY, &text);
    }
}

/// The colour scheme people chose: the system's, or always light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemePref {
    Auto,
    Light,
    Dark,
}

impl SchemePref {
    pub const ALL: [SchemePref; 3] = [SchemePref::Auto, SchemePref::Light, SchemePref::Dark];

    pub fn key(self) -> &'static str {
        match self {
            SchemePref::Auto => "auto",
            SchemePref::Light => "light",
            SchemePref::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SchemePref::Auto => "System",
            SchemePref::Light => "Light",
            SchemePref::Dark => "Dark",
        }
    }

    pub fn from_key(key: &str) -> SchemePref {
        SchemePref::ALL
            .into_iter()
            .find(|p| p.key() == key)
            .unwrap_or(SchemePref::Auto)
    }
}

const SCHEME_KEY: &str = "aind-results-browser.color-scheme";

pub fn scheme_pref() -> SchemePref {
    let text = storage().and_then(|s| s.get_item(SCHEME_KEY).ok().flatten());
    SchemePref::from_key(text.as_deref().unwrap_or(""))
}

pub fn set_scheme_pref(p: SchemePref) {
    if let Some(s) = storage() {
        let _ = s.set_item(SCHEME_KEY, p.key());
    }
}

/// How many subjects the home page remembers.
pub const MAX_RECENT: usize = 8;

/// Puts `id` first, without duplicates or blanks, keeping at most [`MAX_RECENT`].
pub fn push_recent(list: &[String], id: &str) -> Vec<String> {
    let id = id.trim();
    let mut out = Vec::with_capacity(MAX_RECENT);
    if !id.is_empty() {
        out.push(id.to_string());
    }
    out.extend(
        list.iter()
            .filter(|s| s.as_str() != id && !s.trim().is_empty())
            .cloned(),
    );
    out.truncate(MAX_RECENT);
    out
}

/// Reads the stored list; anything unreadable is an empty list.
pub fn parse_recent(text: Option<&str>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str::<Vec<String>>(t).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .take(MAX_RECENT)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_list() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(push_recent(&[], "1"), l(&["1"]));
        assert_eq!(push_recent(&l(&["1", "2"]), "2"), l(&["2", "1"]));
        assert_eq!(push_recent(&l(&["1"]), "  "), l(&["1"]));
        let many: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        assert_eq!(push_recent(&many, "x").len(), MAX_RECENT);
        assert_eq!(parse_recent(Some("not json")), Vec::<String>::new());
        assert_eq!(parse_recent(Some(r#"["a", "", "b"]"#)), l(&["a", "b"]));
        assert_eq!(parse_recent(None), Vec::<String>::new());
    }
}
