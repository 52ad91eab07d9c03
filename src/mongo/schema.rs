//! Field discovery for collections whose fields no one has listed: the dotted paths of a sample
//! of documents, how often each has a value and of which kinds, and MongoDB-style lookup of a
//! dotted path.
//!
//! Paths follow MongoDB's dotted-path semantics: `a.b` reaches `b` inside an object `a`, and
//! inside every object of an array `a` (several values for one document). Extended JSON wrappers
//! (`{"$date": ..}`, `{"$oid": ..}`, `{"$numberLong": ..}`, ...) and arrays of scalars are
//! values, not containers.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Counts per kind of leaf value. A document can count several values for a path that passes
/// through an array of objects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds {
    pub string: usize,
    pub number: usize,
    pub bool: usize,
    pub null: usize,
    /// Extended JSON `{"$date": ..}`.
    pub date: usize,
    /// Extended JSON `{"$oid": ..}`.
    pub oid: usize,
    /// An array not followed: of scalars, empty, of arrays, or of objects at the maximum depth.
    pub array: usize,
    /// An empty object, one at the maximum depth, or an Extended JSON wrapper of another type.
    pub object: usize,
}

impl Kinds {
    /// All values counted.
    pub fn total(&self) -> usize {
        self.scalar() + self.null + self.array + self.object
    }

    /// Values that fit in one table cell: strings, numbers, booleans, dates and ObjectIds.
    pub fn scalar(&self) -> usize {
        self.string + self.number + self.bool + self.date + self.oid
    }
}

/// One dotted path found in the sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// Dotted path, e.g. "processing.data_processes.code.parameters.plot_types".
    pub path: String,
    /// Documents (of the sample) where the path has a value (`null` included; not missing).
    pub present: usize,
    /// Counts per kind of leaf value.
    pub kinds: Kinds,
    /// The path passes through an array of objects (MongoDB dotted-path semantics).
    pub through_array: bool,
}

/// What a dotted path reaches in one document.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    Missing,
    One(&'a Value),
    /// The path went through an array of objects: the values found, in array order.
    Many(Vec<&'a Value>),
}

/// Which documents to sample: all when `n_docs <= max`, otherwise `max` indices spread evenly
/// from the first document to the last. Deterministic, so a view samples the same documents
/// each time.
pub fn sample_indices(n_docs: usize, max: usize) -> Vec<usize> {
    if n_docs <= max {
        return (0..n_docs).collect();
    }
    match max {
        0 => Vec::new(),
        1 => vec![0],
        // Steps are longer than 1, so the indices are distinct; u128 cannot overflow here.
        _ => (0..max)
            .map(|i| (i as u128 * (n_docs - 1) as u128 / (max - 1) as u128) as usize)
            .collect(),
    }
}

/// The dotted paths of `docs`, in the order first seen (document by document, keys in the
/// order the document's map keeps them: sorted, unless serde_json's `preserve_order` is on). `max_depth` is the most path segments followed (0 counts as 1); an object
/// at that depth is a leaf of kind `object`.
pub fn discover_fields(docs: &[&Value], max_depth: usize) -> Vec<FieldInfo> {
    let mut found = Discovery {
        max_depth: max_depth.max(1),
        fields: Vec::new(),
        last_doc: Vec::new(),
        index: HashMap::new(),
        path: String::new(),
    };
    for (doc_index, doc) in docs.iter().enumerate() {
        if let Value::Object(m) = doc {
            found.object(m, 1, false, doc_index);
        }
    }
    found.fields
}

/// What a dotted path reaches in `doc`, following it through objects and through arrays of
/// objects like MongoDB. A numeric segment on an array picks that element (`a.0.b`).
/// Values that are `null` are found (`One(&Value::Null)`); an empty path is `Missing`.
pub fn lookup<'a>(doc: &'a Value, path: &str) -> Lookup<'a> {
    if path.is_empty() {
        return Lookup::Missing;
    }
    let segments: Vec<&str> = path.split('.').collect();
    let mut found = Vec::new();
    let many = follow(doc, &segments, &mut found);
    match (many, found.len()) {
        (_, 0) => Lookup::Missing,
        (false, 1) => Lookup::One(found[0]),
        _ => Lookup::Many(found),
    }
}

