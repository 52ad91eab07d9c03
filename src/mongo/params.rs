//! Requests to the metadata API's REST gateway: one builder for the `find`, `count_documents` and
//! `aggregate` URLs of any collection in any database. Pure; no dataset knowledge.

use serde_json::{json, Map, Value};

/// The API version every request goes through (the analysis database is only seen under v1).
pub const API_VERSION: &str = "v1";

/// URLs over about 10 KB fail at the gateway.
pub const MAX_URL_BYTES: usize = 10_000;

/// One collection behind the gateway: `{api_base}/{version}/{database}/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Collection {
    pub api_base: String,
    pub database: String,
    pub name: String,
}

/// The gateway's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Find,
    CountDocuments,
    Aggregate,
}

impl Op {
    fn path(self) -> &'static str {
        match self {
            Op::Find => "find",
            Op::CountDocuments => "count_documents",
            Op::Aggregate => "aggregate",
        }
    }
}

impl Collection {
    pub fn new(api_base: &str, database: &str, name: &str) -> Collection {
        Collection {
            api_base: api_base.trim_end_matches('/').to_string(),
            database: database.to_string(),
            name: name.to_string(),
        }
    }

    /// The URL of one operation with its (unencoded) query parameters.
    pub fn url(&self, op: Op, query: &[(&str, String)]) -> String {
        let mut url = format!(
            "{}/{API_VERSION}/{}/{}/{}",
            self.api_base,
            path_segment(&self.database),
            path_segment(&self.name),
            op.path()
        );
        if !query.is_empty() {
            url.push('?');
            url.push_str(&form_encode(query));
        }
        url
    }

    pub fn find_url(&self, params: &FindParams) -> String {
        self.url(Op::Find, &params.pairs())
    }

    pub fn count_url(&self, filter: &Value) -> String {
        self.url(Op::CountDocuments, &[("filter", filter.to_string())])
    }

    /// `aggregate` takes its pipeline as a POST body (a CORS preflight; prefer `find`).
    pub fn aggregate_url(&self) -> String {
        self.url(Op::Aggregate, &[])
    }
}

/// Parameters of one `GET .../find` request.
#[derive(Debug, Clone, PartialEq)]
pub struct FindParams {
    pub filter: Value,
    pub projection: Option<Value>,
    pub sort: Option<Value>,
    /// 0 means no limit: the gateway's payload cap decides how many come back.
    pub limit: u64,
    pub skip: u64,
}

impl FindParams {
    /// Every record of `filter` in `_id` order, the gateway deciding the page size.
    pub fn by_id(filter: Value, projection: Option<Value>) -> FindParams {
        FindParams {
            filter,
            projection,
            sort: Some(json!({"_id": 1})),
            limit: 0,
            skip: 0,
        }
    }

    /// The query parameters as the reference client sends them: `limit` and `skip` always, as
    /// decimal strings; JSON values as compact text.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
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
        pairs
    }

    /// The form-encoded query string.
    pub fn query_string(&self) -> String {
        form_encode(&self.pairs())
    }
}

/// `filter` with one more condition on `_id`: added as a key when the filter has no `_id` of
/// its own, otherwise both are kept under `$and` (a user filter may test `_id` too).
pub fn with_id_condition(filter: &Value, condition: Value) -> Value {
    match filter {
        Value::Object(m) if !m.contains_key("_id") => {
            let mut m = m.clone();
            m.insert("_id".into(), condition);
            Value::Object(m)
        }
        other => {
            let mut and = Map::new();
            and.insert("$and".into(), json!([other.clone(), {"_id": condition}]));
            Value::Object(and)
        }
    }
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

/// Length of `text` once form-encoded.
pub fn encoded_len(text: &str) -> usize {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b' ' => 1,
            _ => 3,
        })
        .sum()
}

/// Percent-encodes one URL path segment (subject ids in links, database and collection names).
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
    fn urls_of_every_operation() {
        let c = Collection::new("http://127.0.0.1:9/", "analysis", "dynamic-foraging-nm");
        let params = FindParams {
            filter: json!({"subject_id": "a b&c"}),
            projection: Some(json!({"_id": 1})),
            sort: None,
            limit: 500,
            skip: 1000,
        };
        assert_eq!(
            c.find_url(&params),
            "http://127.0.0.1:9/v1/analysis/dynamic-foraging-nm/find?limit=500&skip=1000\
             &filter=%7B%22subject_id%22%3A%22a+b%26c%22%7D&projection=%7B%22_id%22%3A1%7D"
        );
        assert_eq!(
            c.count_url(&json!({})),
            "http://127.0.0.1:9/v1/analysis/dynamic-foraging-nm/count_documents?filter=%7B%7D"
        );
        assert_eq!(
            c.aggregate_url(),
            "http://127.0.0.1:9/v1/analysis/dynamic-foraging-nm/aggregate"
        );
        let odd = Collection::new("https://h", "my db", "a/b?c");
        assert_eq!(
            odd.url(Op::Find, &[]),
            "https://h/v1/my%20db/a%2Fb%3Fc/find"
        );
        let by_id = FindParams::by_id(json!({}), None);
        assert_eq!(
            by_id.query_string(),
            "limit=0&skip=0&filter=%7B%7D&sort=%7B%22_id%22%3A1%7D"
        );
    }

    #[test]
    fn id_conditions_never_replace_the_filter() {
        let gt = json!({"$gt": "k"});
        assert_eq!(
            with_id_condition(&json!({"a": 1}), gt.clone()),
            json!({"a": 1, "_id": {"$gt": "k"}})
        );
        assert_eq!(
            with_id_condition(&json!({}), gt.clone()),
            json!({"_id": {"$gt": "k"}})
        );
        assert_eq!(
            with_id_condition(&json!({"_id": {"$exists": true}}), gt.clone()),
            json!({"$and": [{"_id": {"$exists": true}}, {"_id": {"$gt": "k"}}]})
        );
    }

    #[test]
    fn encoding() {
        for s in ["730945", "a b/c?d#e%f", "ü", ""] {
            assert_eq!(decode_segment(&path_segment(s)), s);
            assert_eq!(
                encoded_len(s),
                form_encode(&[("", s.to_string())]).len() - 1
            );
        }
        assert_eq!(decode_segment("%zz%4"), "%zz%4");
        assert_eq!(decode_segment("%é%"), "%é%");
    }
}
