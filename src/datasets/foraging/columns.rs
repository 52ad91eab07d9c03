//! The fits table's columns as data: key (the reference column name, used in URLs), label, how
//! the cell reads and sorts. `spec` turns them into the generic table's column specs.

use std::cmp::Ordering;
use std::sync::Arc;

use super::rows::FitRow;
use crate::table::{contains_folded, fmt_fixed, ColumnSpec, SortDir, SortKey, TableSpec, EMPTY};

/// What a column holds and how it reads.
#[derive(Clone, Copy)]
enum Kind {
    /// A number shown with this many decimals.
    Num(fn(&FitRow) -> Option<f64>, usize),
    Int(fn(&FitRow) -> Option<i64>),
    Text(fn(&FitRow) -> Option<&str>),
    /// Shown as one text, sorted by another (the pipeline: short label, full label).
    Label(fn(&FitRow) -> &'static str, fn(&FitRow) -> &'static str),
    /// The analysis time: shortened text, sorted by the instant.
    Time,
}

struct Def {
    key: &'static str,
    label: &'static str,
    kind: Kind,
    /// A first click sorts best-first for scores, newest-first for dates.
    dir: SortDir,
}

use SortDir::{Asc, Desc};

/// Every column, in the order the column chooser lists them.
const COLUMNS: [Def; 19] = [
    Def {
        key: "subject_id",
        label: "Subject",
        kind: Kind::Text(|r| r.subject_id.as_deref()),
        dir: Asc,
    },
    Def {
        key: "nwb_name",
        label: "NWB file",
        kind: Kind::Text(|r| Some(&r.nwb_name)),
        dir: Asc,
    },
    Def {
        key: "session_date",
        label: "Session date",
        kind: Kind::Text(|r| r.session_date.as_deref()),
        dir: Desc,
    },
    Def {
        key: "agent_alias",
        label: "Model",
        kind: Kind::Text(|r| Some(&r.agent_alias)),
        dir: Asc,
    },
    Def {
        key: "n_trials",
        label: "Trials",
        kind: Kind::Int(|r| r.n_trials),
        dir: Desc,
    },
    Def {
        key: "log_likelihood",
        label: "Log-likelihood",
        kind: Kind::Num(|r| r.log_likelihood, 2),
        dir: Desc,
    },
    Def {
        key: "AIC",
        label: "AIC",
        kind: Kind::Num(|r| r.aic, 2),
        dir: Asc,
    },
    Def {
        key: "BIC",
        label: "BIC",
        kind: Kind::Num(|r| r.bic, 2),
        dir: Asc,
    },
    Def {
        key: "LPT_AIC",
        label: "LPT_AIC",
        kind: Kind::Num(|r| r.lpt_aic, 2),
        dir: Asc,
    },
    Def {
        key: "prediction_accuracy",
        label: "Pred. accuracy",
        kind: Kind::Num(|r| r.prediction_accuracy, 3),
        dir: Desc,
    },
    Def {
        key: "prediction_accuracy_10-CV_test",
        label: "CV test mean",
        kind: Kind::Num(|r| r.cv_test_mean, 3),
        dir: Desc,
    },
    Def {
        key: "pipeline_source",
        label: "Pipeline",
        kind: Kind::Label(
            |r| r.pipeline_source.short_label(),
            |r| r.pipeline_source.source_label(),
        ),
        dir: Asc,
    },
    Def {
        key: "analysis_tag",
        label: "Tag",
        kind: Kind::Text(|r| r.analysis_tag.as_deref()),
        dir: Asc,
    },
    Def {
        key: "analysis_time",
        label: "Analysis time",
        kind: Kind::Time,
        dir: Desc,
    },
    Def {
        key: "k_model",
        label: "Parameters",
        kind: Kind::Int(|r| r.k_model),
        dir: Asc,
    },
    Def {
        key: "LPT",
        label: "LPT",
        kind: Kind::Num(|r| r.lpt, 3),
        dir: Asc,
    },
    Def {
        key: "LPT_BIC",
        label: "LPT_BIC",
        kind: Kind::Num(|r| r.lpt_bic, 2),
        dir: Asc,
    },
    Def {
        key: "prediction_accuracy_10-CV_test_std",
        label: "CV test std",
        kind: Kind::Num(|r| r.cv_test_std, 3),
        dir: Asc,
    },
    Def {
        key: "status",
        label: "Status",
        kind: Kind::Text(|r| r.status.as_deref()),
        dir: Asc,
    },
];

