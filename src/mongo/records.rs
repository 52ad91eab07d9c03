//! Resilient reading of one `find` response body (a bare JSON array of records): a record that
//! cannot be read costs that record, not the page.
//!
//! A clean body is read by one `serde_json` pass. When that pass fails, the records it read
//! before the failure are kept, the rest of the array is split into its elements by a small
//! scanner, and each element is read on its own after repairing what Python's `json.dumps` emits
//! and `serde_json` refuses: bare `NaN`/`Infinity` tokens (read as the strings "NaN", "Infinity"
//! and "-Infinity", as `json::parse_lenient` does, and not reported as repairs), lone UTF-16
//! surrogate escapes (replaced with U+FFFD) and numbers beyond the f64 range (kept as text). A
//! body cut off in transfer keeps the complete records before the cut. Everything is linear in
//! the size of the body.

use std::fmt;

use serde::de::{DeserializeOwned, SeqAccess, Visitor};
use serde_json::Value;

/// serde_json refuses a value with this many levels of brackets (its own included): inside the
/// page's array, one nested deeper than 128 levels.
mod repair;
mod scan;

use repair::*;
use scan::*;

const MAX_NESTING: usize = 128;

/// Bare tokens Python writes for non-finite floats.
const NON_FINITE: [&str; 3] = ["NaN", "-Infinity", "Infinity"];

/// What a page's records are read into: any JSON value, or a dataset's own type that reads
/// only the fields it needs (and builds no tree of the rest).
pub trait Record: DeserializeOwned {
    /// The record's `_id`, as sent.
    fn id(&self) -> Option<&Value>;
}

impl Record for Value {
    fn id(&self) -> Option<&Value> {
        self.get("_id")
    }
}

/// One `find` response body, read as far as it could be.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPage<T = Value> {
    /// The readable records, in body order.
    pub records: Vec<T>,
    /// Repairs, by increasing index into `records`: one sentence each, e.g.
    /// "a lone UTF-16 surrogate escape (\\ud800) was replaced with U+FFFD".
    pub repairs: Vec<(usize, String)>,
    /// Array elements that could not be read at all, by increasing position.
    pub unreadable: Vec<Unreadable>,
    /// The body ended before the array was closed; the complete records before the cut are kept.
    pub truncated: bool,
}

/// An array element that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Index of the element in the array (readable and unreadable elements both count).
    pub position: usize,
    /// Its `_id`, when one could be read from the raw text of the element.
    pub id: Option<String>,
    /// Why, in one sentence (serde_json's message, with line and column in the body).
    pub reason: String,
}

/// A body with no records to keep at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// The body was empty or only whitespace.
    Empty,
    /// Valid JSON but not an array: a short description of what it was.
    NotAnArray(String),
    /// Not JSON (an HTML error page, a cut-off object): serde_json's message with line/column.
    NotJson(String),
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Empty => write!(f, "the response body was empty"),
            PageError::NotAnArray(what) => write!(f, "expected a list of records, got {what}"),
            PageError::NotJson(msg) => write!(f, "the response is not valid JSON: {msg}"),
        }
    }
}

impl std::error::Error for PageError {}

impl<T> Default for ParsedPage<T> {
    fn default() -> Self {
        ParsedPage {
            records: Vec::new(),
            repairs: Vec::new(),
            unreadable: Vec::new(),
            truncated: false,
        }
    }
}

/// Reads a `find` response body into records of type `T` (`Value` for any JSON). Fails only
/// when there is no array to read records from.
pub fn parse_records<T: Record>(text: &str) -> Result<ParsedPage<T>, PageError> {
    // Not JSON, but some servers send a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(PageError::Empty);
    }
    let start = skip_ws(text.as_bytes(), 0);
    if text.as_bytes()[start] != b'[' {
        return Err(not_an_array(text));
    }
    let mut records = Vec::new();
    if read_array(text, &mut records).is_ok() {
        return Ok(page_of(records));
    }
    // Python's bare NaN/Infinity are common: quote them all and read the body once more.
    if let Some(quoted) = repair(text, false) {
        let mut again = Vec::new();
        if read_array(&quoted.text, &mut again).is_ok() {
            return Ok(page_of(again));
        }
        if again.len() > records.len() {
            records = again;
        }
    }
    // The last record read may have been read past a missing comma: the slow path rereads it.
    records.pop();
    Ok(read_elements(text, start + 1, records))
}

