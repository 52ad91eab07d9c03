//! Where an expression goes wrong, in characters. evalexpr's errors carry no position and its
//! tokenizer is private, so this scans the text the way evalexpr's tokenizer splits it (strings
//! with `\"` and `\\` escapes, comments, runs of other characters as literals) into tokens with
//! char positions, then walks them once with two states — "a value comes next" or "an operator
//! comes next" — and a stack of open parentheses. That is no grammar: precedence and the tree
//! are evalexpr's; this only finds the first place where no valid expression can go on, which
//! covers unclosed strings and parentheses, a missing value or operator, `=` for `==`.

use super::{err, ExprError};

/// What a token is, as far as positions need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A column or function name.
    Name,
    /// A number, a string or a boolean.
    Literal,
    Open,
    Close,
    Comma,
    /// `!`: only before a value.
    Not,
    /// `-`: before a value, or between two.
    Minus,
    /// Any other operator, between two values.
    Binary,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub kind: Kind,
    pub text: String,
    /// Char positions, end exclusive.
    pub start: usize,
    pub end: usize,
}

/// A name of the text and where it is.
#[derive(Debug, Clone)]
pub(super) struct Named {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// The names a valid text uses: columns (variables) and functions (names before `(`).
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub variables: Vec<Named>,
    pub functions: Vec<Named>,
}

/// Characters that end a literal in evalexpr's tokenizer.
fn is_special(c: char) -> bool {
    "+-*/%^(),;=!<>&|\"".contains(c) || c.is_whitespace()
}

/// Whether a literal is a number or boolean in evalexpr (else it is a name).
fn is_value_literal(s: &str) -> bool {
    let hex = s
        .strip_prefix("0x")
        .map(|h| i64::from_str_radix(h, 16).is_ok());
    hex == Some(true)
        || s.parse::<i64>().is_ok()
        || s.parse::<f64>().is_ok()
        || s == "true"
        || s == "false"
}

/// Splits `text` like evalexpr's tokenizer; an unclosed string or comment, a lone `&`, `|` or
/// `=`, `;`, and escapes evalexpr rejects are errors here.
pub(super) fn tokens(text: &str) -> Result<Vec<Token>, ExprError> {
    let cs: Vec<char> = text.chars().collect();
    let n = cs.len();
    let at = |i: usize| cs.get(i).copied();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let c = cs[i];
        let (kind, len) = match (c, at(i + 1)) {
            (c, _) if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ('"', _) => {
                let mut j = i + 1;
                loop {
                    match at(j) {
                        None => return Err(err("this string has no closing \"", i, n)),
                        Some('"') => break,
                        Some('\\') if matches!(at(j + 1), Some('"' | '\\')) => j += 2,
                        Some('\\') => {
                            return Err(err(
                                "in a string, \\ only escapes \" and \\ (write \\\\ for \\)",
                                j,
                                (j + 2).min(n),
                            ))
                        }
                        Some(_) => j += 1,
                    }
                }
                (Kind::Literal, j + 1 - i)
            }
            ('/', Some('/')) => {
                i = (i..n).find(|&j| cs[j] == '\n').unwrap_or(n);
                continue;
            }
            ('/', Some('*')) => {
                match (i + 2..n).find(|&j| cs[j] == '*' && at(j + 1) == Some('/')) {
                    Some(j) => {
                        i = j + 2;
                        continue;
                    }
                    None => return Err(err("this comment has no closing */", i, n)),
                }
            }
            ('=' | '!' | '<' | '>', Some('=')) | ('&', Some('&')) | ('|', Some('|')) => {
                if matches!(c, '&' | '|') && at(i + 2) == Some('=') {
                    return Err(err(
                        "a filter cannot assign: compare with == instead",
                        i,
                        i + 3,
                    ));
                }
                (Kind::Binary, 2)
            }
            ('=', _) => return Err(err("= assigns: compare with ==", i, i + 1)),
            ('&' | '|', _) => {
                let both = format!("{c}{c}");
                return Err(err(
                    format!("write {both} (a single {c} means nothing here)"),
                    i,
                    i + 1,
                ));
            }
            (';', _) => {
                return Err(err(
                    "; is not allowed: join conditions with && or ||",
                    i,
                    i + 1,
                ))
            }
            ('+' | '*' | '/' | '%' | '^' | '-', Some('=')) => {
                return Err(err(
                    "a filter cannot assign: compare with == instead",
                    i,
                    i + 2,
                ))
            }
            ('!', _) => (Kind::Not, 1),
            ('-', _) => (Kind::Minus, 1),
            ('(', _) => (Kind::Open, 1),
            (')', _) => (Kind::Close, 1),
            (',', _) => (Kind::Comma, 1),
            ('+' | '*' | '/' | '%' | '^' | '<' | '>', _) => (Kind::Binary, 1),
            _ => {
                let run = |from: usize| (from..n).find(|&j| is_special(cs[j])).unwrap_or(n);
                let end = run(i);
                let lit: String = cs[i..end].iter().collect();
                if is_value_literal(&lit) {
                    (Kind::Literal, end - i)
                } else if matches!(at(end), Some('+' | '-')) && !at(end + 1).is_none_or(is_special)
                {
                    // evalexpr reads `1e-3` as one number: literal, sign, literal.
                    let end2 = run(end + 1);
                    let joined: String = cs[i..end2].iter().collect();
                    match joined.parse::<f64>() {
                        Ok(_) => (Kind::Literal, end2 - i),
                        Err(_) => (Kind::Name, end - i),
                    }
                } else {
                    (Kind::Name, end - i)
                }
            }
        };
        out.push(Token {
            kind,
            text: cs[i..i + len].iter().collect(),
            start: i,
            end: i + len,
        });
        i += len;
    }
    Ok(out)
}