/// Default table columns: "_id" first (when the documents have one), then the fields present in
/// the most documents whose values are mostly scalars and one per document (not through an
/// array), ties in first-seen order; fields present in fewer than 20% of `n_docs` are skipped.
/// At most `max` columns, "_id" included.
pub fn default_columns(fields: &[FieldInfo], n_docs: usize, max: usize) -> Vec<String> {
    let mut columns = Vec::new();
    let has_id = fields
        .iter()
        .any(|f| f.path == "_id" || f.path.starts_with("_id."));
    if has_id && max > 0 {
        columns.push("_id".to_string());
    }
    let candidates: Vec<&FieldInfo> = fields
        .iter()
        .filter(|f| f.path != "_id" && !f.path.starts_with("_id."))
        .filter(|f| f.present > 0 && f.present * 5 >= n_docs)
        .filter(|f| !f.through_array && f.kinds.scalar() > 0)
        .filter(|f| f.kinds.scalar() >= f.kinds.array + f.kinds.object)
        .collect();
    // Stable: ties stay in first-seen order.
    let order = crate::sort::sorted_positions(candidates.len(), &|a, b| {
        candidates[b].present.cmp(&candidates[a].present)
    });
    let room = max.saturating_sub(columns.len());
    columns.extend(
        order
            .into_iter()
            .take(room)
            .map(|i| candidates[i].path.clone()),
    );
    columns
}

impl Kinds {
    /// Counts one leaf value.
    fn add(&mut self, v: &Value) {
        let count = match v {
            Value::String(_) => &mut self.string,
            Value::Number(_) => &mut self.number,
            Value::Bool(_) => &mut self.bool,
            Value::Null => &mut self.null,
            Value::Array(_) => &mut self.array,
            Value::Object(m) => match extended_json(m) {
                Some("$date") => &mut self.date,
                Some("$oid") => &mut self.oid,
                Some(w) if w.starts_with("$number") => &mut self.number,
                _ => &mut self.object,
            },
        };
        *count += 1;
    }
}

/// The wrapper key of an Extended JSON value (`{"$date": ..}`, `{"$binary": .., "$type": ..}`):
/// an object whose keys all start with `$`. Stored documents cannot have such keys.
fn extended_json(m: &Map<String, Value>) -> Option<&str> {
    let mut keys = m.keys();
    let first = keys.next()?;
    let all = first.starts_with('$') && keys.all(|k| k.starts_with('$'));
    all.then_some(first.as_str())
}

/// An object worth descending into: not empty, not an Extended JSON wrapper.
fn container(v: &Value) -> Option<&Map<String, Value>> {
    match v {
        Value::Object(m) if !m.is_empty() && extended_json(m).is_none() => Some(m),
        _ => None,
    }
}

struct Discovery {
    max_depth: usize,
    fields: Vec<FieldInfo>,
    /// The last document counted in each field's `present`.
    last_doc: Vec<usize>,
    index: HashMap<String, usize>,
    /// The path being walked.
    path: String,
}

impl Discovery {
    /// Walks the keys of `m`, whose paths have `depth` segments.
    fn object(&mut self, m: &Map<String, Value>, depth: usize, through: bool, doc: usize) {
        for (key, v) in m {
            let len = self.path.len();
            if len > 0 {
                self.path.push('.');
            }
            self.path.push_str(key);
            let below = depth < self.max_depth;
            let child = container(v).filter(|_| below);
            let items = match v {
                Value::Array(items) if below && items.iter().any(|x| container(x).is_some()) => {
                    Some(items)
                }
                _ => None,
            };
            if let Some(child) = child {
                self.object(child, depth + 1, through, doc);
            } else if let Some(items) = items {
                // Scalars mixed into an array of objects have no path of their own.
                for item in items.iter().filter_map(container) {
                    self.object(item, depth + 1, true, doc);
                }
            } else {
                self.leaf(v, through, doc);
            }
            self.path.truncate(len);
        }
    }

    fn leaf(&mut self, v: &Value, through: bool, doc: usize) {
        let i = match self.index.get(&self.path) {
            Some(&i) => i,
            None => {
                self.index.insert(self.path.clone(), self.fields.len());
                self.fields.push(FieldInfo {
                    path: self.path.clone(),
                    present: 0,
                    kinds: Kinds::default(),
                    through_array: false,
                });
                self.last_doc.push(usize::MAX);
                self.fields.len() - 1
            }
        };
        let field = &mut self.fields[i];
        if self.last_doc[i] != doc {
            self.last_doc[i] = doc;
            field.present += 1;
        }
        field.kinds.add(v);
        field.through_array |= through;
    }
}

