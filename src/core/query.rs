//! Query builders for the two pipeline formats, mirroring `get_mle_model_fitting` of
//! `aind-analysis-arch-result-access` 1.2.0 filter for filter and projection for projection.
//! Values from the user or the URL are always inserted as JSON strings, never as operators.

use serde_json::{json, Map, Value};

pub const COLLECTION: &str = "dynamic-foraging-model-fitting";
pub const DATABASE: &str = "analysis";
pub const API_VERSION: &str = "v1";

/// Analysis tags of the AIND Analysis Framework that are queried by default.
pub const FRAMEWORK_TAGS: [&str; 2] = [
    "aind-analysis-framework v0.1",
    "aind-analysis-framework v0.2",
];

const P: &str = "processing.data_processes.output_parameters";

/// The two record formats living in the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pipeline {
    /// AIND Analysis Framework (new, nested).
    Framework,
    /// Han's prototype pipeline (old, flat).
    Han,
}

impl Pipeline {
    pub const ALL: [Pipeline; 2] = [Pipeline::Framework, Pipeline::Han];

    /// The reference's `pipeline_source` label.
    pub fn source_label(self) -> &'static str {
        match self {
            Pipeline::Framework => "aind analysis framework",
            Pipeline::Han => "han's analysis pipeline",
        }
    }

    /// A short label for the table.
    pub fn short_label(self) -> &'static str {
        match self {
            Pipeline::Framework => "framework",
            Pipeline::Han => "Han",
        }
    }
}

/// What the user asks for. Every field is plain data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitQuery {
    pub subject_id: Option<String>,
    pub session_date: Option<String>,
    pub agent_alias: Option<String>,
    /// Framework tags to match; empty means [`FRAMEWORK_TAGS`].
    pub analysis_tags: Vec<String>,
    /// A custom selector merged into each format's base selector (reference `from_custom_query`);
    /// when present, the other filters are ignored, as in the reference.
    pub custom: Option<Map<String, Value>>,
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

impl FitQuery {
    pub fn for_subject(subject_id: &str) -> FitQuery {
        FitQuery {
            subject_id: Some(subject_id.to_string()),
            ..FitQuery::default()
        }
    }

    /// The selector for one format (`build_query_new_format` / `build_query_old_format`).
    pub fn filter(&self, pipeline: Pipeline) -> Result<Value, QueryError> {
        let mut f = base_selector(pipeline, &self.analysis_tags);
        if let Some(custom) = self.custom.as_ref().filter(|c| !c.is_empty()) {
            for (k, v) in custom {
                f.insert(k.clone(), v.clone());
            }
            return Ok(Value::Object(f));
        }
        let keys = filter_keys(pipeline);
        let mut any = false;
        for (key, value) in [
            (keys.subject, &self.subject_id),
            (keys.session_date, &self.session_date),
            (keys.agent_alias, &self.agent_alias),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
                f.insert(key, Value::String(v.clone()));
                any = true;
            }
        }
        if !any {
            return Err(QueryError::NoFilter);
        }
        Ok(Value::Object(f))
    }
}

/// What selects MLE fits of one format, before any user filter. `tags` narrows the framework's
/// `analysis_tag` (empty: [`FRAMEWORK_TAGS`]); Han's pipeline has no tags.
pub fn base_selector(pipeline: Pipeline, tags: &[String]) -> Map<String, Value> {
    let mut f = Map::new();
    match pipeline {
        Pipeline::Framework => {
            f.insert(
                "processing.data_processes.code.parameters.analysis_name".into(),
                json!("MLE fitting"),
            );
            let tags: Vec<Value> = if tags.is_empty() {
                FRAMEWORK_TAGS.iter().map(|t| json!(t)).collect()
            } else {
                tags.iter().map(|t| json!(t)).collect()
            };
            f.insert(
                "processing.data_processes.code.parameters.analysis_tag".into(),
                json!({ "$in": tags }),
            );
        }
        Pipeline::Han => {
            f.insert("analysis_spec.analysis_name".into(), json!("MLE fitting"));
            f.insert(
                "analysis_spec.analysis_ver".into(),
                json!("first version @ 0.10.0"),
            );
        }
    }
    f
}

/// Where the three user filters live in one format's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterKeys {
    pub subject: String,
    pub session_date: String,
    pub agent_alias: String,
}

/// The subject, session date and model keys of one format.
pub fn filter_keys(pipeline: Pipeline) -> FilterKeys {
    match pipeline {
        Pipeline::Framework => FilterKeys {
            subject: format!("{P}.subject_id"),
            session_date: format!("{P}.session_date"),
            agent_alias: format!("{P}.fitting_results.fit_settings.agent_alias"),
        },
        Pipeline::Han => FilterKeys {
            subject: "subject_id".into(),
            session_date: "session_date".into(),
            agent_alias: "analysis_results.fit_settings.agent_alias".into(),
        },
    }
}

