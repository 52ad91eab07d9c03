//! The database's language, knowing no dataset: request URLs, lenient and Extended JSON, custom
//! filters, paging plans and field discovery. Pure and tested on the host.
pub mod filter;
pub mod json;
pub mod paging;
pub mod params;
pub mod records;
pub mod schema;