/// The text of an `_id` value: a non-empty string, a number, or what an Extended JSON wrapper
/// holds (`{"$oid": ..}`, `{"$numberLong": ..}`, ...).
pub fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(m) if m.len() == 1 && m.keys().all(|k| k.starts_with('$')) => m
            .values()
            .next()
            .filter(|w| !w.is_object())
            .and_then(id_text),
        _ => None,
    }
}

/// Reads the array in `text` into `out` as its elements come, so that the records before a
/// failure are kept (`serde_json::from_str::<Vec<Value>>` drops them).
fn read_array<T: Record>(text: &str, out: &mut Vec<T>) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde::Deserializer::deserialize_seq(&mut de, Collect(out))?;
    de.end()
}

struct Collect<'a, T>(&'a mut Vec<T>);

impl<'de, T: Record> Visitor<'de> for Collect<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element()? {
            self.0.push(v);
        }
        Ok(())
    }
}

fn page_of<T>(records: Vec<T>) -> ParsedPage<T> {
    ParsedPage {
        records,
        ..ParsedPage::default()
    }
}

/// The slow path: the elements of the array starting at `i` (just after `[`), each read on its
/// own, after the first `records.len()` ones, which were already read.
fn read_elements<T: Record>(text: &str, mut i: usize, records: Vec<T>) -> ParsedPage<T> {
    let b = text.as_bytes();
    // Each record already read was well-formed and followed by a comma.
    for _ in 0..records.len() {
        i = scan_value(b, skip_ws(b, i), b']').end + 1;
    }
    let mut position = records.len();
    let mut page = page_of(records);
    let mut cursor = (0, 1, 0);
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            None => {
                page.truncated = true;
                return page;
            }
            // Whatever follows the closing bracket is not a record.
            Some(b']') => return page,
            // An empty element (`[1,,2]`, `[1,]`): nothing was sent, so nothing takes a position.
            Some(b',') => {
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        let span = scan_value(b, i, b']');
        let at_end = span.end == b.len();
        // At the end of the body only a closed object, array or string is surely complete:
        // `12` may have been `123`.
        if at_end && (span.open || !matches!(b[i], b'{' | b'[' | b'"')) {
            page.truncated = true;
            return page;
        }
        let raw = trim_ws_end(&text[i..span.end]);
        let read = if span.max_depth >= MAX_NESTING {
            Err(format!("nested deeper than {MAX_NESTING} levels"))
        } else {
            read_element(raw).map_err(|(e, fixed)| reason(&e, raw, fixed, i, b, &mut cursor))
        };
        match read {
            Ok((value, notes)) => {
                let index = page.records.len();
                page.repairs.extend(notes.into_iter().map(|n| (index, n)));
                page.records.push(value);
            }
            Err(reason) => page.unreadable.push(Unreadable {
                position,
                id: raw_id(raw),
                reason,
            }),
        }
        position += 1;
        if at_end || b[span.end] == b']' {
            page.truncated = at_end;
            return page;
        }
        i = span.end + 1;
    }
}

/// One element read on its own, with the repair notes it needed; or the error and the repairs
/// made before it.
fn read_element<T: Record>(
    raw: &str,
) -> Result<(T, Vec<String>), (serde_json::Error, Option<Repaired>)> {
    let error = match serde_json::from_str(raw) {
        Ok(v) => return Ok((v, Vec::new())),
        Err(e) => e,
    };
    let Some(fixed) = repair(raw, true) else {
        return Err((error, None));
    };
    match serde_json::from_str(&fixed.text) {
        Ok(v) => Ok((v, fixed.notes())),
        Err(e) => Err((e, Some(fixed))),
    }
}

