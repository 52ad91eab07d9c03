//! Where things live in the two record formats of `dynamic-foraging-model-fitting`: the base
//! selectors, the filter keys and the aliased projections, mirroring `get_mle_model_fitting` of
//! `aind-analysis-arch-result-access` 1.2.0 filter for filter and projection for projection.

use serde_json::{json, Map, Value};

/// Analysis tags of the AIND Analysis Framework that are queried by default.
pub const FRAMEWORK_TAGS: [&str; 2] = [
    "aind-analysis-framework v0.1",
    "aind-analysis-framework v0.2",
];

const P: &str = "processing.data_processes.output_parameters";

/// The two record formats living in the collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// The fields of an overview of subjects: [`projection`] without metrics, plus AIC (for the
/// best model by Akaike weight). A fraction of the bytes of a full record.
pub fn overview_projection(pipeline: Pipeline) -> Value {
    let mut p = projection(pipeline, false);
    let fr = match pipeline {
        Pipeline::Framework => format!("{P}.fitting_results"),
        Pipeline::Han => "analysis_results".to_string(),
    };
    if let Value::Object(m) = &mut p {
        m.insert("AIC".into(), json!(format!("${fr}.AIC")));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
