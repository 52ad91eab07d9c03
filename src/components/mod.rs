//! View pieces the pages share: the fits view and its parts (details, share tools, load status,
//! data notes), figures, progress, errors, embeds.
pub mod await_fits;
pub mod data_notes;
pub mod embed;
pub mod error;
pub mod figure;
pub mod fit_details;
pub mod fits_view;
pub mod load_status;
pub mod progress;
pub mod share;
