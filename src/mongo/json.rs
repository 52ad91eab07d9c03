//! Lenient JSON: the metadata API is served by Python and may emit bare `NaN`/`Infinity` tokens,
//! and MongoDB Extended JSON wrappers (`{"$date": ..}`, `{"$oid": ..}`, `{"$numberLong": ..}`).

use serde_json::Value;

/// Parses a response body. Bare `NaN`, `Infinity` and `-Infinity` tokens (outside strings) are
/// read as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, so the normalizer can warn about
/// them field by field instead of the whole page failing.
pub fn parse_lenient(text: &str) -> Result<Value, String> {
    match serde_json::from_str(text) {
        Ok(v) => Ok(v),
        Err(first) => {
            let patched = quote_non_finite(text);
            if patched.len() == text.len() {
                return Err(describe_error(text, &first));
            }
            serde_json::from_str(&patched).map_err(|e| describe_error(&patched, &e))
        }
    }
}

fn describe_error(text: &str, e: &serde_json::Error) -> String {
    if text.trim().is_empty() {
        return "the response body was empty".to_string();
    }
    if e.is_eof() {
        return format!(
            "the response was cut off (line {}, column {})",
            e.line(),
            e.column()
        );
    }
    format!("the response is not valid JSON: {e}")
}

/// Rewrites non-finite number tokens outside strings into JSON strings.
fn quote_non_finite(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    let mut in_string = false;
    let mut start = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        let token = ["NaN", "-Infinity", "Infinity"]
            .into_iter()
            .find(|t| rest.starts_with(t.as_bytes()));
        if let Some(t) = token {
            out.push_str(&text[start..i]);
            out.push('"');
            out.push_str(t);
            out.push('"');
            i += t.len();
            start = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[start..]);
    out
}

/// Unwraps `{"$oid": "..."}` to its string; plain strings pass through.
pub fn oid_or_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(m) => m.get("$oid").and_then(|o| o.as_str()).map(str::to_string),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number read from a value: plain numbers, Extended JSON number wrappers, numeric text.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberRead {
    Missing,
    Number(f64),
    /// A number that arrived as text; the value is still usable.
    FromText(f64),
    /// NaN or an infinity: shown as empty with a warning.
    NonFinite(String),
    /// Something that is not a number at all.
    Invalid(String),
}

pub fn read_number(v: Option<&Value>) -> NumberRead {
    match v {
        None | Some(Value::Null) => NumberRead::Missing,
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_finite() => NumberRead::Number(f),
            _ => NumberRead::Invalid(n.to_string()),
        },
        Some(Value::String(s)) => {
            let t = s.trim();
            match t {
                "NaN" | "nan" | "Infinity" | "-Infinity" | "inf" | "-inf" => {
                    NumberRead::NonFinite(t.to_string())
                }
                _ => match t.parse::<f64>() {
                    Ok(f) if f.is_finite() => NumberRead::FromText(f),
                    _ => NumberRead::Invalid(preview(&Value::String(s.clone()))),
                },
            }
        }
        Some(Value::Object(m)) => {
            let wrapped = [
                "$numberDouble",
                "$numberInt",
                "$numberLong",
                "$numberDecimal",
            ]
            .iter()
            .find_map(|k| m.get(*k));
            match wrapped {
                Some(Value::String(s)) => match s.parse::<f64>() {
                    Ok(f) if f.is_finite() => NumberRead::Number(f),
                    Ok(_) => NumberRead::NonFinite(s.clone()),
                    Err(_) => NumberRead::Invalid(s.clone()),
                },
                Some(other) => read_number(Some(other)),
                None => NumberRead::Invalid(preview(v.unwrap_or(&Value::Null))),
            }
        }
        Some(other) => NumberRead::Invalid(preview(other)),
    }
}

