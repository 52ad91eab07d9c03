//! A small scanner over JSON text: whitespace, strings and the extent of one value.

pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

pub(super) fn trim_ws_end(s: &str) -> &str {
    s.trim_end_matches([' ', '\t', '\n', '\r'])
}

/// Where a value that starts at some index ends, by the bytes alone.
pub(super) struct Span {
    /// The `,` or `close` after the value at its own level, or the end of the text.
    pub(super) end: usize,
    /// Deepest bracket nesting inside the value (the value's own bracket is level 1).
    pub(super) max_depth: usize,
    /// The text ended inside a string or with brackets still open.
    pub(super) open: bool,
}

pub(super) fn scan_value(b: &[u8], mut i: usize, close: u8) -> Span {
    let (mut depth, mut max_depth) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = skip_string(b, i);
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            b'}' | b']' if depth > 0 => depth -= 1,
            c if depth == 0 && (c == b',' || c == close) => break,
            // A stray closing bracket of the other kind is left to serde_json to report.
            _ => {}
        }
        i += 1;
    }
    Span {
        end: i.min(b.len()),
        max_depth,
        open: depth > 0 || i > b.len(),
    }
}

/// The index just after the string opening at `i`; past the end when the text ends inside it.
pub(super) fn skip_string(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        j += plain_run(&b[j..]);
        match b.get(j) {
            Some(b'"') => return j + 1,
            Some(_) => j += 2, // a backslash and the byte it escapes
            None => break,
        }
    }
    b.len() + 1
}

/// How many bytes of string content come before the next quote or backslash.
pub(super) fn plain_run(b: &[u8]) -> usize {
    b.iter()
        .position(|&c| c == b'"' || c == b'\\')
        .unwrap_or(b.len())
}
