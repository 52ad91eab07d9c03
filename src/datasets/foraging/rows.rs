//! The model-fitting dataset's rows: one typed row per fit, the records that could not become
//! rows, and the merged table of a load.

use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::schema::Pipeline;

/// One model fit. Field names follow the reference DataFrame's columns (`export.rs` writes the
/// exact names); the whole row is also what the results cache keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    /// Unique among the rows of one load: the `_id`, with `~2`, `~3`... for repeats.
    pub key: String,
    pub id: String,
    pub nwb_name: String,
    pub analysis_time: Option<String>,
    pub subject_id: Option<String>,
    pub session_date: Option<String>,
    pub status: Option<String>,
    pub agent_alias: String,
    pub n_trials: Option<i64>,
    pub s3_location: String,
    pub co_asset_id: Option<String>,
    pub analysis_tag: Option<String>,
    pub pipeline_source: Pipeline,
    pub log_likelihood: Option<f64>,
    pub prediction_accuracy: Option<f64>,
    pub k_model: Option<i64>,
    pub aic: Option<f64>,
    pub bic: Option<f64>,
    pub lpt: Option<f64>,
    pub lpt_aic: Option<f64>,
    pub lpt_bic: Option<f64>,
    pub params: Option<Map<String, Value>>,
    pub prediction_accuracy_test: Option<Vec<f64>>,
    pub prediction_accuracy_fit: Option<Vec<f64>>,
    pub prediction_accuracy_test_bias_only: Option<Vec<f64>>,
    pub cv_test_mean: Option<f64>,
    pub cv_test_std: Option<f64>,
    pub cv_fit_mean: Option<f64>,
    pub cv_fit_std: Option<f64>,
    pub cv_bias_mean: Option<f64>,
    pub cv_bias_std: Option<f64>,
    /// Analysis time in microseconds since the epoch, for ordering; `None` when unreadable.
    pub analysis_micros: Option<i64>,
    /// What was odd about the record, one sentence each.
    pub warnings: Vec<String>,
}

impl FitRow {
    pub fn is_success(&self) -> bool {
        self.status.as_deref() == Some("success")
    }
}

/// A record that could not become a row, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub pipeline: Pipeline,
    pub id: Option<String>,
    pub reason: String,
}

/// The merged result of both formats. Rows are shared (`Arc`), so snapshots while loading and
/// the table view never copy them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitTable {
    /// The successful fits (latest per `nwb_name` and `agent_alias`, newest analysis first),
    /// then the failed fits (status other than `success`, newest first).
    pub rows: Vec<Arc<FitRow>>,
    /// How many of `rows` are successful.
    pub n_success: usize,
    /// Successful fits replaced by a newer analysis of the same session and model.
    pub superseded: usize,
    /// Records that could not become rows, with the reason.
    pub skipped: Vec<Skipped>,
    /// Records received from the API, both formats.
    pub received: usize,
}

impl FitTable {
    pub fn success(&self) -> &[Arc<FitRow>] {
        &self.rows[..self.n_success.min(self.rows.len())]
    }

    pub fn failed(&self) -> &[Arc<FitRow>] {
        &self.rows[self.n_success.min(self.rows.len())..]
    }

    pub fn warned(&self) -> usize {
        self.rows.iter().filter(|r| !r.warnings.is_empty()).count()
    }

    /// Distinct sessions among the successful fits.
    pub fn session_count(&self) -> usize {
        self.success()
            .iter()
            .map(|r| r.nwb_name.as_str())
            .collect::<HashSet<_>>()
            .len()
    }

    /// The row with this key.
    pub fn find(&self, key: &str) -> Option<&Arc<FitRow>> {
        self.rows.iter().find(|r| r.key == key)
    }
}
