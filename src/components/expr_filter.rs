//! The row filter by expression (`where=`): an expression over the loaded rows' columns, e.g.
//! `n_trials > 300 && agent_alias == "WSLS"`, that the table and the charts apply alike. It
//! runs in the browser over rows already loaded: never a database query. Typing checks it as
//! you go and shows where it goes wrong; Enter applies it; an expression that does not compile
//! leaves the last good filter in place.

use std::sync::Arc;

use leptos::prelude::*;

use crate::hooks::url_param::{url_param, UrlParam};
use crate::table::expr::{compile, variable_names, ExprError, FilterOutcome};
use crate::table::model::Rows;
use crate::table::TableSpec;

/// The filter's state: the applied expression (the URL), the draft being typed, the rows kept.
#[derive(Clone, Copy)]
pub struct ExprFilter {
    param: UrlParam,
    draft: RwSignal<String>,
    /// The draft's problem (or the URL's, when it came from a link).
    error: Memo<Option<ExprError>>,
    /// What the applied expression kept, and why rows were left out (`None`: no filter).
    pub outcome: Memo<Option<Arc<FilterOutcome>>>,
    names: StoredValue<Vec<String>>,
    /// Said to screen readers when an apply is refused (not on every key: the error under the
    /// box changes as you type, and is read with the box).
    refused: RwSignal<String>,
}

impl ExprFilter {
    /// Over the first `candidates` rows (the table leaves the others out: the failed fits).
    pub fn new<R: Send + Sync + 'static>(
        spec: Arc<TableSpec<R>>,
        rows: Memo<Rows<R>>,
        candidates: Signal<usize>,
    ) -> Self {
        let param = url_param("where", false);
        let draft = RwSignal::new(param.get_untracked().unwrap_or_default());
        // Back, forward and links bring their own expression into the box.
        Effect::new(move |_| {
            let p = param.get().unwrap_or_default();
            if draft.get_untracked().trim() != p {
                draft.set(p);
            }
        });
        let names = StoredValue::new(variable_names(&spec));
        let spec = StoredValue::new(spec);
        let error =
            Memo::new(move |_| draft.with(|d| spec.with_value(|s| compile(s.as_ref(), d).err())));
        let outcome = Memo::new(move |_| {
            let text = param.get()?;
            let filter = spec.with_value(|s| compile(s.as_ref(), &text)).ok()??;
            let n = candidates.get();
            Some(Arc::new(rows.with(|r| {
                spec.with_value(|s| filter.apply(s.as_ref(), r, 0..n.min(r.len())))
            })))
        });
        ExprFilter {
            param,
            draft,
            error,
            outcome,
            names,
            refused: RwSignal::new(String::new()),
        }
    }

    /// The applied expression (tracked).
    pub fn applied(&self) -> Option<String> {
        self.param.get()
    }

    /// The positions the filter keeps, sorted (`None`: every row).
    pub fn kept(&self) -> Option<Arc<Vec<usize>>> {
        self.outcome
            .with(|o| o.as_ref().map(|o| Arc::new(o.kept.clone())))
    }

    /// Applies the draft when it compiles (blank: no filter).
    fn apply(&self) {
        if let Some(e) = self.error.get_untracked() {
            let words = format!("Not applied: {} (at {})", e.message, e.start + 1);
            // The same words again would leave the live region as it is, and unread: a second
            // refusal toggles an invisible mark at the end, so that it is announced too.
            let marked = self
                .refused
                .with_untracked(|r| r.strip_suffix(REPEAT_MARK) == Some(words.as_str()));
            let repeat = !marked && self.refused.with_untracked(|r| *r == words);
            self.refused
                .set(if repeat { words + REPEAT_MARK } else { words });
            return;
        }
        self.refused.set(String::new());
        let d = self.draft.get_untracked();
        let d = d.trim();
        self.param.set((!d.is_empty()).then(|| d.to_string()));
    }
}

/// Zero-width space: tells a repeated announcement from the one before it.
const REPEAT_MARK: &str = "\u{200b}";

