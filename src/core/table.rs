//! The results table: columns, cell text and ordering. Pure, so it is tested on the host.

use std::cmp::Ordering;

use super::normalize::FitRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Subject,
    NwbName,
    SessionDate,
    Model,
    Trials,
    LogLikelihood,
    Aic,
    Bic,
    LptAic,
    PredictionAccuracy,
    CvTestMean,
    Pipeline,
    Tag,
    AnalysisTime,
    KModel,
    Lpt,
    LptBic,
    CvTestStd,
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDir {
    Asc,
    Desc,
}

impl SortDir {
    pub fn key(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }

    pub fn parse(s: &str) -> Option<SortDir> {
        match s {
            "asc" => Some(SortDir::Asc),
            "desc" => Some(SortDir::Desc),
            _ => None,
        }
    }

    pub fn flip(self) -> SortDir {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }
}

/// Placeholder text of an empty cell.
pub const EMPTY: &str = "—";

impl Column {
    /// Every column, in the order the column chooser lists them.
    pub const ALL: [Column; 19] = [
        Column::Subject,
        Column::NwbName,
        Column::SessionDate,
        Column::Model,
        Column::Trials,
        Column::LogLikelihood,
        Column::Aic,
        Column::Bic,
        Column::LptAic,
        Column::PredictionAccuracy,
        Column::CvTestMean,
        Column::Pipeline,
        Column::Tag,
        Column::AnalysisTime,
        Column::KModel,
        Column::Lpt,
        Column::LptBic,
        Column::CvTestStd,
        Column::Status,
    ];

    /// What the subject page shows unless the link says otherwise.
    pub const SUBJECT_DEFAULT: [Column; 12] = [
        Column::SessionDate,
        Column::Model,
        Column::Trials,
        Column::LogLikelihood,
        Column::Aic,
        Column::Bic,
        Column::LptAic,
        Column::PredictionAccuracy,
        Column::CvTestMean,
        Column::Pipeline,
        Column::Tag,
        Column::AnalysisTime,
    ];

    /// What the search page shows unless the link says otherwise: the subject first.
    pub const SEARCH_DEFAULT: [Column; 13] = [
        Column::Subject,
        Column::SessionDate,
        Column::Model,
        Column::Trials,
        Column::LogLikelihood,
        Column::Aic,
        Column::Bic,
        Column::LptAic,
        Column::PredictionAccuracy,
        Column::CvTestMean,
        Column::Pipeline,
        Column::Tag,
        Column::AnalysisTime,
    ];

