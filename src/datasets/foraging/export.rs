//! Downloads of the current table as CSV or JSON, with the reference DataFrame's column names so
//! a file moves freely between the app and a notebook. The columns are one list of (name,
//! value) pairs in the reference's order.

use serde_json::{Map, Value};

use super::rows::FitRow;
use crate::table::csv;

/// A cell's value as the reference DataFrame holds it.
type ValueOf = fn(&FitRow) -> Value;

fn text(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

/// Non-finite numbers are `null`, as pandas writes NaN in JSON.
fn num(x: Option<f64>) -> Value {
    x.map_or(Value::Null, Value::from)
}

fn int(x: Option<i64>) -> Value {
    x.map_or(Value::Null, Value::from)
}

fn list(x: &Option<Vec<f64>>) -> Value {
    x.as_ref().map_or(Value::Null, |v| {
        Value::Array(v.iter().map(|f| Value::from(*f)).collect())
    })
}

/// Every export column, in the reference DataFrame's order.
pub const COLUMNS: [(&str, ValueOf); 30] = [
    ("_id", |r| Value::String(r.id.clone())),
    ("nwb_name", |r| Value::String(r.nwb_name.clone())),
    ("analysis_time", |r| text(&r.analysis_time)),
    ("subject_id", |r| text(&r.subject_id)),
    ("session_date", |r| text(&r.session_date)),
    ("status", |r| text(&r.status)),
    ("agent_alias", |r| Value::String(r.agent_alias.clone())),
    ("n_trials", |r| int(r.n_trials)),
    ("S3_location", |r| Value::String(r.s3_location.clone())),
    ("CO_asset_id", |r| text(&r.co_asset_id)),
    ("analysis_tag", |r| text(&r.analysis_tag)),
    ("pipeline_source", |r| {
        Value::String(r.pipeline_source.source_label().into())
    }),
    ("log_likelihood", |r| num(r.log_likelihood)),
    ("prediction_accuracy", |r| num(r.prediction_accuracy)),
    ("k_model", |r| int(r.k_model)),
    ("AIC", |r| num(r.aic)),
    ("BIC", |r| num(r.bic)),
    ("LPT", |r| num(r.lpt)),
    ("LPT_AIC", |r| num(r.lpt_aic)),
    ("LPT_BIC", |r| num(r.lpt_bic)),
    ("params", |r| {
        r.params.clone().map_or(Value::Null, Value::Object)
    }),
    ("prediction_accuracy_test", |r| {
        list(&r.prediction_accuracy_test)
    }),
    ("prediction_accuracy_fit", |r| {
        list(&r.prediction_accuracy_fit)
    }),
    ("prediction_accuracy_test_bias_only", |r| {
        list(&r.prediction_accuracy_test_bias_only)
    }),
    ("prediction_accuracy_10-CV_test", |r| num(r.cv_test_mean)),
    ("prediction_accuracy_10-CV_test_std", |r| num(r.cv_test_std)),
    ("prediction_accuracy_10-CV_fit", |r| num(r.cv_fit_mean)),
    ("prediction_accuracy_10-CV_fit_std", |r| num(r.cv_fit_std)),
    ("prediction_accuracy_10-CV_test_bias_only", |r| {
        num(r.cv_bias_mean)
    }),
    ("prediction_accuracy_10-CV_test_bias_only_std", |r| {
        num(r.cv_bias_std)
    }),
];

/// The export column names, in order.
pub fn columns() -> Vec<String> {
    COLUMNS.iter().map(|(k, _)| k.to_string()).collect()
}

/// One row as a JSON object (keys in column order when written by [`to_json`]).
pub fn to_value(row: &FitRow) -> Value {
    Value::Object(
        COLUMNS
            .iter()
            .map(|(k, f)| (k.to_string(), f(row)))
            .collect::<Map<String, Value>>(),
    )
}

/// The rows as CSV (RFC 4180 quoting; lines end in LF, the last one too, as pandas writes them).
/// A header row comes first. Empty values are empty fields, numbers keep serde_json's shortest
/// round-trip form, booleans are `true`/`false`, lists and `params` are compact JSON text.
pub fn to_csv(rows: &[&FitRow]) -> String {
    let mut out = String::new();
    push_line(&mut out, COLUMNS.iter().map(|(k, _)| k.to_string()));
    for row in rows {
        push_line(&mut out, COLUMNS.iter().map(|(_, f)| csv_text(&f(row))));
    }
    out
}

/// The rows as a JSON array of objects (pandas `to_json(orient="records")`), keys in column
/// order.
pub fn to_json(rows: &[&FitRow]) -> String {
    let mut out = String::from("[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (j, (k, f)) in COLUMNS.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&Value::String(k.to_string()).to_string());
            out.push(':');
            out.push_str(&f(row).to_string());
        }
        out.push('}');
    }
    out.push(']');
    out
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(&field));
    }
    out.push('\n');
}

/// The text of one value in a CSV cell (before quoting).
fn csv_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => csv::inert(s),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => v.to_string(),
    }
}

