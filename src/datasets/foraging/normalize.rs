//! The two-format normalizer: one typed row per projected record, lenient where the reference
//! is not: odd values become warnings on the row, and records that cannot be placed are
//! skipped with a reason, never dropped silently. `merge.rs` combines the rows.

use serde_json::{Map, Value};

use super::record::{Field, Fields, FitRecord, Raw};
use super::rows::{FitRow, Skipped};
use super::schema::Pipeline;
use crate::mongo::json::{oid_or_string, preview, read_datetime, read_number, NumberRead};
use crate::mongo::records::Record;
use crate::net::s3::ANALYSIS_ROOT;
use crate::stats;

/// Turns one projected record, given as a JSON value, into a row, or says why it cannot be one
/// (for tests, which write records as JSON).
#[cfg(test)]
pub fn normalize_record(rec: &Value, pipeline: Pipeline) -> Result<FitRow, Skipped> {
    normalize_fit(FitRecord::from(rec.clone()), pipeline)
}

/// Turns one projected record into a row, or says why it cannot be one.
/// Text, lists of folds and parameters are moved out of the record, not copied.
pub fn normalize_fit(rec: FitRecord, pipeline: Pipeline) -> Result<FitRow, Skipped> {
    let skip = |id: Option<String>, reason: String| Skipped {
        pipeline,
        id,
        reason,
    };
    let id = rec.id().and_then(oid_or_string);
    let fields = match rec {
        FitRecord::NotObject(v) => {
            return Err(skip(None, format!("not a JSON object but {}", preview(&v))));
        }
        FitRecord::Object(fields) => fields,
    };
    let Some(id) = id else {
        return Err(skip(None, "it has no _id".into()));
    };
    let mut r = Reader {
        fields,
        pipeline,
        warnings: Vec::new(),
        multi: (Vec::new(), 0),
    };
    let Some(nwb_name) = r.text(Field::NwbName) else {
        return Err(skip(Some(id), "it has no nwb_name".into()));
    };
    let Some(agent_alias) = r.text(Field::AgentAlias) else {
        return Err(skip(Some(id), "it has no agent_alias".into()));
    };
    let (analysis_time, analysis_micros) = r.datetime(Field::AnalysisTime);
    let status = r.text(Field::Status);
    if status.is_none() {
        r.warn("status: missing; counted as a failed fit".into());
    }
    let s3_location = match r.text(Field::S3Location) {
        Some(loc) => loc,
        None => {
            if pipeline == Pipeline::Framework {
                r.warn("S3_location: missing; assumed the analysis root folder of its _id".into());
            }
            format!("{ANALYSIS_ROOT}/{id}")
        }
    };
    let cv: Vec<Option<Vec<f64>>> = [Field::CvTest, Field::CvFit, Field::CvBias]
        .into_iter()
        .map(|f| r.number_list(f))
        .collect();
    let mean_std = |xs: &Option<Vec<f64>>| match xs {
        Some(v) => (stats::mean(v), stats::std(v)),
        None => (None, None),
    };
    let (cv_test_mean, cv_test_std) = mean_std(&cv[0]);
    let (cv_fit_mean, cv_fit_std) = mean_std(&cv[1]);
    let (cv_bias_mean, cv_bias_std) = mean_std(&cv[2]);
    let mut cv = cv.into_iter();
    Ok(FitRow {
        session_date: r.date(Field::SessionDate),
        subject_id: r.text(Field::SubjectId),
        n_trials: r.integer(Field::NTrials),
        co_asset_id: r.text(Field::CoAssetId),
        analysis_tag: r.text(Field::AnalysisTag),
        log_likelihood: r.number(Field::LogLikelihood),
        prediction_accuracy: r.number(Field::PredictionAccuracy),
        k_model: r.integer(Field::KModel),
        aic: r.number(Field::Aic),
        bic: r.number(Field::Bic),
        lpt: r.number(Field::Lpt),
        lpt_aic: r.number(Field::LptAic),
        lpt_bic: r.number(Field::LptBic),
        params: r.object(Field::Params),
        prediction_accuracy_test: cv.next().flatten(),
        prediction_accuracy_fit: cv.next().flatten(),
        prediction_accuracy_test_bias_only: cv.next().flatten(),
        cv_test_mean,
        cv_test_std,
        cv_fit_mean,
        cv_fit_std,
        cv_bias_mean,
        cv_bias_std,
        key: id.clone(),
        id,
        nwb_name,
        analysis_time,
        analysis_micros,
        status,
        agent_alias,
        s3_location,
        pipeline_source: pipeline,
        warnings: r.finish_warnings(),
    })
}