/// Checks the order of `tokens` and collects their names. `len` is the text's length in chars.
pub(super) fn check(tokens: &[Token], len: usize) -> Result<Scan, ExprError> {
    let mut scan = Scan::default();
    let mut open: Vec<usize> = Vec::new();
    // Whether a value (or a closing parenthesis) was the last thing: an operator comes next.
    let mut after_value = false;
    let mut prev: Option<&Token> = None;
    let needs_value_after =
        |t: &Token| err(format!("{} needs a value after it", t.text), t.start, t.end);
    for (i, t) in tokens.iter().enumerate() {
        let next_kind = tokens.get(i + 1).map(|n| n.kind);
        if after_value {
            match t.kind {
                Kind::Binary | Kind::Minus | Kind::Comma => after_value = false,
                Kind::Close => {
                    if open.pop().is_none() {
                        return Err(err("this ) closes no (", t.start, t.end));
                    }
                }
                Kind::Not => {
                    return Err(err(
                        "! goes before a value: write !(…) or !=",
                        t.start,
                        t.end,
                    ))
                }
                Kind::Name | Kind::Literal | Kind::Open => {
                    let p = prev.map_or("", |p| p.text.as_str());
                    return Err(err(
                        format!("an operator is missing between {p} and {}", t.text),
                        t.start,
                        t.end,
                    ));
                }
            }
        } else {
            match t.kind {
                Kind::Name if next_kind == Some(Kind::Open) => scan.functions.push(named(t)),
                Kind::Name | Kind::Literal => {
                    if t.kind == Kind::Name {
                        scan.variables.push(named(t));
                    }
                    after_value = true;
                }
                Kind::Open => open.push(t.start),
                Kind::Not | Kind::Minus => {}
                Kind::Close if prev.is_some_and(|p| p.kind == Kind::Open) => {
                    let from = prev.map_or(t.start, |p| p.start);
                    return Err(err("empty parentheses", from, t.end));
                }
                Kind::Binary | Kind::Close | Kind::Comma => {
                    return Err(match prev {
                        Some(p) if !matches!(p.kind, Kind::Open | Kind::Comma) => {
                            needs_value_after(p)
                        }
                        _ => err(
                            format!("{} needs a value before it", t.text),
                            t.start,
                            t.end,
                        ),
                    });
                }
            }
        }
        prev = Some(t);
    }
    match (prev, open.last()) {
        (None, _) => Err(err("the expression is empty", 0, len)),
        (Some(p), _) if !after_value => Err(needs_value_after(p)),
        (_, Some(&at)) => Err(err("this ( is never closed", at, at + 1)),
        _ => Ok(scan),
    }
}

fn named(t: &Token) -> Named {
    Named {
        name: t.text.clone(),
        start: t.start,
        end: t.end,
    }
}
