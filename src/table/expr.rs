//! A row filter by expression over the loaded rows, such as
//! `n_trials > 300 && agent_alias == "WSLS"`: pure, generic over the row type through its
//! [`TableSpec`]. The language is [evalexpr](https://docs.rs/evalexpr/11.3.1)'s
//! (`&& || ! == != < <= > >= + - * / % ^`, parentheses, numbers, `"strings"` that compare by
//! their characters, `true`/`false`, tuples `("a", "b")`), parsed once into a tree that is
//! evaluated per row. The text only ever runs over rows already in the browser: it is never
//! sent anywhere, nor turned into a database query.
//!
//! Columns are variables, named by [`variable_names`]. A numeric column reads as a number (its
//! sort key), any other as its cell text, so `session_date >= "2024-06-01"` compares ISO dates
//! as text. Functions are those in [`FUNCTIONS`].
//!
//! **Empty values.** A row where a column that the expression names is empty does not match,
//! whatever the rest says (so `AIC < 500 || BIC < 500` leaves out a row without a BIC), and is
//! counted in [`FilterOutcome::missing`]; a row whose evaluation fails (a function's error) does
//! not match and is counted in [`FilterOutcome::errors`]. No row is dropped silently.
//!
//! **Errors** ([`ExprError`]) carry a span in chars: syntax errors and unknown names at the
//! place they are (found by `scan`, evalexpr giving none); a type error (`agent_alias > 3`),
//! found by running the tree once on a row of typed placeholders, spans the whole text.

mod names;
mod scan;
mod values;

use std::fmt;
use std::sync::Arc;

use evalexpr::{Node, Value};

use names::hint;
pub use names::variable_names;
use values::{bind, depends_on_values, describe, kind, normalize, RowContext};

use super::{ColumnSpec, TableSpec};

/// The functions an expression may call, all of them this module's (evalexpr's builtins are
/// switched off: they bring some 20 KB of maths that filters do not need, and `str::substring`
/// can panic): `str::contains(s, part)`, `str::starts_with(s, p)`, `str::ends_with(s, p)`,
/// `str::to_lowercase(s)`, `str::trim(s)`, `len(s)` (in chars, or a
/// list's length), `contains(("a", "b"), x)` ("x is one of"), `min(a, b, …)`, `max(a, b, …)`,
/// `floor(x)`, `ceil(x)`, `round(x)`, `math::abs(x)`, `math::sqrt(x)`.
pub const FUNCTIONS: [&str; 14] = [
    "str::contains",
    "str::starts_with",
    "str::ends_with",
    "str::to_lowercase",
    "str::trim",
    "len",
    "contains",
    "min",
    "max",
    "floor",
    "ceil",
    "round",
    "math::abs",
    "math::sqrt",
];

/// What is wrong with an expression, and where: `start..end` in chars (not bytes) of the text,
/// as the input underlines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl ExprError {
    pub fn new(message: impl Into<String>, start: usize, end: usize) -> ExprError {
        ExprError {
            message: message.into(),
            start,
            end,
        }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} (at {}–{})", self.message, self.start, self.end)
    }
}

/// A column read by the expression.
#[derive(Debug, Clone)]
struct Var {
    /// Its name in the expression.
    name: String,
    /// Its key in the table (looked up again when applied: the spec may have been rebuilt).
    key: String,
}

/// A compiled expression, cheap to apply to many rows.
#[derive(Debug, Clone)]
pub struct RowFilter {
    tree: Node,
    vars: Vec<Var>,
}

/// What a filter did with the candidate rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterOutcome {
    /// The matching positions, in the candidates' order.
    pub kept: Vec<usize>,
    /// Rows left out because a column the expression names is empty in them.
    pub missing: usize,
    /// Rows left out because evaluating them failed.
    pub errors: usize,
    /// The first such failure.
    pub first_error: Option<String>,
}

fn err(message: impl Into<String>, start: usize, end: usize) -> ExprError {
    ExprError::new(message, start, end)
}

/// Limits that keep the recursive parser and evaluator well inside the stack.
const MAX_CHARS: usize = 2_000;
const MAX_DEPTH: usize = 32;
const MAX_OPERATORS: usize = 100;

/// How many `&&` and `||` the text holds (a chain of them nests as deep as it is long).
fn scanned_operators(text: &str) -> usize {
    text.matches("&&").count() + text.matches("||").count()
}

