//! Browser local storage for small preferences. Failures (private mode, quota) are ignored.

use crate::core::recent::{parse_recent, push_recent};

const RECENT_KEY: &str = "aind-results-browser.recent-subjects";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn recent_subjects() -> Vec<String> {
    let text = storage().and_then(|s| s.get_item(RECENT_KEY).ok().flatten());
    parse_recent(text.as_deref())
}

pub fn remember_subject(id: &str) {
    let list = push_recent(&recent_subjects(), id);
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&list)) {
        let _ = s.set_item(RECENT_KEY, &text);
    }
}
