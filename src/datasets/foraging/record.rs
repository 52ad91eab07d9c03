//! A projected record read straight from the response body into the fields the normalizer
//! reads. No map of the record is built and no key is copied; the value of any other key is
//! read as JSON (the same errors and limits) but kept nowhere. Reading a page this way instead
//! of into `serde_json::Value` trees roughly halves the cost of a load's parse, normalize and
//! clean-up (see `examples/bench.rs`).

use serde_json::Value;

use super::schema::{CV_FIELDS, METRIC_FIELDS};
use crate::mongo::records::Record;

mod read;

/// The fields of both formats' projections, in [`Field`] order: the record's own, then the
/// fitting results' metrics and cross-validation lists.
const NAMES: [&str; FIELDS] = {
    let own = [
        "_id",
        "nwb_name",
        "agent_alias",
        "analysis_time",
        "status",
        "S3_location",
        "session_date",
        "subject_id",
        "n_trials",
        "CO_asset_id",
        "analysis_tag",
    ];
    let mut out = [""; FIELDS];
    let mut i = 0;
    while i < FIELDS {
        out[i] = if i < own.len() {
            own[i]
        } else if i < own.len() + METRIC_FIELDS.len() {
            METRIC_FIELDS[i - own.len()]
        } else {
            CV_FIELDS[i - own.len() - METRIC_FIELDS.len()]
        };
        i += 1;
    }
    out
};

const FIELDS: usize = 23;

/// A field the normalizer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Id,
    NwbName,
    AgentAlias,
    AnalysisTime,
    Status,
    S3Location,
    SessionDate,
    SubjectId,
    NTrials,
    CoAssetId,
    AnalysisTag,
    LogLikelihood,
    PredictionAccuracy,
    KModel,
    Aic,
    Bic,
    Lpt,
    LptAic,
    LptBic,
    Params,
    CvTest,
    CvFit,
    CvBias,
}

impl Field {
    const ALL: [Field; FIELDS] = [
        Field::Id,
        Field::NwbName,
        Field::AgentAlias,
        Field::AnalysisTime,
        Field::Status,
        Field::S3Location,
        Field::SessionDate,
        Field::SubjectId,
        Field::NTrials,
        Field::CoAssetId,
        Field::AnalysisTag,
        Field::LogLikelihood,
        Field::PredictionAccuracy,
        Field::KModel,
        Field::Aic,
        Field::Bic,
        Field::Lpt,
        Field::LptAic,
        Field::LptBic,
        Field::Params,
        Field::CvTest,
        Field::CvFit,
        Field::CvBias,
    ];

    /// The key in the record.
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }

    fn of(key: &str) -> Option<Field> {
        NAMES.iter().position(|n| *n == key).map(|i| Field::ALL[i])
    }
}

/// One element of a `find` response: the projected fields of an object, or whatever else the
/// element was (kept, so that the normalizer can say what it got).
#[derive(Debug, Clone, PartialEq)]
pub enum FitRecord {
    Object(Fields),
    NotObject(Value),
}

/// The fields of a record by [`Field`], `None` where the key is absent.
pub type Fields = Box<[Option<Raw>; FIELDS]>;

/// A field's value as sent. The two shapes that make most of a load's bytes are read without a
/// tree: lists of floats (cross-validation folds) and the one-element lists that wrap every
/// value of a framework record.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// Any other value.
    Value(Value),
    /// A list of exactly this one value.
    One(Value),
    /// A list of two or more floats (only floats: an integer makes it a [`Raw::Value`]).
    Floats(Vec<f64>),
    /// A list holding exactly one list, of one or more floats.
    OneFloats(Vec<f64>),
}

impl Raw {
    /// The value as a JSON value would hold it.
    pub fn into_value(self) -> Value {
        match self {
            Raw::Value(v) => v,
            Raw::One(v) => Value::Array(vec![v]),
            Raw::Floats(xs) => floats_value(xs),
            Raw::OneFloats(xs) => Value::Array(vec![floats_value(xs)]),
        }
    }

    /// A field's value from a JSON value, in the shape reading it from text gives.
    fn from_value(v: Value) -> Raw {
        let Value::Array(items) = v else {
            return Raw::Value(v);
        };
        if items.len() == 1 {
            let first = items.into_iter().next().unwrap_or_default();
            return match nested(first) {
                Raw::Floats(xs) => Raw::OneFloats(xs),
                other => Raw::One(other.into_value()),
            };
        }
        let mut list = Items::default();
        for item in items {
            list.push(nested(item));
        }
        list.finish()
    }
}

/// An item of a list from a JSON value, in the shape reading it from text gives.
fn nested(v: Value) -> Raw {
    match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(is_float) => {
            Raw::Floats(items.iter().filter_map(Value::as_f64).collect())
        }
        v => Raw::Value(v),
    }
}