    /// The name used in URLs and exports (the reference column name where there is one).
    pub fn key(self) -> &'static str {
        match self {
            Column::SessionDate => "session_date",
            Column::Model => "agent_alias",
            Column::Trials => "n_trials",
            Column::LogLikelihood => "log_likelihood",
            Column::Aic => "AIC",
            Column::Bic => "BIC",
            Column::LptAic => "LPT_AIC",
            Column::PredictionAccuracy => "prediction_accuracy",
            Column::CvTestMean => "prediction_accuracy_10-CV_test",
            Column::Pipeline => "pipeline_source",
            Column::Tag => "analysis_tag",
            Column::AnalysisTime => "analysis_time",
            Column::Subject => "subject_id",
            Column::NwbName => "nwb_name",
            Column::KModel => "k_model",
            Column::Lpt => "LPT",
            Column::LptBic => "LPT_BIC",
            Column::CvTestStd => "prediction_accuracy_10-CV_test_std",
            Column::Status => "status",
        }
    }

    pub fn parse(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::SessionDate => "Session date",
            Column::Model => "Model",
            Column::Trials => "Trials",
            Column::LogLikelihood => "Log-likelihood",
            Column::Aic => "AIC",
            Column::Bic => "BIC",
            Column::LptAic => "LPT_AIC",
            Column::PredictionAccuracy => "Pred. accuracy",
            Column::CvTestMean => "CV test mean",
            Column::Pipeline => "Pipeline",
            Column::Tag => "Tag",
            Column::AnalysisTime => "Analysis time",
            Column::Subject => "Subject",
            Column::NwbName => "NWB file",
            Column::KModel => "Parameters",
            Column::Lpt => "LPT",
            Column::LptBic => "LPT_BIC",
            Column::CvTestStd => "CV test std",
            Column::Status => "Status",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Column::Trials
                | Column::LogLikelihood
                | Column::Aic
                | Column::Bic
                | Column::LptAic
                | Column::PredictionAccuracy
                | Column::CvTestMean
                | Column::KModel
                | Column::Lpt
                | Column::LptBic
                | Column::CvTestStd
        )
    }

    /// The direction a first click sorts in: best-first for scores, newest-first for dates.
    pub fn default_dir(self) -> SortDir {
        match self {
            Column::SessionDate
            | Column::AnalysisTime
            | Column::LogLikelihood
            | Column::PredictionAccuracy
            | Column::CvTestMean
            | Column::Trials => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }

    fn number(self, r: &FitRow) -> Option<f64> {
        match self {
            Column::Trials => r.n_trials.map(|n| n as f64),
            Column::LogLikelihood => r.log_likelihood,
            Column::Aic => r.aic,
            Column::Bic => r.bic,
            Column::LptAic => r.lpt_aic,
            Column::PredictionAccuracy => r.prediction_accuracy,
            Column::CvTestMean => r.cv_test_mean,
            Column::KModel => r.k_model.map(|k| k as f64),
            Column::Lpt => r.lpt,
            Column::LptBic => r.lpt_bic,
            Column::CvTestStd => r.cv_test_std,
            _ => None,
        }
    }

    /// The text shown in a cell.
    pub fn cell(self, r: &FitRow) -> String {
        let text = |s: &Option<String>| s.clone().unwrap_or_else(|| EMPTY.to_string());
        match self {
            Column::SessionDate => text(&r.session_date),
            Column::Model => r.agent_alias.clone(),
            Column::Trials => r.n_trials.map_or(EMPTY.to_string(), |n| n.to_string()),
            Column::KModel => r.k_model.map_or(EMPTY.to_string(), |n| n.to_string()),
            Column::LogLikelihood | Column::Aic | Column::Bic | Column::LptAic | Column::LptBic => {
                fmt_fixed(self.number(r), 2)
            }
            Column::PredictionAccuracy | Column::CvTestMean | Column::CvTestStd | Column::Lpt => {
                fmt_fixed(self.number(r), 3)
            }
            Column::Subject => text(&r.subject_id),
            Column::NwbName => r.nwb_name.clone(),
            Column::Status => text(&r.status),
            Column::Pipeline => r.pipeline_source.short_label().to_string(),
            Column::Tag => text(&r.analysis_tag),
            Column::AnalysisTime => r
                .analysis_time
                .as_deref()
                .map_or(EMPTY.to_string(), short_time),
        }
    }

    fn compare(self, a: &FitRow, b: &FitRow) -> Ordering {
        if self.is_numeric() {
            return cmp_missing_last(self.number(a), self.number(b), |x, y| x.total_cmp(y));
        }
        match self {
            Column::SessionDate => {
                cmp_missing_last(a.session_date.as_ref(), b.session_date.as_ref(), Ord::cmp)
            }
            Column::Model => a.agent_alias.cmp(&b.agent_alias),
            Column::Pipeline => a
                .pipeline_source
                .source_label()
                .cmp(b.pipeline_source.source_label()),
            Column::Tag => {
                cmp_missing_last(a.analysis_tag.as_ref(), b.analysis_tag.as_ref(), Ord::cmp)
            }
            Column::AnalysisTime => {
                cmp_missing_last(a.analysis_micros, b.analysis_micros, Ord::cmp)
            }
            Column::Subject => {
                cmp_missing_last(a.subject_id.as_ref(), b.subject_id.as_ref(), Ord::cmp)
            }
            Column::NwbName => a.nwb_name.cmp(&b.nwb_name),
            Column::Status => cmp_missing_last(a.status.as_ref(), b.status.as_ref(), Ord::cmp),
            _ => Ordering::Equal,
        }
    }
}

