//! AIND Results Browser: a static Leptos app for AIND analysis results.
pub mod api;
pub mod app;
pub mod components;
pub mod core;
pub mod pages;
