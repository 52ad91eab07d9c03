//! The start page's overview: one row per subject of the collection, with its sessions, fits,
//! first and last session, and the model with the highest mean Akaike weight over its sessions.
//! Built from a light load of every fit ([`super::query::FitQuery::overview`]); pure.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::hash::FastMap;
use crate::stats::compare::{per_session, summarize, Score};
use crate::table::{contains_folded, fmt_fixed, ColumnSpec, SortDir, SortKey, TableSpec, EMPTY};

use super::rows::FitTable;

#[derive(Debug, Clone, PartialEq)]
pub struct SubjectSummary {
    pub subject: String,
    pub sessions: usize,
    pub fits: usize,
    pub failed: usize,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The model with the highest mean Akaike weight (ties: the first by name), and that weight.
    pub best_model: Option<(String, f64)>,
}

/// One summary per subject, in subject order. Fits without a subject are listed under "—".
pub fn subjects(table: &FitTable) -> Vec<SubjectSummary> {
    let mut by: FastMap<&str, (Vec<usize>, usize)> = FastMap::default();
    let subject_of = |i: usize| table.rows[i].subject_id.as_deref().unwrap_or(EMPTY);
    for i in 0..table.rows.len() {
        let e = by.entry(subject_of(i)).or_default();
        if table.rows[i].is_success() {
            e.0.push(i);
        } else {
            e.1 += 1;
        }
    }
    let mut out: Vec<SubjectSummary> = by
        .into_iter()
        .map(|(subject, (fits, failed))| {
            let rows: Vec<_> = fits.iter().map(|&i| table.rows[i].as_ref()).collect();
            let mut sessions: Vec<&str> = rows.iter().map(|r| r.nwb_name.as_str()).collect();
            sessions = crate::sort::sorted_unique(sessions);
            let dates = rows.iter().filter_map(|r| r.session_date.as_deref());
            let first = dates.clone().min().map(str::to_string);
            let last = dates.max().map(str::to_string);
            let scores: Vec<Score> = rows
                .iter()
                .filter_map(|r| {
                    Some(Score {
                        session: &r.nwb_name,
                        model: &r.agent_alias,
                        value: r.aic?,
                    })
                })
                .collect();
            let best_model = summarize(&per_session(&scores)).into_iter().fold(
                None::<(String, f64)>,
                |best, m| match best {
                    Some((_, w)) if w >= m.mean_weight => best,
                    _ => Some((m.model, m.mean_weight)),
                },
            );
            SubjectSummary {
                subject: subject.to_string(),
                sessions: sessions.len(),
                fits: rows.len(),
                failed,
                first,
                last,
                best_model,
            }
        })
        .collect();
    crate::sort::sort_vec(&mut out, &|a, b| a.subject.cmp(&b.subject));
    out
}

fn column(
    key: &str,
    label: &str,
    numeric: bool,
    cell: impl Fn(&SubjectSummary) -> String + Send + Sync + 'static,
    sort_key: impl for<'a> Fn(&'a SubjectSummary) -> SortKey<'a> + Send + Sync + 'static,
) -> ColumnSpec<SubjectSummary> {
    ColumnSpec {
        key: key.into(),
        label: label.into(),
        numeric,
        default_dir: if numeric { SortDir::Desc } else { SortDir::Asc },
        cell: Arc::new(cell),
        sort_key: Arc::new(sort_key),
    }
}

fn count(n: usize) -> SortKey<'static> {
    SortKey::Num(n as f64)
}