/// Compiles `text` against the columns of `spec`. A blank text is `Ok(None)`: no filter.
pub fn compile<R>(spec: &TableSpec<R>, text: &str) -> Result<Option<RowFilter>, ExprError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let len = text.chars().count();
    // The parser and the evaluator recurse: a limit keeps a pasted or linked monster from
    // exhausting the stack.
    if len > MAX_CHARS {
        return Err(ExprError::new(
            format!("an expression of at most {MAX_CHARS} characters, please ({len} here)"),
            MAX_CHARS,
            len,
        ));
    }
    let mut depth = 0usize;
    for (i, c) in text.chars().enumerate() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ExprError::new(
                        format!("parentheses nested at most {MAX_DEPTH} deep, please"),
                        i,
                        i + 1,
                    ));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let scanned = scan::check(&scan::tokens(text)?, len)?;
    if scanned_operators(text) > MAX_OPERATORS {
        return Err(ExprError::new(
            format!("at most {MAX_OPERATORS} && and || in one expression, please"),
            0,
            len,
        ));
    }
    let names = variable_names(spec);
    for f in &scanned.functions {
        if !FUNCTIONS.contains(&f.name.as_str()) {
            let what = if names.contains(&f.name) {
                format!(
                    "{} is a column, not a function: an operator is missing after it",
                    f.name
                )
            } else {
                format!(
                    "no function \"{}\"; {}",
                    f.name,
                    hint(&f.name, &FUNCTIONS.map(String::from))
                )
            };
            return Err(err(what, f.start, f.end));
        }
    }
    let mut vars: Vec<Var> = Vec::new();
    let mut numeric: Vec<bool> = Vec::new();
    for v in &scanned.variables {
        let Some(i) = names.iter().position(|n| *n == v.name) else {
            let message = format!("no column \"{}\"; {}", v.name, hint(&v.name, &names));
            return Err(err(message, v.start, v.end));
        };
        if !vars.iter().any(|w| w.name == v.name) {
            let col = &spec.columns[i];
            vars.push(Var {
                name: v.name.clone(),
                key: col.key.clone(),
            });
            numeric.push(col.numeric);
        }
    }
    let mut tree = evalexpr::build_operator_tree(text)
        .map_err(|_| err("evalexpr cannot read this expression", 0, len))?;
    let kind_of = |name: &str| vars.iter().position(|v| v.name == name).map(|i| numeric[i]);
    normalize(&mut tree, &kind_of).map_err(|(name, message)| {
        let at = scanned.variables.iter().find(|v| v.name == name);
        at.map_or(err(&message, 0, len), |v| err(&message, v.start, v.end))
    })?;
    let filter = RowFilter { tree, vars };
    // A type check: one row of placeholders of the columns' kinds.
    let placeholders: Vec<Value> = numeric
        .iter()
        .map(|&n| {
            if n {
                Value::Float(1.0)
            } else {
                Value::String("a".into())
            }
        })
        .collect();
    match filter
        .tree
        .eval_with_context(&filter.context(&placeholders))
    {
        Ok(Value::Boolean(_)) => Ok(Some(filter)),
        Ok(other) => Err(err(
            format!("the expression gives {}, not true/false", kind(&other)),
            0,
            len,
        )),
        Err(e) if depends_on_values(&e) => Ok(Some(filter)),
        Err(e) => Err(err(describe(&e), 0, len)),
    }
}

impl RowFilter {
    /// The keys of the columns the expression reads.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(|v| v.key.as_str())
    }

    fn context<'a>(&'a self, values: &'a [Value]) -> RowContext<'a> {
        RowContext {
            vars: &self.vars,
            values,
        }
    }

    /// The positions among `candidates` whose rows match, in the candidates' order, with the
    /// rows left out for an empty value or an error counted. `spec` is the table the filter was
    /// compiled for (or a rebuilt one: columns are found by key; a column gone since counts every
    /// row as an error).
    pub fn apply<R>(
        &self,
        spec: &TableSpec<R>,
        rows: &[Arc<R>],
        candidates: impl Iterator<Item = usize>,
    ) -> FilterOutcome {
        let mut out = FilterOutcome::default();
        let cols: Option<Vec<&ColumnSpec<R>>> =
            self.vars.iter().map(|v| spec.column(&v.key)).collect();
        let Some(cols) = cols else {
            out.errors = candidates.count();
            out.first_error = Some("a column of the expression is no longer in the table".into());
            return out;
        };
        let mut values = vec![Value::Empty; cols.len()];
        'rows: for i in candidates {
            let row = rows[i].as_ref();
            for (slot, col) in values.iter_mut().zip(&cols) {
                match bind(col, row) {
                    Some(v) => *slot = v,
                    None => {
                        out.missing += 1;
                        continue 'rows;
                    }
                }
            }
            match self.tree.eval_boolean_with_context(&self.context(&values)) {
                Ok(true) => out.kept.push(i),
                Ok(false) => {}
                Err(e) => {
                    out.errors += 1;
                    out.first_error.get_or_insert_with(|| describe(&e));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