/// Orders `Some` values by `f`; `None` compares as greater, so it lands last when ascending.
fn cmp_missing_last<T>(a: Option<T>, b: Option<T>, f: impl Fn(&T, &T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => f(&x, &y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Sorts rows by a column; empty cells always go last, ties fall back to session date (newest
/// first), then model, then id, so the order is the same on every load.
pub fn sort_rows(rows: &mut [FitRow], col: Column, dir: SortDir) {
    rows.sort_by(|a, b| compare_rows(a, b, col, dir));
}

/// Sorts positions into `rows` instead of the rows themselves (no copies: the table view keeps
/// one list of rows and orders, filters and pages positions into it).
pub fn sort_indices(rows: &[FitRow], idx: &mut [usize], col: Column, dir: SortDir) {
    idx.sort_by(|&a, &b| compare_rows(&rows[a], &rows[b], col, dir));
}

/// The table order: the column in its direction with empty cells last, then session date
/// (newest first), model and id.
pub fn compare_rows(a: &FitRow, b: &FitRow, col: Column, dir: SortDir) -> Ordering {
    let primary = match (col.number_or_text_missing(a), col.number_or_text_missing(b)) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        _ => {
            let o = col.compare(a, b);
            if dir == SortDir::Desc {
                o.reverse()
            } else {
                o
            }
        }
    };
    primary
        .then_with(|| b.session_date.cmp(&a.session_date))
        .then_with(|| a.agent_alias.cmp(&b.agent_alias))
        .then_with(|| a.id.cmp(&b.id))
}

impl Column {
    fn number_or_text_missing(self, r: &FitRow) -> bool {
        if self.is_numeric() {
            return self.number(r).is_none();
        }
        match self {
            Column::SessionDate => r.session_date.is_none(),
            Column::Tag => r.analysis_tag.is_none(),
            Column::AnalysisTime => r.analysis_micros.is_none(),
            Column::Subject => r.subject_id.is_none(),
            Column::Status => r.status.is_none(),
            _ => false,
        }
    }
}

/// A number with fixed decimals, or the empty-cell mark.
pub fn fmt_fixed(x: Option<f64>, decimals: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => EMPTY.to_string(),
    }
}

/// `2025-03-01T10:00:00.123456+00:00` -> `2025-03-01 10:00`.
pub fn short_time(s: &str) -> String {
    let b = s.as_bytes();
    if s.len() >= 16 && s.is_char_boundary(16) && (b[10] == b'T' || b[10] == b' ') {
        format!("{} {}", &s[..10], &s[11..16])
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::normalize::normalize_record;
    use crate::core::query::Pipeline;
    use serde_json::json;

    fn row(id: &str, date: Option<&str>, alias: &str, aic: Option<f64>) -> FitRow {
        let mut r = normalize_record(
            &json!({"_id": id, "nwb_name": "n", "agent_alias": alias, "status": "success",
                    "analysis_time": "2025-01-01T00:00:00", "session_date": date, "AIC": aic}),
            Pipeline::Han,
        )
        .unwrap();
        r.warnings.clear();
        r
    }

    #[test]
    fn keys_round_trip() {
        for c in Column::ALL {
            assert_eq!(Column::parse(c.key()), Some(c));
        }
        assert_eq!(Column::parse("nope"), None);
        assert_eq!(SortDir::parse("desc"), Some(SortDir::Desc));
        assert_eq!(SortDir::parse("DESC"), None);
    }

    #[test]
    fn sorting_puts_missing_last_both_ways() {
        let rows = vec![
            row("a", Some("2024-01-02"), "Q", Some(3.0)),
            row("b", Some("2024-01-01"), "Q", None),
            row("c", Some("2024-01-03"), "W", Some(1.0)),
            row("d", None, "A", Some(2.0)),
        ];
        let order = |col, dir| {
            let mut r = rows.clone();
            sort_rows(&mut r, col, dir);
            r.iter().map(|r| r.id.clone()).collect::<Vec<_>>().join("")
        };
        assert_eq!(order(Column::Aic, SortDir::Asc), "cdab");
        assert_eq!(order(Column::Aic, SortDir::Desc), "adcb");
        assert_eq!(order(Column::SessionDate, SortDir::Desc), "cabd");
        assert_eq!(order(Column::SessionDate, SortDir::Asc), "bacd");
        assert_eq!(order(Column::Model, SortDir::Asc), "dabc");
    }

    #[test]
    fn cells() {
        let r = row("a", Some("2024-01-02"), "Q", Some(410.456));
        assert_eq!(Column::Aic.cell(&r), "410.46");
        assert_eq!(Column::Bic.cell(&r), EMPTY);
        assert_eq!(Column::Pipeline.cell(&r), "Han");
        assert_eq!(Column::AnalysisTime.cell(&r), "2025-01-01 00:00");
        assert_eq!(short_time("odd"), "odd");
        assert_eq!(fmt_fixed(Some(0.81234), 3), "0.812");
    }
}
