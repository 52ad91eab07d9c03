//! Downloads of the current table as CSV or JSON, with the reference DataFrame's column names so
//! a file moves freely between the app and a notebook.
//!
//! The columns are exactly the serialized fields of [`FitRow`] (its serde names, in its field
//! order), so there is one place that names them. `serde_json::to_value` would sort the keys
//! (serde_json is built without `preserve_order`), so rows are serialized to text and read back
//! as an ordered list of entries instead.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{json, Value};

use super::normalize::{normalize_record, FitRow};
use super::query::Pipeline;

/// The fields of one row in serialization order.
struct Ordered(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OrderedVisitor;
        impl<'de> Visitor<'de> for OrderedVisitor {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(OrderedVisitor)
    }
}

/// A row's (column, value) pairs in [`FitRow`]'s field order. Non-finite numbers (a
/// cross-validation fold that was not a number) are `null`, as serde_json writes them.
fn entries(row: &FitRow) -> Vec<(String, Value)> {
    serde_json::to_string(row)
        .ok()
        .and_then(|text| serde_json::from_str::<Ordered>(&text).ok())
        .map_or_else(Vec::new, |o| o.0)
}

/// The export column names, in order: the reference DataFrame's names for every field of a row.
pub fn columns() -> Vec<String> {
    let template = json!({"_id": "_", "nwb_name": "_", "agent_alias": "_"});
    normalize_record(&template, Pipeline::Han)
        .map(|row| entries(&row).into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default()
}

/// The rows as CSV (RFC 4180 quoting; lines end in LF, the last one too, as pandas writes them).
/// A header row comes first. Empty values are empty fields, numbers keep serde_json's shortest
/// round-trip form, booleans are `true`/`false`, lists and `params` are compact JSON text.
pub fn to_csv(rows: &[&FitRow]) -> String {
    let mut out = String::new();
    push_line(&mut out, columns().iter().map(String::as_str));
    for row in rows {
        let cells: Vec<String> = entries(row).iter().map(|(_, v)| csv_text(v)).collect();
        push_line(&mut out, cells.iter().map(String::as_str));
    }
    out
}

/// The rows as a JSON array of objects (pandas `to_json(orient="records")`), keys in column
/// order.
pub fn to_json(rows: &[&FitRow]) -> String {
    let records: Vec<String> = rows
        .iter()
        .filter_map(|r| serde_json::to_string(r).ok())
        .collect();
    format!("[{}]", records.join(","))
}

fn push_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(field));
    }
    out.push('\n');
}

/// The text of one value in a CSV cell (before quoting).
fn csv_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => v.to_string(),
    }
}

/// Quotes a field that contains a comma, a double quote or a line break, doubling its quotes.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(records[0], serde_json::to_value(&han).unwrap());
        assert_eq!(records[0]["prediction_accuracy_test"], json!([0.5, null]));
        assert_eq!(
            records[1]["pipeline_source"],
            json!("aind analysis framework")
        );
        assert_eq!(records[1]["n_trials"], Value::Null);
        assert!(!text.contains("NaN"));
        // Keys in column order, like the CSV header.
        let keys: Vec<String> = serde_json::from_str::<Vec<Ordered>>(&text).unwrap()[0]
            .0
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(keys.join(","), HEADER);
    }
}
