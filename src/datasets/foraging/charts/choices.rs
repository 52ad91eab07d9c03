//! The chart choices a URL can hold: which metric, which x axis, which comparison. Each has
//! its URL key and its label; values from the URL are matched against these keys only.

use crate::charts::xy::XKind;

use super::super::rows::FitRow;

/// A value per fit, chosen for the metric chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Aic,
    Bic,
    LlPerTrial,
    Accuracy,
    CvTest,
    LptAic,
    LptBic,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::Aic,
        Metric::Bic,
        Metric::LlPerTrial,
        Metric::Accuracy,
        Metric::CvTest,
        Metric::LptAic,
        Metric::LptBic,
    ];

    /// The URL value.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Aic => "aic",
            Metric::Bic => "bic",
            Metric::LlPerTrial => "ll",
            Metric::Accuracy => "acc",
            Metric::CvTest => "cv",
            Metric::LptAic => "lpt_aic",
            Metric::LptBic => "lpt_bic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::Aic => "AIC",
            Metric::Bic => "BIC",
            Metric::LlPerTrial => "Log-likelihood per trial",
            Metric::Accuracy => "Prediction accuracy",
            Metric::CvTest => "CV test accuracy (mean ± SD)",
            Metric::LptAic => "LPT_AIC",
            Metric::LptBic => "LPT_BIC",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The fit's value and its spread (CV folds' SD).
    pub fn value(self, r: &FitRow) -> Option<(f64, Option<f64>)> {
        let v = match self {
            Metric::Aic => r.aic,
            Metric::Bic => r.bic,
            Metric::LlPerTrial => ll_per_trial(r),
            Metric::Accuracy => r.prediction_accuracy,
            Metric::CvTest => {
                return r
                    .cv_test_mean
                    .filter(|v| v.is_finite())
                    .map(|m| (m, r.cv_test_std.filter(|s| s.is_finite())))
            }
            Metric::LptAic => r.lpt_aic,
            Metric::LptBic => r.lpt_bic,
        };
        v.filter(|v| v.is_finite()).map(|v| (v, None))
    }
}

/// Log-likelihood divided by the number of trials.
pub fn ll_per_trial(r: &FitRow) -> Option<f64> {
    let n = r.n_trials.filter(|n| *n > 0)?;
    r.log_likelihood.map(|ll| ll / n as f64)
}

/// Session date on a date axis, or the session's index among the subject's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XAxis {
    Date,
    Index,
}

impl XAxis {
    pub fn key(self) -> &'static str {
        match self {
            XAxis::Date => "date",
            XAxis::Index => "index",
        }
    }

    pub fn from_key(key: &str) -> Option<XAxis> {
        [XAxis::Date, XAxis::Index]
            .into_iter()
            .find(|x| x.key() == key)
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            XAxis::Date => "Session date",
            XAxis::Index => "Session",
        }
    }

    pub(super) fn kind(self) -> XKind {
        match self {
            XAxis::Date => XKind::Date,
            XAxis::Index => XKind::Index,
        }
    }
}

/// What the model-comparison strip shows per session and model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    AicWeight,
    BicWeight,
    DeltaAic,
    DeltaBic,
}

impl Compare {
    pub const ALL: [Compare; 4] = [
        Compare::AicWeight,
        Compare::BicWeight,
        Compare::DeltaAic,
        Compare::DeltaBic,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Compare::AicWeight => "w_aic",
            Compare::BicWeight => "w_bic",
            Compare::DeltaAic => "d_aic",
            Compare::DeltaBic => "d_bic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Compare::AicWeight => "Akaike weight (AIC)",
            Compare::BicWeight => "BIC weight",
            Compare::DeltaAic => "ΔAIC to the session's best",
            Compare::DeltaBic => "ΔBIC to the session's best",
        }
    }

    pub fn from_key(key: &str) -> Option<Compare> {
        Compare::ALL.into_iter().find(|c| c.key() == key)
    }

    pub(super) fn uses_bic(self) -> bool {
        matches!(self, Compare::BicWeight | Compare::DeltaBic)
    }
}
