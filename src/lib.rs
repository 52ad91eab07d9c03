//! AIND Results Browser: a static Leptos app for AIND analysis results.
//!
//! Data flows one way: URL -> view state -> query -> client -> records -> rows -> table.
//! `mongo` and `net` know no dataset; `datasets` know no pages; nothing imports `app`.
pub mod app;
pub mod browser;
pub mod charts;
pub mod components;
pub mod config;
pub mod context;
pub mod datasets;
pub mod explore;
pub mod hash;
pub mod hooks;
pub mod mongo;
pub mod net;
pub mod pages;
pub mod prefs;
pub mod sort;
pub mod stats;
pub mod table;
