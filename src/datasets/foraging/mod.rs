//! The model-fitting dataset (`dynamic-foraging-model-fitting`): both record formats, the one
//! query model, the normalizer and the reference's merge rules, the table's columns, exports, the
//! Python snippet, and the loader that puts them together over the generic client.
pub mod cache;
pub mod columns;
pub mod export;
pub mod load;
pub mod merge;
pub mod normalize;
pub mod query;
pub mod rows;
pub mod schema;
pub mod snippet;
pub mod url;

use std::collections::HashMap;

use crate::mongo::params::Collection;
use rows::FitTable;

pub const DATABASE: &str = "analysis";
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

/// Rows of `new` that differ from, are missing from, or are gone from `old`.
pub fn diff(old: &FitTable, new: &FitTable) -> Diff {
    let before: HashMap<&str, &rows::FitRow> = old
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.as_ref()))
        .collect();
    let mut d = Diff::default();
    let mut seen = 0;
    for r in &new.rows {
        match before.get(r.key.as_str()) {
            Some(o) => {
                seen += 1;
                if **o != **r {
                    d.changed += 1;
                }
            }
            None => d.added += 1,
        }
    }
    d.removed = before.len() - seen;
    d
}