fn is_float(v: &Value) -> bool {
    matches!(v, Value::Number(n) if n.is_f64())
}

fn floats_value(xs: Vec<f64>) -> Value {
    Value::Array(xs.into_iter().map(Value::from).collect())
}

/// A list's items as they are read: floats while every item is one, values from the first
/// item that is not.
#[derive(Default)]
struct Items {
    floats: Vec<f64>,
    values: Option<Vec<Value>>,
}

impl Items {
    fn push(&mut self, item: Raw) {
        match (&mut self.values, item) {
            (None, Raw::Value(Value::Number(n))) if n.is_f64() => {
                self.floats.push(n.as_f64().unwrap_or(f64::NAN));
            }
            (None, item) => {
                let floats = std::mem::take(&mut self.floats);
                let mut values: Vec<Value> = floats.into_iter().map(Value::from).collect();
                values.push(item.into_value());
                self.values = Some(values);
            }
            (Some(values), item) => values.push(item.into_value()),
        }
    }

    /// Floats when there were any and nothing else, otherwise a JSON list.
    fn finish(self) -> Raw {
        match self.values {
            Some(values) => Raw::Value(Value::Array(values)),
            None if self.floats.is_empty() => Raw::Value(Value::Array(Vec::new())),
            None => Raw::Floats(self.floats),
        }
    }
}

impl FitRecord {
    /// The value of `field`, as sent (`null` included); `None` when the key is absent.
    pub fn get(&self, field: Field) -> Option<&Raw> {
        match self {
            FitRecord::Object(fields) => fields[field as usize].as_ref(),
            FitRecord::NotObject(_) => None,
        }
    }
}

impl Record for FitRecord {
    fn id(&self) -> Option<&Value> {
        match self.get(Field::Id)? {
            Raw::Value(v) => Some(v),
            // Never: the id is always read as a plain value.
            _ => None,
        }
    }
}

/// The fields of a record already parsed as a JSON value (tests, `merge` of value lists).
impl From<Value> for FitRecord {
    fn from(v: Value) -> FitRecord {
        match v {
            Value::Object(map) => {
                let mut fields = empty();
                for (k, v) in map {
                    match Field::of(&k) {
                        Some(Field::Id) => fields[0] = Some(Raw::Value(v)),
                        Some(f) => fields[f as usize] = Some(Raw::from_value(v)),
                        None => {}
                    }
                }
                FitRecord::Object(fields)
            }
            other => FitRecord::NotObject(other),
        }
    }
}

