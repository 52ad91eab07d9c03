//! Reusable view pieces: results table, figures, progress and errors.
pub mod error;
pub mod figure;
pub mod progress;
pub mod results_table;