/// A short, single-line description of a value for warnings (never rendered as HTML).
pub fn preview(v: &Value) -> String {
    let s = match v {
        Value::String(s) => format!("text \"{s}\""),
        Value::Array(a) => format!("a list of {} values", a.len()),
        Value::Object(_) => "an object".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Null => "null".to_string(),
        Value::Number(n) => n.to_string(),
    };
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Reads a date-time: ISO text or `{"$date": ISO | millis | {"$numberLong": ..}}`.
/// Returns the display text and the instant in microseconds since the Unix epoch (UTC) when the
/// text can be parsed.
pub fn read_datetime(v: &Value) -> Option<(String, Option<i64>)> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some((s.clone(), parse_iso_micros(s))),
        Value::Object(m) => match m.get("$date")? {
            Value::String(s) => Some((s.clone(), parse_iso_micros(s))),
            Value::Number(n) => {
                let ms = n.as_i64()?;
                Some((format_millis(ms), Some(ms * 1000)))
            }
            Value::Object(inner) => {
                let ms: i64 = inner.get("$numberLong")?.as_str()?.parse().ok()?;
                Some((format_millis(ms), Some(ms * 1000)))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.frac]]][Z|±HH[:]MM]`; a time without zone is taken as UTC.
pub fn parse_iso_micros(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i64 = s.get(0..4)?.parse().ok()?;
    let month: u32 = s.get(5..7)?.parse().ok()?;
    let day: u32 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let mut micros = days * 86_400_000_000;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(micros);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let rb = rest.as_bytes();
    if rb.len() < 5 || rb[2] != b':' {
        return None;
    }
    let hh: i64 = rest.get(0..2)?.parse().ok()?;
    let mm: i64 = rest.get(3..5)?.parse().ok()?;
    let mut idx = 5;
    let mut ss: i64 = 0;
    if rb.get(5) == Some(&b':') {
        ss = rest.get(6..8)?.parse().ok()?;
        idx = 8;
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let mut frac_micros: i64 = 0;
    if rb.get(idx) == Some(&b'.') {
        let digits: String = rest[idx + 1..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if digits.is_empty() {
            return None;
        }
        idx += 1 + digits.len();
        let padded: String = digits.chars().chain("000000".chars()).take(6).collect();
        frac_micros = padded.parse().ok()?;
    }
    let zone = &rest[idx..];
    let offset_secs: i64 = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 {
                return None;
            }
            let oh: i64 = digits[0..2].parse().ok()?;
            let om: i64 = digits[2..4].parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    micros += ((hh * 3600 + mm * 60 + ss) - offset_secs) * 1_000_000 + frac_micros;
    Some(micros)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn format_millis(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_parse_cases() {
        let cases: &[(&str, Result<Value, &str>)] = &[
            ("[1, 2]", Ok(json!([1, 2]))),
            ("[NaN, 1]", Ok(json!(["NaN", 1]))),
            (
                r#"[{"a": -Infinity, "b": "NaN inside", "c": Infinity}]"#,
                Ok(json!([{"a": "-Infinity", "b": "NaN inside", "c": "Infinity"}])),
            ),
            (r#"["esc \" NaN", NaN]"#, Ok(json!(["esc \" NaN", "NaN"]))),
            ("", Err("empty")),
            ("[{\"a\": 1", Err("cut off")),
            ("<html>", Err("not valid JSON")),
            ("[\"é\", é NaN]", Err("not valid JSON")),
        ];
        for (input, want) in cases {
            match (parse_lenient(input), want) {
                (Ok(got), Ok(w)) => assert_eq!(&got, w, "{input}"),
                (Err(got), Err(w)) => assert!(got.contains(w), "{input}: {got}"),
                (got, w) => panic!("{input}: got {got:?}, want {w:?}"),
            }
        }
    }

    #[test]
    fn numbers() {
        use NumberRead::*;
        let cases = [
            (json!(1.5), Number(1.5)),
            (json!("455"), FromText(455.0)),
            (json!(" 2.5e1 "), FromText(25.0)),
            (json!("NaN"), NonFinite("NaN".into())),
            (json!("abc"), Invalid("text \"abc\"".into())),
            (json!({"$numberLong": "12"}), Number(12.0)),
            (json!({"$numberDouble": "NaN"}), NonFinite("NaN".into())),
            (json!({"$numberInt": 3}), Number(3.0)),
            (json!([1]), Invalid("a list of 1 values".into())),
            (json!(true), Invalid("true".into())),
            (json!(null), Missing),
        ];
        for (v, want) in cases {
            assert_eq!(read_number(Some(&v)), want, "{v}");
        }
        assert_eq!(read_number(None), Missing);
    }

    #[test]
    fn datetimes() {
        let t = |s: &str| parse_iso_micros(s);
        assert_eq!(t("1970-01-01"), Some(0));
        assert_eq!(t("1970-01-01T00:00:01Z"), Some(1_000_000));
        assert_eq!(t("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(t("1970-01-01T00:00:00.5"), Some(500_000));
        assert_eq!(t("1970-01-01 00:00:00.123456789"), Some(123_456));
        assert_eq!(
            t("2025-03-01T10:00:00Z"),
            t("2025-03-01T10:00:00.000000+00:00")
        );
        assert!(t("2025-03-01T10:00:00.000001") > t("2025-03-01T10:00:00Z"));
        for bad in [
            "",
            "2025",
            "2025-13-01",
            "2025-01-01T25:00",
            "2025-01-01X",
            "abc-de-fg",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(1_740_823_200_000), "2025-03-01T10:00:00.000Z");
        assert_eq!(
            read_datetime(&json!({"$date": 1_740_823_200_000_i64})),
            Some((
                "2025-03-01T10:00:00.000Z".into(),
                Some(1_740_823_200_000_000)
            ))
        );
        assert_eq!(
            read_datetime(&json!({"$date": {"$numberLong": "0"}})),
            Some(("1970-01-01T00:00:00.000Z".into(), Some(0)))
        );
        assert_eq!(read_datetime(&json!(5)), None);
        assert_eq!(read_datetime(&json!("junk")), Some(("junk".into(), None)));
    }

    #[test]
    fn oids() {
        assert_eq!(oid_or_string(&json!("abc")), Some("abc".into()));
        assert_eq!(oid_or_string(&json!({"$oid": "0123"})), Some("0123".into()));
        assert_eq!(oid_or_string(&json!("")), None);
        assert_eq!(oid_or_string(&json!([1])), None);
    }
}