fn empty() -> Fields {
    Box::new(std::array::from_fn(|_| None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::schema::{projection, Pipeline};
    use crate::mongo::records::parse_records;
    use serde_json::json;

    #[test]
    fn names_follow_the_fields() {
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
            assert_eq!(Field::of(f.name()), Some(*f));
        }
    }

    /// Every key either projection asks for is a field, and nothing else is.
    #[test]
    fn fields_are_the_projections_keys() {
        let mut keys: Vec<String> = Pipeline::ALL
            .iter()
            .flat_map(|p| {
                projection(*p, true)
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        keys.sort();
        keys.dedup();
        let mut names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
        names.sort();
        assert_eq!(keys, names);
    }

    fn raw(v: Value) -> Option<Raw> {
        Some(Raw::Value(v))
    }

    /// Read from text or converted from a value, a record is the same and converts back to the
    /// value it was; unknown keys are skipped, a repeated key keeps its last value, and
    /// non-objects are kept whole.
    #[test]
    fn text_and_values_read_alike() {
        let text = r#"[{"_id": "a", "nwb_name": ["n"], "extra": {"deep": [1, {"x": null}]},
                        "AIC": 1, "AIC": 2.5, "params": {"b": 1e300}, "status": null},
                       {"_id": {"$oid": "0123"}}, 42, "text", null, true, [1, "x"], -7, 1.5]"#;
        let page = parse_records::<FitRecord>(text).unwrap();
        let values: Vec<Value> = serde_json::from_str(text).unwrap();
        assert_eq!(page.records.len(), values.len());
        for (got, v) in page.records.iter().zip(values) {
            assert_eq!(*got, FitRecord::from(v));
        }
        let first = &page.records[0];
        assert_eq!(first.id(), Some(&json!("a")));
        assert_eq!(first.get(Field::NwbName), Some(&Raw::One(json!("n"))));
        assert_eq!(first.get(Field::Aic).cloned(), raw(json!(2.5)));
        assert_eq!(first.get(Field::Status).cloned(), raw(Value::Null));
        assert_eq!(first.get(Field::Bic), None);
        assert_eq!(page.records[2], FitRecord::NotObject(json!(42)));
        assert_eq!(page.records[6], FitRecord::NotObject(json!([1, "x"])));
    }

    /// Every shape a field can take reads the same from text as from a value, gives back the
    /// value it was, and lists of floats are read as floats only where nothing else is mixed in.
    #[test]
    fn field_shapes() {
        let cases = [
            (json!(0.5), raw(json!(0.5))),
            (json!([]), raw(json!([]))),
            (json!([0.5]), Some(Raw::One(json!(0.5)))),
            (json!([7]), Some(Raw::One(json!(7)))),
            (json!([[0.5]]), Some(Raw::OneFloats(vec![0.5]))),
            (json!([[0.5, 0.25]]), Some(Raw::OneFloats(vec![0.5, 0.25]))),
            (json!([[1, 0.25]]), Some(Raw::One(json!([1, 0.25])))),
            (json!([[]]), Some(Raw::One(json!([])))),
            (json!([0.5, 0.25]), Some(Raw::Floats(vec![0.5, 0.25]))),
            (json!([0.5, 2]), raw(json!([0.5, 2]))),
            (json!([0.5, "x", 0.25]), raw(json!([0.5, "x", 0.25]))),
            (json!([[0.5], [0.25]]), raw(json!([[0.5], [0.25]]))),
            (json!([null, 0.5]), raw(json!([null, 0.5]))),
            (
                json!([{"a": [0.5, 0.25]}]),
                Some(Raw::One(json!({"a": [0.5, 0.25]}))),
            ),
            (json!([[[0.5, 0.25]]]), Some(Raw::One(json!([[0.5, 0.25]])))),
            (
                json!({"$date": "2024-01-01"}),
                raw(json!({"$date": "2024-01-01"})),
            ),
        ];
        for (v, want) in cases {
            let text = json!([{ "AIC": v.clone(), "_id": [0.5] }]).to_string();
            let page = parse_records::<FitRecord>(&text).unwrap();
            let rec = &page.records[0];
            assert_eq!(rec.get(Field::Aic).cloned(), want, "{v}");
            assert_eq!(
                rec.get(Field::Aic).cloned().map(Raw::into_value),
                Some(v.clone())
            );
            assert_eq!(rec.id(), Some(&json!([0.5])), "the id is kept as sent");
            let from_value = FitRecord::from(json!({ "AIC": v.clone(), "_id": [0.5] }));
            assert_eq!(*rec, from_value, "{v}");
        }
    }

    /// A key the normalizer does not read is still read as JSON: what would make a record
    /// unreadable, or be repaired, when it is read whole does the same here, whatever the
    /// record's neighbours are.
    #[test]
    fn other_keys_are_checked_like_values() {
        let deep = format!("{}1{}", "[".repeat(130), "]".repeat(130));
        let broken = r#"{"_id": "b", "AIC": 1 2}"#;
        for (other, repaired, readable) in [
            (deep.as_str(), false, false),
            (r#""\ud800""#, true, true),
            ("1e999", true, true),
            ("[1,]", false, false),
            (r#"{"k": 1,}"#, false, false),
        ] {
            let rec = format!(r#"{{"_id": "a", "other": {other}, "AIC": 1}}"#);
            for text in [format!("[{rec}]"), format!("[{rec}, {broken}]")] {
                let typed = parse_records::<FitRecord>(&text).unwrap();
                let values = parse_records::<Value>(&text).unwrap();
                let id_a = |ids: Vec<Option<&Value>>| ids.contains(&Some(&json!("a")));
                assert_eq!(
                    id_a(typed.records.iter().map(|r| r.id()).collect()),
                    readable,
                    "{text}"
                );
                assert_eq!(
                    id_a(values.records.iter().map(|r| r.id()).collect()),
                    readable,
                    "{text}"
                );
                assert_eq!(typed.repairs, values.repairs, "{text}");
                assert_eq!(!typed.repairs.is_empty(), repaired, "{text}");
                assert_eq!(typed.unreadable, values.unreadable, "{text}");
            }
        }
    }

    /// A broken record costs that record: the slow path reads the others into fields too.
    #[test]
    fn a_broken_record_costs_only_itself() {
        let text = r#"[{"_id": "a", "AIC": 1}, {"_id": "b", "AIC": 1e999}, {"_id": "c", "nwb_name": "\ud800"}, {"_id": "d", "AIC" 1}]"#;
        let page = parse_records::<FitRecord>(text).unwrap();
        let ids: Vec<_> = page.records.iter().map(|r| r.id().cloned()).collect();
        assert_eq!(ids, [Some(json!("a")), Some(json!("b")), Some(json!("c"))]);
        assert_eq!(
            page.records[1].get(Field::Aic).cloned(),
            raw(json!("1e999"))
        );
        assert_eq!(
            page.records[2].get(Field::NwbName).cloned(),
            raw(json!("\u{fffd}"))
        );
        assert_eq!(page.repairs.len(), 2);
        assert_eq!(page.unreadable.len(), 1);
        assert_eq!(page.unreadable[0].id.as_deref(), Some("d"));
    }
}
