//! Reusable view pieces: results table and view, figures, progress, errors, embeds.
pub mod data_notes;
pub mod embed;
pub mod error;
pub mod figure;
pub mod load;
pub mod progress;
pub mod results_table;
pub mod results_view;
