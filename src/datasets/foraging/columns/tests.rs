//! The fits table as an instance of the generic table: cells, ordering and the quick filter.

use super::*;
use crate::datasets::foraging::normalize::normalize_record;
use crate::datasets::foraging::schema::Pipeline;
use serde_json::json;

fn row(id: &str, date: Option<&str>, alias: &str, aic: Option<f64>) -> Arc<FitRow> {
    let mut r = normalize_record(
        &json!({"_id": id, "nwb_name": "n", "agent_alias": alias, "status": "success",
                "analysis_time": "2025-01-01T00:00:00", "session_date": date, "AIC": aic}),
        Pipeline::Han,
    )
    .unwrap();
    r.warnings.clear();
    Arc::new(r)
}

fn order(rows: &[Arc<FitRow>], col: &str, dir: SortDir, needle: &str) -> String {
    let s = spec(&SUBJECT_DEFAULT);
    s.order(rows, 0..rows.len(), needle, (col, dir))
        .into_iter()
        .map(|i| rows[i].id.clone())
        .collect()
}

#[test]
fn every_default_column_exists_and_keys_are_unique() {
    let s = spec(&search_default());
    for key in search_default() {
        assert!(s.column(key).is_some(), "{key}");
    }
    let mut keys: Vec<&str> = s.columns.iter().map(|c| c.key.as_str()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), COLUMNS.len());
    assert_eq!(search_default()[0], "subject_id");
}

#[test]
fn sorting_puts_missing_last_both_ways() {
    let rows = vec![
        row("a", Some("2024-01-02"), "Q", Some(3.0)),
        row("b", Some("2024-01-01"), "Q", None),
        row("c", Some("2024-01-03"), "W", Some(1.0)),
        row("d", None, "A", Some(2.0)),
    ];
    assert_eq!(order(&rows, "AIC", SortDir::Asc, ""), "cdab");
    assert_eq!(order(&rows, "AIC", SortDir::Desc, ""), "adcb");
    assert_eq!(order(&rows, "session_date", SortDir::Desc, ""), "cabd");
    assert_eq!(order(&rows, "session_date", SortDir::Asc, ""), "bacd");
    assert_eq!(order(&rows, "agent_alias", SortDir::Asc, ""), "dabc");
}

#[test]
fn cells() {
    let r = row("a", Some("2024-01-02"), "Q", Some(410.456));
    let s = spec(&SUBJECT_DEFAULT);
    let text = |key: &str| (s.column(key).unwrap().cell)(&r);
    assert_eq!(text("AIC"), "410.46");
    assert_eq!(text("BIC"), EMPTY);
    assert_eq!(text("pipeline_source"), "Han");
    assert_eq!(text("analysis_time"), "2025-01-01 00:00");
    assert_eq!(short_time("odd"), "odd");
    assert!(s.column("AIC").unwrap().numeric && !s.column("agent_alias").unwrap().numeric);
    assert_eq!(all_cells(&r).len(), COLUMNS.len());
}

#[test]
fn quick_filter() {
    let han = Arc::new(
        normalize_record(
            &json!({"_id": "65a1b2", "nwb_name": "730945_2024-10-24.nwb",
                    "agent_alias": "QLearning_L2F1_CK1_softmax", "status": "success",
                    "session_date": "2024-10-24", "AIC": 410.25}),
            Pipeline::Han,
        )
        .unwrap(),
    );
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
    let rows = vec![han];
    for (needle, expected) in cases {
        let hit = !order(&rows, "AIC", SortDir::Asc, needle).is_empty();
        assert_eq!(hit, expected, "{needle:?}");
    }
    let fw = Arc::new(
        normalize_record(
            &json!({"_id": "f", "nwb_name": ["n"], "agent_alias": ["A"], "status": ["failed"],
                    "analysis_tag": ["aind-analysis-framework v0.2"]}),
            Pipeline::Framework,
        )
        .unwrap(),
    );
    let rows = vec![fw];
    for (needle, expected) in [("V0.2", true), ("framework", true), ("fail", true)] {
        assert_eq!(
            !order(&rows, "AIC", SortDir::Asc, needle).is_empty(),
            expected,
            "{needle:?}"
        );
    }
}