use crate::table::csv::field as csv_field;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::normalize::normalize_record;
    use crate::datasets::foraging::schema::Pipeline;
    use serde_json::json;

    const HEADER: &str = "_id,nwb_name,analysis_time,subject_id,session_date,status,\
        agent_alias,n_trials,S3_location,CO_asset_id,analysis_tag,pipeline_source,\
        log_likelihood,prediction_accuracy,k_model,AIC,BIC,LPT,LPT_AIC,LPT_BIC,params,\
        prediction_accuracy_test,prediction_accuracy_fit,prediction_accuracy_test_bias_only,\
        prediction_accuracy_10-CV_test,prediction_accuracy_10-CV_test_std,\
        prediction_accuracy_10-CV_fit,prediction_accuracy_10-CV_fit_std,\
        prediction_accuracy_10-CV_test_bias_only,prediction_accuracy_10-CV_test_bias_only_std";

    fn han_row() -> FitRow {
        normalize_record(
            &json!({"_id": "h1", "nwb_name": "730945_2024-10-24_10-00-00.nwb",
                    "agent_alias": "QLearning_L2F1_CK1_softmax",
                    "analysis_time": "2024-11-01T10:00:00", "status": "success",
                    "subject_id": "730945", "session_date": "2024-10-24", "n_trials": 455,
                    "log_likelihood": -200.5, "prediction_accuracy": 0.1, "k_model": 5,
                    "AIC": 410.0, "BIC": 1e21, "params": {"a, \"b\"": 1.5, "c": null},
                    "prediction_accuracy_test": [0.5, "x"]}),
            Pipeline::Han,
        )
        .unwrap()
    }

    fn fw_row() -> FitRow {
        normalize_record(
            &json!({"_id": "f1", "nwb_name": ["s.nwb"], "agent_alias": ["WSLS"],
                    "analysis_time": ["2025-01-01T00:00:00+00:00"], "status": ["failed"],
                    "S3_location": "s3://bkt/f1", "analysis_tag": ["aind-analysis-framework v0.2"],
                    "CO_asset_id": ["line1\nline2"]}),
            Pipeline::Framework,
        )
        .unwrap()
    }

    #[test]
    fn columns_are_the_row_fields_in_order() {
        assert_eq!(columns().join(","), HEADER);
        assert_eq!(to_csv(&[]), format!("{HEADER}\n"));
        assert_eq!(to_json(&[]), "[]");
    }

    #[test]
    fn csv_values() {
        let (han, fw) = (han_row(), fw_row());
        let csv = to_csv(&[&han, &fw]);
        let lines: Vec<&str> = csv.split_inclusive('\n').collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert_eq!(lines[0], format!("{HEADER}\n"));
        assert_eq!(
            lines[1],
            "h1,730945_2024-10-24_10-00-00.nwb,2024-11-01T10:00:00,730945,2024-10-24,success,\
             QLearning_L2F1_CK1_softmax,455,\
             s3://aind-dynamic-foraging-analysis-prod-o5171v/h1,,,han's analysis pipeline,\
             -200.5,0.1,5,410.0,1e+21,,,,\"{\"\"a, \\\"\"b\\\"\"\"\":1.5,\"\"c\"\":null}\",\
             \"[0.5,null]\",,,0.5,0.0,,,,\n"
        );
        // A quoted field with a line break continues on the next physical line.
        assert_eq!(
            format!("{}{}", lines[2], lines[3]),
            "f1,s.nwb,2025-01-01T00:00:00+00:00,,,failed,WSLS,,s3://bkt/f1,\"line1\nline2\",\
             aind-analysis-framework v0.2,aind analysis framework,,,,,,,,,,,,,,,,,,\n"
        );
    }

    #[test]
    fn csv_quoting() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
            ("han's", "han's"),
        ];
        for (raw, quoted) in cases {
            assert_eq!(csv_field(raw), quoted, "{raw:?}");
        }
        let texts = [
            (Value::Null, ""),
            (json!(true), "true"),
            (json!(400), "400"),
            (json!(0.1), "0.1"),
            (json!(-1.5e-7), "-1.5e-7"),
            (json!([1, 2]), "[1,2]"),
            (json!({"k": "v"}), "{\"k\":\"v\"}"),
        ];
        for (v, text) in texts {
            assert_eq!(csv_text(&v), text, "{v}");
        }
    }

    #[test]
    fn json_records() {
        let (han, fw) = (han_row(), fw_row());
        let text = to_json(&[&han, &fw]);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        let records = parsed.as_array().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0], to_value(&han));
        assert_eq!(records[0]["prediction_accuracy_test"], json!([0.5, null]));
        assert_eq!(
            records[1]["pipeline_source"],
            json!("aind analysis framework")
        );
        assert_eq!(records[1]["n_trials"], Value::Null);
        assert!(!text.contains("NaN"));
        // Keys in column order, like the CSV header.
        let first = &text[1..text.find("},{").unwrap()];
        let mut pos = 0;
        for col in HEADER.split(',') {
            let at = first[pos..].find(&format!("\"{col}\":")).expect(col);
            pos += at + 1;
        }
    }
}
