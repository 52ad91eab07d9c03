//! The row filter on a toy row type: names, values, empty cells, errors and their positions.

use super::*;
use crate::table::{SortDir, SortKey, EMPTY};
use std::time::Instant;

#[derive(Debug, Clone)]
struct Row {
    id: usize,
    subject: &'static str,
    n_trials: Option<f64>,
    alias: Option<String>,
    date: Option<&'static str>,
    cv: Option<f64>,
    fit_aic: Option<f64>,
    /// A number column that holds text in some rows (as a JSON field can).
    odd: Option<&'static str>,
}

fn num(key: &str, get: fn(&Row) -> Option<f64>) -> ColumnSpec<Row> {
    ColumnSpec {
        key: key.into(),
        label: key.into(),
        numeric: true,
        default_dir: SortDir::Asc,
        cell: Arc::new(move |r: &Row| get(r).map_or(EMPTY.into(), |x| x.to_string())),
        sort_key: Arc::new(move |r: &Row| SortKey::num(get(r))),
    }
}

fn text(key: &str, get: fn(&Row) -> Option<&str>) -> ColumnSpec<Row> {
    ColumnSpec {
        key: key.into(),
        label: key.into(),
        numeric: false,
        default_dir: SortDir::Asc,
        cell: Arc::new(move |r: &Row| get(r).unwrap_or(EMPTY).to_string()),
        sort_key: Arc::new(move |r: &Row| SortKey::text(get(r))),
    }
}

fn spec_of(columns: Vec<ColumnSpec<Row>>) -> TableSpec<Row> {
    TableSpec {
        columns,
        default_columns: vec![],
        default_sort: ("subject_id".into(), SortDir::Asc),
        row_key: Arc::new(|r: &Row| r.id.to_string()),
        matches: Arc::new(|_: &Row, _: &str| true),
        tie_break: Arc::new(|a: &Row, b: &Row| a.id.cmp(&b.id)),
        noun: ("row", "rows"),
    }
}

fn spec() -> TableSpec<Row> {
    let mut odd = num("odd", |_| None);
    odd.sort_key = Arc::new(|r: &Row| SortKey::text(r.odd));
    spec_of(vec![
        text("subject_id", |r| Some(r.subject)),
        num("n_trials", |r| r.n_trials),
        text("agent_alias", |r| r.alias.as_deref()),
        text("session_date", |r| r.date),
        num("prediction_accuracy_10-CV_test", |r| r.cv),
        num("results.fit.AIC", |r| r.fit_aic),
        odd,
    ])
}

fn row(id: usize, n: Option<f64>, alias: Option<&str>, date: Option<&'static str>) -> Row {
    Row {
        id,
        subject: ["730945", "799001"][id % 2],
        n_trials: n,
        alias: alias.map(String::from),
        date,
        cv: Some(0.1 * id as f64),
        fit_aic: Some(100.0 + id as f64),
        odd: Some(["12", "x"][id % 2]),
    }
}