/// What the subject page shows unless the link says otherwise.
pub const SUBJECT_DEFAULT: [&str; 12] = [
    "session_date",
    "agent_alias",
    "n_trials",
    "log_likelihood",
    "AIC",
    "BIC",
    "LPT_AIC",
    "prediction_accuracy",
    "prediction_accuracy_10-CV_test",
    "pipeline_source",
    "analysis_tag",
    "analysis_time",
];

/// The search page's defaults: the subject first, then the subject page's.
pub fn search_default() -> Vec<&'static str> {
    std::iter::once("subject_id")
        .chain(SUBJECT_DEFAULT)
        .collect()
}

/// Newest sessions first unless the link says otherwise.
pub const DEFAULT_SORT: (&str, SortDir) = ("session_date", SortDir::Desc);

/// The text of a cell.
fn cell(kind: Kind, r: &FitRow) -> String {
    match kind {
        Kind::Num(f, decimals) => fmt_fixed(f(r), decimals),
        Kind::Int(f) => f(r).map_or(EMPTY.to_string(), |n| n.to_string()),
        Kind::Text(f) => f(r).unwrap_or(EMPTY).to_string(),
        Kind::Label(show, _) => show(r).to_string(),
        Kind::Time => r
            .analysis_time
            .as_deref()
            .map_or(EMPTY.to_string(), short_time),
    }
}

fn sort_key(kind: Kind, r: &FitRow) -> SortKey<'_> {
    match kind {
        Kind::Num(f, _) => SortKey::num(f(r)),
        Kind::Int(f) => SortKey::num(f(r).map(|n| n as f64)),
        Kind::Text(f) => SortKey::text(f(r)),
        Kind::Label(_, by) => SortKey::text(Some(by(r))),
        Kind::Time => SortKey::num(r.analysis_micros.map(|m| m as f64)),
    }
}

/// Ties fall back to session date (newest first), model, `_id` and the row key, so the order is
/// the same on every load.
fn tie_break(a: &FitRow, b: &FitRow) -> Ordering {
    b.session_date
        .cmp(&a.session_date)
        .then_with(|| a.agent_alias.cmp(&b.agent_alias))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.key.cmp(&b.key))
}

/// Whether the quick filter's needle (lowercase) occurs in the row's text: `_id`, `nwb_name`,
/// session date, model, pipeline (short and full label), tag and status.
pub fn row_matches(row: &FitRow, needle: &str) -> bool {
    let texts = [
        Some(row.id.as_str()),
        Some(row.nwb_name.as_str()),
        row.session_date.as_deref(),
        Some(row.agent_alias.as_str()),
        Some(row.pipeline_source.short_label()),
        Some(row.pipeline_source.source_label()),
        row.analysis_tag.as_deref(),
        row.status.as_deref(),
    ];
    texts
        .into_iter()
        .flatten()
        .any(|t| contains_folded(t, needle))
}

/// The fits table.
pub fn spec(default_columns: &[&str]) -> TableSpec<FitRow> {
    let columns = COLUMNS
        .iter()
        .map(|d| {
            let kind = d.kind;
            ColumnSpec {
                key: d.key.to_string(),
                label: d.label.to_string(),
                numeric: matches!(kind, Kind::Num(..) | Kind::Int(_)),
                default_dir: d.dir,
                cell: Arc::new(move |r: &FitRow| cell(kind, r)),
                sort_key: Arc::new(move |r: &FitRow| sort_key(kind, r)),
            }
        })
        .collect();
    TableSpec {
        columns,
        default_columns: default_columns.iter().map(|k| k.to_string()).collect(),
        default_sort: (DEFAULT_SORT.0.to_string(), DEFAULT_SORT.1),
        row_key: Arc::new(|r: &FitRow| r.key.clone()),
        matches: Arc::new(row_matches),
        tie_break: Arc::new(tie_break),
        noun: ("fit", "fits"),
    }
}

/// Every column's (label, cell text) of a row, for the details drawer.
pub fn all_cells(r: &FitRow) -> Vec<(&'static str, String)> {
    COLUMNS.iter().map(|d| (d.label, cell(d.kind, r))).collect()
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

/// The session index within a subject, offered by the explorer as an axis (1 for each
/// subject's first session, by date and then NWB name, over every loaded fit).
pub const SESSION_INDEX: crate::explore::RankAxis = crate::explore::RankAxis {
    key: "session_index",
    label: "Session index (within subject)",
    group: "subject_id",
    order: &["session_date", "nwb_name"],
};

#[cfg(test)]
mod tests;