/// serde_json's message for the element at `start`, its position moved from the element's
/// (repaired) text to the body. `cursor` (offset, line, line start) only moves forward, so
/// positions cost linear time over the whole page.
fn reason(
    e: &serde_json::Error,
    raw: &str,
    fixed: Option<Repaired>,
    start: usize,
    body: &[u8],
    cursor: &mut (usize, usize, usize),
) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    let parsed = fixed.as_ref().map_or(raw, |f| &f.text).as_bytes();
    let mut offset = offset_of(parsed, e.line(), e.column());
    if let Some(f) = fixed {
        // Each token put in quotes before the error moved it two bytes on.
        let moved = 2 * f.quoted_ends.iter().filter(|&&end| end <= offset).count();
        offset = offset.saturating_sub(moved);
    }
    let offset = (start + offset).clamp(cursor.0, body.len());
    for (k, &c) in body[cursor.0..offset].iter().enumerate() {
        if c == b'\n' {
            cursor.1 += 1;
            cursor.2 = cursor.0 + k + 1;
        }
    }
    cursor.0 = offset;
    format!(
        "{message} at line {} column {}",
        cursor.1,
        offset - cursor.2
    )
}

/// The byte offset of serde_json's (line, column) in `b`: just after the byte it stopped at.
fn offset_of(b: &[u8], line: usize, column: usize) -> usize {
    let mut line_start = 0;
    for _ in 1..line {
        match b[line_start..].iter().position(|&c| c == b'\n') {
            Some(p) => line_start += p + 1,
            None => break,
        }
    }
    (line_start + column).min(b.len())
}

