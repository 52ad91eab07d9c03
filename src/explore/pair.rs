//! The pair plot as data: two to six columns (numbers, dates, the session index or a fitted
//! parameter: any axis of the scatter) of the rows a page shows,
//! against each other, with each column's histogram, grouped and coloured by the explorer's
//! colour column exactly as its scatter is. Pure.

use super::scatter::Data;
use super::{axis_kind, shown_rows, Axis, Groups};
use crate::charts::pair::{PairChart, PairColumn, PairGroup, PairHist};
use crate::stats::hist::{histogram, Bins};

/// Columns a pair plot takes at most (36 cells).
pub const MAX_COLUMNS: usize = 6;

/// What the pair plot shows (its URL parameter `ex_pair`, and the explorer's `ex_color` and
/// `ex_hide`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PairChoice {
    /// Column keys, in the grid's order.
    pub columns: Vec<String>,
    /// The colour column's key.
    pub color: Option<String>,
    /// Groups left out (their names).
    pub hidden: Vec<String>,
}

/// The columns of `ex_pair` (keys separated by commas) that can be drawn, in its order, and a
/// sentence for each that cannot: not a column of numbers or dates, named twice, too many.
pub fn parse_columns(param: Option<&str>, axes: &[Axis]) -> (Vec<String>, Vec<String>) {
    let (mut keys, mut problems) = (Vec::<String>::new(), Vec::new());
    for k in param.unwrap_or_default().split(',').map(str::trim) {
        if k.is_empty() {
            continue;
        }
        if !axes.iter().any(|a| a.key == k) {
            problems.push(format!(
                "ex_pair: no column \"{k}\" of numbers or dates; left out."
            ));
        } else if keys.iter().any(|x| x == k) {
            problems.push(format!("ex_pair: \"{k}\" is named twice; drawn once."));
        } else {
            keys.push(k.to_string());
        }
    }
    if keys.len() > MAX_COLUMNS {
        problems.push(format!(
            "ex_pair: {} columns named; a pair plot takes at most {MAX_COLUMNS}.",
            keys.len()
        ));
    }
    (keys, problems)
}

/// The pair plot's chart and what its legend offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub chart: PairChart,
    /// The groups among the rows shown, hidden ones too, with their palette indices (empty
    /// without a colour column): the legend that hides and shows them.
    pub groups: Vec<(String, usize)>,
}

/// Bins of a histogram of `n` values: about √n, between 5 and 20 (a cell is small).
fn bin_count(n: usize) -> usize {
    ((n as f64).sqrt().ceil() as usize).clamp(5, 20)
}

/// The rows at positions `shown` of `rows`, minus the hidden groups, as a pair plot of
/// `choice.columns`. Groups are named and numbered as [`super::scatter`] does it (over `rows`
/// and `palette_rows`), so a group has the same colour in both. `Err`: why there is nothing
/// to draw (fewer than two columns, more than [`MAX_COLUMNS`], a column that is not an axis).
pub fn pair<R, A: AsRef<R>>(data: &Data<'_, R, A>, choice: &PairChoice) -> Result<Pair, String> {
    let n = choice.columns.len();
    if n < 2 {
        return Err("Choose two to six columns.".into());
    }
    if n > MAX_COLUMNS {
        return Err(format!(
            "A pair plot takes at most six columns; {n} are chosen. Untick some."
        ));
    }
    let cols = choice
        .columns
        .iter()
        .map(|k| {
            let axis = data.axis(k);
            axis.and_then(|a| Some((a, data.getter(a)?)))
                .ok_or_else(|| format!("No column \"{k}\" of numbers or dates."))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let rows = data.rows;
    let groups = Groups::new(data.spec, choice.color.as_deref(), rows, data.palette_rows);
    let shown = data.shown;
    let mut present = vec![false; groups.len()];
    // (palette index, data row) of each row drawn, group after group.
    let mut entries: Vec<(usize, usize)> = Vec::new();
    for (i, r) in shown_rows(rows, shown) {
        let g = groups.of(r);
        present[g] = true;
        if !(groups.grouped() && choice.hidden.contains(&groups.label(g))) {
            entries.push((g, i));
        }
    }
    crate::sort::sort_vec(&mut entries, &|a, b| a.0.cmp(&b.0));
    // The chart's groups: those drawn, by palette index.
    let mut drawn: Vec<usize> = entries.iter().map(|e| e.0).collect();
    drawn.dedup();
    let group_of: Vec<usize> = entries
        .iter()
        .map(|e| drawn.binary_search(&e.0).unwrap_or(0))
        .collect();
    // Where each group's entries start and end.
    let spans: Vec<(usize, usize)> = (0..drawn.len())
        .map(|g| {
            let start = group_of.partition_point(|&x| x < g);
            (start, group_of.partition_point(|&x| x <= g))
        })
        .collect();
    let columns = cols
        .iter()
        .map(|(axis, get)| {
            let values: Vec<f64> = entries
                .iter()
                .map(|&(_, i)| get(i, rows[i].as_ref()).unwrap_or(f64::NAN))
                .collect();
            let missing = values.iter().filter(|v| !v.is_finite()).count();
            let bins = bin_count(values.len() - missing);
            let hist = Bins::new(&values, bins, None).map(|b| PairHist {
                lo: b.lo,
                hi: b.hi,
                counts: spans
                    .iter()
                    .map(|&(s, e)| {
                        histogram(&values[s..e], bins, Some((b.lo, b.hi)))
                            .map_or_else(|| vec![0; bins], |h| h.counts)
                    })
                    .collect(),
            });
            PairColumn {
                label: axis.label.clone(),
                kind: axis_kind(axis, false),
                values,
                missing,
                hist,
            }
        })
        .collect();
    let labels: Vec<&str> = cols.iter().map(|(a, _)| a.label.as_str()).collect();
    let legend = (0..groups.len())
        .filter(|&g| groups.grouped() && present[g])
        .map(|g| (groups.label(g), g))
        .collect();
    Ok(Pair {
        chart: PairChart {
            title: format!("Pair plot of {}", labels.join(", ")),
            group_label: groups.column.map(|c| c.label.clone()),
            groups: drawn
                .iter()
                .map(|&g| PairGroup {
                    label: groups.label(g),
                    color: g,
                })
                .collect(),
            columns,
            rows: entries.iter().map(|e| e.1).collect(),
            group_of,
        },
        groups: legend,
    })
}

#[cfg(test)]
#[path = "pair_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "pair_tests_more.rs"]
mod tests_more;
