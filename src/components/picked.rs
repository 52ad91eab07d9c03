//! Rows picked in the explorer (a click, a box, a lasso), kept by row key so that a refresh
//! of the rows keeps them: the explorer rings them, the table marks them and can show only
//! them. In memory for the visit (a large lasso would not fit in a link).

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::chart_select::Select;
use crate::sort::sorted_unique;

#[derive(Clone, Copy)]
pub struct Picked {
    /// Row keys, sorted.
    keys: RwSignal<Vec<String>>,
    /// The table (and the charts) show only the picked rows.
    pub only: RwSignal<bool>,
    /// The keys before the last pick (for undo).
    before: StoredValue<Vec<String>>,
}

impl Picked {
    pub fn new() -> Picked {
        Picked {
            keys: RwSignal::new(Vec::new()),
            only: RwSignal::new(false),
            before: StoredValue::new(Vec::new()),
        }
    }

    pub fn count(&self) -> usize {
        self.keys.with(Vec::len)
    }

    /// Picks the rows with these keys: instead of what was picked, or (`add`) as well. A click
    /// on the only picked row, or a Shift+click on a picked one, unpicks it.
    pub fn pick(&self, keys: Vec<String>, add: bool) {
        let keys = sorted_unique(keys);
        // Showing only the picked rows, a plain click on one of them keeps them all.
        if self.only.get_untracked() && !add && keys.len() == 1 {
            return;
        }
        self.before.set_value(self.keys.get_untracked());
        self.keys.update(|cur| {
            if let [one] = keys.as_slice() {
                if let Ok(at) = cur.binary_search(one) {
                    if add || cur.len() == 1 {
                        cur.remove(at);
                        return;
                    }
                }
            }
            if add {
                cur.extend(keys);
                *cur = sorted_unique(std::mem::take(cur));
            } else {
                *cur = keys;
            }
        });
        if self.keys.with_untracked(Vec::is_empty) {
            self.only.set(false);
        }
    }

    /// Puts back the keys before the last pick.
    pub fn undo(&self) {
        let before = self.before.get_value();
        if before != self.keys.get_untracked() {
            self.keys.set(before);
        }
    }

    pub fn clear(&self) {
        self.keys.set(Vec::new());
        self.only.set(false);
    }

    /// The positions of the picked rows among `n` rows keyed by `key_of`, sorted.
    pub fn positions(&self, n: usize, key_of: impl Fn(usize) -> String) -> Vec<usize> {
        self.keys.with(|keys| {
            if keys.is_empty() {
                return Vec::new();
            }
            (0..n)
                .filter(|&i| keys.binary_search(&key_of(i)).is_ok())
                .collect()
        })
    }
}

/// The picked rows as a chart sees them.
#[derive(Clone)]
pub struct PickedRows {
    pub picked: Picked,
    /// Positions of the picked rows, sorted.
    pub rows: Memo<Vec<usize>>,
    /// The table's selected row (ringed too).
    pub also: Signal<Option<usize>>,
    pub key_of: Arc<dyn Fn(usize) -> String + Send + Sync>,
    /// Shows the table (with only the picked rows).
    pub on_show: Callback<()>,
}

impl PickedRows {
    /// How a chart takes part: rings on the picked rows, picks by row position.
    pub fn select(&self, lasso: Signal<bool>) -> Select {
        let (me, rows, also, key_of) = (self.picked, self.rows, self.also, self.key_of.clone());
        Select {
            rows: Signal::derive(move || {
                let mut r = rows.get();
                if let Some(i) = also.get() {
                    if let Err(at) = r.binary_search(&i) {
                        r.insert(at, i);
                    }
                }
                r
            }),
            on_select: Callback::new(move |(positions, add): (Vec<usize>, bool)| {
                me.pick(positions.into_iter().map(|i| key_of(i)).collect(), add)
            }),
            lasso,
            undo: Callback::new(move |_| me.undo()),
        }
    }
}

/// What is picked, above the table and under the explorer: how many, only them, clear.
#[component]
pub fn PickedBar(
    picked: Picked,
    noun: (&'static str, &'static str),
    /// "Show in the table" (from the explorer); none in the table itself.
    #[prop(optional)]
    on_show: Option<Callback<()>>,
) -> impl IntoView {
    move || {
        let n = picked.count();
        (n > 0).then(|| {
            let what = format!("{n} {} selected", if n == 1 { noun.0 } else { noun.1 });
            view! {
                <div class="picked-bar" role="status" data-testid="picked-bar">
                    <span data-testid="picked-count">{what}</span>
                    {move || match on_show.filter(|_| !picked.only.get()) {
                        Some(show) => view! {
                            <button class="btn" data-testid="picked-show" on:click=move |_| {
                                picked.only.set(true);
                                show.run(());
                            }>"Show only these in the table"</button>
                        }.into_any(),
                        None => view! {
                            <label class="switch">
                                <input type="checkbox" data-testid="picked-only"
                                    prop:checked=move || picked.only.get()
                                    on:change=move |ev| picked.only.set(event_target_checked(&ev)) />
                                " only these"
                            </label>
                        }.into_any(),
                    }}
                    <button class="btn" data-testid="picked-clear" on:click=move |_| picked.clear()>"Clear selection"</button>
                </div>
            }
        })
    }
}

impl Default for Picked {
    fn default() -> Picked {
        Picked::new()
    }
}
