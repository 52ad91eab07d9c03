//! Reactive helpers shared by pages: URL parameters as state, and the current load's cancel
//! token.
pub mod current_load;
pub mod fit_load;
pub mod list_param;
pub mod url_param;
