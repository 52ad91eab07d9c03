//! One file per route (the search form has its own).
pub mod collection;
pub mod home;
pub mod not_found;
pub mod search;
pub mod search_form;
pub mod session;
pub mod subject;