/// Metric fields projected from the fitting results of both formats.
pub const METRIC_FIELDS: [&str; 9] = [
    "log_likelihood",
    "prediction_accuracy",
    "k_model",
    "AIC",
    "BIC",
    "LPT",
    "LPT_AIC",
    "LPT_BIC",
    "params",
];

/// Cross-validation arrays (one value per fold).
pub const CV_FIELDS: [&str; 3] = [
    "prediction_accuracy_test",
    "prediction_accuracy_fit",
    "prediction_accuracy_test_bias_only",
];

/// The aliased projection of `_build_projection(if_include_metrics, is_new_format)`.
pub fn projection(pipeline: Pipeline, include_metrics: bool) -> Value {
    let mut p = Map::new();
    let fr = match pipeline {
        Pipeline::Framework => {
            let fr = format!("{P}.fitting_results");
            for (k, v) in [
                ("nwb_name", format!("${P}.nwb_name")),
                (
                    "analysis_time",
                    "$processing.data_processes.end_date_time".to_string(),
                ),
                ("subject_id", format!("${P}.subject_id")),
                ("session_date", format!("${P}.session_date")),
                ("status", format!("${P}.additional_info")),
                ("agent_alias", format!("${fr}.fit_settings.agent_alias")),
                ("n_trials", format!("${fr}.n_trials")),
                ("S3_location", "$location".to_string()),
                (
                    "CO_asset_id",
                    "$processing.data_processes.code.input_data.url".to_string(),
                ),
                (
                    "analysis_tag",
                    "$processing.data_processes.code.parameters.analysis_tag".to_string(),
                ),
            ] {
                p.insert(k.into(), Value::String(v));
            }
            fr
        }
        Pipeline::Han => {
            let fr = "analysis_results".to_string();
            for k in ["nwb_name", "subject_id", "session_date", "status"] {
                p.insert(k.into(), json!(1));
            }
            p.insert("analysis_time".into(), json!("$analysis_datetime"));
            p.insert(
                "agent_alias".into(),
                json!(format!("${fr}.fit_settings.agent_alias")),
            );
            p.insert("n_trials".into(), json!(format!("${fr}.n_trials")));
            fr
        }
    };
    p.insert("_id".into(), json!(1));
    if include_metrics {
        for m in METRIC_FIELDS {
            p.insert(m.into(), json!(format!("${fr}.{m}")));
        }
        for c in CV_FIELDS {
            p.insert(c.into(), json!(format!("${fr}.cross_validation.{c}")));
        }
    }
    Value::Object(p)
}

/// Parameters of one `GET .../find` request.
#[derive(Debug, Clone, PartialEq)]
pub struct FindParams {
    pub filter: Value,
    pub projection: Option<Value>,
    pub sort: Option<Value>,
    pub limit: u64,
    pub skip: u64,
}

/// URLs over about 10 KB fail at the gateway.
pub const MAX_URL_BYTES: usize = 10_000;

impl FindParams {
    /// The form-encoded query string (`limit` and `skip` as decimal strings, JSON values as text).
    pub fn query_string(&self) -> String {
        let mut pairs = vec![
            ("limit", self.limit.to_string()),
            ("skip", self.skip.to_string()),
            ("filter", self.filter.to_string()),
        ];
        if let Some(p) = &self.projection {
            pairs.push(("projection", p.to_string()));
        }
        if let Some(s) = &self.sort {
            pairs.push(("sort", s.to_string()));
        }
        form_encode(&pairs)
    }
}

/// The `find` URL of a collection.
pub fn find_url(api_base: &str, database: &str, collection: &str, params: &FindParams) -> String {
    format!(
        "{}/{API_VERSION}/{}/{}/find?{}",
        api_base.trim_end_matches('/'),
        path_segment(database),
        path_segment(collection),
        params.query_string()
    )
}

