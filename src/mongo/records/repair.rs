//! Repairs of one record's text that `serde_json` refuses but Python's `json.dumps` emits.

use super::*;

/// A text rewritten so that serde_json reads it, and what was changed.
#[derive(Default)]
pub(super) struct Repaired {
    pub(super) text: String,
    /// How many lone surrogate escapes were replaced, and the first as written.
    pub(super) surrogates: (usize, String),
    /// How many out-of-range numbers were put in quotes, and the first.
    pub(super) big_numbers: (usize, String),
    /// For each token put in quotes, where it ends in `text` (to map error positions back).
    pub(super) quoted_ends: Vec<usize>,
}

impl Repaired {
    pub(super) fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut note = |(n, first): &(usize, String), what: &str, done: &str| match n {
            0 => {}
            1 => notes.push(format!(
                "a {} ({first}) was {done}",
                what.replace("{s}", "")
            )),
            n => notes.push(format!(
                "{n} {} (the first: {first}) were {done}",
                what.replace("{s}", "s")
            )),
        };
        let numbers = "number{s} too large for a 64-bit float";
        note(
            &self.surrogates,
            "lone UTF-16 surrogate escape{s}",
            "replaced with U+FFFD",
        );
        note(&self.big_numbers, numbers, "kept as text");
        notes
    }
}

#[derive(PartialEq)]
pub(super) enum Edit {
    Keep,
    Surrogate,
    Quote,
    BigNumber,
}

/// Rewrites what serde_json refuses: bare non-finite tokens outside strings become strings and,
/// with `fix`, lone surrogate escapes become `\ufffd` and numbers beyond f64 become their text in
/// a string. `None` when nothing was changed. Edits start and end at ASCII bytes, so every slice
/// below is on a character boundary.
pub(super) fn repair(text: &str, fix: bool) -> Option<Repaired> {
    let b = text.as_bytes();
    let mut r = Repaired::default();
    let (mut copied, mut i, mut in_string) = (0, 0, false);
    while i < b.len() {
        let c = b[i];
        let (len, edit) = if in_string {
            match c {
                b'"' => {
                    in_string = false;
                    (1, Edit::Keep)
                }
                b'\\' if fix => escape_at(b, i),
                b'\\' => (2, Edit::Keep),
                _ => (plain_run(&b[i..]), Edit::Keep),
            }
        } else if c == b'"' {
            in_string = true;
            (1, Edit::Keep)
        } else if let Some(t) = NON_FINITE
            .iter()
            .find(|t| t.as_bytes()[0] == c && b[i..].starts_with(t.as_bytes()))
        {
            (t.len(), Edit::Quote)
        } else if fix && (c == b'-' || c.is_ascii_digit()) {
            let len = b[i..]
                .iter()
                .take_while(|x| matches!(x, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                .count();
            let big = out_of_range(&text[i..i + len]);
            (len, if big { Edit::BigNumber } else { Edit::Keep })
        } else {
            (1, Edit::Keep)
        };
        if edit != Edit::Keep {
            let token = &text[i..i + len];
            r.text.push_str(&text[copied..i]);
            if edit == Edit::Surrogate {
                r.text.push_str("\\ufffd");
                count(&mut r.surrogates, token);
            } else {
                r.text.push('"');
                r.text.push_str(token);
                r.text.push('"');
                r.quoted_ends.push(r.text.len());
                if edit == Edit::BigNumber {
                    count(&mut r.big_numbers, token);
                }
            }
            copied = i + len;
        }
        i += len;
    }
    if copied == 0 {
        return None;
    }
    r.text.push_str(&text[copied..]);
    Some(r)
}

/// Counts an edit, keeping the first token (a long number cut short) for the note.
pub(super) fn count(seen: &mut (usize, String), token: &str) {
    if seen.0 == 0 {
        seen.1 = match token.get(..7) {
            Some(head) if token.len() > 12 => format!("{head}…"),
            _ => token.to_string(),
        };
    }
    seen.0 += 1;
}

/// At a `\` in a string: the length of the escape, and whether it is a lone UTF-16 surrogate
/// (one not forming a high+low pair).
pub(super) fn escape_at(b: &[u8], i: usize) -> (usize, Edit) {
    let unit = |j: usize| match b.get(j..j + 6) {
        Some([b'\\', b'u', hex @ ..]) => hex
            .iter()
            .try_fold(0u32, |acc, &d| Some(acc * 16 + (d as char).to_digit(16)?)),
        _ => None,
    };
    match unit(i) {
        Some(0xD800..=0xDBFF) if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) => (12, Edit::Keep),
        Some(0xD800..=0xDFFF) => (6, Edit::Surrogate),
        Some(_) => (6, Edit::Keep),
        None => (2, Edit::Keep),
    }
}

/// A number token serde_json would refuse as beyond the f64 range (underflow reads as 0).
pub(super) fn out_of_range(token: &str) -> bool {
    let may_overflow = token.len() > 308 || token.contains(['e', 'E']);
    may_overflow && token.parse::<f64>().is_ok_and(f64::is_infinite)
}