/// Reads fields of one record, collecting warnings.
struct Reader {
    fields: Fields,
    pipeline: Pipeline,
    warnings: Vec<String>,
    /// Fields that had several values (one per data process), and the most values seen.
    multi: (Vec<String>, usize),
}

impl Reader {
    fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }

    fn note_multi(&mut self, field: Field, n: usize) {
        let name = field.name();
        if !self.multi.0.iter().any(|f| f == name) {
            self.multi.0.push(name.to_string());
        }
        self.multi.1 = self.multi.1.max(n);
    }

    /// The warnings, with one sentence for all fields that had several values.
    fn finish_warnings(self) -> Vec<String> {
        let (fields, n) = self.multi;
        let mut out = Vec::with_capacity(self.warnings.len() + 1);
        if !fields.is_empty() {
            let fields = fields.join(", ");
            out.push(match self.pipeline {
                Pipeline::Framework => format!(
                    "{n} data processes in one record; showing the first one's values ({fields})"
                ),
                Pipeline::Han => {
                    format!("{fields}: {n} values where one was expected; showing the first")
                }
            });
        }
        out.extend(self.warnings);
        out
    }

    /// The value as the reference sees it: framework values come wrapped in a list (one per data
    /// process) and a one-element list is unwrapped.
    /// Each field is read once: this takes it out of the record.
    fn raw(&mut self, field: Field) -> Option<Seen> {
        Some(match (self.pipeline, self.fields[field as usize].take()?) {
            (_, Raw::Value(v)) => Seen::Value(v),
            (Pipeline::Framework, Raw::One(v)) => Seen::Value(v),
            (Pipeline::Han, Raw::One(v)) => Seen::ListOf(v),
            (_, Raw::Floats(xs)) | (Pipeline::Framework, Raw::OneFloats(xs)) => Seen::Floats(xs),
            (Pipeline::Han, Raw::OneFloats(xs)) => Seen::ListOfFloats(xs),
        })
    }

    /// A single value: several values (several data processes) keep the first, with a warning;
    /// null and empty lists are missing.
    fn single(&mut self, field: Field) -> Option<Value> {
        let (n, first) = match self.raw(field)? {
            Seen::Value(Value::Null) => return None,
            Seen::Value(Value::Array(a)) if a.is_empty() => return None,
            Seen::Value(Value::Array(a)) => (a.len(), a.into_iter().next()),
            Seen::Value(v) => return Some(v),
            Seen::Floats(xs) => (xs.len(), xs.first().map(|&x| Value::from(x))),
            Seen::ListOf(v) => (1, Some(v)),
            Seen::ListOfFloats(xs) => (1, Some(Value::from(xs))),
        };
        self.note_multi(field, n);
        first.filter(|v| !v.is_null())
    }

    fn text(&mut self, field: Field) -> Option<String> {
        let v = self.single(field)?;
        self.text_of(field.name(), v)
    }

    fn text_of(&mut self, name: &str, v: Value) -> Option<String> {
        match v {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s),
            Value::Number(n) => {
                self.warn(format!("{name}: sent as a number, read as text"));
                Some(n.to_string())
            }
            Value::Object(ref m) if m.contains_key("$oid") => oid_or_string(&v),
            v => {
                self.warn(format!("{name}: expected text, got {}", preview(&v)));
                None
            }
        }
    }

    fn datetime(&mut self, field: Field) -> (Option<String>, Option<i64>) {
        let name = field.name();
        let Some(v) = self.single(field) else {
            self.warn(format!("{name}: missing"));
            return (None, None);
        };
        match read_datetime(&v) {
            Some((text, Some(micros))) => (Some(text), Some(micros)),
            Some((text, None)) => {
                self.warn(format!(
                    "{name}: \"{text}\" is not a date-time; sorted as oldest"
                ));
                (Some(text), None)
            }
            None => {
                self.warn(format!("{name}: expected a date-time, got {}", preview(&v)));
                (None, None)
            }
        }
    }

    /// A calendar date as `YYYY-MM-DD` text; Extended JSON dates are cut to their date.
    fn date(&mut self, field: Field) -> Option<String> {
        let name = field.name();
        match self.single(field)? {
            v @ Value::Object(_) => match read_datetime(&v) {
                Some((text, _)) => Some(text.chars().take(10).collect()),
                None => {
                    self.warn(format!("{name}: expected a date, got {}", preview(&v)));
                    None
                }
            },
            v => self.text_of(name, v),
        }
    }

    fn number(&mut self, field: Field) -> Option<f64> {
        let v = self.single(field);
        self.read_num(field.name(), v.as_ref())
    }

    fn read_num(&mut self, name: &str, v: Option<&Value>) -> Option<f64> {
        match read_number(v) {
            NumberRead::Missing => None,
            NumberRead::Number(f) => Some(f),
            NumberRead::FromText(f) => {
                self.warn(format!("{name}: sent as text, read as the number {f}"));
                Some(f)
            }
            NumberRead::NonFinite(t) => {
                self.warn(format!("{name}: {t}, shown as empty"));
                None
            }
            NumberRead::Invalid(what) => {
                self.warn(format!("{name}: expected a number, got {what}"));
                None
            }
        }
    }

    fn integer(&mut self, field: Field) -> Option<i64> {
        let name = field.name();
        let f = self.number(field)?;
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            Some(f as i64)
        } else {
            self.warn(format!("{name}: {f} is not a whole number"));
            None
        }
    }

    fn object(&mut self, field: Field) -> Option<Map<String, Value>> {
        let name = field.name();
        match self.single(field)? {
            Value::Object(m) => Some(m),
            v => {
                self.warn(format!("{name}: expected an object, got {}", preview(&v)));
                None
            }
        }
    }

    /// A list of numbers (cross-validation folds). Unreadable entries become NaN with a warning.
    fn number_list(&mut self, field: Field) -> Option<Vec<f64>> {
        let name = field.name();
        let list = match self.raw(field)? {
            Seen::Floats(xs) | Seen::ListOfFloats(xs) => return Some(xs),
            Seen::ListOf(Value::Array(a)) => a,
            Seen::ListOf(v) => vec![v],
            Seen::Value(Value::Null) => return None,
            Seen::Value(Value::Array(a)) if a.first().is_some_and(Value::is_array) => {
                if a.len() > 1 {
                    self.note_multi(field, a.len());
                }
                match a.into_iter().next() {
                    Some(Value::Array(first)) => first,
                    _ => return None,
                }
            }
            Seen::Value(Value::Array(a)) => a,
            Seen::Value(v) => {
                self.warn(format!(
                    "{name}: expected a list of numbers, got {}",
                    preview(&v)
                ));
                return None;
            }
        };
        let mut bad = 0;
        let out = list
            .iter()
            .map(|x| match read_number(Some(x)) {
                NumberRead::Number(f) | NumberRead::FromText(f) => f,
                _ => {
                    bad += 1;
                    f64::NAN
                }
            })
            .collect();
        if bad > 0 {
            self.warn(format!(
                "{name}: {bad} of {} folds are not numbers; left out of the mean",
                list.len()
            ));
        }
        Some(out)
    }
}

