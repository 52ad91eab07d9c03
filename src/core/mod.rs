//! Pure Rust: no web-sys. Record types, the normalizer, query builders, S3 rules, statistics.
pub mod config;
pub mod custom_filter;
pub mod export;
pub mod fetch_error;
pub mod json;
pub mod normalize;
pub mod query;
pub mod recent;
pub mod s3;
pub mod search;
pub mod snippet;
pub mod stats;
pub mod table;
pub mod view;