/// Collects what `segments` reach from `v` into `found`; true when an array of objects was
/// crossed (the answer is a list even if it holds one value).
fn follow<'a>(v: &'a Value, segments: &[&str], found: &mut Vec<&'a Value>) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        found.push(v);
        return false;
    };
    match v {
        Value::Object(m) => match m.get(*first) {
            Some(child) => follow(child, rest, found),
            None => false,
        },
        Value::Array(items) => match first.parse::<usize>() {
            Ok(i) => items.get(i).is_some_and(|item| follow(item, rest, found)),
            Err(_) => {
                for item in items.iter().filter(|x| x.is_object()) {
                    follow(item, segments, found);
                }
                true
            }
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Kinds from "string:2 date:1".
    fn kinds(spec: &str) -> Kinds {
        let mut k = Kinds::default();
        for part in spec.split_whitespace() {
            let (name, n) = part.split_once(':').unwrap();
            let n: usize = n.parse().unwrap();
            match name {
                "string" => k.string = n,
                "number" => k.number = n,
                "bool" => k.bool = n,
                "null" => k.null = n,
                "date" => k.date = n,
                "oid" => k.oid = n,
                "array" => k.array = n,
                "object" => k.object = n,
                _ => panic!("{name}"),
            }
        }
        k
    }

    fn field(path: &str, present: usize, spec: &str, through_array: bool) -> FieldInfo {
        FieldInfo {
            path: path.to_string(),
            present,
            kinds: kinds(spec),
            through_array,
        }
    }

    /// Two records shaped like the framework format (keys written in sorted order, so the
    /// expected order holds with or without serde_json's `preserve_order`).
    fn framework() -> Vec<Value> {
        vec![
            json!({
                "_id": "f1",
                "created": {"$date": "2025-03-01T10:00:00Z"},
                "name": "s1",
                "processing": {"data_processes": [
                    {
                        "code": {"parameters": {"agent": "QLearning", "plot_types": ["choice", "params"]}},
                        "end_date_time": "2025-03-01T10:02:13Z",
                        "name": "Analysis",
                        "output_parameters": {"AIC": 634.5, "params": {"biasL": -0.1}}
                    },
                    {
                        "code": {"parameters": {"agent": "WSLS"}},
                        "end_date_time": {"$date": {"$numberLong": "1740823333000"}},
                        "name": "Fit"
                    }
                ]},
                "subject": {"subject_id": "700001"}
            }),
            json!({
                "_id": {"$oid": "65a1b2c3d4e5f60718293a4b"},
                "created": "2025-03-02",
                "name": "s2",
                "processing": {"data_processes": []}
            }),
        ]
    }

    #[test]
    fn framework_records() {
        let docs = framework();
        let refs: Vec<&Value> = docs.iter().collect();
        let p = "processing.data_processes";
        let want = vec![
            field("_id", 2, "string:1 oid:1", false),
            field("created", 2, "date:1 string:1", false),
            field("name", 2, "string:2", false),
            field(&format!("{p}.code.parameters.agent"), 1, "string:2", true),
            field(
                &format!("{p}.code.parameters.plot_types"),
                1,
                "array:1",
                true,
            ),
            field(&format!("{p}.end_date_time"), 1, "string:1 date:1", true),
            field(&format!("{p}.name"), 1, "string:2", true),
            field(&format!("{p}.output_parameters.AIC"), 1, "number:1", true),
            field(
                &format!("{p}.output_parameters.params.biasL"),
                1,
                "number:1",
                true,
            ),
            field("subject.subject_id", 1, "string:1", false),
            // The second record's empty list of processes.
            field(p, 1, "array:1", false),
        ];
        assert_eq!(discover_fields(&refs, 10), want);
        assert_eq!(
            default_columns(&discover_fields(&refs, 10), 2, 10),
            vec!["_id", "created", "name", "subject.subject_id"]
        );
    }

    #[test]
    fn depth_bounds_the_descent() {
        let docs = framework();
        let refs: Vec<&Value> = docs.iter().collect();
        let paths = |depth: usize| -> Vec<(String, Kinds, bool)> {
            discover_fields(&refs, depth)
                .into_iter()
                .map(|f| (f.path, f.kinds, f.through_array))
                .collect()
        };
        let s = |p: &str, k: &str, t: bool| (p.to_string(), kinds(k), t);
        let top = vec![
            s("_id", "string:1 oid:1", false),
            s("created", "date:1 string:1", false),
            s("name", "string:2", false),
            s("processing", "object:2", false),
            s("subject", "object:1", false),
        ];
        assert_eq!(paths(1), top);
        assert_eq!(paths(0), top);
        assert_eq!(
            paths(2)[3..],
            [
                s("processing.data_processes", "array:2", false),
                s("subject.subject_id", "string:1", false),
            ]
        );
        let p = "processing.data_processes";
        assert_eq!(
            paths(3)[3..],
            [
                s(&format!("{p}.code"), "object:2", true),
                s(&format!("{p}.end_date_time"), "string:1 date:1", true),
                s(&format!("{p}.name"), "string:2", true),
                s(&format!("{p}.output_parameters"), "object:1", true),
                s("subject.subject_id", "string:1", false),
                s(p, "array:1", false),
            ]
        );
    }

    #[test]
    fn flat_records_missing_fields_and_mixed_kinds() {
        let docs = [
            json!({"_id": 1, "a": 1, "b": "x", "m": "text"}),
            json!({"_id": 2, "a": 2.5, "m": 3}),
            json!({"_id": 3, "a": null, "c": true, "m": [1, "two"]}),
            json!({"_id": 4, "m": {}}),
            json!("not a document"),
            json!({"_id": 5, "m": null}),
        ];
        let refs: Vec<&Value> = docs.iter().collect();
        assert_eq!(
            discover_fields(&refs, 5),
            vec![
                field("_id", 5, "number:5", false),
                field("a", 3, "number:2 null:1", false),
                field("b", 1, "string:1", false),
                field("m", 5, "string:1 number:1 array:1 object:1 null:1", false),
                field("c", 1, "bool:1", false),
            ]
        );
        assert_eq!(discover_fields(&[], 5), vec![]);
    }

    #[test]
    fn extended_json_values_are_leaves() {
        let doc = json!({
            "_id": {"$oid": "65a1"},
            "bin": {"$binary": {"base64": "AA==", "subType": "00"}},
            "d": {"$date": {"$numberLong": "0"}},
            "dates": [{"$date": "2025-01-01"}, {"$date": "2025-01-02"}],
            "dec": {"$numberDecimal": "1.5"},
            "dbl": {"$numberDouble": "NaN"},
            "i": {"$numberInt": "3"},
            "l": {"$numberLong": "12"},
            "not_a_wrapper": {"$date": "2025", "note": "x"}
        });
        let got = discover_fields(&[&doc], 5);
        let want = vec![
            field("_id", 1, "oid:1", false),
            field("bin", 1, "object:1", false),
            field("d", 1, "date:1", false),
            field("dates", 1, "array:1", false),
            field("dbl", 1, "number:1", false),
            field("dec", 1, "number:1", false),
            field("i", 1, "number:1", false),
            field("l", 1, "number:1", false),
            field("not_a_wrapper.$date", 1, "string:1", false),
            field("not_a_wrapper.note", 1, "string:1", false),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn arrays_of_objects_are_followed() {
        let doc = json!({
            "a": [{"b": [{"c": 1}, {"c": 2}]}, {"b": [{"c": "x"}]}],
            "mixed": [1, {"k": true}, [{"k": false}], {}],
            "nested": [[{"x": 1}]],
            "scalars": [1, 2]
        });
        assert_eq!(
            discover_fields(&[&doc], 5),
            vec![
                field("a.b.c", 1, "number:2 string:1", true),
                field("mixed.k", 1, "bool:1", true),
                field("nested", 1, "array:1", false),
                field("scalars", 1, "array:1", false),
            ]
        );
    }

    /// An owned [`Lookup`], to write expectations with `json!`.
    #[derive(Debug, PartialEq)]
    enum Want {
        Missing,
        One(Value),
        Many(Vec<Value>),
    }

    impl Want {
        fn of(l: Lookup) -> Want {
            match l {
                Lookup::Missing => Want::Missing,
                Lookup::One(v) => Want::One(v.clone()),
                Lookup::Many(vs) => Want::Many(vs.into_iter().cloned().collect()),
            }
        }
    }

    #[test]
    fn lookups() {
        let docs = framework();
        let f = &docs[0];
        let other = json!({
            "a": [{"b": [{"c": 1}, {"c": 2}]}, {"b": [{"c": 3}]}, {"x": 0}],
            "n": null,
            "nested": [[{"x": 1}]],
            "mixed": [1, {"k": 2}],
            "tags": ["t1", "t2"]
        });
        use Want::*;
        let cases: Vec<(&Value, &str, Want)> = vec![
            (f, "name", One(json!("s1"))),
            (f, "subject.subject_id", One(json!("700001"))),
            (f, "created", One(json!({"$date": "2025-03-01T10:00:00Z"}))),
            (f, "created.$date", One(json!("2025-03-01T10:00:00Z"))),
            (
                f,
                "processing.data_processes.name",
                Many(vec![json!("Analysis"), json!("Fit")]),
            ),
            (
                f,
                "processing.data_processes.output_parameters.AIC",
                Many(vec![json!(634.5)]),
            ),
            (
                f,
                "processing.data_processes.code.parameters.plot_types",
                Many(vec![json!(["choice", "params"])]),
            ),
            (
                f,
                "processing.data_processes.0.name",
                One(json!("Analysis")),
            ),
            (
                f,
                "processing.data_processes.1.code.parameters.agent",
                One(json!("WSLS")),
            ),
            (f, "processing.data_processes.5.name", Missing),
            (f, "processing.data_processes.nope", Missing),
            (f, "subject.nope", Missing),
            (f, "name.x", Missing),
            (f, "", Missing),
            (f, "name.", Missing),
            (&docs[1], "processing.data_processes.name", Missing),
            (&other, "a.b.c", Many(vec![json!(1), json!(2), json!(3)])),
            (
                &other,
                "a.b",
                Many(vec![json!([{"c": 1}, {"c": 2}]), json!([{"c": 3}])]),
            ),
            (&other, "n", One(Value::Null)),
            (&other, "n.x", Missing),
            (&other, "nested.x", Missing),
            (&other, "mixed.k", Many(vec![json!(2)])),
            (&other, "tags", One(json!(["t1", "t2"]))),
            (&other, "tags.1", One(json!("t2"))),
        ];
        for (doc, path, want) in cases {
            assert_eq!(Want::of(lookup(doc, path)), want, "{path}");
        }
    }

    #[test]
    fn samples() {
        let cases: &[(usize, usize, &[usize])] = &[
            (0, 5, &[]),
            (3, 5, &[0, 1, 2]),
            (5, 5, &[0, 1, 2, 3, 4]),
            (10, 0, &[]),
            (10, 1, &[0]),
            (10, 2, &[0, 9]),
            (10, 4, &[0, 3, 6, 9]),
            (1000, 3, &[0, 499, 999]),
            (usize::MAX, 3, &[0, (usize::MAX - 1) / 2, usize::MAX - 1]),
        ];
        for (n, max, want) in cases {
            assert_eq!(sample_indices(*n, *max), *want, "{n} {max}");
        }
        for n in 0..300 {
            for max in [2, 7, 50, 200] {
                let s = sample_indices(n, max);
                assert_eq!(s.len(), n.min(max));
                assert!(s.windows(2).all(|w| w[0] < w[1]), "{n} {max}");
                if n > 0 {
                    assert_eq!((s[0], s[s.len() - 1]), (0, n - 1));
                }
            }
        }
    }

    #[test]
    fn default_column_choice() {
        let fields = vec![
            field("meta", 10, "object:10", false),
            field("subject_id", 10, "string:10", false),
            field("_id", 10, "oid:10", false),
            field("tags", 10, "array:10", false),
            field("nulls", 10, "null:10", false),
            field("procs.name", 10, "string:14", true),
            field("n_trials", 8, "number:8", false),
            field("mixed", 10, "string:5 object:5", false),
            field("mostly_lists", 10, "string:4 array:6", false),
            field("created", 9, "date:9", false),
            field("rare2", 2, "bool:2", false),
            field("rare1", 1, "string:1", false),
        ];
        let cases: &[(usize, usize, &[&str])] = &[
            (
                10,
                10,
                &["_id", "subject_id", "mixed", "created", "n_trials", "rare2"],
            ),
            (10, 4, &["_id", "subject_id", "mixed", "created"]),
            (10, 1, &["_id"]),
            (10, 0, &[]),
            // With more documents, 2 of them are no longer 20%.
            (
                11,
                10,
                &["_id", "subject_id", "mixed", "created", "n_trials"],
            ),
        ];
        for (n, max, want) in cases {
            assert_eq!(default_columns(&fields, *n, *max), *want, "{n} {max}");
        }
        let compound = vec![
            field("_id.a", 3, "number:3", false),
            field("x", 3, "string:3", false),
        ];
        assert_eq!(default_columns(&compound, 3, 5), vec!["_id", "x"]);
        let no_id = vec![
            field("b", 1, "string:1", false),
            field("a", 3, "number:3", false),
        ];
        assert_eq!(default_columns(&no_id, 3, 5), vec!["a", "b"]);
        assert!(default_columns(&[], 0, 5).is_empty());
    }
}