/// A field as the reference sees it, after a framework value's wrapping list is taken off.
enum Seen {
    Value(Value),
    /// A list of one or more floats.
    Floats(Vec<f64>),
    /// A list of exactly this one value.
    ListOf(Value),
    /// A list holding exactly one list, of floats.
    ListOfFloats(Vec<f64>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn han(id: &str, nwb: &str, alias: &str, time: &str, status: &str) -> Value {
        json!({"_id": id, "nwb_name": nwb, "agent_alias": alias, "analysis_time": time,
               "status": status, "subject_id": "1", "session_date": "2024-01-01",
               "n_trials": 400, "log_likelihood": -200.5, "AIC": 410.0,
               "prediction_accuracy_test": [0.6, 0.8], "params": {"a": 1.0}})
    }

    /// A framework record as the aliased projection returns it: every value in a list.
    fn fw(id: &str, nwb: &str, alias: &str, time: &str, status: &str) -> Value {
        json!({"_id": id, "nwb_name": [nwb], "agent_alias": [alias], "analysis_time": [time],
               "status": [status], "subject_id": ["1"], "session_date": ["2024-01-01"],
               "n_trials": [400], "log_likelihood": [-190.0], "S3_location": format!("s3://bkt/{id}"),
               "CO_asset_id": ["co-1"], "analysis_tag": ["aind-analysis-framework v0.2"],
               "prediction_accuracy_test": [[0.7, 0.9]], "params": [{"b": 2.0}]})
    }

    #[test]
    fn framework_values_are_unwrapped() {
        let row = normalize_record(
            &fw(
                "f1",
                "s.nwb",
                "WSLS",
                "2025-01-01T00:00:00+00:00",
                "success",
            ),
            Pipeline::Framework,
        )
        .unwrap();
        assert_eq!(row.nwb_name, "s.nwb");
        assert_eq!(row.agent_alias, "WSLS");
        assert_eq!(row.n_trials, Some(400));
        assert_eq!(row.s3_location, "s3://bkt/f1");
        assert_eq!(row.co_asset_id.as_deref(), Some("co-1"));
        assert_eq!(row.prediction_accuracy_test, Some(vec![0.7, 0.9]));
        assert_eq!(row.cv_test_mean, Some(0.8));
        assert!((row.cv_test_std.unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(row.params.unwrap()["b"], json!(2.0));
        assert!(row.warnings.is_empty(), "{:?}", row.warnings);
    }

    #[test]
    fn han_location_is_filled_and_lists_kept() {
        let mut rec = han(
            "h1",
            "s.nwb",
            "WSLS",
            "2024-01-01T00:00:00.000000",
            "success",
        );
        rec["prediction_accuracy_test"] = json!([0.5]);
        let row = normalize_record(&rec, Pipeline::Han).unwrap();
        assert_eq!(row.s3_location, format!("{ANALYSIS_ROOT}/h1"));
        assert_eq!(row.prediction_accuracy_test, Some(vec![0.5]));
        assert_eq!(row.analysis_tag, None);
        assert!(row.warnings.is_empty(), "{:?}", row.warnings);
    }

    /// Each odd value: which field, what the row keeps, and a phrase of the warning.
    #[test]
    fn odd_values_warn_but_keep_the_row() {
        type Check = fn(&FitRow) -> bool;
        let cases: Vec<(&str, Value, Check, &str)> = vec![
            (
                "n_trials",
                json!("455"),
                |r| r.n_trials == Some(455),
                "sent as text",
            ),
            (
                "n_trials",
                json!(455.5),
                |r| r.n_trials.is_none(),
                "not a whole number",
            ),
            (
                "log_likelihood",
                json!("NaN"),
                |r| r.log_likelihood.is_none(),
                "NaN",
            ),
            (
                "AIC",
                json!("abc"),
                |r| r.aic.is_none(),
                "expected a number",
            ),
            (
                "AIC",
                json!({"x": 1}),
                |r| r.aic.is_none(),
                "expected a number",
            ),
            ("AIC", json!(true), |r| r.aic.is_none(), "expected a number"),
            (
                "params",
                json!("a=1"),
                |r| r.params.is_none(),
                "expected an object",
            ),
            (
                "subject_id",
                json!(730945),
                |r| r.subject_id.as_deref() == Some("730945"),
                "sent as a number",
            ),
            (
                "analysis_time",
                json!("yesterday"),
                |r| r.analysis_micros.is_none(),
                "not a date-time",
            ),
            (
                "analysis_time",
                json!(12),
                |r| r.analysis_time.is_none(),
                "expected a date-time",
            ),
            (
                "analysis_time",
                Value::Null,
                |r| r.analysis_time.is_none(),
                "missing",
            ),
            (
                "prediction_accuracy_test",
                json!([0.5, "x", null]),
                |r| r.cv_test_mean == Some(0.5),
                "2 of 3 folds",
            ),
            (
                "prediction_accuracy_test",
                json!("0.5"),
                |r| r.prediction_accuracy_test.is_none(),
                "expected a list",
            ),
            (
                "status",
                Value::Null,
                |r| !r.is_success(),
                "counted as a failed fit",
            ),
            (
                "nwb_name",
                json!(["a.nwb", "b.nwb"]),
                |r| r.nwb_name == "a.nwb",
                "2 values",
            ),
        ];
        for (field, value, check, phrase) in cases {
            let mut rec = han("h1", "s.nwb", "WSLS", "2024-01-01T00:00:00", "success");
            rec[field] = value.clone();
            let row = normalize_record(&rec, Pipeline::Han)
                .unwrap_or_else(|s| panic!("{field}={value}: skipped: {}", s.reason));
            assert!(check(&row), "{field}={value}: {row:?}");
            assert!(
                row.warnings
                    .iter()
                    .any(|w| w.starts_with(field) && w.contains(phrase)),
                "{field}={value}: warnings {:?}",
                row.warnings
            );
        }
    }

    #[test]
    fn extended_json_is_accepted_without_warnings() {
        let mut rec = han("h1", "s.nwb", "WSLS", "x", "success");
        rec["_id"] = json!({"$oid": "65a1b2c3d4e5f60718293a4b"});
        rec["analysis_time"] = json!({"$date": "2025-03-01T10:00:00Z"});
        rec["session_date"] = json!({"$date": "2025-03-01T00:00:00Z"});
        rec["n_trials"] = json!({"$numberInt": "300"});
        rec["AIC"] = json!({"$numberDouble": "1.5"});
        let row = normalize_record(&rec, Pipeline::Han).unwrap();
        assert_eq!(row.id, "65a1b2c3d4e5f60718293a4b");
        assert_eq!(row.analysis_time.as_deref(), Some("2025-03-01T10:00:00Z"));
        assert_eq!(row.session_date.as_deref(), Some("2025-03-01"));
        assert_eq!((row.n_trials, row.aic), (Some(300), Some(1.5)));
        assert!(row.warnings.is_empty(), "{:?}", row.warnings);
    }

    #[test]
    fn two_data_processes_use_the_first() {
        let rec = json!({"_id": "f2", "nwb_name": ["a.nwb", "b.nwb"], "agent_alias": ["Q", "W"],
            "analysis_time": ["2025-01-02T00:00:00+00:00", "2025-01-01T00:00:00+00:00"],
            "status": ["success", "failed"], "n_trials": [10, 20],
            "prediction_accuracy_test": [[0.1, 0.3], [0.9]], "S3_location": "s3://bkt/f2"});
        let row = normalize_record(&rec, Pipeline::Framework).unwrap();
        assert_eq!(
            (row.nwb_name.as_str(), row.agent_alias.as_str()),
            ("a.nwb", "Q")
        );
        assert_eq!(row.n_trials, Some(10));
        assert!(row.is_success());
        assert_eq!(row.prediction_accuracy_test, Some(vec![0.1, 0.3]));
        // One sentence for the whole record, naming every field that had several values.
        assert_eq!(row.warnings.len(), 1, "{:?}", row.warnings);
        let w = &row.warnings[0];
        assert!(w.starts_with("2 data processes"), "{w}");
        for field in [
            "nwb_name",
            "agent_alias",
            "status",
            "n_trials",
            "prediction_accuracy_test",
        ] {
            assert!(w.contains(field), "{w}");
        }
    }

    #[test]
    fn unplaceable_records_are_skipped_with_a_reason() {
        let cases = [
            (json!("text"), "not a JSON object"),
            (json!([1]), "not a JSON object"),
            (json!({"nwb_name": "a", "agent_alias": "b"}), "no _id"),
            (
                json!({"_id": [], "nwb_name": "a", "agent_alias": "b"}),
                "no _id",
            ),
            (json!({"_id": "x", "agent_alias": "b"}), "no nwb_name"),
            (
                json!({"_id": "x", "nwb_name": "", "agent_alias": "b"}),
                "no nwb_name",
            ),
            (json!({"_id": "x", "nwb_name": "a"}), "no agent_alias"),
            (
                json!({"_id": "x", "nwb_name": "a", "agent_alias": {"k": 1}}),
                "no agent_alias",
            ),
        ];
        for (rec, reason) in cases {
            for p in Pipeline::ALL {
                let err = normalize_record(&rec, p).expect_err(&rec.to_string());
                assert!(err.reason.contains(reason), "{rec}: {}", err.reason);
            }
        }
    }
}
