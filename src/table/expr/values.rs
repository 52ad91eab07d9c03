//! Rows as evalexpr values: columns bound per row, the tree's numbers made floats, evalexpr's
//! errors in the table's words, and the functions this module adds.

use evalexpr::{Context, EvalexprError, EvalexprResult, Node, Operator, Value};

use super::Var;
use crate::table::{ColumnSpec, SortKey};

/// Makes every number a float (rows' numbers are floats, and evalexpr's `==` tells `3` from
/// `3.0`), and rejects comparing a column by `==`/`!=` with a literal of the other kind, which
/// would be false on every row: `Err((column name, message))`.
pub(super) fn normalize(
    node: &mut Node,
    kind_of: &dyn Fn(&str) -> Option<bool>,
) -> Result<(), (String, String)> {
    if let Operator::Const { value } = node.operator_mut() {
        if let Value::Int(n) = *value {
            *value = Value::Float(n as f64);
        }
    }
    if matches!(node.operator(), Operator::Eq | Operator::Neq) && node.children().len() == 2 {
        let side = |n: &Node| -> (Option<(String, bool)>, Option<bool>) {
            let n = unwrap_root(n);
            match n.operator() {
                Operator::VariableIdentifierRead { identifier } => {
                    (kind_of(identifier).map(|k| (identifier.clone(), k)), None)
                }
                Operator::Const {
                    value: Value::String(_),
                } => (None, Some(false)),
                Operator::Const {
                    value: Value::Int(_) | Value::Float(_),
                } => (None, Some(true)),
                _ => (None, None),
            }
        };
        let (a, b) = (side(&node.children()[0]), side(&node.children()[1]));
        if let ((Some((name, numeric)), _), (_, Some(lit)))
        | ((_, Some(lit)), (Some((name, numeric)), _)) = (a, b)
        {
            if numeric != lit {
                let message = if numeric {
                    format!("{name} is a number: compare it with a number, without quotes")
                } else {
                    format!("{name} is text: compare it with text in quotes, like {name} == \"…\"")
                };
                return Err((name, message));
            }
        }
    }
    node.children_mut()
        .iter_mut()
        .try_for_each(|c| normalize(c, kind_of))
}

fn unwrap_root(mut n: &Node) -> &Node {
    while matches!(n.operator(), Operator::RootNode) && n.children().len() == 1 {
        n = &n.children()[0];
    }
    n
}

/// Failures that depend on the values (not the types), which placeholders cannot judge.
pub(super) fn depends_on_values(e: &EvalexprError) -> bool {
    matches!(
        e,
        EvalexprError::OutOfBoundsAccess
            | EvalexprError::AdditionError { .. }
            | EvalexprError::SubtractionError { .. }
            | EvalexprError::NegationError { .. }
            | EvalexprError::MultiplicationError { .. }
            | EvalexprError::DivisionError { .. }
            | EvalexprError::ModulationError { .. }
    )
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Float(_) | Value::Int(_) => "a number",
        Value::String(_) => "text",
        Value::Boolean(_) => "true/false",
        Value::Tuple(_) => "a list",
        Value::Empty => "nothing",
    }
}

/// An evalexpr error in the words of the table (its own name values with Rust's `Debug`).
pub(super) fn describe(e: &EvalexprError) -> String {
    use EvalexprError as E;
    match e {
        E::ExpectedBoolean { actual } => {
            format!("&&, || and ! need true/false, not {}", kind(actual))
        }
        E::ExpectedNumber { actual } | E::ExpectedFloat { actual } | E::ExpectedInt { actual } => {
            format!("a number is needed here, not {}", kind(actual))
        }
        E::ExpectedString { actual } => format!("text is needed here, not {}", kind(actual)),
        E::ExpectedNumberOrString { actual } => {
            format!("a number or text is needed here, not {}", kind(actual))
        }
        E::ExpectedTuple { actual } => {
            format!("a list (a, b) is needed here, not {}", kind(actual))
        }
        E::ExpectedFixedLengthTuple {
            expected_length,
            actual,
        } => {
            format!(
                "a function needs {expected_length} arguments, not {}",
                kind(actual)
            )
        }
        E::WrongTypeCombination { .. } | E::TypeError { .. } => "a value of the wrong type".into(),
        E::WrongFunctionArgumentAmount { .. } | E::ExpectedRangedLengthTuple { .. } => {
            "a function got the wrong number of arguments".into()
        }
        // Never `e.to_string()`: evalexpr's Display of its errors weighs some 5 KB.
        _ => "this expression cannot be evaluated".into(),
    }
}