/// The overview as an instance of the generic table.
pub fn spec() -> TableSpec<SubjectSummary> {
    let text = |s: &Option<String>| s.clone().unwrap_or_else(|| EMPTY.into());
    let columns = vec![
        column(
            "subject",
            "Subject",
            false,
            |s| s.subject.clone(),
            |s| SortKey::text(Some(&s.subject)),
        ),
        column(
            "sessions",
            "Sessions",
            true,
            |s| s.sessions.to_string(),
            |s| count(s.sessions),
        ),
        column(
            "fits",
            "Fits",
            true,
            |s| s.fits.to_string(),
            |s| count(s.fits),
        ),
        column(
            "failed",
            "Failed",
            true,
            |s| s.failed.to_string(),
            |s| count(s.failed),
        ),
        column(
            "first",
            "First session",
            false,
            move |s| text(&s.first),
            |s| SortKey::text(s.first.as_deref()),
        ),
        column(
            "last",
            "Last session",
            false,
            move |s| text(&s.last),
            |s| SortKey::text(s.last.as_deref()),
        ),
        column(
            "best",
            "Best model (Akaike weight)",
            false,
            |s| {
                s.best_model
                    .as_ref()
                    .map_or(EMPTY.into(), |(m, _)| m.clone())
            },
            |s| SortKey::text(s.best_model.as_ref().map(|(m, _)| m.as_str())),
        ),
        column(
            "weight",
            "Mean weight",
            true,
            |s| fmt_fixed(s.best_model.as_ref().map(|(_, w)| *w), 2),
            |s| SortKey::num(s.best_model.as_ref().map(|(_, w)| *w)),
        ),
    ];
    let default_columns = columns.iter().map(|c| c.key.clone()).collect();
    TableSpec {
        columns,
        default_columns,
        default_sort: ("subject".into(), SortDir::Asc),
        row_key: Arc::new(|s: &SubjectSummary| s.subject.clone()),
        matches: Arc::new(|s: &SubjectSummary, needle: &str| {
            contains_folded(&s.subject, needle)
                || s.best_model
                    .as_ref()
                    .is_some_and(|(m, _)| contains_folded(m, needle))
        }),
        tie_break: Arc::new(|a: &SubjectSummary, b: &SubjectSummary| {
            a.subject.cmp(&b.subject).then(Ordering::Equal)
        }),
        noun: ("subject", "subjects"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::normalize::normalize_record;
    use crate::datasets::foraging::schema::Pipeline;
    use serde_json::json;

    fn fit(
        subject: &str,
        nwb: &str,
        date: &str,
        model: &str,
        aic: f64,
        status: &str,
    ) -> Arc<super::super::rows::FitRow> {
        let rec = json!({"_id": format!("{nwb}-{model}"), "subject_id": subject, "nwb_name": nwb,
            "session_date": date, "agent_alias": model, "status": status, "AIC": aic,
            "analysis_time": "2025-01-01T00:00:00"});
        Arc::new(normalize_record(&rec, Pipeline::Han).unwrap())
    }

    #[test]
    fn one_row_per_subject_with_its_best_model() {
        // Subject 2: s1 A 100 B 102 (A 0.731, B 0.269); s2 A 50 B 40 (A 0.0067, B 0.9933).
        // Mean weights: A 0.369, B 0.631 -> B.
        let rows = vec![
            fit("2", "s1", "2024-01-02", "A", 100.0, "success"),
            fit("2", "s1", "2024-01-02", "B", 102.0, "success"),
            fit("2", "s2", "2024-01-05", "A", 50.0, "success"),
            fit("2", "s2", "2024-01-05", "B", 40.0, "success"),
            fit("1", "t1", "2023-12-01", "A", 10.0, "success"),
            fit("1", "t2", "2023-12-03", "A", 10.0, "failed"),
        ];
        let table = FitTable {
            n_success: 5,
            rows,
            ..FitTable::default()
        };
        let s = subjects(&table);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].subject.as_str(), s[0].sessions, s[0].fits, s[0].failed),
            ("1", 1, 1, 1)
        );
        assert_eq!(s[0].best_model, Some(("A".to_string(), 1.0)));
        let two = &s[1];
        assert_eq!((two.sessions, two.fits), (2, 4));
        assert_eq!(
            (two.first.as_deref(), two.last.as_deref()),
            (Some("2024-01-02"), Some("2024-01-05"))
        );
        let (model, w) = two.best_model.clone().unwrap();
        assert_eq!(model, "B");
        let want = (1.0 / (1.0 + 1f64.exp()) + 1.0 / (1.0 + (-5f64).exp())) / 2.0;
        assert!((w - want).abs() < 1e-12, "{w} vs {want}");
        // The table sorts and filters them.
        let spec = spec();
        let rows: Vec<Arc<SubjectSummary>> = s.into_iter().map(Arc::new).collect();
        assert_eq!(
            spec.order(&rows, 0..2, "", ("sessions", SortDir::Desc)),
            [1, 0]
        );
        assert_eq!(spec.order(&rows, 0..2, "b", ("subject", SortDir::Asc)), [1]);
    }
}
