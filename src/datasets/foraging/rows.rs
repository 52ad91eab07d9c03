//! The model-fitting dataset's rows: one typed row per fit, the records that could not become
//! rows, and the merged table of a load.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::schema::Pipeline;
use crate::hash::FastSet;

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

    /// The cross-validation summaries in a fixed order (test, fit, bias-only; mean then std).
    pub fn cv_summaries(&self) -> [Option<f64>; 6] {
        [
            self.cv_test_mean,
            self.cv_test_std,
            self.cv_fit_mean,
            self.cv_fit_std,
            self.cv_bias_mean,
            self.cv_bias_std,
        ]
    }

    /// Whether two rows hold the same values, NaN equal to NaN (a fold that was not a number
    /// is NaN in both the cached and the refreshed row; `==` would call it changed).
    pub fn same_as(&self, o: &FitRow) -> bool {
        fn num(a: Option<f64>, b: Option<f64>) -> bool {
            match (a, b) {
                (Some(x), Some(y)) => x.to_bits() == y.to_bits() || x == y,
                (x, y) => x.is_none() && y.is_none(),
            }
        }
        fn list(a: &Option<Vec<f64>>, b: &Option<Vec<f64>>) -> bool {
            match (a, b) {
                (Some(x), Some(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| num(Some(*p), Some(*q)))
                }
                (x, y) => x.is_none() && y.is_none(),
            }
        }
        let nums = |r: &FitRow| {
            [
                r.log_likelihood,
                r.prediction_accuracy,
                r.aic,
                r.bic,
                r.lpt,
                r.lpt_aic,
                r.lpt_bic,
            ]
        };
        let lists = |r: &FitRow| {
            [
                r.prediction_accuracy_test.clone(),
                r.prediction_accuracy_fit.clone(),
                r.prediction_accuracy_test_bias_only.clone(),
            ]
        };
        (
            &self.key,
            &self.id,
            &self.nwb_name,
            &self.analysis_time,
            &self.subject_id,
            &self.session_date,
            &self.status,
            &self.agent_alias,
        ) == (
            &o.key,
            &o.id,
            &o.nwb_name,
            &o.analysis_time,
            &o.subject_id,
            &o.session_date,
            &o.status,
            &o.agent_alias,
        ) && (self.n_trials, self.k_model, self.analysis_micros)
            == (o.n_trials, o.k_model, o.analysis_micros)
            && (
                &self.s3_location,
                &self.co_asset_id,
                &self.analysis_tag,
                self.pipeline_source,
            ) == (
                &o.s3_location,
                &o.co_asset_id,
                &o.analysis_tag,
                o.pipeline_source,
            )
            && self.params == o.params
            && self.warnings == o.warnings
            && nums(self).iter().zip(nums(o)).all(|(a, b)| num(*a, b))
            && self
                .cv_summaries()
                .iter()
                .zip(o.cv_summaries())
                .all(|(a, b)| num(*a, b))
            && lists(self)
                .iter()
                .zip(lists(o).iter())
                .all(|(a, b)| list(a, b))
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
    /// Successful fits replaced by a newer analysis of the same session and model (newest
    /// first).
    pub superseded: Vec<Arc<FitRow>>,
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
            .collect::<FastSet<_>>()
            .len()
    }

    /// The row with this key.
    pub fn find(&self, key: &str) -> Option<&Arc<FitRow>> {
        self.rows.iter().find(|r| r.key == key)
    }
}
