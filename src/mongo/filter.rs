//! The advanced search box: a MongoDB filter typed as JSON text, merged into each format's base
//! selector like the reference's `from_custom_query`.
//!
//! Errors carry the position serde_json reports (1-based line and column, the column counted in
//! bytes) plus the byte offset of that position in the text, so the page can point at the
//! problem. Operators that run JavaScript on the server are refused anywhere in the filter.

use std::fmt;

use serde_json::{Map, Value};

/// Query operators that execute server-side JavaScript; never sent.
pub const FORBIDDEN_OPERATORS: [&str; 3] = ["$where", "$function", "$accumulator"];

/// Why a custom filter was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFilterError {
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in bytes, as serde_json counts it.
    pub column: usize,
    /// Byte offset of the position in the text (always on a character boundary).
    pub offset: usize,
}

impl fmt::Display for CustomFilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for CustomFilterError {}

const NOT_AN_OBJECT: &str = "a filter must be a JSON object like {\"subject_id\": \"730945\"}";

/// Parses the advanced box. Empty or blank text is an empty filter (no custom filter).
pub fn parse_custom_filter(text: &str) -> Result<Map<String, Value>, CustomFilterError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = serde_json::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let Value::Object(map) = value else {
        return Err(CustomFilterError {
            message: NOT_AN_OBJECT.to_string(),
            line: 1,
            column: 1,
            offset: 0,
        });
    };
    if let Some(op) = forbidden_operator(&Value::Object(map.clone())) {
        // Point at the operator when it is written literally; otherwise at the start.
        let offset = text.find(&format!("\"{op}\"")).unwrap_or(0);
        let (line, column) = line_column(text, offset);
        return Err(CustomFilterError {
            message: forbidden_message(op),
            line,
            column,
            offset,
        });
    }
    Ok(map)
}

/// The first operator of [`FORBIDDEN_OPERATORS`] used as a key anywhere in `v` (inside objects
/// and arrays, at any depth). String values are data and never match.
pub fn forbidden_operator(v: &Value) -> Option<&'static str> {
    match v {
        Value::Object(m) => m.iter().find_map(|(k, child)| {
            FORBIDDEN_OPERATORS
                .into_iter()
                .find(|op| k == op)
                .or_else(|| forbidden_operator(child))
        }),
        Value::Array(a) => a.iter().find_map(forbidden_operator),
        _ => None,
    }
}

/// The explanation shown for a refused operator.
pub fn forbidden_message(op: &str) -> String {
    format!(
        "{op} runs JavaScript on the database server and is not allowed; \
         use ordinary operators such as $in, $gte, $lte or $regex"
    )
}

/// The filter as 2-space indented JSON, for showing it in full.
pub fn pretty(map: &Map<String, Value>) -> String {
    serde_json::to_string_pretty(map).unwrap_or_else(|_| Value::Object(map.clone()).to_string())
}

/// A serde_json syntax error as a positioned error without serde_json's own position suffix.
fn syntax_error(text: &str, e: &serde_json::Error) -> CustomFilterError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let message = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full)
        .to_string();
    CustomFilterError {
        message,
        line: line.max(1),
        column: column.max(1),
        offset: offset_of(text, line, column),
    }
}

/// Byte offset of a 1-based (line, byte column) position, clamped into the text and moved back
/// to a character boundary. Column 0 (serde_json's "just after a newline") means the line start.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The 1-based (line, byte column) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_objects_and_blank_text() {
        let cases: [(&str, Value); 5] = [
            ("", json!({})),
            ("  \n\t ", json!({})),
            (
                r#"{"subject_id": "730945"}"#,
                json!({"subject_id": "730945"}),
            ),
            (
                "{\n  \"subject_id\": {\"$in\": [\"1\", \"2\"]},\n  \"n\": null\n}",
                json!({"subject_id": {"$in": ["1", "2"]}, "n": null}),
            ),
            // A forbidden word as a value is data, not an operator.
            (r#"{"note": "$where"}"#, json!({"note": "$where"})),
        ];
        for (text, expected) in cases {
            let got = parse_custom_filter(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(Value::Object(got), expected, "{text:?}");
        }
    }

    /// (text, line, column, offset, phrase of the message)
    #[test]
    fn syntax_errors_are_positioned() {
        let cases: [(&str, usize, usize, usize, &str); 6] = [
            ("{", 1, 1, 0, "EOF while parsing an object"),
            ("{\"a\": }", 1, 7, 6, "expected value"),
            (
                "{\n  \"a\": 1,\n  b: 2\n}",
                3,
                3,
                14,
                "key must be a string",
            ),
            ("{\"a\": 1} x", 1, 10, 9, "trailing characters"),
            ("{\"é\": x}", 1, 8, 7, "expected value"),
            ("{\"a\": 1,\n", 2, 1, 9, "EOF while parsing"),
        ];
        for (text, line, column, offset, phrase) in cases {
            let e = parse_custom_filter(text).expect_err(text);
            assert_eq!(
                (e.line, e.column, e.offset),
                (line, column, offset),
                "{text:?}: {e}"
            );
            assert!(e.message.contains(phrase), "{text:?}: {e}");
            assert!(!e.message.contains(" at line "), "{text:?}: {e}");
            assert_eq!(
                e.to_string(),
                format!("line {line}, column {column}: {}", e.message)
            );
        }
    }

    #[test]
    fn non_objects_are_refused_at_the_start() {
        for text in ["[1, 2]", "\"730945\"", "730945", "null", "true", "  [] "] {
            let e = parse_custom_filter(text).expect_err(text);
            assert_eq!((e.line, e.column, e.offset), (1, 1, 0), "{text:?}");
            assert_eq!(e.message, NOT_AN_OBJECT);
        }
    }

    /// (text, operator, line, column)
    #[test]
    fn javascript_operators_are_refused_anywhere() {
        let cases: [(&str, &str, usize, usize); 5] = [
            (r#"{"$where": "sleep(1000)"}"#, "$where", 1, 2),
            (
                "{\"a\": 1,\n \"b\": {\"$expr\": {\"$function\": {}}}}",
                "$function",
                2,
                18,
            ),
            (
                r#"{"$or": [{"x": 1}, {"$accumulator": {}}]}"#,
                "$accumulator",
                1,
                21,
            ),
            (r#"{"a": [[{"$where": 1}]]}"#, "$where", 1, 10),
            // Escaped so it is not found literally: reported at the start.
            (r#"{"\u0024where": "1"}"#, "$where", 1, 1),
        ];
        for (text, op, line, column) in cases {
            let e = parse_custom_filter(text).expect_err(text);
            assert!(e.message.starts_with(op), "{text}: {e}");
            assert!(e.message.contains("JavaScript"), "{text}: {e}");
            assert_eq!((e.line, e.column), (line, column), "{text}: {e}");
            assert_eq!(line_column(text, e.offset), (line, column));
        }
    }

    #[test]
    fn offsets_never_split_characters() {
        for (text, line, column) in [("aé", 1, 3), ("x", 5, 9), ("a\nb", 2, 0), ("", 1, 1)] {
            let o = offset_of(text, line, column);
            assert!(text.is_char_boundary(o) && o <= text.len(), "{text:?}");
        }
    }

    #[test]
    fn pretty_uses_two_spaces() {
        let map = parse_custom_filter(r#"{"a": {"$in": ["1"]}}"#).unwrap();
        assert_eq!(
            pretty(&map),
            "{\n  \"a\": {\n    \"$in\": [\n      \"1\"\n    ]\n  }\n}"
        );
        assert_eq!(pretty(&Map::new()), "{}");
    }
}
