//! CSV cells (RFC 4180), safe to open in a spreadsheet: text that a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first, or a tab or carriage return) gets a leading `'`, unless it
//! is a plain number.

/// Text from a record, made inert for spreadsheets.
pub fn inert(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.trim().parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Quotes a field that contains a comma, a double quote or a line break, doubling its quotes.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One CSV line (ending in LF) of the fields, quoted as needed.
pub fn line(fields: impl Iterator<Item = String>) -> String {
    let mut out = fields.map(|f| field(&f)).collect::<Vec<_>>().join(",");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_inert_numbers_are_not() {
        let cases = [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1+2", "'+1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-200.5", "-200.5"),
            ("+3", "+3"),
            ("-", "'-"),
            ("730945_2024-10-24.nwb", "730945_2024-10-24.nwb"),
            ("", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(inert(raw), want, "{raw:?}");
        }
        assert_eq!(
            line(["a,b".to_string(), "say \"hi\"".to_string()].into_iter()),
            "\"a,b\",\"say \"\"hi\"\"\"\n"
        );
    }
}
