//! The model-fitting dataset (`dynamic-foraging-model-fitting`): both record formats, the one
//! query model, the normalizer and the reference's merge rules, the table's columns, exports, the
//! Python snippet, and the loader that puts them together over the generic client.
pub mod cache;
pub mod charts;
pub mod columns;
pub mod export;
pub mod latents;
pub mod latents_load;
pub mod load;
pub mod merge;
pub mod normalize;
pub mod overview;
pub mod publish;
pub mod query;
pub mod record;
pub mod rows;
pub mod schema;
pub mod session;
pub mod snippet;
pub mod url;

use crate::hash::{FastMap, FastSet};
use crate::mongo::params::Collection;
use rows::FitTable;

pub const DATABASE: &str = crate::config::ANALYSIS_DATABASE;
pub const COLLECTION: &str = "dynamic-foraging-model-fitting";

/// The collection behind `api_base`.
pub fn collection(api_base: &str) -> Collection {
    Collection::new(api_base, DATABASE, COLLECTION)
}

/// What a refresh changed, by row key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Diff {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changed + self.added + self.removed == 0
    }
}

/// Rows of `new` that differ from, are missing from, or are gone from `old` (by key).
pub fn diff(old: &FitTable, new: &FitTable) -> Diff {
    let before: FastMap<&str, &rows::FitRow> = old
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.as_ref()))
        .collect();
    let mut matched: FastSet<&str> = FastSet::default();
    let mut d = Diff::default();
    for r in &new.rows {
        match before.get(r.key.as_str()) {
            Some(o) if matched.insert(r.key.as_str()) => {
                if !o.same_as(r) {
                    d.changed += 1;
                }
            }
            Some(_) => {}
            None => d.added += 1,
        }
    }
    d.removed = before.len().saturating_sub(matched.len());
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::merge::merge;
    use serde_json::json;

    #[test]
    fn a_refresh_of_the_same_rows_changes_nothing_even_with_nan_folds() {
        let rec = |id: &str, aic: f64| {
            json!({"_id": id, "nwb_name": format!("{id}.nwb"), "agent_alias": "Q",
                   "status": "success", "analysis_time": "2025-01-01T00:00:00",
                   "AIC": aic, "prediction_accuracy_test": [0.5, "x"]})
        };
        let old = merge(&[], &[rec("a", 1.0), rec("b", 2.0), rec("c", 3.0)]);
        assert!(old.rows[0].prediction_accuracy_test.as_ref().unwrap()[1].is_nan());
        assert_eq!(diff(&old, &old), Diff::default());
        let new = merge(&[], &[rec("a", 1.0), rec("b", 2.5), rec("d", 4.0)]);
        assert_eq!(
            diff(&old, &new),
            Diff {
                changed: 1,
                added: 1,
                removed: 1
            }
        );
    }
}
