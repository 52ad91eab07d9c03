//! Form controls bound to URL parameters: a `<select>` of columns (optionally in two groups), a
//! switch, and a number field. The URL is the state; the controls only read and write it.

use leptos::prelude::*;

use wasm_bindgen::JsCast;

use crate::hooks::url_param::UrlParam;

/// Whether a switch parameter is on (`1` or `true`).
pub fn flag(p: UrlParam) -> bool {
    matches!(p.get().as_deref(), Some("1" | "true"))
}

type Options = Memo<Vec<(String, String)>>;

fn options(list: Options, value: Memo<String>) -> impl IntoView {
    move || {
        list.get()
            .into_iter()
            .map(|(k, l)| {
                let selected = value.get_untracked() == k;
                view! { <option value=k selected=selected>{l}</option> }
            })
            .collect_view()
    }
}

/// A `<select>` of columns bound to a URL parameter.
#[component]
pub fn ColumnSelect(
    label: &'static str,
    id: &'static str,
    options: Options,
    value: Memo<String>,
    param: UrlParam,
    /// The first option, "none" (a colour is optional).
    #[prop(optional)]
    none: Option<&'static str>,
    /// A second group of options, with its title (the first group then gets `first` as its).
    #[prop(optional)]
    more: Option<(&'static str, &'static str, Options)>,
    /// A parameter that a change of this one makes stale (the hidden groups of a colour).
    #[prop(optional)]
    clears: Option<UrlParam>,
) -> impl IntoView {
    let first = options;
    let list = move || match more {
        Some((first_title, more_title, more)) => view! {
            <optgroup label=first_title>{self::options(first, value)}</optgroup>
            <optgroup label=more_title>{self::options(more, value)}</optgroup>
        }
        .into_any(),
        None => self::options(first, value).into_any(),
    };
    view! {
        <label class="field" for=id>
            <span>{label}</span>
            <select
                id=id
                data-testid=id
                prop:value=move || value.get()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(c) = clears {
                        c.set(None);
                    }
                    param.set((!v.is_empty()).then_some(v));
                }
            >
                {none.map(|n| view! { <option value="">{n}</option> })}
                {list}
            </select>
        </label>
    }
}

/// A checkbox that sets a URL parameter to `1` or removes it.
#[component]
pub fn Switch(label: &'static str, id: &'static str, param: UrlParam) -> impl IntoView {
    view! {
        <label class="switch">
            <input
                type="checkbox"
                data-testid=id
                prop:checked=move || flag(param)
                on:change=move |ev| param.set(event_target_checked(&ev).then(|| "1".to_string()))
            />
            {label}
        </label>
    }
}

/// A number input; `on_set` gets what was typed when it is committed (change, not every key)
/// and says whether it took it. What it does not take (out of range, not a number) does not
/// stay in the field: the field shows the value in force again.
#[component]
pub fn NumberField(
    label: &'static str,
    id: &'static str,
    value: Signal<String>,
    min: f64,
    max: f64,
    step: f64,
    on_set: Callback<String, bool>,
) -> impl IntoView {
    view! {
        <label class="field narrow" for=id>
            <span>{label}</span>
            <input
                id=id
                data-testid=id
                type="number"
                min=min
                max=max
                step=step
                prop:value=move || value.get()
                on:change=move |ev| {
                    // Refused: the value in force is shown again rather than the text that did
                    // nothing (an accepted one shows once the URL has it).
                    if !on_set.run(event_target_value(&ev)) {
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.set_value(&value.get_untracked());
                        }
                    }
                }
            />
        </label>
    }
}