/// The value of a column in a row; `None` where it is empty.
pub(super) fn bind<R>(col: &ColumnSpec<R>, row: &R) -> Option<Value> {
    let key = (col.sort_key)(row);
    Some(match key {
        SortKey::Missing => return None,
        SortKey::Num(x) if col.numeric => Value::Float(x),
        SortKey::Text(t) if col.numeric => t
            .trim()
            .parse()
            .map_or_else(|_| Value::String(t.into_owned()), Value::Float),
        _ => Value::String((col.cell)(row)),
    })
}

/// One row's values, by the expression's names, and this module's functions.
pub(super) struct RowContext<'a> {
    pub vars: &'a [Var],
    pub values: &'a [Value],
}

impl Context for RowContext<'_> {
    fn get_value(&self, identifier: &str) -> Option<&Value> {
        let i = self.vars.iter().position(|v| v.name == identifier)?;
        self.values.get(i)
    }

    fn call_function(&self, identifier: &str, argument: &Value) -> EvalexprResult<Value> {
        call(identifier, argument)
    }

    /// Always: evalexpr's builtins are replaced by [`call`] (a constant, so that the optimizer
    /// drops them from the build).
    fn are_builtin_functions_disabled(&self) -> bool {
        true
    }

    fn set_builtin_functions_disabled(&mut self, disabled: bool) -> EvalexprResult<()> {
        match disabled {
            true => Ok(()),
            false => Err(EvalexprError::BuiltinFunctionsCannotBeEnabled),
        }
    }
}

/// The functions of [`super::FUNCTIONS`].
fn call(identifier: &str, argument: &Value) -> EvalexprResult<Value> {
    let args = || match argument {
        Value::Tuple(t) => t.as_slice(),
        one => std::slice::from_ref(one),
    };
    let text = |v: &Value| v.as_string();
    let two_texts = || -> EvalexprResult<(String, String)> {
        let a = argument.as_fixed_len_tuple(2)?;
        Ok((text(&a[0])?, text(&a[1])?))
    };
    let number = |f: fn(f64) -> f64| Ok(Value::Float(f(argument.as_number()?)));
    let yes = |b: bool| Ok(Value::Boolean(b));
    match identifier {
        "str::contains" => two_texts().and_then(|(s, p)| yes(s.contains(&p))),
        "str::starts_with" => two_texts().and_then(|(s, p)| yes(s.starts_with(&p))),
        "str::ends_with" => two_texts().and_then(|(s, p)| yes(s.ends_with(&p))),
        "str::to_lowercase" => Ok(Value::String(text(argument)?.to_lowercase())),
        "str::trim" => Ok(Value::String(text(argument)?.trim().to_string())),
        "len" => Ok(Value::Float(match argument {
            Value::Tuple(t) => t.len(),
            v => text(v)?.chars().count(),
        } as f64)),
        "contains" => {
            let a = argument.as_fixed_len_tuple(2)?;
            yes(a[0].as_tuple()?.contains(&a[1]))
        }
        "min" | "max" => {
            let mut best: Option<f64> = None;
            for v in args() {
                let x = v.as_number()?;
                let better = |b: f64| if identifier == "min" { x < b } else { x > b };
                if best.is_none_or(better) {
                    best = Some(x);
                }
            }
            best.map(Value::Float)
                .ok_or(EvalexprError::WrongFunctionArgumentAmount {
                    expected: 1..=usize::MAX,
                    actual: 0,
                })
        }
        "floor" => number(f64::floor),
        "ceil" => number(f64::ceil),
        "round" => number(f64::round),
        "math::abs" => number(f64::abs),
        "math::sqrt" => number(f64::sqrt),
        _ => Err(EvalexprError::FunctionIdentifierNotFound(
            identifier.to_string(),
        )),
    }
}
