//! The browser's side of HTTP: one GET with timeout, retry and cancel; one error type; bounded
//! concurrency; complete reads of any collection; the results cache; S3 addresses; timings.
pub mod cache;
pub mod client;
pub mod config;
pub mod error;
pub mod http;
pub mod limiter;
pub mod perf;
pub mod s3;
pub mod s3_read;
