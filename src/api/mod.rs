//! HTTP to the metadata API and S3 (gloo-net): retries, timeouts, cancellation, paging.
pub mod browser;
pub mod config;
pub mod http;
pub mod metadata;
pub mod storage;

pub use http::Cancel;
