//! The search page's query: several subjects, a date range, several models, a pipeline choice,
//! framework tags, or a custom filter, built into one selector per pipeline format.
//!
//! The base selector and the per-format filter keys come from [`FitQuery::filter`], so a search
//! for one subject is exactly the reference's single-value query. Every user value is placed as
//! a JSON string, never parsed as JSON or read as an operator.

use std::fmt;

use serde_json::{json, Map, Value};

use super::custom_filter::{forbidden_message, forbidden_operator, parse_custom_filter};
use super::query::{
    base_selector, filter_keys, form_encode, projection, FindParams, FitQuery, Pipeline, QueryError,
};

/// What the search page asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    pub subjects: Vec<String>,
    /// First session date, `YYYY-MM-DD`, inclusive.
    pub date_from: Option<String>,
    /// Last session date, `YYYY-MM-DD`, inclusive.
    pub date_to: Option<String>,
    /// Model names (`agent_alias`).
    pub models: Vec<String>,
    /// `None` searches both pipelines.
    pub pipeline: Option<Pipeline>,
    /// Framework `analysis_tag`s; empty means the default tags. Han's pipeline is not affected.
    pub tags: Vec<String>,
    /// Show failed fits too (the reference drops them).
    pub include_failed: bool,
    /// A custom selector merged over each format's base; when non-empty the subject, date and
    /// model filters are ignored, as in the reference.
    pub custom: Option<Map<String, Value>>,
    /// The user explicitly asked for every fit (no filter at all).
    pub all: bool,
}

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
fn distinct(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        if !v.is_empty() && !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// One value as a plain string (the reference's equality), several as `{"$in": [...]}`.
fn one_or_in(values: &[String]) -> Option<Value> {
    match values {
        [] => None,
        [one] => Some(Value::String(one.clone())),
        many => Some(json!({ "$in": many })),
    }
}

/// An inclusive date range; one day as plain equality.
pub(crate) fn date_range(from: Option<&str>, to: Option<&str>) -> Option<Value> {
    let from = from.filter(|s| !s.is_empty());
    let to = to.filter(|s| !s.is_empty());
    match (from, to) {
        (None, None) => None,
        (Some(f), Some(t)) if f == t => Some(json!(f)),
        (Some(f), Some(t)) => Some(json!({"$gte": f, "$lte": t})),
        (Some(f), None) => Some(json!({ "$gte": f })),
        (None, Some(t)) => Some(json!({ "$lte": t })),
    }
}

/// Bytes added to the query string for the origin, the API path and the `?`.
pub const URL_OVERHEAD_BYTES: usize = 200;

/// An estimate of the `find` URL length for a filter: the query string with the pipeline's
/// projection (with metrics), the `{"_id": 1}` sort and 20-digit `limit`/`skip` (their widest),
/// plus [`URL_OVERHEAD_BYTES`].
pub fn find_url_estimate(p: Pipeline, filter: &Value) -> usize {
    let params = FindParams {
        filter: filter.clone(),
        projection: Some(projection(p, true)),
        sort: Some(json!({"_id": 1})),
        limit: u64::MAX,
        skip: u64::MAX,
    };
    params.query_string().len() + URL_OVERHEAD_BYTES
}

/// Length of `text` once form-encoded.
fn encoded_len(text: &str) -> usize {
    form_encode(&[("", text.to_string())]).len() - 1
}

impl SearchQuery {
    fn custom_filter(&self) -> Option<&Map<String, Value>> {
        self.custom.as_ref().filter(|c| !c.is_empty())
    }

    fn searches(&self, p: Pipeline) -> bool {
        self.pipeline.is_none_or(|only| only == p)
    }

    /// The subjects that are actually filtered on (non-empty, without repeats).
    pub fn subject_list(&self) -> Vec<String> {
        distinct(&self.subjects)
    }

    /// The models that are actually filtered on (non-empty, without repeats).
    pub fn model_list(&self) -> Vec<String> {
        distinct(&self.models)
    }

    /// The selector for one format; `Ok(None)` when the pipeline choice leaves `p` out.
    /// Call [`SearchQuery::validate`] first: values are used as they are.
    pub fn filter(&self, p: Pipeline) -> Result<Option<Value>, QueryError> {
        self.filter_with_subjects(p, &self.subject_list())
    }

    fn filter_with_subjects(
        &self,
        p: Pipeline,
        subjects: &[String],
    ) -> Result<Option<Value>, QueryError> {
        if !self.searches(p) {
            return Ok(None);
        }
        if let Some(custom) = self.custom_filter() {
            let q = FitQuery {
                analysis_tags: self.tags.clone(),
                custom: Some(custom.clone()),
                ..FitQuery::default()
            };
            return q.filter(p).map(Some);
        }
        let (mut f, keys) = (base_selector(p, &self.tags), filter_keys(p));
        let filters = [
            (keys.subject, one_or_in(subjects)),
            (
                keys.session_date,
                date_range(self.date_from.as_deref(), self.date_to.as_deref()),
            ),
            (keys.agent_alias, one_or_in(&self.model_list())),
        ];
        let mut any = false;
        for (key, value) in filters {
            if let Some(v) = value {
                f.insert(key, v);
                any = true;
            }
        }
        if !any && !self.all {
            return Err(QueryError::NoFilter);
        }
        Ok(Some(Value::Object(f)))
    }

    /// The selectors for one format, the subject list split so that each `find` URL stays under
    /// `max_url_bytes` (see [`find_url_estimate`]). One selector when it fits, or when there is
    /// nothing to split (a custom filter, a single subject); a single subject too long by itself
    /// still gets its own selector. `Ok(None)` when the pipeline choice leaves `p` out.
    pub fn batched_filters(
        &self,
        p: Pipeline,
        max_url_bytes: usize,
    ) -> Result<Option<Vec<Value>>, QueryError> {
        let Some(whole) = self.filter(p)? else {
            return Ok(None);
        };
        let subjects = self.subject_list();
        if self.custom_filter().is_some()
            || subjects.len() < 2
            || find_url_estimate(p, &whole) <= max_url_bytes
        {
            return Ok(Some(vec![whole]));
        }
        // Everything but the subjects, with an empty `$in` list; each subject then adds its
        // encoded JSON string and, after the first, an encoded comma. Sized with `$in` even for a
        // batch of one, which is sent as the shorter plain string.
        let key = filter_keys(p).subject;
        let mut shell = whole.clone();
        shell[key.as_str()] = json!({ "$in": [] });
        let fixed = find_url_estimate(p, &shell);
        if fixed >= max_url_bytes {
            // The other filters alone are too long: splitting the subjects cannot help.
            return Ok(Some(vec![whole]));
        }
        let comma = encoded_len(",");
        let mut batches: Vec<Vec<String>> = Vec::new();
        let mut current: Vec<String> = Vec::new();
        let mut len = fixed;
        for s in subjects {
            let cost = encoded_len(&Value::String(s.clone()).to_string());
            if !current.is_empty() && len + comma + cost > max_url_bytes {
                batches.push(std::mem::take(&mut current));
                len = fixed;
            }
            len += cost + if current.is_empty() { 0 } else { comma };
            current.push(s);
        }
        batches.push(current);
        let mut out = Vec::with_capacity(batches.len());
        for batch in batches {
            if let Some(f) = self.filter_with_subjects(p, &batch)? {
                out.push(f);
            }
        }
        Ok(Some(out))
    }

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
    pub fn from_params(pairs: &[(String, String)]) -> (SearchQuery, Vec<ParamProblem>) {
        let mut q = SearchQuery::default();
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
    use crate::core::query::FilterKeys;
    use crate::core::query::MAX_URL_BYTES;

    const FW: &str = "processing.data_processes.output_parameters";

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn params(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filter_keys_match_the_spec() {
        assert_eq!(
            filter_keys(Pipeline::Framework),
            FilterKeys {
                subject: format!("{FW}.subject_id"),
                session_date: format!("{FW}.session_date"),
                agent_alias: format!("{FW}.fitting_results.fit_settings.agent_alias"),
            }
        );
        assert_eq!(
            filter_keys(Pipeline::Han),
            FilterKeys {
                subject: "subject_id".into(),
                session_date: "session_date".into(),
                agent_alias: "analysis_results.fit_settings.agent_alias".into(),
            }
        );
    }

    #[test]
    fn single_values_equal_the_reference_query() {
        for p in Pipeline::ALL {
            for id in ["730945", "{\"$ne\":1}", "$where"] {
                let q = SearchQuery {
                    subjects: strings(&[id]),
                    ..Default::default()
                };
                assert_eq!(
                    q.filter(p).unwrap(),
                    Some(FitQuery::for_subject(id).filter(p).unwrap()),
                    "{p:?} {id}"
                );
            }
            let q = SearchQuery {
                subjects: strings(&["1"]),
                date_from: Some("2025-01-02".into()),
                date_to: Some("2025-01-02".into()),
                models: strings(&["WSLS"]),
                tags: strings(&["aind-analysis-framework v0.2"]),
                ..Default::default()
            };
            let reference = FitQuery {
                subject_id: Some("1".into()),
                session_date: Some("2025-01-02".into()),
                agent_alias: Some("WSLS".into()),
                analysis_tags: strings(&["aind-analysis-framework v0.2"]),
                custom: None,
            };
            assert_eq!(q.filter(p).unwrap(), Some(reference.filter(p).unwrap()));
        }
    }

    /// (query, key under Han, expected value there)
    #[test]
    fn lists_and_ranges() {
        let cases: Vec<(SearchQuery, &str, Value)> = vec![
            (
                SearchQuery {
                    subjects: strings(&["1", "2", "1", ""]),
                    ..Default::default()
                },
                "subject_id",
                json!({"$in": ["1", "2"]}),
            ),
            (
                SearchQuery {
                    date_from: Some("2025-01-01".into()),
                    date_to: Some("2025-02-01".into()),
                    ..Default::default()
                },
                "session_date",
                json!({"$gte": "2025-01-01", "$lte": "2025-02-01"}),
            ),
            (
                SearchQuery {
                    date_from: Some("2025-01-01".into()),
                    ..Default::default()
                },
                "session_date",
                json!({"$gte": "2025-01-01"}),
            ),
            (
                SearchQuery {
                    date_to: Some("2025-02-01".into()),
                    ..Default::default()
                },
                "session_date",
                json!({"$lte": "2025-02-01"}),
            ),
            (
                SearchQuery {
                    models: strings(&["A", "B"]),
                    ..Default::default()
                },
                "analysis_results.fit_settings.agent_alias",
                json!({"$in": ["A", "B"]}),
            ),
            (
                SearchQuery {
                    subjects: strings(&["{\"$gt\": \"\"}", "$where"]),
                    ..Default::default()
                },
                "subject_id",
                json!({"$in": ["{\"$gt\": \"\"}", "$where"]}),
            ),
        ];
        for (q, key, expected) in cases {
            let han = q.filter(Pipeline::Han).unwrap().unwrap();
            assert_eq!(han[key], expected, "{q:?}");
            assert_eq!(han["analysis_spec.analysis_name"], json!("MLE fitting"));
            let fw = q.filter(Pipeline::Framework).unwrap().unwrap();
            let fw_key = match key {
                "analysis_results.fit_settings.agent_alias" => {
                    format!("{FW}.fitting_results.fit_settings.agent_alias")
                }
                k => format!("{FW}.{k}"),
            };
            assert_eq!(fw[fw_key.as_str()], expected, "{q:?}");
            assert_eq!(han.as_object().unwrap().len(), 3);
            assert_eq!(fw.as_object().unwrap().len(), 3);
        }
    }

    #[test]
    fn pipeline_choice_tags_and_no_filter() {
        let q = SearchQuery {
            subjects: strings(&["1"]),
            pipeline: Some(Pipeline::Han),
            tags: strings(&["t"]),
            ..Default::default()
        };
        assert_eq!(q.filter(Pipeline::Framework), Ok(None));
        assert!(q.filter(Pipeline::Han).unwrap().is_some());
        let fw_only = SearchQuery {
            pipeline: Some(Pipeline::Framework),
            ..q.clone()
        };
        assert_eq!(fw_only.filter(Pipeline::Han), Ok(None));
        assert_eq!(
            fw_only.filter(Pipeline::Framework).unwrap().unwrap()
                ["processing.data_processes.code.parameters.analysis_tag"],
            json!({"$in": ["t"]})
        );
        for p in Pipeline::ALL {
            let none = SearchQuery {
                tags: strings(&["t"]),
                include_failed: true,
                subjects: strings(&[""]),
                custom: Some(Map::new()),
                ..Default::default()
            };
            assert_eq!(none.filter(p), Err(QueryError::NoFilter));
            let all = SearchQuery { all: true, ..none };
            let base = base_selector(p, &strings(&["t"]));
            assert_eq!(all.filter(p), Ok(Some(Value::Object(base))));
        }
    }

    #[test]
    fn custom_filter_overrides_and_ignores_the_rest() {
        let custom = parse_custom_filter(
            r#"{"subject_id": {"$in": ["1", "2"]}, "analysis_spec.analysis_ver": "x"}"#,
        )
        .unwrap();
        let q = SearchQuery {
            subjects: strings(&["ignored"]),
            date_from: Some("2025-01-01".into()),
            custom: Some(custom.clone()),
            ..Default::default()
        };
        let han = q.filter(Pipeline::Han).unwrap().unwrap();
        assert_eq!(
            han,
            json!({"analysis_spec.analysis_name": "MLE fitting",
                   "analysis_spec.analysis_ver": "x",
                   "subject_id": {"$in": ["1", "2"]}})
        );
        let fw = q.filter(Pipeline::Framework).unwrap().unwrap();
        assert!(fw.get(format!("{FW}.subject_id")).is_none());
        assert_eq!(fw["subject_id"], json!({"$in": ["1", "2"]}));
        assert_eq!(
            q.batched_filters(Pipeline::Han, 10).unwrap(),
            Some(vec![han])
        );
    }

    #[test]
    fn batches_stay_under_the_url_limit() {
        let subjects: Vec<String> = (0..2000).map(|i| format!("{}", 600_000 + i)).collect();
        let q = SearchQuery {
            subjects: subjects.clone(),
            models: strings(&["QLearning_L2F1_CK1_softmax"]),
            ..Default::default()
        };
        for p in Pipeline::ALL {
            let key = filter_keys(p).subject;
            let batches = q.batched_filters(p, MAX_URL_BYTES).unwrap().unwrap();
            assert!(batches.len() > 1, "{p:?}");
            let mut seen = Vec::new();
            for f in &batches {
                assert!(find_url_estimate(p, f) <= MAX_URL_BYTES, "{p:?}");
                let ids = f[key.as_str()]["$in"].as_array().unwrap();
                seen.extend(ids.iter().map(|v| v.as_str().unwrap().to_string()));
                assert_eq!(
                    f["analysis_results.fit_settings.agent_alias"].as_str().or(f
                        [format!("{FW}.fitting_results.fit_settings.agent_alias").as_str()]
                    .as_str()),
                    Some("QLearning_L2F1_CK1_softmax")
                );
            }
            assert_eq!(seen, subjects, "{p:?}");
            // Batches are full: the next subject would not have fitted.
            let first_len = batches[0][key.as_str()]["$in"].as_array().unwrap().len();
            let mut bigger = batches[0].clone();
            bigger[key.as_str()] = json!({"$in": subjects[..first_len + 1]});
            assert!(find_url_estimate(p, &bigger) > MAX_URL_BYTES);
        }
    }

    #[test]
    fn batching_edge_cases() {
        let q = SearchQuery {
            subjects: strings(&["1", "2", "3"]),
            ..Default::default()
        };
        let p = Pipeline::Han;
        let whole = q.filter(p).unwrap().unwrap();
        assert_eq!(
            q.batched_filters(p, MAX_URL_BYTES).unwrap(),
            Some(vec![whole.clone()])
        );
        // Room for exactly one subject: one per batch, each sent as plain equality.
        let mut one = whole.clone();
        one["subject_id"] = json!({"$in": ["1"]});
        let limit = find_url_estimate(p, &one);
        let single: Vec<Value> = q.batched_filters(p, limit).unwrap().unwrap();
        let ids: Vec<&Value> = single.iter().map(|f| &f["subject_id"]).collect();
        assert_eq!(ids, [&json!("1"), &json!("2"), &json!("3")]);
        let han_only = SearchQuery {
            pipeline: Some(Pipeline::Han),
            ..q.clone()
        };
        assert_eq!(han_only.batched_filters(Pipeline::Framework, 1), Ok(None));
        assert_eq!(
            SearchQuery::default().batched_filters(p, 1),
            Err(QueryError::NoFilter)
        );
        // Other filters too long by themselves: one selector, splitting cannot help.
        let long_models = SearchQuery {
            models: (0..2000).map(|i| format!("model_{i}")).collect(),
            ..q.clone()
        };
        assert_eq!(
            long_models.batched_filters(p, MAX_URL_BYTES).unwrap(),
            Some(vec![long_models.filter(p).unwrap().unwrap()])
        );
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
        let q = SearchQuery {
            date_from: Some("2025-02-30".into()),
            date_to: Some("2025-01-01".into()),
            ..Default::default()
        };
        let msgs: Vec<String> = q.validate().iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs, ["from: \"2025-02-30\" is not a date (YYYY-MM-DD)"]);
        let q = SearchQuery {
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
        assert!(SearchQuery::default().validate().is_empty());
    }

    #[test]
    fn params_round_trip() {
        let queries = vec![
            SearchQuery::default(),
            SearchQuery {
                subjects: strings(&["730945"]),
                ..Default::default()
            },
            SearchQuery {
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
            },
            SearchQuery {
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
            let (back, problems) = SearchQuery::from_params(&pairs);
            assert_eq!(back, q, "{pairs:?}");
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn to_params_text() {
        let q = SearchQuery {
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
            let (q, problems) = SearchQuery::from_params(&pairs);
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
        let (q, problems) = SearchQuery::from_params(&params(&[
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