/// The `_id` of an element that could not be read, from its raw text: the first `"_id"` key of
/// the top-level object, when its value can be read.
fn raw_id(raw: &str) -> Option<String> {
    let b = raw.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut i = 1;
    loop {
        i = skip_ws(b, i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(b, i);
        let key = raw.get(i..key_end)?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let span = scan_value(b, i, b'}');
        let is_id = key == "\"_id\""
            || key.contains('\\') && serde_json::from_str::<String>(key).is_ok_and(|k| k == "_id");
        if is_id {
            let value = trim_ws_end(&raw[i..span.end]);
            return read_element::<Value>(value)
                .ok()
                .and_then(|(v, _)| id_text(&v));
        }
        if span.end >= b.len() || b[span.end] == b'}' {
            return None;
        }
        i = span.end + 1;
    }
}

/// What a body that is not an array is, for the error message.
fn not_an_array(text: &str) -> PageError {
    let parsed = serde_json::from_str::<Value>(text).or_else(|e| match repair(text, false) {
        Some(quoted) => serde_json::from_str(&quoted.text).map_err(|_| e),
        None => Err(e),
    });
    let v = match parsed {
        Ok(v) => v,
        Err(e) => {
            let head: String = text.trim_start().chars().take(41).collect();
            let head = clip(&head.replace(char::is_control, " "), 40);
            return PageError::NotJson(format!("{e} (the body starts with {head})"));
        }
    };
    PageError::NotAnArray(match &v {
        Value::Object(m) if m.is_empty() => "an empty object".to_string(),
        Value::Object(_) => format!("an object ({})", clip(&v.to_string(), 80)),
        Value::String(_) => format!("a string ({})", clip(&v.to_string(), 60)),
        Value::Number(n) => format!("a number ({n})"),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Array(_) | Value::Null => v.to_string(),
    })
}

/// At most `max` characters of `s`, with "…" when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `[{"_id": "a"}, element, {"_id": "z"}]`: repairs and failures of the middle element.
    fn around(element: &str) -> String {
        format!(r#"[{{"_id": "a"}}, {element}, {{"_id": "z"}}]"#)
    }

    fn parsed(text: &str) -> ParsedPage {
        parse_records(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn deep(levels: usize) -> String {
        format!("{}{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn clean_pages() {
        let cases: &[(&str, Value)] = &[
            ("[]", json!([])),
            (" \n[ ]\n", json!([])),
            (
                r#"[1, "a", null, {"_id": "x"}]"#,
                json!([1, "a", null, {"_id": "x"}]),
            ),
            (
                r#"[{"x": NaN, "y": -Infinity, "z": Infinity, "s": "NaN -Infinity"}]"#,
                json!([{"x": "NaN", "y": "-Infinity", "z": "Infinity", "s": "NaN -Infinity"}]),
            ),
            ("\u{feff}[1]", json!([1])),
            (r#"["\ud83d\ude00", 1e-400]"#, json!(["😀", 0.0])),
        ];
        for (text, want) in cases {
            let page = parsed(text);
            assert_eq!(Value::Array(page.records.clone()), *want, "{text}");
            assert_eq!(page, page_of(page.records.clone()), "{text}");
        }
    }

    #[test]
    fn bodies_that_are_not_pages() {
        let cases: &[(&str, PageError, &str)] = &[
            ("", PageError::Empty, "the response body was empty"),
            (" \n\t ", PageError::Empty, "the response body was empty"),
            (
                r#"{"detail": "Not Found"}"#,
                PageError::NotAnArray(r#"an object ({"detail":"Not Found"})"#.into()),
                r#"expected a list of records, got an object ({"detail":"Not Found"})"#,
            ),
            (
                "42",
                PageError::NotAnArray("a number (42)".into()),
                "expected a list of records, got a number (42)",
            ),
            (
                "\"ok\"",
                PageError::NotAnArray("a string (\"ok\")".into()),
                "",
            ),
            ("null", PageError::NotAnArray("null".into()), ""),
            ("{}", PageError::NotAnArray("an empty object".into()), ""),
            (
                " {\"a\": NaN}",
                PageError::NotAnArray("an object ({\"a\":\"NaN\"})".into()),
                "",
            ),
        ];
        for (text, want, display) in cases {
            let got = parse_records::<Value>(text).unwrap_err();
            assert_eq!(&got, want, "{text}");
            assert!(got.to_string().starts_with(display), "{text}: {got}");
        }
        let long = json!({"detail": "x".repeat(100)});
        assert_eq!(
            parse_records::<Value>(&long.to_string()).unwrap_err(),
            PageError::NotAnArray(format!(r#"an object ({{"detail":"{}…)"#, "x".repeat(68)))
        );
        let not_json: &[(&str, &[&str])] = &[
            (
                "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>",
                &[
                    "expected value at line 1 column 1",
                    "(the body starts with <!DOCTYPE html> <html><body>502 Bad Gat…)",
                ],
            ),
            (
                r#"{"detail": "cut"#,
                &["EOF while parsing a string at line 1 column 15"],
            ),
            ("nope", &["expected ident at line 1 column 2"]),
        ];
        for (text, parts) in not_json {
            let e = parse_records::<Value>(text).unwrap_err();
            assert!(matches!(e, PageError::NotJson(_)), "{text}: {e:?}");
            let shown = e.to_string();
            assert!(
                shown.starts_with("the response is not valid JSON: "),
                "{shown}"
            );
            for part in *parts {
                assert!(shown.contains(part), "{text}: {shown}");
            }
        }
    }

    #[test]
    fn repairs_keep_the_record() {
        let big = format!("1{}", "0".repeat(400));
        let cases: Vec<(String, Value, Vec<&str>)> = vec![
            (
                r#"{"s": "x\ud800y"}"#.into(),
                json!({"s": "x\u{fffd}y"}),
                vec![r"a lone UTF-16 surrogate escape (\ud800) was replaced with U+FFFD"],
            ),
            (
                r#"{"s": "\udc00", "t": "\uD800\u0041"}"#.into(),
                json!({"s": "\u{fffd}", "t": "\u{fffd}A"}),
                vec![
                    r"2 lone UTF-16 surrogate escapes (the first: \udc00) were replaced with U+FFFD",
                ],
            ),
            (
                r#"{"\udbff": ["\ud83d\ude00", "\ud83d", "\\ud800"]}"#.into(),
                json!({"\u{fffd}": ["😀", "\u{fffd}", "\\ud800"]}),
                vec![
                    r"2 lone UTF-16 surrogate escapes (the first: \udbff) were replaced with U+FFFD",
                ],
            ),
            (
                format!(r#"{{"n": {big}, "m": [1]}}"#),
                json!({"n": big, "m": [1]}),
                vec!["a number too large for a 64-bit float (1000000…) was kept as text"],
            ),
            (
                r#"{"n": 1e400, "m": -1.5E+999, "ok": 1e-400}"#.into(),
                json!({"n": "1e400", "m": "-1.5E+999", "ok": 0.0}),
                vec!["2 numbers too large for a 64-bit float (the first: 1e400) were kept as text"],
            ),
            (
                r#"{"x": NaN, "s": "\ud800", "n": [-1e309]}"#.into(),
                json!({"x": "NaN", "s": "\u{fffd}", "n": ["-1e309"]}),
                vec![
                    r"a lone UTF-16 surrogate escape (\ud800) was replaced with U+FFFD",
                    "a number too large for a 64-bit float (-1e309) was kept as text",
                ],
            ),
            // Python's NaN alone is read without a note, even on the slow path.
            (
                r#"{"x": -Infinity}, "\ud800""#.into(),
                json!({"x": "-Infinity"}),
                vec![],
            ),
        ];
        for (element, want, notes) in cases {
            let page = parsed(&around(&element));
            assert_eq!(page.records[1], want, "{element}");
            let got: Vec<&str> = page.repairs.iter().map(|(_, n)| n.as_str()).collect();
            let expected_at_1: Vec<(usize, String)> =
                notes.iter().map(|n| (1, n.to_string())).collect();
            assert_eq!(
                page.repairs
                    .iter()
                    .filter(|(i, _)| *i == 1)
                    .cloned()
                    .collect::<Vec<_>>(),
                expected_at_1,
                "{element}: {got:?}"
            );
            assert_eq!(page.records[0], json!({"_id": "a"}));
            assert_eq!(page.records.last(), Some(&json!({"_id": "z"})));
            assert!(page.unreadable.is_empty() && !page.truncated, "{element}");
        }
    }

    #[test]
    fn unreadable_elements() {
        let d = deep(200);
        let cases: Vec<(String, Option<&str>, &str)> = vec![
            (
                format!(r#"{{"_id": "deep", "x": {d}}}"#),
                Some("deep"),
                "nested deeper than 128 levels",
            ),
            (
                format!(r#"{{"x": {d}, "_id": {{"$oid": "65a1"}}}}"#),
                Some("65a1"),
                "nested deeper",
            ),
            (
                format!(r#"{{"_id": 42, "x": {d}}}"#),
                Some("42"),
                "nested deeper",
            ),
            (
                format!(r#"{{"\u005fid": "esc", "x": {d}}}"#),
                Some("esc"),
                "nested deeper",
            ),
            (
                format!(r#"{{"x": {{"_id": "inner"}}, "y": {d}}}"#),
                None,
                "nested deeper",
            ),
            (format!(r#"{{"_id": "", "x": {d}}}"#), None, "nested deeper"),
            (
                format!(r#"{{"_id": "p\ud800", "x": {d}}}"#),
                Some("p\u{fffd}"),
                "nested deeper",
            ),
            (format!("[{}]", deep(127)), None, "nested deeper"),
            (
                r#"{"_id": "s", "a": 1 "b": 2}"#.into(),
                Some("s"),
                "expected `,` or `}` at line 1",
            ),
            (
                r#"{"_id": "c", "a": "x	y"}"#.into(),
                Some("c"),
                "control character",
            ),
            (
                r#"{"_id": "u", "a": "\ud800", "b": tru}"#.into(),
                Some("u"),
                "expected ident",
            ),
            ("nope".into(), None, "expected ident"),
            (r#"{"a": 1}}"#.into(), None, "trailing characters"),
        ];
        for (element, id, reason) in cases {
            let page = parsed(&around(&element));
            assert_eq!(
                page.records,
                vec![json!({"_id": "a"}), json!({"_id": "z"})],
                "{element}"
            );
            assert_eq!(page.unreadable.len(), 1, "{element}");
            let u = &page.unreadable[0];
            assert_eq!((u.position, u.id.as_deref()), (1, id), "{element}");
            assert!(u.reason.contains(reason), "{element}: {}", u.reason);
            assert!(page.repairs.is_empty() && !page.truncated, "{element}");
        }
        // One level less than the limit (with the page's own array) is still read.
        let page = parsed(&around(&deep(127)));
        assert_eq!(page.records.len(), 3);
    }

    #[test]
    fn reasons_point_into_the_body() {
        // With one error and nothing to repair, the reason is what serde_json says of the body.
        let bodies = [
            "[\n  {\"_id\": 1},\n  {\"_id\": 3, \"d\": x}\n]",
            "[{\"_id\": \"m\",\n \"a\": [1,\n 2 3]}]",
            "[1, 2, {\"a\"\n:\n\n1,}]",
            "[\"é\", {\"é\": \"\\x\"}]",
        ];
        for text in bodies {
            let whole = serde_json::from_str::<Vec<Value>>(text).unwrap_err();
            let page = parsed(text);
            assert_eq!(page.unreadable.len(), 1, "{text}");
            assert_eq!(page.unreadable[0].reason, whole.to_string(), "{text}");
        }
        // Positions after a repaired token are moved back to the body's bytes.
        let text =
            "[\n  {\"_id\": 1},\n  {\"_id\": 2, \"a\": NaN, \"b\": 1 \"c\": 2},\n  {\"_id\": 3}\n]";
        let page = parsed(text);
        assert_eq!(page.records, vec![json!({"_id": 1}), json!({"_id": 3})]);
        let u = &page.unreadable[0];
        assert_eq!((u.position, u.id.as_deref()), (1, Some("2")));
        assert_eq!(u.reason, "expected `,` or `}` at line 3 column 31");
        assert_eq!(&text.lines().nth(2).unwrap()[30..31], "\""); // column 31 is this quote
    }

    /// A body; how many records; unreadable elements (position, id); indices of repaired records.
    type Case = (
        String,
        usize,
        Vec<(usize, Option<&'static str>)>,
        Vec<usize>,
    );

    #[test]
    fn records_read_whole_before_a_failure() {
        let good = |i: usize| format!(r#"{{"_id": "g{i}", "v": [{i}, {{"w": "x"}}]}}"#);
        let goods = |r: std::ops::Range<usize>| r.map(good).collect::<Vec<_>>().join(", ");
        let cases: Vec<Case> = vec![
            // (body, records, unreadable (position, id), records repaired)
            (
                format!("[{}, {{\"_id\": \"b\", 1}}, {}]", goods(0..5), goods(5..8)),
                8,
                vec![(5, Some("b"))],
                vec![],
            ),
            (
                format!("[{}, {{\"s\": \"\\ud800\"}}, {}]", goods(0..5), goods(5..8)),
                9,
                vec![],
                vec![5],
            ),
            // A missing comma: the record before it is reread with the next one, and both lost.
            (
                r#"[{"_id": "a"} {"_id": "b"}, {"_id": "c"}]"#.into(),
                1,
                vec![(0, Some("a"))],
                vec![],
            ),
            (
                format!("[{} {}]", goods(0..3), good(3)),
                2,
                vec![(2, Some("g2"))],
                vec![],
            ),
            // NaN first, then a bad record: the second reading (NaN quoted) got further.
            (
                r#"[{"x": NaN}, {"y": 1}, {"z": "\ud800"}, {"w": -Infinity}]"#.into(),
                4,
                vec![],
                vec![2],
            ),
            (
                format!("[{}, {}, 1e999]", goods(0..2), deep(128)),
                3,
                vec![(2, None)],
                vec![2],
            ),
            (
                format!("[{}, 1 2, 3", goods(0..2)),
                2,
                vec![(2, None)],
                vec![],
            ),
        ];
        for (text, n, bad, repaired) in cases {
            let page = parsed(&text);
            check_invariants(&text, &page);
            assert_eq!(page.records.len(), n, "{text}");
            let got: Vec<(usize, Option<&str>)> = page
                .unreadable
                .iter()
                .map(|u| (u.position, u.id.as_deref()))
                .collect();
            assert_eq!(got, bad, "{text}");
            assert_eq!(
                page.repairs.iter().map(|r| r.0).collect::<Vec<_>>(),
                repaired,
                "{text}"
            );
        }
    }

    #[test]
    fn truncated_bodies() {
        let cases: &[(&str, Value)] = &[
            (r#"[{"a": 1}, {"b": "#, json!([{"a": 1}])),
            (r#"[{"a": 1}, {"b": "cut"#, json!([{"a": 1}])),
            (r#"[{"a": 1}, {"b": [1, 2]"#, json!([{"a": 1}])),
            (r#"[{"a": 1},"#, json!([{"a": 1}])),
            (r#"[{"a": 1}, {"b": 2}"#, json!([{"a": 1}, {"b": 2}])),
            ("[{\"a\": 1}, \"done\"  \n", json!([{"a": 1}, "done"])),
            (r#"[{"a": 1}, "don"#, json!([{"a": 1}])),
            (r#"[{"a": 1}, "esc\"#, json!([{"a": 1}])),
            ("[1, 23", json!([1])),
            ("[1, tr", json!([1])),
            (r#"[{"x": NaN}, {"y": Infin"#, json!([{"x": "NaN"}])),
            ("[", json!([])),
            ("  [  ", json!([])),
        ];
        for (text, want) in cases {
            let page = parsed(text);
            assert!(page.truncated, "{text}");
            assert_eq!(Value::Array(page.records), *want, "{text}");
            assert!(
                page.unreadable.is_empty() && page.repairs.is_empty(),
                "{text}"
            );
        }
    }

    #[test]
    fn odd_but_readable_arrays() {
        let cases: &[(&str, Value)] = &[
            ("[1,,2,]", json!([1, 2])),
            ("[,1]", json!([1])),
            ("[1, 2] trailing <html>", json!([1, 2])),
            ("[1, 2]]", json!([1, 2])),
        ];
        for (text, want) in cases {
            let page = parsed(text);
            assert_eq!(Value::Array(page.records.clone()), *want, "{text}");
            assert!(!page.truncated && page.unreadable.is_empty(), "{text}");
        }
        // A stray closing brace stays inside its element.
        let page = parsed("[1}, 2]");
        assert_eq!(
            (page.records, page.unreadable[0].position),
            (vec![json!(2)], 0)
        );
    }

    /// A small page with one of everything, and its records.
    fn sample_page() -> (String, ParsedPage) {
        let text = format!(
            "[\n{}\n]\n",
            [
                r#"{"_id": "a", "x": NaN, "s": "é \" ] , {"}"#.to_string(),
                r#"{"_id": {"$oid": "65a1"}, "n": 1e400, "t": [true, false, null]}"#.into(),
                format!(r#"{{"_id": 3, "deep": {}}}"#, deep(130)),
                r#"{"_id": "d", "s": "\ud800 \ud83d\ude00", "e": "\\u"}"#.into(),
                r#"{"_id": "e", "bad": 1 2}"#.into(),
                r#""plain""#.into(),
                "-12.5e-3".into(),
                r#"{"_id": "f", "nested": {"k": [{"v": -Infinity}]}}"#.into(),
            ]
            .join(",\n")
        );
        let page = parsed(&text);
        (text, page)
    }

    #[test]
    fn sample_page_reads_as_expected() {
        let (_, page) = sample_page();
        assert_eq!(page.records.len(), 6);
        assert_eq!(page.records[4], json!(-0.0125));
        let bad: Vec<(usize, Option<&str>)> = page
            .unreadable
            .iter()
            .map(|u| (u.position, u.id.as_deref()))
            .collect();
        assert_eq!(bad, vec![(2, Some("3")), (4, Some("e"))]);
        assert_eq!(
            page.repairs.iter().map(|r| r.0).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert!(!page.truncated);
    }

    /// The slow path alone, from the first element.
    fn slow_only(text: &str) -> ParsedPage {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        read_elements(text, skip_ws(text.as_bytes(), 0) + 1, Vec::new())
    }

    /// What holds for every page; and reading whole first must change nothing.
    fn check_invariants(text: &str, page: &ParsedPage) {
        assert_eq!(*page, slow_only(text), "{text:?}");
        let elements = page.records.len() + page.unreadable.len();
        let positions: Vec<usize> = page.unreadable.iter().map(|u| u.position).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text:?}");
        assert!(positions.iter().all(|&p| p < elements), "{text:?}");
        assert!(
            page.repairs.iter().all(|(i, _)| *i < page.records.len()),
            "{text:?}"
        );
    }

    #[test]
    fn every_prefix_keeps_the_complete_records() {
        let (text, full) = sample_page();
        let close = text.rfind(']').unwrap();
        for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
            let prefix = &text[..cut];
            match parse_records(prefix) {
                Err(e) => assert!(
                    prefix.trim().is_empty() && e == PageError::Empty,
                    "{prefix:?}"
                ),
                Ok(page) => {
                    check_invariants(prefix, &page);
                    let n = page.records.len();
                    assert_eq!(page.records[..], full.records[..n], "{prefix:?}");
                    assert_eq!(page.truncated, cut <= close, "{prefix:?}");
                    let kept = page.unreadable.len();
                    assert_eq!(page.unreadable[..], full.unreadable[..kept], "{prefix:?}");
                }
            }
        }
    }

    /// A small deterministic generator (xorshift64*), enough to shake the scanner.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn junk_never_panics() {
        const PIECES: [&str; 24] = [
            "[",
            "]",
            "{",
            "}",
            "\"",
            ",",
            ":",
            "\\",
            "\\u",
            "d800",
            "\\ud800",
            "\\udc00",
            "NaN",
            "-Infinity",
            "1e400",
            "-",
            "0",
            " ",
            "\n",
            "é",
            "_id",
            "\"_id\":",
            "$oid",
            "\u{0}",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..3000 {
            let mut s = String::new();
            if rng.below(2) == 0 {
                s.push('[');
            }
            for _ in 0..rng.below(40) {
                s.push_str(PIECES[rng.below(PIECES.len())]);
            }
            if let Ok(page) = parse_records(&s) {
                check_invariants(&s, &page);
            }
        }
        // Mutations of a valid page: bytes replaced, removed, or arbitrary bytes spliced in.
        let (text, _) = sample_page();
        for _ in 0..3000 {
            let mut bytes = text.clone().into_bytes();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => bytes[at] = PIECES[rng.below(PIECES.len())].as_bytes()[0],
                    1 => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at, rng.next() as u8),
                }
            }
            let s = String::from_utf8_lossy(&bytes);
            if let Ok(page) = parse_records(&s) {
                check_invariants(&s, &page);
            }
        }
    }

    #[test]
    fn many_bad_records_on_one_line_stay_linear() {
        // Line/column and element scanning must not restart from the top for each failure.
        let n = 5000;
        let text = format!(
            "[{}]",
            (0..n)
                .map(|i| format!(r#"{{"_id": "r{i}", "ok": {i}}}, {{"_id": "b{i}", "v": 1 2}}"#))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let page = parsed(&text);
        assert_eq!((page.records.len(), page.unreadable.len()), (n, n));
        let last = page.unreadable.last().unwrap();
        assert_eq!(
            (last.position, last.id.as_deref()),
            (2 * n - 1, Some("b4999"))
        );
        let column = text.rfind(" 2}").unwrap() + 2;
        assert_eq!(
            last.reason,
            format!("expected `,` or `}}` at line 1 column {column}")
        );
    }

    #[test]
    fn one_bad_record_at_the_end_of_a_large_page() {
        let mut docs: Vec<String> = (0..2000)
            .map(|i| json!({"_id": format!("id{i:05}"), "v": i, "s": "x".repeat(200)}).to_string())
            .collect();
        docs.push(r#"{"_id": "last", "s": "\udfff"}"#.into());
        let page = parsed(&format!("[{}]", docs.join(",")));
        assert_eq!(page.records.len(), 2001);
        assert_eq!(page.records[2000], json!({"_id": "last", "s": "\u{fffd}"}));
        assert_eq!(page.repairs.len(), 1);
        assert_eq!(page.repairs[0].0, 2000);
    }

    #[test]
    fn ids() {
        let cases = [
            (json!("abc"), Some("abc")),
            (json!({"$oid": "65a1"}), Some("65a1")),
            (json!(7), Some("7")),
            (json!(-1.5), Some("-1.5")),
            (
                json!({"$numberLong": "9007199254740993"}),
                Some("9007199254740993"),
            ),
            (json!(""), None),
            (json!(null), None),
            (json!([1]), None),
            (json!({"a": 1}), None),
            (json!({"$oid": "65a1", "x": 1}), None),
        ];
        for (v, want) in cases {
            assert_eq!(id_text(&v).as_deref(), want, "{v}");
        }
    }
}
