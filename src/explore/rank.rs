//! A rank within a group as an axis: the session index within a subject (1 for a subject's
//! first session). Computed over every row the page has, so filtering does not renumber. Pure.

use crate::hash::FastMap;
use crate::table::{SortKey, TableSpec};

use super::{Axis, AxisKind};

/// Which columns make the rank: rows are grouped by the text of `group` and numbered by the
/// distinct values of the `order` columns (in their sort order) within each group.
#[derive(Debug, Clone, PartialEq)]
pub struct RankAxis {
    pub key: &'static str,
    pub label: &'static str,
    pub group: &'static str,
    pub order: &'static [&'static str],
}

impl RankAxis {
    pub fn axis(&self) -> Axis {
        Axis {
            key: self.key.into(),
            label: self.label.into(),
            kind: AxisKind::Rank,
        }
    }
}

/// An order key's part: numbers before text, missing last.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Part {
    Num(f64),
    Text(String),
    Missing,
}

/// Each row's rank (1-based) within its group, by position in `rows`; `None` when a column
/// of the rank is not in the spec.
pub fn ranks<R, A: AsRef<R>>(
    spec: &TableSpec<R>,
    rows: &[A],
    rank: &RankAxis,
) -> Option<Vec<Option<f64>>> {
    let group = spec.column(rank.group)?;
    let order: Vec<_> = rank
        .order
        .iter()
        .map(|k| spec.column(k))
        .collect::<Option<_>>()?;
    let keys: Vec<(String, Vec<Part>)> = rows
        .iter()
        .map(|r| {
            let r = r.as_ref();
            let parts = order
                .iter()
                .map(|c| match (c.sort_key)(r) {
                    SortKey::Num(v) => Part::Num(v),
                    SortKey::Missing => Part::Missing,
                    _ => Part::Text((c.cell)(r)),
                })
                .collect();
            ((group.cell)(r), parts)
        })
        .collect();
    let mut per_group: FastMap<&str, Vec<&[Part]>> = FastMap::default();
    for (g, parts) in &keys {
        per_group.entry(g.as_str()).or_default().push(parts);
    }
    for v in per_group.values_mut() {
        crate::sort::sort_vec(v, &|a, b| {
            a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal)
        });
        v.dedup();
    }
    Some(
        keys.iter()
            .map(|(g, parts)| {
                let sessions = per_group.get(g.as_str())?;
                let i = sessions
                    .binary_search_by(|p| {
                        p.partial_cmp(&parts.as_slice())
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                    .ok()?;
                Some((i + 1) as f64)
            })
            .collect(),
    )
}