/// `application/x-www-form-urlencoded`, as Python's `requests` sends it.
pub fn form_encode(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", form_component(k), form_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn form_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encodes one URL path segment (used for subject ids in links and collection names).
pub fn path_segment(s: &str) -> String {
    form_component(s).replace('+', "%20")
}

/// Decodes a percent-encoded path segment; invalid sequences are kept as they are.
pub fn decode_segment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_filter_matches_reference() {
        let q = FitQuery {
            subject_id: Some("730945".into()),
            session_date: Some("2024-10-24".into()),
            ..Default::default()
        };
        assert_eq!(
            q.filter(Pipeline::Framework).unwrap(),
            json!({
                "processing.data_processes.code.parameters.analysis_name": "MLE fitting",
                "processing.data_processes.code.parameters.analysis_tag":
                    {"$in": ["aind-analysis-framework v0.1", "aind-analysis-framework v0.2"]},
                "processing.data_processes.output_parameters.subject_id": "730945",
                "processing.data_processes.output_parameters.session_date": "2024-10-24",
            })
        );
        assert_eq!(
            q.filter(Pipeline::Han).unwrap(),
            json!({
                "analysis_spec.analysis_name": "MLE fitting",
                "analysis_spec.analysis_ver": "first version @ 0.10.0",
                "subject_id": "730945",
                "session_date": "2024-10-24",
            })
        );
    }

    #[test]
    fn user_values_are_data_never_operators() {
        for hostile in [r#"{"$ne": null}"#, "$where", "{\"$gt\":\"\"}", "a\"b"] {
            let q = FitQuery::for_subject(hostile);
            for p in Pipeline::ALL {
                let f = q.filter(p).unwrap();
                let key = match p {
                    Pipeline::Framework => format!("{P}.subject_id"),
                    Pipeline::Han => "subject_id".into(),
                };
                assert_eq!(f[&key], Value::String(hostile.into()));
            }
        }
    }

    #[test]
    fn alias_filter_and_no_filter() {
        let q = FitQuery {
            agent_alias: Some("WSLS".into()),
            ..Default::default()
        };
        assert_eq!(
            q.filter(Pipeline::Han).unwrap()["analysis_results.fit_settings.agent_alias"],
            json!("WSLS")
        );
        assert_eq!(
            q.filter(Pipeline::Framework).unwrap()
                [&format!("{P}.fitting_results.fit_settings.agent_alias")],
            json!("WSLS")
        );
        assert_eq!(
            FitQuery::default().filter(Pipeline::Han),
            Err(QueryError::NoFilter)
        );
        let blank = FitQuery::for_subject("");
        assert_eq!(blank.filter(Pipeline::Framework), Err(QueryError::NoFilter));
    }

    #[test]
    fn custom_query_overrides_like_reference() {
        let mut custom = Map::new();
        custom.insert("subject_id".into(), json!({"$in": ["1", "2"]}));
        let q = FitQuery {
            subject_id: Some("ignored".into()),
            custom: Some(custom),
            analysis_tags: vec!["aind-analysis-framework v0.2".into()],
            ..Default::default()
        };
        let f = q.filter(Pipeline::Framework).unwrap();
        assert_eq!(f["subject_id"], json!({"$in": ["1", "2"]}));
        assert_eq!(
            f["processing.data_processes.code.parameters.analysis_tag"],
            json!({"$in": ["aind-analysis-framework v0.2"]})
        );
        assert!(f.get(format!("{P}.subject_id")).is_none());
    }

    #[test]
    fn projections_match_reference() {
        let fw = projection(Pipeline::Framework, true);
        assert_eq!(fw["nwb_name"], json!(format!("${P}.nwb_name")));
        assert_eq!(fw["status"], json!(format!("${P}.additional_info")));
        assert_eq!(fw["S3_location"], json!("$location"));
        assert_eq!(
            fw["prediction_accuracy_test"],
            json!(format!(
                "${P}.fitting_results.cross_validation.prediction_accuracy_test"
            ))
        );
        assert_eq!(fw.as_object().unwrap().len(), 11 + 9 + 3);
        let han = projection(Pipeline::Han, true);
        assert_eq!(han["nwb_name"], json!(1));
        assert_eq!(han["analysis_time"], json!("$analysis_datetime"));
        assert_eq!(han["params"], json!("$analysis_results.params"));
        assert_eq!(han.as_object().unwrap().len(), 8 + 9 + 3);
        assert_eq!(
            projection(Pipeline::Han, false).as_object().unwrap().len(),
            8
        );
    }

    #[test]
    fn find_url_is_form_encoded() {
        let params = FindParams {
            filter: json!({"subject_id": "a b&c"}),
            projection: Some(json!({"_id": 1})),
            sort: None,
            limit: 500,
            skip: 1000,
        };
        assert_eq!(
            find_url("http://127.0.0.1:9/", DATABASE, COLLECTION, &params),
            "http://127.0.0.1:9/v1/analysis/dynamic-foraging-model-fitting/find?limit=500&skip=1000\
             &filter=%7B%22subject_id%22%3A%22a+b%26c%22%7D&projection=%7B%22_id%22%3A1%7D"
        );
    }

    #[test]
    fn segments_round_trip() {
        for s in ["730945", "a b/c?d#e%f", "ü", ""] {
            assert_eq!(decode_segment(&path_segment(s)), s);
        }
        assert_eq!(decode_segment("%zz%4"), "%zz%4");
        assert_eq!(decode_segment("%é%"), "%é%");
    }
}