fn rows() -> Vec<Arc<Row>> {
    [
        row(0, Some(300.0), Some("WSLS"), Some("2024-05-31")),
        row(1, Some(450.0), Some("QLearning_L2F1"), Some("2024-06-01")),
        row(2, None, Some("WSLS"), Some("2024-07-10")),
        row(3, Some(120.0), Some("Bias Ωmega"), None),
        row(4, Some(800.0), None, Some("2025-01-02")),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
}

fn run(text: &str) -> FilterOutcome {
    let (s, r) = (spec(), rows());
    let f = compile(&s, text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .expect("a filter");
    f.apply(&s, &r, 0..r.len())
}

fn kept(text: &str) -> Vec<usize> {
    run(text).kept
}

fn error(text: &str) -> ExprError {
    compile(&spec(), text).expect_err(text)
}

/// The error's span as the text it underlines.
fn underlined(text: &str) -> String {
    let e = error(text);
    text.chars().skip(e.start).take(e.end - e.start).collect()
}

#[test]
fn names_are_keys_made_safe_and_unique() {
    let keys = [
        "a-b", "a_b", "a b", "2nd", "inf", "true", "x.y", "é", "_id", "a_b_2",
    ];
    let s = spec_of(keys.iter().map(|k| text(k, |_| None)).collect());
    assert_eq!(
        variable_names(&s),
        ["a_b_3", "a_b", "a_b_4", "_2nd", "_inf", "_true", "x.y", "_", "_id", "a_b_2"]
    );
    let names = variable_names(&spec());
    assert_eq!(names[4], "prediction_accuracy_10_CV_test");
    assert_eq!(names[5], "results.fit.AIC");
}

#[test]
fn numbers_strings_and_dates() {
    assert_eq!(kept("n_trials > 300"), [1, 4]);
    assert_eq!(kept("n_trials == 300"), [0]);
    assert_eq!(kept("n_trials >= 3e2 && n_trials < 0x1F4"), [0, 1]);
    assert_eq!(kept(r#"agent_alias == "WSLS""#), [0, 2]);
    assert_eq!(kept(r#"agent_alias < "C""#), [3]);
    assert_eq!(kept(r#"session_date >= "2024-06-01""#), [1, 2, 4]);
    assert_eq!(kept(r#"subject_id == "730945""#), [0, 2, 4]);
    assert_eq!(kept("n_trials / 2 + 10 > 160"), [1, 4]);
}

#[test]
fn logic_and_parentheses() {
    let t = r#"n_trials > 300 && agent_alias == "WSLS" || !(n_trials > 200)"#;
    assert_eq!(kept(t), [3]);
    assert_eq!(
        kept(r#"(n_trials > 200 || agent_alias == "x") && n_trials < 500"#),
        [0, 1]
    );
    assert_eq!(kept("!(n_trials != 450)"), [1]);
    assert_eq!(kept("true"), [0, 1, 2, 3, 4]);
}

#[test]
fn hyphenated_and_dotted_keys() {
    assert_eq!(kept("prediction_accuracy_10_CV_test > 0.25"), [3, 4]);
    assert_eq!(kept("results.fit.AIC <= 101"), [0, 1]);
    let f = compile(&spec(), "results.fit.AIC > 1 && n_trials > 1")
        .unwrap()
        .unwrap();
    assert_eq!(
        f.columns().collect::<Vec<_>>(),
        ["results.fit.AIC", "n_trials"]
    );
}

#[test]
fn functions() {
    assert_eq!(kept(r#"str::starts_with(agent_alias, "Q")"#), [1]);
    assert_eq!(kept(r#"str::contains(agent_alias, "Ωme")"#), [3]);
    assert_eq!(
        kept(r#"contains(("WSLS", "Bias Ωmega"), agent_alias)"#),
        [0, 2, 3]
    );
    assert_eq!(kept("len(agent_alias) == 10"), [3]);
    assert_eq!(kept(r#"str::to_lowercase(agent_alias) == "wsls""#), [0, 2]);
    assert_eq!(kept("max(n_trials, 500) == 500"), [0, 1, 3]);
    assert_eq!(kept("min(n_trials, 500, 200) == n_trials"), [3]);
    assert_eq!(kept("floor(n_trials / 7) == 64 && round(2.5) == 3"), [1]);
    assert_eq!(
        kept("math::abs(-n_trials) > 700 && math::sqrt(4) == 2"),
        [4]
    );
    assert_eq!(
        kept(r#"str::trim(str::to_lowercase(" WSLS ")) == "wsls" && agent_alias > "V""#),
        [0, 2]
    );
    assert_eq!(
        kept(r#"str::ends_with(agent_alias, "F1") && len(("a", 1)) == 2"#),
        [1]
    );
}

#[test]
fn empty_values_and_row_errors_are_counted() {
    let o = run(r#"n_trials > 100 || agent_alias == "WSLS""#);
    assert_eq!((o.kept, o.missing, o.errors), (vec![0, 1, 3], 2, 0));
    // `odd` is a number column holding "x" in odd rows.
    let o = run("odd > 5");
    assert_eq!((o.kept, o.missing, o.errors), (vec![0, 2, 4], 0, 2));
    assert_eq!(
        o.first_error.as_deref(),
        Some("a number is needed here, not text")
    );
    // A spec rebuilt without a column the filter reads.
    let f = compile(&spec(), "n_trials > 1").unwrap().unwrap();
    let r = rows();
    let o = f.apply(&spec_of(vec![]), &r, 0..r.len());
    assert_eq!((o.kept.len(), o.errors), (0, 5));
}

#[test]
fn blank_is_no_filter() {
    assert!(compile(&spec(), "  \n").unwrap().is_none());
}

#[test]
fn syntax_errors_point_at_their_place() {
    assert_eq!(underlined("(n_trials > 3 && (n_trials < 5)"), "(");
    assert_eq!(error("(n_trials > 3").message, "this ( is never closed");
    assert_eq!(underlined("n_trials > 3)"), ")");
    assert_eq!(
        underlined(r#"n_trials > 3 && agent_alias == "WSL"#),
        "\"WSL"
    );
    assert_eq!(underlined("n_trials >"), ">");
    assert_eq!(error("n_trials >").message, "> needs a value after it");
    assert_eq!(underlined("n_trials > && n_trials < 3"), ">");
    assert_eq!(underlined("n_trials 300"), "300");
    assert!(error("n_trials 300")
        .message
        .contains("operator is missing"));
    assert_eq!(underlined("n_trials = 300"), "=");
    assert_eq!(
        error("n_trials = 300").message,
        "= assigns: compare with =="
    );
    assert_eq!(underlined("n_trials > 3 & n_trials < 5"), "&");
    assert_eq!(underlined("> 3"), ">");
    assert_eq!(underlined("n_trials > ()"), "()");
    assert_eq!(underlined("n_trials > 1; n_trials"), ";");
    assert_eq!(underlined(r#"agent_alias == "a\b""#), "\\b");
    assert_eq!(underlined("n_trials (300)"), "n_trials");
    assert_eq!(underlined("n_trials > 1 !"), "!");
}

#[test]
fn unknown_names_point_at_the_name_with_a_hint() {
    let e = error("n_trials > 3 && n_trial < 5");
    assert_eq!((e.start, e.end), (16, 23));
    assert_eq!(e.message, "no column \"n_trial\"; did you mean n_trials?");
    let hint = |t: &str| {
        error(t)
            .message
            .split("; ")
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(hint("RESULTS.fit.aic > 3"), "did you mean results.fit.AIC?");
    assert_eq!(hint("AIC > 3"), "did you mean results.fit.AIC?");
    assert_eq!(hint("date > 3"), "did you mean session_date?");
    // The raw key reads as a subtraction: its first part is the unknown name.
    let e = error("prediction_accuracy_10-CV_test > 0.5");
    assert_eq!((e.start, e.end), (0, 22));
    assert!(e
        .message
        .ends_with("did you mean prediction_accuracy_10_CV_test?"));
    assert!(error("zzzz > 3")
        .message
        .starts_with("no column \"zzzz\"; columns are subject_id"));
    let e = error("str::startswith(agent_alias, \"Q\")");
    assert_eq!((e.start, e.end), (0, 15));
    assert!(
        e.message.contains("did you mean str::starts_with?"),
        "{}",
        e.message
    );
    assert!(error("str::substring(agent_alias, 0, 1) == \"a\"")
        .message
        .starts_with("no function"));
}

#[test]
fn positions_are_in_chars() {
    let t = r#"agent_alias == "Ωmega" && n_trail > 1"#;
    let e = error(t);
    assert_eq!((e.start, e.end), (26, 33));
    assert_eq!(underlined(r#"agent_alias == "Ωm"#), "\"Ωm");
    assert_eq!(underlined(r#"agent_alias == "Ω" n_trials"#), "n_trials");
}

#[test]
fn type_errors_at_compile_time() {
    let whole = |t: &str| {
        let e = error(t);
        assert_eq!((e.start, e.end), (0, t.chars().count()), "{t}");
        e.message
    };
    assert_eq!(
        whole("agent_alias > 3"),
        "a number is needed here, not text"
    );
    assert_eq!(
        whole("n_trials + 1"),
        "the expression gives a number, not true/false"
    );
    assert_eq!(
        whole(r#"agent_alias"#),
        "the expression gives text, not true/false"
    );
    assert_eq!(
        whole("n_trials && true"),
        "&&, || and ! need true/false, not a number"
    );
    assert_eq!(underlined("subject_id == 730945"), "subject_id");
    assert!(error("subject_id == 730945").message.contains("is text"));
    assert_eq!(underlined(r#"("300") != n_trials"#), "n_trials");
}

#[test]
fn thirty_thousand_rows() {
    let aliases = ["WSLS", "QLearning_L2F1", "Bias", "Hattori2019"];
    let dates = ["2024-05-01", "2024-06-15", "2025-01-02"];
    let r: Vec<Arc<Row>> = (0..30_000)
        .map(|i| {
            let mut x = row(
                i,
                Some((i % 1000) as f64),
                Some(aliases[i % 4]),
                Some(dates[i % 3]),
            );
            x.n_trials = (i % 97 != 0).then_some((i % 1000) as f64);
            Arc::new(x)
        })
        .collect();
    let s = spec();
    let text = r#"n_trials > 300 && agent_alias == "WSLS" && session_date >= "2024-06-01""#;
    let f = compile(&s, text).unwrap().unwrap();
    let t = Instant::now();
    let o = f.apply(&s, &r, 0..r.len());
    let ms = t.elapsed().as_secs_f64() * 1e3;
    println!(
        "30,000 rows filtered in {ms:.1} ms: {} kept, {} missing",
        o.kept.len(),
        o.missing
    );
    assert_eq!(o.missing, 30_000 / 97 + 1);
    assert!(o
        .kept
        .iter()
        .all(|&i| r[i].alias.as_deref() == Some("WSLS")));
}

#[test]
fn monsters_are_refused_before_they_reach_the_parser() {
    let s = spec();
    let long = vec!["n_trials > 1"; 300].join(" || ");
    let e = compile(&s, &long).unwrap_err();
    assert!(
        e.message.contains("at most 2000 characters") || e.message.contains("at most 100"),
        "{}",
        e.message
    );
    let ors = vec!["n_trials>1"; 160].join("||");
    assert!(ors.len() < 2000);
    let e = compile(&s, &ors).unwrap_err();
    assert!(
        e.message.starts_with("at most 100 && and ||"),
        "{}",
        e.message
    );
    let deep = format!("{}n_trials > 1{}", "(".repeat(40), ")".repeat(40));
    let e = compile(&s, &deep).unwrap_err();
    assert_eq!((e.start, e.end), (32, 33));
}
