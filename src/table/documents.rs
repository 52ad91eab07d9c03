//! A table of any collection's JSON documents: one column per field path discovered in a sample
//! of the documents, cells read along MongoDB dotted paths (through arrays of objects too).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use serde_json::Value;

use super::{contains_folded, ColumnSpec, SortDir, SortKey, TableSpec, EMPTY};
use crate::mongo::json::{parse_iso_micros, read_datetime};
use crate::mongo::schema::{
    default_columns, discover_fields, lookup, sample_indices, FieldInfo, Lookup,
};
use crate::sort::sorted_positions;

/// Documents sampled for field discovery.
pub const SAMPLE: usize = 500;
/// Fields offered as columns at most (the most present first).
pub const MAX_FIELDS: usize = 60;
/// Columns shown by default.
pub const DEFAULT_COLUMNS: usize = 8;
/// Longest cell text before it is cut.
const MAX_CELL: usize = 80;

/// One value as a cell reads: text as is, Extended JSON unwrapped, objects and lists as
/// compact JSON.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(m) => {
            if let Some(oid) = m.get("$oid").and_then(Value::as_str) {
                return oid.to_string();
            }
            if let Some((text, _)) = read_datetime(v) {
                return text;
            }
            v.to_string()
        }
        Value::Array(_) => v.to_string(),
    }
}

fn cut(s: String) -> String {
    if s.chars().count() > MAX_CELL {
        format!("{}…", s.chars().take(MAX_CELL - 1).collect::<String>())
    } else {
        s
    }
}

/// The text of a field of a document.
pub fn cell_text(doc: &Value, path: &str) -> String {
    match lookup(doc, path) {
        Lookup::Missing => EMPTY.to_string(),
        Lookup::One(v) => cut(value_text(v)),
        Lookup::Many(vs) => cut(vs
            .iter()
            .map(|v| value_text(v))
            .collect::<Vec<_>>()
            .join(", ")),
    }
}

/// What a field sorts by: numbers as numbers, dates by their instant, the rest as text.
pub fn sort_key<'a>(doc: &'a Value, path: &str) -> SortKey<'a> {
    let v = match lookup(doc, path) {
        Lookup::Missing => return SortKey::Missing,
        Lookup::One(v) => v,
        Lookup::Many(vs) => match vs.first() {
            Some(v) => *v,
            None => return SortKey::Missing,
        },
    };
    match v {
        Value::Null => SortKey::Missing,
        Value::Number(n) => SortKey::num(n.as_f64()),
        Value::Object(m) if m.contains_key("$date") => match read_datetime(v) {
            Some((_, Some(micros))) => SortKey::Num(micros as f64),
            _ => SortKey::Text(value_text(v).into()),
        },
        Value::String(s) => match parse_iso_micros(s) {
            // ISO date-times sort as text correctly only in one zone: by instant instead.
            Some(micros) if s.len() > 10 => SortKey::Num(micros as f64),
            _ => SortKey::Text(Cow::Borrowed(s)),
        },
        other => SortKey::Text(value_text(other).into()),
    }
}

fn is_numeric(f: &FieldInfo) -> bool {
    let k = &f.kinds;
    k.number > 0 && k.number >= k.string + k.bool + k.object + k.array
}

/// A document's key: a text `_id` as it is, an ObjectId as `ObjectId(hex)`, anything else as
/// its JSON (so that `"abc"` and `{"$oid": "abc"}` are two keys).
pub fn id_key(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        Value::Object(m) => match m.get("$oid").and_then(Value::as_str) {
            Some(hex) => format!("ObjectId({hex})"),
            None => id.to_string(),
        },
        other => other.to_string(),
    }
}

