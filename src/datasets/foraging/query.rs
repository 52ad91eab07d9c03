//! The one query model of the model-fitting dataset: several subjects, a date range, several
//! models, a pipeline choice, framework tags, or a custom filter, built into one selector per
//! pipeline format. A subject page is a query with one subject.
//!
//! A query for single values is exactly the reference's (`build_query_new_format` /
//! `build_query_old_format`). Every user value is placed as a JSON string, never parsed as JSON
//! or read as an operator. The URL form of a query lives in `url.rs`.

use serde_json::{json, Map, Value};

use super::schema::{base_selector, filter_keys, projection, Pipeline};
use crate::mongo::params::{encoded_len, FindParams};

/// What a subject page or a search asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitQuery {
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
    /// Only the fields an overview needs (no cross-validation folds or parameters): see
    /// [`super::schema::overview_projection`].
    pub light: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// The reference refuses a query without any filter.
    NoFilter,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::NoFilter => write!(
                f,
                "give at least one of subject, session date, model or a custom filter"
            ),
        }
    }
}

/// Non-empty values without repeats, first occurrence first.
pub(crate) fn distinct(values: &[String]) -> Vec<String> {
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

/// Bytes added to the query string for the origin, the API path and the `?`, and for the
/// `_id` condition keyset paging adds to a filter (`{"$and": [..., {"_id": {"$gt": id}}]}`
/// encoded, with room for a 64-character id).
pub const URL_OVERHEAD_BYTES: usize = 200 + 200;

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

impl FitQuery {
    /// A subject page: every fit of one subject.
    /// Every fit of the collection, light: the start page's overview of subjects.
    pub fn overview() -> FitQuery {
        FitQuery {
            all: true,
            light: true,
            ..FitQuery::default()
        }
    }

    pub fn for_subject(subject_id: &str) -> FitQuery {
        FitQuery {
            subjects: vec![subject_id.to_string()],
            ..FitQuery::default()
        }
    }

    pub(crate) fn custom_filter(&self) -> Option<&Map<String, Value>> {
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
    /// Call [`FitQuery::validate`] first: values are used as they are.
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
            let mut f = base_selector(p, &self.tags);
            for (k, v) in custom {
                f.insert(k.clone(), v.clone());
            }
            return Ok(Some(Value::Object(f)));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::schema::FilterKeys;
    use crate::mongo::filter::parse_custom_filter;
    use crate::mongo::params::MAX_URL_BYTES;

    const FW: &str = "processing.data_processes.output_parameters";

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
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

    /// `build_query_new_format` / `build_query_old_format` of the reference for one subject, one
    /// session date and one model.
    #[test]
    fn single_values_equal_the_reference_query() {
        let q = FitQuery {
            subjects: strings(&["730945"]),
            date_from: Some("2024-10-24".into()),
            date_to: Some("2024-10-24".into()),
            models: strings(&["WSLS"]),
            ..Default::default()
        };
        assert_eq!(
            q.filter(Pipeline::Framework).unwrap().unwrap(),
            json!({
                "processing.data_processes.code.parameters.analysis_name": "MLE fitting",
                "processing.data_processes.code.parameters.analysis_tag":
                    {"$in": ["aind-analysis-framework v0.1", "aind-analysis-framework v0.2"]},
                "processing.data_processes.output_parameters.subject_id": "730945",
                "processing.data_processes.output_parameters.session_date": "2024-10-24",
                "processing.data_processes.output_parameters.fitting_results.fit_settings.agent_alias": "WSLS",
            })
        );
        assert_eq!(
            q.filter(Pipeline::Han).unwrap().unwrap(),
            json!({
                "analysis_spec.analysis_name": "MLE fitting",
                "analysis_spec.analysis_ver": "first version @ 0.10.0",
                "subject_id": "730945",
                "session_date": "2024-10-24",
                "analysis_results.fit_settings.agent_alias": "WSLS",
            })
        );
        for hostile in [r#"{"$ne": null}"#, "$where", "{\"$gt\":\"\"}", "a\"b"] {
            for p in Pipeline::ALL {
                let f = FitQuery::for_subject(hostile).filter(p).unwrap().unwrap();
                assert_eq!(
                    f[filter_keys(p).subject.as_str()],
                    Value::String(hostile.into())
                );
            }
        }
    }

    /// (query, key under Han, expected value there)
    #[test]
    fn lists_and_ranges() {
        let cases: Vec<(FitQuery, &str, Value)> = vec![
            (
                FitQuery {
                    subjects: strings(&["1", "2", "1", ""]),
                    ..Default::default()
                },
                "subject_id",
                json!({"$in": ["1", "2"]}),
            ),
            (
                FitQuery {
                    date_from: Some("2025-01-01".into()),
                    date_to: Some("2025-02-01".into()),
                    ..Default::default()
                },
                "session_date",
                json!({"$gte": "2025-01-01", "$lte": "2025-02-01"}),
            ),
            (
                FitQuery {
                    date_from: Some("2025-01-01".into()),
                    ..Default::default()
                },
                "session_date",
                json!({"$gte": "2025-01-01"}),
            ),
            (
                FitQuery {
                    date_to: Some("2025-02-01".into()),
                    ..Default::default()
                },
                "session_date",
                json!({"$lte": "2025-02-01"}),
            ),
            (
                FitQuery {
                    models: strings(&["A", "B"]),
                    ..Default::default()
                },
                "analysis_results.fit_settings.agent_alias",
                json!({"$in": ["A", "B"]}),
            ),
            (
                FitQuery {
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
        let q = FitQuery {
            subjects: strings(&["1"]),
            pipeline: Some(Pipeline::Han),
            tags: strings(&["t"]),
            ..Default::default()
        };
        assert_eq!(q.filter(Pipeline::Framework), Ok(None));
        assert!(q.filter(Pipeline::Han).unwrap().is_some());
        let fw_only = FitQuery {
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
            let none = FitQuery {
                tags: strings(&["t"]),
                include_failed: true,
                subjects: strings(&[""]),
                custom: Some(Map::new()),
                ..Default::default()
            };
            assert_eq!(none.filter(p), Err(QueryError::NoFilter));
            let all = FitQuery { all: true, ..none };
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
        let q = FitQuery {
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
        let q = FitQuery {
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
        let q = FitQuery {
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
        let han_only = FitQuery {
            pipeline: Some(Pipeline::Han),
            ..q.clone()
        };
        assert_eq!(han_only.batched_filters(Pipeline::Framework, 1), Ok(None));
        assert_eq!(
            FitQuery::default().batched_filters(p, 1),
            Err(QueryError::NoFilter)
        );
        // Other filters too long by themselves: one selector, splitting cannot help.
        let long_models = FitQuery {
            models: (0..2000).map(|i| format!("model_{i}")).collect(),
            ..q.clone()
        };
        assert_eq!(
            long_models.batched_filters(p, MAX_URL_BYTES).unwrap(),
            Some(vec![long_models.filter(p).unwrap().unwrap()])
        );
    }
}
