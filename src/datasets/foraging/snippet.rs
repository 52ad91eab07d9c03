//! "Reproduce in Python": paste-ready code that runs the same search with the reference
//! function `get_mle_model_fitting` of `aind-analysis-arch-result-access`.
//!
//! Single values map to the function's keyword arguments. What the function cannot express
//! (several subjects, a date range, several models, a pipeline choice) becomes a loop or pandas
//! filtering of the returned DataFrame. When nothing is left to narrow the call itself (only a
//! range or several models), those filters are sent as `from_custom_query` with an `$or` over
//! both formats' keys, because the function refuses a call without a filter. Every string
//! literal is JSON-encoded, which is valid Python; user text never lands in a comment.

use serde_json::{json, Value};

use super::query::{date_range, FitQuery};
use super::schema::{filter_keys, Pipeline};

const HEADER: &str =
    "# Reproduces this search in Python (pip install aind-analysis-arch-result-access).";
const IMPORT: &str = "from aind_analysis_arch_result_access import get_mle_model_fitting";

const NO_FILTER: &str = "\
# This search has no filter yet: give a subject, a session date, a model or a custom filter.
# get_mle_model_fitting needs at least one of them.
";

const EVERYTHING: &str = "\
# This search asks for every fit. get_mle_model_fitting refuses a call without a filter
# (from_custom_query={} counts as none and raises ValueError), so the query below matches
# every record instead. Expect a long download.";

const FAILED: &str = "\
# The app also lists failed fits; get_mle_model_fitting keeps only fits with
# status == \"success\", so df holds the successful ones only.";

