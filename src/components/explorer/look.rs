//! How the explorer's scales look: the colour palette and its direction (with a colour scale),
//! the radius range and the gamma (with a size column).

use leptos::prelude::*;

use crate::charts::encode::Palette;
use crate::components::fields::{NumberField, Switch};
use crate::explore::choice::{parse_gamma, size_px_key, Look};

use super::url::ExUrl;

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[component]
pub fn LookControls(
    u: ExUrl,
    /// Whether the colour is a scale (palette and direction apply).
    scale: Signal<bool>,
    /// Whether a size column is chosen (radii and gamma apply).
    sized: Signal<bool>,
    look: Signal<Look>,
) -> impl IntoView {
    let palette = move || look.get().palette.key();
    // A radius range: the other end stays, and an end past the other moves it along.
    let set_px = move |min: Option<f64>, max: Option<f64>| {
        let (a, b) = look.get_untracked().size_px;
        let (mut a, mut b) = (min.unwrap_or(a), max.unwrap_or(b));
        if a > b {
            if min.is_some() {
                b = a
            } else {
                a = b
            }
        }
        u.size_px.set(Some(size_px_key((a, b))));
    };
    let num = |s: String| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| (0.5..=30.0).contains(v))
    };
    view! {
        <Show when=move || scale.get()>
            <label class="field" for="ex-palette">
                <span>"Palette"</span>
                <select id="ex-palette" data-testid="ex-palette" prop:value=palette
                    on:change=move |ev| u.palette.set(Some(event_target_value(&ev)))>
                    {Palette::ALL.into_iter().map(|p| view! {
                        <option value=p.key() selected=move || palette() == p.key()>{p.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <Switch label=" reversed" id="ex-rev" param=u.reversed />
        </Show>
        <Show when=move || sized.get()>
            <NumberField label="Smallest (px)" id="ex-size-min" min=0.5 max=30.0 step=0.5
                value=Memo::new(move |_| trim(look.with(|l| l.size_px.0))).into()
                on_set=Callback::new(move |s| num(s).map(|v| set_px(Some(v), None)).is_some()) />
            <NumberField label="Largest (px)" id="ex-size-max" min=0.5 max=30.0 step=0.5
                value=Memo::new(move |_| trim(look.with(|l| l.size_px.1))).into()
                on_set=Callback::new(move |s| num(s).map(|v| set_px(None, Some(v))).is_some()) />
            <NumberField label="Gamma" id="ex-gamma" min=0.1 max=10.0 step=0.1
                value=Memo::new(move |_| trim(look.with(|l| l.gamma))).into()
                on_set=Callback::new(move |s: String| parse_gamma(&s).map(|_| u.gamma.set(Some(s.trim().to_string()))).is_some()) />
        </Show>
    }
}
