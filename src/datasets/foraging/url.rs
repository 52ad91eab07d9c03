//! A fit query as URL parameters (`subject`, `from`, `to`, `model`, `pipeline`, `tag`,
//! `failed`, `all`, `custom`): written without defaults, read leniently, with every value that
//! could not be used reported and ignored.

use std::fmt;

use serde_json::Value;

use super::query::{distinct, FitQuery};
use super::schema::Pipeline;
use crate::mongo::filter::{forbidden_message, forbidden_operator, parse_custom_filter};

/// A URL parameter or form value that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamProblem {
    pub param: String,
    pub value: String,
    /// A complete sentence for the page, starting with the parameter name.
    pub message: String,
}

impl fmt::Display for ParamProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl ParamProblem {
    fn new(param: &str, value: &str, what: &str) -> ParamProblem {
        ParamProblem {
            param: param.to_string(),
            value: value.to_string(),
            message: format!("{param}: {} {what}", quoted(value)),
        }
    }
}

/// A value in double quotes, escaped so that odd characters stay visible.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Non-empty values without repeats, first occurrence first.
impl FitQuery {
    /// Problems with the values as they are: dates that are not `YYYY-MM-DD` calendar dates, a
    /// range that ends before it starts, a custom filter with a JavaScript operator.
    pub fn validate(&self) -> Vec<ParamProblem> {
        let mut problems = Vec::new();
        for (param, date) in [("from", &self.date_from), ("to", &self.date_to)] {
            if let Some(d) = date.as_deref().filter(|d| !is_valid_date(d)) {
                problems.push(ParamProblem::new(param, d, "is not a date (YYYY-MM-DD)"));
            }
        }
        if let (Some(from), Some(to)) = (self.date_from.as_deref(), self.date_to.as_deref()) {
            if is_valid_date(from) && is_valid_date(to) && from > to {
                problems.push(range_problem(from, to));
            }
        }
        if let Some(custom) = &self.custom {
            if let Some(op) = forbidden_operator(&Value::Object(custom.clone())) {
                let text = Value::Object(custom.clone()).to_string();
                problems.push(ParamProblem {
                    param: "custom".into(),
                    value: text,
                    message: format!("custom: {}", forbidden_message(op)),
                });
            }
        }
        problems
    }

    /// The query as URL parameters; defaults are left out. Lists are comma-joined.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let subjects = self.subject_list();
        if !subjects.is_empty() {
            out.push(("subject", subjects.join(",")));
        }
        if let Some(d) = self.date_from.as_ref().filter(|d| !d.is_empty()) {
            out.push(("from", d.clone()));
        }
        if let Some(d) = self.date_to.as_ref().filter(|d| !d.is_empty()) {
            out.push(("to", d.clone()));
        }
        let models = self.model_list();
        if !models.is_empty() {
            out.push(("model", models.join(",")));
        }
        if let Some(p) = self.pipeline {
            out.push(("pipeline", pipeline_param(p).to_string()));
        }
        let tags = distinct(&self.tags);
        if !tags.is_empty() {
            out.push(("tag", tags.join(",")));
        }
        if self.include_failed {
            out.push(("failed", "1".into()));
        }
        if self.all {
            out.push(("all", "1".into()));
        }
        if let Some(custom) = self.custom_filter() {
            out.push(("custom", Value::Object(custom.clone()).to_string()));
        }
        out
    }

    /// Reads URL parameters. Unusable values are reported and ignored; other parameters (the
    /// table's own state) are ignored silently. List parameters given more than once add up;
    /// for the others the last one wins.
    pub fn from_params(pairs: &[(String, String)]) -> (FitQuery, Vec<ParamProblem>) {
        let mut q = FitQuery::default();
        let mut problems = Vec::new();
        for (key, raw) in pairs {
            let value = raw.trim();
            match key.as_str() {
                "subject" => q.subjects.extend(parse_subject_list(value)),
                "model" => q.models.extend(comma_list(value)),
                "tag" => q.tags.extend(comma_list(value)),
                "from" | "to" => {
                    let slot = if key == "from" {
                        &mut q.date_from
                    } else {
                        &mut q.date_to
                    };
                    *slot = None;
                    if is_valid_date(value) {
                        *slot = Some(value.to_string());
                    } else if !value.is_empty() {
                        problems.push(ParamProblem::new(
                            key,
                            raw,
                            "is not a date (YYYY-MM-DD); ignored",
                        ));
                    }
                }
                "pipeline" => match value.to_ascii_lowercase().as_str() {
                    "" | "both" => q.pipeline = None,
                    "framework" => q.pipeline = Some(Pipeline::Framework),
                    "han" => q.pipeline = Some(Pipeline::Han),
                    _ => {
                        q.pipeline = None;
                        problems.push(ParamProblem::new(
                            key,
                            raw,
                            "is not framework or han; both pipelines are searched",
                        ));
                    }
                },
                "failed" | "all" => {
                    let flag = match value.to_ascii_lowercase().as_str() {
                        "1" | "true" => true,
                        "" | "0" | "false" => false,
                        _ => {
                            problems.push(ParamProblem::new(key, raw, "is not 1 or 0; ignored"));
                            false
                        }
                    };
                    if key == "failed" {
                        q.include_failed = flag;
                    } else {
                        q.all = flag;
                    }
                }
                "custom" => match parse_custom_filter(raw) {
                    Ok(map) if map.is_empty() => q.custom = None,
                    Ok(map) => q.custom = Some(map),
                    Err(e) => {
                        q.custom = None;
                        problems.push(ParamProblem {
                            param: key.clone(),
                            value: raw.clone(),
                            message: format!("custom: {e}; ignored"),
                        });
                    }
                },
                _ => {}
            }
        }
        q.subjects = distinct(&q.subjects);
        q.models = distinct(&q.models);
        q.tags = distinct(&q.tags);
        if let (Some(from), Some(to)) = (q.date_from.as_deref(), q.date_to.as_deref()) {
            if from > to {
                let mut problem = range_problem(from, to);
                problem.message.push_str("; the date range was ignored");
                problems.push(problem);
                q.date_from = None;
                q.date_to = None;
            }
        }
        (q, problems)
    }
}
fn range_problem(from: &str, to: &str) -> ParamProblem {
    ParamProblem::new("to", to, &format!("is before from {}", quoted(from)))
}

