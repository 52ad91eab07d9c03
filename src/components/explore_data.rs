//! What the explorer's charts draw from, in one place: the rows, those shown, the axes (with
//! the session index and the extra axes' values) and the rows that fix the colours. The scatter
//! and the pair plot read it through [`ExploreData::with`], so both see the same axes.

use std::sync::Arc;

use leptos::prelude::*;

use crate::explore::scatter::{Data, ExtraFn};
use crate::explore::Axis;
use crate::table::model::Rows;
use crate::table::TableSpec;

pub struct ExploreData<R: Send + Sync + 'static> {
    pub spec: StoredValue<Arc<TableSpec<R>>>,
    pub rows: Memo<Rows<R>>,
    /// Positions of the rows the table shows, in its order.
    pub shown: Memo<Vec<usize>>,
    pub axis_list: Memo<Vec<Axis>>,
    /// Each row's rank (the session index within its subject), when there is such an axis.
    pub rank_values: Memo<Vec<Option<f64>>>,
    /// Every row the page knows, for colours that match the page's other charts.
    pub palette_rows: Memo<Rows<R>>,
    /// The values of the extra axes (fitted parameters).
    pub extra: StoredValue<Option<Arc<ExtraFn>>>,
}

impl<R: Send + Sync + 'static> Clone for ExploreData<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for ExploreData<R> {}

impl<R: Send + Sync + 'static> ExploreData<R> {
    /// Runs `f` on the data as it stands (tracked).
    pub fn with<T>(&self, f: impl FnOnce(&Data<'_, R, Arc<R>>) -> T) -> T {
        self.rows.with(|r| {
            self.shown.with(|s| {
                self.axis_list.with(|a| {
                    self.rank_values.with(|rv| {
                        self.palette_rows.with(|p| {
                            self.spec.with_value(|sp| {
                                self.extra.with_value(|x| {
                                    f(&Data {
                                        spec: sp.as_ref(),
                                        rows: r,
                                        shown: s,
                                        axes: a,
                                        palette_rows: p,
                                        ranks: rv,
                                        extra: x.as_deref(),
                                    })
                                })
                            })
                        })
                    })
                })
            })
        })
    }
}
