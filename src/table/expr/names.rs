//! What columns are called in expressions, and the hint for a name that is none of them.

use super::TableSpec;

fn is_plain(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && name.parse::<f64>().is_err()
        && name != "true"
        && name != "false"
}

/// Each column's name in expressions, in the order of `spec.columns`. A key made of ASCII
/// letters, digits, `_` and `.` that starts with a letter or `_` (and is no number such as
/// `inf`, nor `true`/`false`) is its own name: `n_trials`, `AIC`, `results.fit.AIC`. Other keys
/// have every other character replaced by `_`, and a `_` put first where the result would not
/// be a name: `prediction_accuracy_10-CV_test` is `prediction_accuracy_10_CV_test`, `2nd` is
/// `_2nd`. Names never collide: columns whose key is already a name keep it, and a replaced
/// name that is taken gets `_2` (then `_3`, …) added, in column order.
pub fn variable_names<R>(spec: &TableSpec<R>) -> Vec<String> {
    let mut names: Vec<Option<String>> = spec
        .columns
        .iter()
        .map(|c| is_plain(&c.key).then(|| c.key.clone()))
        .collect();
    for (i, col) in spec.columns.iter().enumerate() {
        if names[i].is_some() {
            continue;
        }
        let mut base: String = col
            .key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if !is_plain(&base) {
            base.insert(0, '_');
        }
        let taken = |n: &str| names.iter().any(|m| m.as_deref() == Some(n));
        let mut name = base.clone();
        let mut k = 2;
        while taken(&name) {
            name = format!("{base}_{k}");
            k += 1;
        }
        names[i] = Some(name);
    }
    names.into_iter().flatten().collect()
}

/// "did you mean n_trials?" or a few of the names.
pub(super) fn hint(name: &str, names: &[String]) -> String {
    let mut near: Vec<(usize, &String)> = names
        .iter()
        .map(|n| (distance(name, n), n))
        .filter(|(d, n)| {
            let within = || n.to_lowercase().contains(&name.to_lowercase()) && name.len() > 2;
            *d <= (n.chars().count() / 3).max(1) || within()
        })
        .collect();
    crate::sort::sort_vec(&mut near, &|a, b| a.cmp(b));
    let list = |v: Vec<&str>| v.join(", ");
    if near.is_empty() {
        let some: Vec<&str> = names.iter().take(6).map(String::as_str).collect();
        let more = if names.len() > 6 { ", …" } else { "" };
        format!("columns are {}{more}", list(some))
    } else {
        let near: Vec<&str> = near.iter().take(3).map(|(_, n)| n.as_str()).collect();
        format!("did you mean {}?", list(near))
    }
}

/// The edit distance of two names, ignoring case (for "did you mean").
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