fn pipeline_param(p: Pipeline) -> &'static str {
    match p {
        Pipeline::Framework => "framework",
        Pipeline::Han => "han",
    }
}

/// Comma-separated values (models, tags; these may contain spaces), trimmed, blanks dropped.
fn comma_list(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Subject ids typed or pasted: separated by commas, whitespace or newlines; trimmed, blanks
/// dropped, repeats removed keeping the first.
pub fn parse_subject_list(text: &str) -> Vec<String> {
    let ids: Vec<String> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    distinct(&ids)
}

/// `YYYY-MM-DD` naming a real calendar day (leap years included).
pub fn is_valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn params(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn subject_lists() {
        let cases: [(&str, &[&str]); 6] = [
            ("", &[]),
            (" 730945 ", &["730945"]),
            ("1,2 3\n4\t5\r\n6", &["1", "2", "3", "4", "5", "6"]),
            ("1,,1, 2 ,\n2", &["1", "2"]),
            (",,\n  ,", &[]),
            ("b a b", &["b", "a"]),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_subject_list(text), strings(expected), "{text:?}");
        }
    }

    #[test]
    fn dates() {
        let cases = [
            ("2025-01-31", true),
            ("2024-02-29", true),
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2025-02-29", false),
            ("2025-04-31", false),
            ("2025-13-01", false),
            ("2025-00-10", false),
            ("2025-01-00", false),
            ("2025-1-01", false),
            ("2025/01/01", false),
            ("20250101", false),
            ("2025-01-01T00:00", false),
            ("２０２５-01-01", false),
            ("+025-01-01", false),
            ("", false),
        ];
        for (s, ok) in cases {
            assert_eq!(is_valid_date(s), ok, "{s}");
        }
    }

    #[test]
    fn validation_problems() {
        let q = FitQuery {
            date_from: Some("2025-02-30".into()),
            date_to: Some("2025-01-01".into()),
            ..Default::default()
        };
        let msgs: Vec<String> = q.validate().iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs, ["from: \"2025-02-30\" is not a date (YYYY-MM-DD)"]);
        let q = FitQuery {
            date_from: Some("2025-03-01".into()),
            date_to: Some("2025-01-01".into()),
            custom: Some(serde_json::from_value(json!({"$or": [{"$where": "1"}]})).unwrap()),
            ..Default::default()
        };
        let problems = q.validate();
        assert_eq!(problems.len(), 2);
        assert_eq!(
            problems[0].message,
            "to: \"2025-01-01\" is before from \"2025-03-01\""
        );
        assert_eq!(problems[1].param, "custom");
        assert!(problems[1].message.contains("$where runs JavaScript"));
        assert!(FitQuery::default().validate().is_empty());
    }

    #[test]
    fn params_round_trip() {
        let queries = vec![
            FitQuery::default(),
            FitQuery {
                subjects: strings(&["730945"]),
                ..Default::default()
            },
            FitQuery {
                subjects: strings(&["1", "2", "$where", "{\"$ne\":1}"]),
                date_from: Some("2025-01-01".into()),
                date_to: Some("2025-02-01".into()),
                models: strings(&["QLearning_L2F1_CK1_softmax", "WSLS"]),
                pipeline: Some(Pipeline::Framework),
                tags: strings(&[
                    "aind-analysis-framework v0.1",
                    "aind-analysis-framework v0.2",
                ]),
                include_failed: true,
                all: true,
                custom: None,
                light: false,
            },
            FitQuery {
                pipeline: Some(Pipeline::Han),
                date_to: Some("2024-12-31".into()),
                custom: Some(
                    serde_json::from_value(
                        json!({"subject_id": {"$in": ["1", "2"]}, "x": [true, null, 1.5]}),
                    )
                    .unwrap(),
                ),
                ..Default::default()
            },
        ];
        for q in queries {
            let pairs: Vec<(String, String)> = q
                .to_params()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            let (back, problems) = FitQuery::from_params(&pairs);
            assert_eq!(back, q, "{pairs:?}");
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn to_params_text() {
        let q = FitQuery {
            subjects: strings(&["1", "2"]),
            date_from: Some("2025-01-01".into()),
            models: strings(&["A"]),
            pipeline: Some(Pipeline::Han),
            include_failed: true,
            ..Default::default()
        };
        assert_eq!(
            q.to_params(),
            vec![
                ("subject", "1,2".to_string()),
                ("from", "2025-01-01".to_string()),
                ("model", "A".to_string()),
                ("pipeline", "han".to_string()),
                ("failed", "1".to_string()),
            ]
        );
    }

    /// (params, problem messages)
    #[test]
    fn bad_params_are_reported_and_ignored() {
        type Case = (Vec<(String, String)>, Vec<&'static str>);
        let cases: Vec<Case> = vec![
            (
                params(&[("subject", "1"), ("from", "2025-13-01")]),
                vec!["from: \"2025-13-01\" is not a date (YYYY-MM-DD); ignored"],
            ),
            (
                params(&[("to", "soon"), ("pipeline", "both")]),
                vec!["to: \"soon\" is not a date (YYYY-MM-DD); ignored"],
            ),
            (
                params(&[("pipeline", "new")]),
                vec!["pipeline: \"new\" is not framework or han; both pipelines are searched"],
            ),
            (
                params(&[("failed", "yes"), ("all", "2")]),
                vec![
                    "failed: \"yes\" is not 1 or 0; ignored",
                    "all: \"2\" is not 1 or 0; ignored",
                ],
            ),
            (
                params(&[("from", "2025-03-01"), ("to", "2025-01-01")]),
                vec![
                    "to: \"2025-01-01\" is before from \"2025-03-01\"; the date range was ignored",
                ],
            ),
            (
                params(&[("custom", "{\"a\": }")]),
                vec!["custom: line 1, column 7: expected value; ignored"],
            ),
            (
                params(&[("custom", "{\"$where\": \"1\"}")]),
                vec![
                    "custom: line 1, column 2: $where runs JavaScript on the database server \
                     and is not allowed; use ordinary operators such as $in, $gte, $lte or \
                     $regex; ignored",
                ],
            ),
            (
                params(&[("from", "\u{0}\"x")]),
                vec!["from: \"\\u0000\\\"x\" is not a date (YYYY-MM-DD); ignored"],
            ),
        ];
        for (pairs, expected) in cases {
            let (q, problems) = FitQuery::from_params(&pairs);
            let msgs: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
            assert_eq!(msgs, expected, "{pairs:?}");
            assert_eq!(q.date_from, None);
            assert_eq!(q.date_to, None);
            assert_eq!(q.custom, None);
            assert_eq!(q.pipeline, None);
            assert!(!q.include_failed && !q.all);
        }
    }

    #[test]
    fn params_are_lenient_and_lists_add_up() {
        let (q, problems) = FitQuery::from_params(&params(&[
            ("subject", " 1, 2\n3 "),
            ("subject", "3,4"),
            ("model", "A, B ,,A"),
            ("tag", "aind-analysis-framework v0.2"),
            ("pipeline", "Framework"),
            ("failed", "true"),
            ("sort", "AIC"),
            ("page", "2"),
            ("custom", "  "),
            ("from", ""),
        ]));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(q.subjects, strings(&["1", "2", "3", "4"]));
        assert_eq!(q.models, strings(&["A", "B"]));
        assert_eq!(q.tags, strings(&["aind-analysis-framework v0.2"]));
        assert_eq!(q.pipeline, Some(Pipeline::Framework));
        assert!(q.include_failed);
        assert_eq!(q.custom, None);
    }
}
