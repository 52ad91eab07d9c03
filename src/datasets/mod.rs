//! Datasets the app knows in depth; any other collection is browsed generically.
pub mod foraging;