/// Discovers the fields of `docs` and builds their table: `_id` and the most present fields
/// shown by default, sorted by `_id`.
pub fn documents_spec(docs: &[Arc<Value>]) -> TableSpec<Value> {
    let sample: Vec<&Value> = sample_indices(docs.len(), SAMPLE)
        .into_iter()
        .map(|i| docs[i].as_ref())
        .collect();
    let found = discover_fields(&sample, 6);
    let most_present =
        sorted_positions(found.len(), &|a, b| found[b].present.cmp(&found[a].present));
    let fields: Vec<FieldInfo> = most_present
        .into_iter()
        .take(MAX_FIELDS)
        .map(|i| found[i].clone())
        .collect();
    let defaults = default_columns(&fields, sample.len(), DEFAULT_COLUMNS);
    let columns: Vec<ColumnSpec<Value>> = fields
        .iter()
        .map(|f| {
            let (p1, p2) = (f.path.clone(), f.path.clone());
            ColumnSpec {
                key: f.path.clone(),
                label: f.path.clone(),
                numeric: is_numeric(f),
                default_dir: SortDir::Asc,
                cell: Arc::new(move |d: &Value| cell_text(d, &p1)),
                sort_key: Arc::new(move |d: &Value| sort_key(d, &p2)),
            }
        })
        .collect();
    let paths: Vec<String> = fields.iter().map(|f| f.path.clone()).collect();
    TableSpec {
        columns,
        default_sort: ("_id".into(), SortDir::Asc),
        default_columns: defaults,
        row_key: Arc::new(|d: &Value| d.get("_id").map(id_key).unwrap_or_default()),
        matches: Arc::new(move |d: &Value, needle: &str| {
            paths
                .iter()
                .any(|p| contains_folded(&cell_text(d, p), needle))
        }),
        tie_break: Arc::new(|a: &Value, b: &Value| {
            let id = |d: &Value| d.get("_id").map(value_text);
            id(a).cmp(&id(b)).then(Ordering::Equal)
        }),
        noun: ("document", "documents"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn docs() -> Vec<Arc<Value>> {
        vec![
            json!({"_id": {"$oid": "0b"}, "name": "b", "n": 2,
                   "processing": {"data_processes": [{"end_date_time": "2025-01-02T00:00:00Z",
                                                       "code": {"parameters": {"channels": ["G"]}}}]}}),
            json!({"_id": {"$oid": "0a"}, "name": "a", "n": 10,
                   "processing": {"data_processes": [{"end_date_time": "2025-01-01T00:00:00+01:00"},
                                                      {"end_date_time": "2024-12-31T00:00:00Z"}]}}),
            json!({"_id": {"$oid": "0c"}, "n": "7", "big": "x".repeat(200)}),
        ]
        .into_iter()
        .map(Arc::new)
        .collect()
    }

    #[test]
    fn fields_become_columns() {
        let d = docs();
        let s = documents_spec(&d);
        assert_eq!(s.default_columns[0], "_id");
        let path = "processing.data_processes.end_date_time";
        let col = s.column(path).expect("a nested path through an array");
        assert_eq!(
            (col.cell)(&d[1]),
            "2025-01-01T00:00:00+01:00, 2024-12-31T00:00:00Z"
        );
        assert_eq!((s.column("_id").unwrap().cell)(&d[0]), "0b");
        assert_eq!((s.row_key)(&d[0]), "ObjectId(0b)");
        assert_eq!((s.row_key)(&json!({"_id": "0b"})), "0b");
        assert_eq!((s.column("name").unwrap().cell)(&d[2]), EMPTY);
        assert!((s.column("big").unwrap().cell)(&d[2]).ends_with('…'));
        assert!(s.column("n").unwrap().numeric);
        let order = |key: &str, dir| {
            s.order(&d, 0..d.len(), "", (key, dir))
                .into_iter()
                .map(|i| value_text(&d[i]["_id"]))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(order("_id", SortDir::Asc), "0a 0b 0c");
        // Numbers before text; dates by instant (the +01:00 one is earlier than Jan 2 UTC).
        assert_eq!(order("n", SortDir::Asc), "0b 0a 0c");
        assert_eq!(order(path, SortDir::Asc), "0a 0b 0c");
        assert_eq!(order("name", SortDir::Desc), "0b 0a 0c");
        let hits: Vec<usize> = s.order(&d, 0..d.len(), "g", ("_id", SortDir::Asc));
        assert_eq!(hits, [0]);
    }
}
