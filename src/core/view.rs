//! Table view state kept in permalinks: the chosen columns, the quick filter and the page.
//!
//! Columns are named by [`Column::key`] (the reference column names) and read back with
//! [`Column::parse`]. Pages are numbered from 1, as people count them in a link.

use super::normalize::FitRow;
use super::table::Column;

/// Reads a comma list of column keys: order kept, repeats and blanks dropped. Keys that name no
/// column are returned separately (each once) so the page can say which were ignored.
pub fn parse_columns(text: &str) -> (Vec<Column>, Vec<String>) {
    let mut columns = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for key in text.split(',').map(str::trim).filter(|k| !k.is_empty()) {
        match Column::parse(key) {
            Some(c) if !columns.contains(&c) => columns.push(c),
            Some(_) => {}
            None if !unknown.iter().any(|u| u == key) => unknown.push(key.to_string()),
            None => {}
        }
    }
    (columns, unknown)
}

/// The columns as a comma list of keys, the inverse of [`parse_columns`].
pub fn columns_param(cols: &[Column]) -> String {
    cols.iter().map(|c| c.key()).collect::<Vec<_>>().join(",")
}

/// Whether the quick filter `needle` occurs, ignoring case, in the row's text: `_id`,
/// `nwb_name`, session date, model, pipeline (short and full label), tag and status. A blank
/// needle matches every row; surrounding spaces are ignored.
pub fn row_matches(row: &FitRow, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return true;
    }
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
        .any(|t| t.to_lowercase().contains(&needle))
}

/// The slice of rows on a page: `(start, end, page, pages)` with `rows[start..end]` valid for
/// `total` rows. `page` counts from 1 and is clamped into `1..=pages`; there is always at least
/// one (possibly empty) page. A `per_page` of 0 is treated as 1.
pub fn page_bounds(total: usize, page: usize, per_page: usize) -> (usize, usize, usize, usize) {
    let per_page = per_page.max(1);
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1).saturating_mul(per_page).min(total);
    let end = start.saturating_add(per_page).min(total);
    (start, end, page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::normalize::normalize_record;
    use crate::core::query::Pipeline;
    use serde_json::json;

    #[test]
    fn columns_round_trip() {
        let all = Column::ALL.to_vec();
        assert_eq!(parse_columns(&columns_param(&all)), (all, vec![]));
        assert_eq!(columns_param(&[]), "");
        assert_eq!(parse_columns(""), (vec![], vec![]));
    }

    /// (text, columns, unknown keys)
    #[test]
    fn column_lists() {
        let cases: [(&str, &[Column], &[&str]); 5] = [
            ("AIC,agent_alias", &[Column::Aic, Column::Model], &[]),
            (
                " session_date , AIC,session_date,,AIC ",
                &[Column::SessionDate, Column::Aic],
                &[],
            ),
            ("aic,AIC,nope,nope", &[Column::Aic], &["aic", "nope"]),
            (
                "prediction_accuracy_10-CV_test,x y",
                &[Column::CvTestMean],
                &["x y"],
            ),
            (",,", &[], &[]),
        ];
        for (text, cols, unknown) in cases {
            let (c, u) = parse_columns(text);
            assert_eq!(c, cols, "{text:?}");
            assert_eq!(u, unknown, "{text:?}");
        }
    }

    #[test]
    fn quick_filter() {
        let row = normalize_record(
            &json!({"_id": "65a1b2", "nwb_name": "730945_2024-10-24.nwb",
                    "agent_alias": "QLearning_L2F1_CK1_softmax", "status": "success",
                    "session_date": "2024-10-24", "AIC": 410.25}),
            Pipeline::Han,
        )
        .unwrap();
        let cases = [
            ("", true),
            ("   ", true),
            ("65A1", true),
            ("730945", true),
            ("2024-10", true),
            ("qlearning", true),
            (" softmax ", true),
            ("han", true),
            ("HAN'S ANALYSIS", true),
            ("SUCCESS", true),
            ("framework", false),
            ("410.25", false),
            ("WSLS", false),
        ];
        for (needle, expected) in cases {
            assert_eq!(row_matches(&row, needle), expected, "{needle:?}");
        }
        let fw = normalize_record(
            &json!({"_id": "f", "nwb_name": ["n"], "agent_alias": ["A"], "status": ["failed"],
                    "analysis_tag": ["aind-analysis-framework v0.2"]}),
            Pipeline::Framework,
        )
        .unwrap();
        for (needle, expected) in [("V0.2", true), ("framework", true), ("fail", true)] {
            assert_eq!(row_matches(&fw, needle), expected, "{needle:?}");
        }
    }

    /// (total, page, per_page) -> (start, end, page, pages)
    #[test]
    fn pages() {
        let cases = [
            ((0, 1, 50), (0, 0, 1, 1)),
            ((0, 0, 0), (0, 0, 1, 1)),
            ((10, 1, 50), (0, 10, 1, 1)),
            ((100, 2, 50), (50, 100, 2, 2)),
            ((101, 3, 50), (100, 101, 3, 3)),
            ((101, 0, 50), (0, 50, 1, 3)),
            ((101, usize::MAX, 50), (100, 101, 3, 3)),
            ((5, 3, 0), (2, 3, 3, 5)),
            ((5, 2, usize::MAX), (0, 5, 1, 1)),
            (
                (usize::MAX, usize::MAX, 1),
                (usize::MAX - 1, usize::MAX, usize::MAX, usize::MAX),
            ),
        ];
        for ((total, page, per_page), expected) in cases {
            let got = page_bounds(total, page, per_page);
            assert_eq!(got, expected, "{total} {page} {per_page}");
            assert!(got.0 <= got.1 && got.1 <= total);
        }
    }
}