/// A JSON-encoded string, which is also a valid Python string literal.
fn py_str(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// A JSON value as a Python literal: `true`/`false`/`null` become `True`/`False`/`None`.
pub fn py_literal(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => py_str(s),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(py_literal).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", py_str(k), py_literal(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn py_str_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| py_str(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `{"$or": [{framework key: value}, {Han key: value}]}` for one of the three filter keys.
fn either_format(key: fn(Pipeline) -> String, value: &Value) -> Value {
    let alternatives: Vec<Value> = Pipeline::ALL
        .into_iter()
        .map(|p| json!({ key(p): value }))
        .collect();
    json!({ "$or": alternatives })
}

/// The code for one search.
pub fn python_snippet(q: &FitQuery) -> String {
    let subjects = q.subject_list();
    let models = q.model_list();
    let from = q.date_from.as_deref().filter(|d| !d.is_empty());
    let to = q.date_to.as_deref().filter(|d| !d.is_empty());
    let custom = q.custom.as_ref().filter(|c| !c.is_empty());
    let single_day = match (from, to) {
        (Some(f), Some(t)) if f == t => Some(f),
        _ => None,
    };
    let has_range = (from.is_some() || to.is_some()) && single_day.is_none();

    let mut comments: Vec<&str> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    let mut post: Vec<String> = Vec::new();
    let mut several_subjects = false;

    if let Some(custom) = custom {
        args.push(format!(
            "from_custom_query={}",
            py_literal(&Value::Object(custom.clone()))
        ));
    } else if subjects.is_empty() && from.is_none() && to.is_none() && models.is_empty() {
        if !q.all {
            return format!("{HEADER}\n{NO_FILTER}");
        }
        comments.push(EVERYTHING);
        args.push(format!(
            "from_custom_query={}",
            py_literal(&json!({"_id": {"$exists": true}}))
        ));
    } else {
        match subjects.as_slice() {
            [] => {}
            [one] => args.push(format!("subject_id={}", py_str(one))),
            _ => {
                several_subjects = true;
                args.push("subject_id=subject_id".into());
            }
        }
        if let Some(day) = single_day {
            args.push(format!("session_date={}", py_str(day)));
        }
        if let [one] = models.as_slice() {
            args.push(format!("agent_alias={}", py_str(one)));
        }
        let narrowed = !args.is_empty();
        if narrowed {
            // Filter the returned DataFrame.
            let range_line = match (from, to) {
                _ if !has_range => None,
                (Some(f), Some(t)) => Some(format!(
                    "df = df[df[\"session_date\"].between({}, {})]",
                    py_str(f),
                    py_str(t)
                )),
                (Some(f), None) => Some(format!("df = df[df[\"session_date\"] >= {}]", py_str(f))),
                (None, Some(t)) => Some(format!("df = df[df[\"session_date\"] <= {}]", py_str(t))),
                (None, None) => None,
            };
            post.extend(range_line);
            if models.len() > 1 {
                post.push(format!(
                    "df = df[df[\"agent_alias\"].isin({})]",
                    py_str_list(&models)
                ));
            }
        } else {
            // Only a range and/or several models: the call needs them as its filter.
            let range_value = date_range(from, to).filter(|_| has_range);
            let models_value = (models.len() > 1).then(|| json!({ "$in": models }));
            let mut clauses: Vec<Value> = Vec::new();
            if let Some(r) = range_value {
                clauses.push(either_format(|p| filter_keys(p).session_date, &r));
            }
            if let Some(m) = models_value {
                clauses.push(either_format(|p| filter_keys(p).agent_alias, &m));
            }
            let query = match clauses.len() {
                1 => clauses.remove(0),
                _ => json!({ "$and": clauses }),
            };
            args.push(format!("from_custom_query={}", py_literal(&query)));
        }
    }

    let tags = q
        .tags
        .iter()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect::<Vec<_>>();
    match tags.as_slice() {
        [] => {}
        [one] => args.push(format!("analysis_tag={}", py_str(one))),
        many => args.push(format!("analysis_tag={}", py_str_list(many))),
    }
    args.push("if_include_latent_variables=False".into());
    if let Some(p) = q.pipeline {
        // The page deduplicates within the chosen pipeline only; the reference deduplicates across
        // both, so take every version, keep the pipeline, then keep the latest per fit.
        args.push("only_recent_version=False".into());
        post.push(format!(
            "df = df[df[\"pipeline_source\"] == {}]",
            py_str(p.source_label())
        ));
        post.push(
            "df = df.sort_values(\"analysis_time\", ascending=False).drop_duplicates([\"nwb_name\", \"agent_alias\"])"
                .into(),
        );
    }
    if q.include_failed {
        comments.push(FAILED);
    }

    let mut out = vec![HEADER.to_string()];
    if several_subjects {
        out.push("import pandas as pd".into());
    }
    out.push(IMPORT.into());
    out.push(String::new());
    out.extend(comments.iter().map(|c| c.to_string()));
    if several_subjects {
        // get_mle_model_fitting returns None for a subject without fits.
        out.push(format!("subjects = {}", py_str_list(&subjects)));
        out.push("frames = [".into());
        out.push("    get_mle_model_fitting(".into());
        out.extend(args.iter().map(|a| format!("        {a},")));
        out.push("    )".into());
        out.push("    for subject_id in subjects".into());
        out.push("]".into());
        out.push("frames = [f for f in frames if f is not None]".into());
        out.push("df = pd.concat(frames, ignore_index=True) if frames else None".into());
    } else {
        out.push("df = get_mle_model_fitting(".into());
        out.extend(args.iter().map(|a| format!("    {a},")));
        out.push(")".into());
    }
    if !post.is_empty() {
        // None when nothing matches.
        out.push("if df is not None:".into());
        out.extend(post.iter().map(|line| format!("    {line}")));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The code that loads one session's latent variables (the reference reads the result files
/// from S3 with its own credentials-free client, which CORS does not restrict).
pub fn latents_snippet(subject: &str, session_date: &str, nwb_name: &str) -> String {
    format!(
        "# Loads this session's latent variables in Python (pip install aind-analysis-arch-result-access).\n\
         {IMPORT}\n\n\
         df = get_mle_model_fitting(subject_id={}, session_date={}, if_include_latent_variables=True)\n\
         df = df[df[\"nwb_name\"] == {}]\n\
         # Per model: q_value, choice_prob, rpe, ... (and the q-value spread in its own column)\n\
         latents = dict(zip(df[\"agent_alias\"], df[\"latent_variables\"]))\n\
         print(df[[\"agent_alias\", \"qvalue_spread\"]])\n",
        py_str(subject),
        py_str(session_date),
        py_str(nwb_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn single_subject() {
        let q = FitQuery {
            subjects: strings(&["730945"]),
            ..Default::default()
        };
        assert_eq!(
            python_snippet(&q),
            r#"# Reproduces this search in Python (pip install aind-analysis-arch-result-access).
from aind_analysis_arch_result_access import get_mle_model_fitting

df = get_mle_model_fitting(
    subject_id="730945",
    if_include_latent_variables=False,
)
"#
        );
    }

    #[test]
    fn single_values_and_tags_are_keyword_arguments() {
        let q = FitQuery {
            subjects: strings(&["730945"]),
            date_from: Some("2024-10-24".into()),
            date_to: Some("2024-10-24".into()),
            models: strings(&["QLearning_L2F1_CK1_softmax"]),
            tags: strings(&["aind-analysis-framework v0.2"]),
            include_failed: true,
            ..Default::default()
        };
        assert_eq!(
            python_snippet(&q),
            r#"# Reproduces this search in Python (pip install aind-analysis-arch-result-access).
from aind_analysis_arch_result_access import get_mle_model_fitting

# The app also lists failed fits; get_mle_model_fitting keeps only fits with
# status == "success", so df holds the successful ones only.
df = get_mle_model_fitting(
    subject_id="730945",
    session_date="2024-10-24",
    agent_alias="QLearning_L2F1_CK1_softmax",
    analysis_tag="aind-analysis-framework v0.2",
    if_include_latent_variables=False,
)
"#
        );
    }

    #[test]
    fn several_subjects_range_models_and_pipeline() {
        let q = FitQuery {
            subjects: strings(&["730945", "730946"]),
            date_from: Some("2025-01-01".into()),
            date_to: Some("2025-02-01".into()),
            models: strings(&["WSLS", "QLearning_L2F1_CK1_softmax"]),
            pipeline: Some(Pipeline::Han),
            tags: strings(&[
                "aind-analysis-framework v0.1",
                "aind-analysis-framework v0.2",
            ]),
            ..Default::default()
        };
        assert_eq!(
            python_snippet(&q),
            r#"# Reproduces this search in Python (pip install aind-analysis-arch-result-access).
import pandas as pd
from aind_analysis_arch_result_access import get_mle_model_fitting

subjects = ["730945", "730946"]
frames = [
    get_mle_model_fitting(
        subject_id=subject_id,
        analysis_tag=["aind-analysis-framework v0.1", "aind-analysis-framework v0.2"],
        if_include_latent_variables=False,
        only_recent_version=False,
    )
    for subject_id in subjects
]
frames = [f for f in frames if f is not None]
df = pd.concat(frames, ignore_index=True) if frames else None
if df is not None:
    df = df[df["session_date"].between("2025-01-01", "2025-02-01")]
    df = df[df["agent_alias"].isin(["WSLS", "QLearning_L2F1_CK1_softmax"])]
    df = df[df["pipeline_source"] == "han's analysis pipeline"]
    df = df.sort_values("analysis_time", ascending=False).drop_duplicates(["nwb_name", "agent_alias"])
"#
        );
    }

    /// (from, to, the post-filter line)
    #[test]
    fn open_ranges_filter_the_dataframe() {
        let cases = [
            (
                Some("2025-01-01"),
                None,
                r#"df = df[df["session_date"] >= "2025-01-01"]"#,
            ),
            (
                None,
                Some("2025-02-01"),
                r#"df = df[df["session_date"] <= "2025-02-01"]"#,
            ),
        ];
        for (from, to, line) in cases {
            let q = FitQuery {
                models: strings(&["WSLS"]),
                date_from: from.map(str::to_string),
                date_to: to.map(str::to_string),
                ..Default::default()
            };
            let code = python_snippet(&q);
            assert!(code.contains("    agent_alias=\"WSLS\",\n"), "{code}");
            assert!(
                code.ends_with(&format!(")\nif df is not None:\n    {line}\n")),
                "{code}"
            );
        }
    }

    #[test]
    fn range_alone_becomes_a_custom_query_over_both_formats() {
        let q = FitQuery {
            date_from: Some("2025-01-01".into()),
            date_to: Some("2025-02-01".into()),
            models: strings(&["A", "B"]),
            pipeline: Some(Pipeline::Framework),
            ..Default::default()
        };
        let range = r#"{"$gte": "2025-01-01", "$lte": "2025-02-01"}"#;
        let p = "processing.data_processes.output_parameters";
        assert_eq!(
            python_snippet(&q),
            format!(
                r#"# Reproduces this search in Python (pip install aind-analysis-arch-result-access).
from aind_analysis_arch_result_access import get_mle_model_fitting

df = get_mle_model_fitting(
    from_custom_query={{"$and": [{{"$or": [{{"{p}.session_date": {range}}}, {{"session_date": {range}}}]}}, {{"$or": [{{"{p}.fitting_results.fit_settings.agent_alias": {{"$in": ["A", "B"]}}}}, {{"analysis_results.fit_settings.agent_alias": {{"$in": ["A", "B"]}}}}]}}]}},
    if_include_latent_variables=False,
    only_recent_version=False,
)
if df is not None:
    df = df[df["pipeline_source"] == "aind analysis framework"]
    df = df.sort_values("analysis_time", ascending=False).drop_duplicates(["nwb_name", "agent_alias"])
"#
            )
        );
        let only_from = FitQuery {
            date_from: Some("2025-01-01".into()),
            ..Default::default()
        };
        assert!(python_snippet(&only_from).contains(&format!(
            "    from_custom_query={{\"$or\": [{{\"{p}.session_date\": {{\"$gte\": \"2025-01-01\"}}}}, \
             {{\"session_date\": {{\"$gte\": \"2025-01-01\"}}}}]}},\n"
        )));
    }

    #[test]
    fn custom_filter_is_a_python_dict() {
        let custom = serde_json::from_value(json!({
            "subject_id": {"$in": ["1", "2"]},
            "flags": [true, false, null, 1.5, -2],
        }))
        .unwrap();
        let q = FitQuery {
            subjects: strings(&["ignored"]),
            custom: Some(custom),
            ..Default::default()
        };
        assert_eq!(
            python_snippet(&q),
            r#"# Reproduces this search in Python (pip install aind-analysis-arch-result-access).
from aind_analysis_arch_result_access import get_mle_model_fitting

df = get_mle_model_fitting(
    from_custom_query={"flags": [True, False, None, 1.5, -2], "subject_id": {"$in": ["1", "2"]}},
    if_include_latent_variables=False,
)
"#
        );
    }

    #[test]
    fn everything_and_nothing() {
        let all = FitQuery {
            all: true,
            ..Default::default()
        };
        assert_eq!(
            python_snippet(&all),
            r#"# Reproduces this search in Python (pip install aind-analysis-arch-result-access).
from aind_analysis_arch_result_access import get_mle_model_fitting

# This search asks for every fit. get_mle_model_fitting refuses a call without a filter
# (from_custom_query={} counts as none and raises ValueError), so the query below matches
# every record instead. Expect a long download.
df = get_mle_model_fitting(
    from_custom_query={"_id": {"$exists": True}},
    if_include_latent_variables=False,
)
"#
        );
        let none = python_snippet(&FitQuery::default());
        assert!(none.contains("no filter yet"), "{none}");
        assert!(!none.contains("get_mle_model_fitting("), "{none}");
    }

    #[test]
    fn hostile_text_stays_inside_string_literals() {
        let q = FitQuery {
            subjects: strings(&["1\")\nimport os  # \\", "'''"]),
            models: strings(&["a\u{0}b"]),
            ..Default::default()
        };
        let code = python_snippet(&q);
        assert!(
            code.contains(r#"subjects = ["1\")\nimport os  # \\", "'''"]"#),
            "{code}"
        );
        assert!(code.contains(r#"agent_alias="a\u0000b","#), "{code}");
        assert!(!code.contains("\nimport os"), "{code}");
    }

    #[test]
    fn python_literals() {
        let cases = [
            (json!(null), "None"),
            (json!(true), "True"),
            (json!(false), "False"),
            (json!(3), "3"),
            (json!(0.25), "0.25"),
            (json!("it's \"x\""), r#""it's \"x\"""#),
            (json!([]), "[]"),
            (json!({}), "{}"),
            (json!({"a": [1, {"b": null}]}), r#"{"a": [1, {"b": None}]}"#),
        ];
        for (v, py) in cases {
            assert_eq!(py_literal(&v), py, "{v}");
        }
    }

    #[test]
    fn latents_snippet_quotes_every_value() {
        let s = latents_snippet("730945", "2024-10-24", "a\"b.nwb");
        assert!(s.contains(r#"get_mle_model_fitting(subject_id="730945", session_date="2024-10-24", if_include_latent_variables=True)"#), "{s}");
        assert!(s.contains(r#"df[df["nwb_name"] == "a\"b.nwb"]"#), "{s}");
        assert!(s.starts_with("# Loads") && s.contains(IMPORT));
    }
}
