//! Selecting the rows behind a chart's marks: a click takes one (Shift adds it to what is
//! selected), a drag draws a box or a lasso and takes every mark inside (Shift adds them).
//! The chart component holds the drag; the owner of the selection decides what it means.

use leptos::prelude::*;

use crate::charts::select::{in_box, in_lasso, is_drag};
use crate::charts::Hit;

/// How a chart takes part in a selection.
#[derive(Clone, Copy)]
pub struct Select {
    /// The selected rows, sorted (ringed on the chart).
    pub rows: Signal<Vec<usize>>,
    /// The chart asks to select these rows; `true`: add them to the selection.
    pub on_select: Callback<(Vec<usize>, bool)>,
    /// Whether a drag draws a lasso (else a box).
    pub lasso: Signal<bool>,
    /// Puts back the selection as it was before the last pick (a double click's first click).
    pub undo: Callback<()>,
}

/// A drag in progress: the path so far (device pixels).
#[derive(Clone, Copy)]
pub struct Drag {
    path: StoredValue<Option<Vec<(f64, f64)>>>,
    /// A drag just ended: the click that follows it is not a click on a mark.
    swallow_click: StoredValue<bool>,
}

impl Drag {
    pub fn new() -> Drag {
        Drag {
            path: StoredValue::new(None),
            swallow_click: StoredValue::new(false),
        }
    }

    pub fn start(&self, at: (f64, f64)) {
        // A drag that ended outside the chart may have left its click unsent (the browser sends
        // it to an ancestor): a new press starts afresh.
        self.swallow_click.set_value(false);
        self.path.set_value(Some(vec![at]));
    }

    pub fn active(&self) -> bool {
        self.path.with_value(Option::is_some)
    }

    /// Adds a point (a lasso keeps them all, a box only its far corner); the path so far.
    pub fn extend(&self, at: (f64, f64), lasso: bool) -> Vec<(f64, f64)> {
        self.path.update_value(|p| {
            if let Some(p) = p {
                if lasso {
                    p.push(at);
                } else {
                    p.truncate(1);
                    p.push(at);
                }
            }
        });
        self.path.with_value(|p| p.clone().unwrap_or_default())
    }

    /// Ends the drag: the rows it took in, when it was a drag (not a click).
    pub fn finish(&self, hits: &[Hit], lasso: bool, min: f64) -> Option<Vec<usize>> {
        let path = self.path.with_value(|p| p.clone())?;
        self.path.set_value(None);
        if !is_drag(&path, min) {
            return None;
        }
        self.swallow_click.set_value(true);
        Some(if lasso {
            in_lasso(hits, &path)
        } else {
            in_box(hits, path[0], *path.last().unwrap_or(&path[0]))
        })
    }

    pub fn cancel(&self) {
        self.path.set_value(None);
    }

    /// Whether this click ends a drag (and is to be ignored); resets.
    pub fn take_click(&self) -> bool {
        let s = self.swallow_click.get_value();
        self.swallow_click.set_value(false);
        s
    }
}

impl Default for Drag {
    fn default() -> Drag {
        Drag::new()
    }
}