/// The expression's text with the part at fault marked.
fn marked(text: &str, e: &ExprError) -> impl IntoView {
    let chars: Vec<char> = text.chars().collect();
    let a = e.start.min(chars.len());
    let b = e.end.clamp(a, chars.len());
    let part = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    // An empty span (the end of the text) still shows where.
    let at = if a == b { " ".to_string() } else { part(a..b) };
    view! {
        <code class="expr-text">{part(0..a)}<mark class="expr-at">{at}</mark>{part(b..chars.len())}</code>
    }
}

#[component]
pub fn ExprBox(filter: ExprFilter, noun: (&'static str, &'static str)) -> impl IntoView {
    let f = filter;
    let applied = move || f.param.get();
    let pending = move || {
        let d = f.draft.get();
        applied().unwrap_or_default() != d.trim() && f.error.with(Option::is_none)
    };
    let summary = move || {
        f.outcome.with(|o| {
            let o = o.as_ref()?;
            let n = o.kept.len();
            let mut out = format!("{n} {} match", if n == 1 { noun.0 } else { noun.1 });
            if o.missing > 0 {
                out.push_str(&format!(" · {} left out for an empty value", o.missing));
            }
            if o.errors > 0 {
                out.push_str(&format!(" · {} could not be evaluated", o.errors));
                if let Some(e) = &o.first_error {
                    out.push_str(&format!(" ({e})"));
                }
            }
            Some(out)
        })
    };
    let names = f.names.get_value().join(", ");
    view! {
        <div class="expr-filter" data-testid="expr-filter">
            <label for="expr-input" class="expr-label">"Where"</label>
            <input
                id="expr-input"
                data-testid="expr-input"
                class="expr-input"
                class:invalid=move || f.error.with(Option::is_some)
                type="text"
                spellcheck="false"
                autocomplete="off"
                placeholder="n_trials > 300 && agent_alias == \"WSLS\""
                aria-describedby="expr-help"
                aria-invalid=move || f.error.with(Option::is_some).to_string()
                prop:value=move || f.draft.get()
                on:input=move |ev| {
                    f.draft.set(event_target_value(&ev));
                    f.refused.set(String::new());
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        f.apply();
                    } else if ev.key() == "Escape" {
                        f.draft.set(applied().unwrap_or_default());
                    }
                }
            />
            <button class="btn" data-testid="expr-apply" disabled=move || !pending() on:click=move |_| f.apply()>"Apply"</button>
            <button class="btn" data-testid="expr-clear" disabled=move || applied().is_none() && f.draft.with(String::is_empty)
                on:click=move |_| {
                    f.draft.set(String::new());
                    f.refused.set(String::new());
                    f.param.set(None);
                }>"Clear"</button>
            <p class="sr-only" role="status" data-testid="expr-refused">{move || f.refused.get()}</p>
            <div id="expr-help" class="expr-help">
                {move || match f.error.get() {
                    Some(e) => view! {
                        <p class="expr-error" data-testid="expr-error">
                            {f.draft.with(|d| marked(d, &e))}
                            <span data-testid="expr-message">{format!(" {} (at {})", e.message, e.start + 1)}</span>
                            {move || match (applied(), f.outcome.with(Option::is_some)) {
                                (Some(a), true) => Some(format!(" · still applied: {a}")),
                                (Some(_), false) => Some(" · not applied: every row is shown".to_string()),
                                (None, _) => None,
                            }.map(|t| view! { <span class="muted" data-testid="expr-applied">{t}</span> })}
                        </p>
                    }.into_any(),
                    None => view! {
                        <p class="muted" data-testid="expr-summary">
                            {move || summary().unwrap_or_else(|| "Enter applies it to the table and the charts.".into())}
                            {move || pending().then_some(" · Enter applies the change.")}
                        </p>
                    }.into_any(),
                }}
                <details class="expr-names">
                    <summary>"Columns and functions"</summary>
                    <p class="muted">{names}</p>
                    <p class="muted">{crate::table::expr::FUNCTIONS.join(", ")}</p>
                </details>
            </div>
        </div>
    }
}
