//! Reads `config.json` next to `index.html` at start-up.

use gloo_net::http::Request;

use crate::config::{parse_config, AppConfig};

/// The deployment's configuration and what was wrong with it. A missing file means defaults.
pub async fn load_config() -> (AppConfig, Vec<String>) {
    match Request::get("config.json").send().await {
        Ok(resp) if resp.status() == 404 => (AppConfig::default(), Vec::new()),
        Ok(resp) if resp.ok() => match resp.text().await {
            Ok(text) => parse_config(&text),
            Err(e) => (
                AppConfig::default(),
                vec![format!("config.json could not be read: {e}")],
            ),
        },
        Ok(resp) => (
            AppConfig::default(),
            vec![format!(
                "config.json answered HTTP {}; using defaults",
                resp.status()
            )],
        ),
        Err(e) => (
            AppConfig::default(),
            vec![format!(
                "config.json could not be loaded ({e}); using defaults"
            )],
        ),
    }
}
