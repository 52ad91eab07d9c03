//! The explorer's marginal histograms (stacked or overlaid, bins, fractions, density curve)
//! and 2-D density (opacity, smoothing, dots hidden).

use leptos::prelude::*;

use crate::components::fields::{NumberField, Switch};
use crate::explore::layers::{LayerChoice, Marg, BINS, OPACITY, SMOOTHING};

use super::url::ExUrl;

#[component]
pub fn LayerControls(u: ExUrl, choice: Signal<LayerChoice>) -> impl IntoView {
    let marg = move || choice.get().marginals.map_or("", Marg::key);
    let number = |p: crate::hooks::url_param::UrlParam, r: (f64, f64, f64)| {
        Callback::new(move |s: String| {
            let ok = s
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| (r.0..=r.2).contains(&v));
            if ok {
                p.set(Some(s.trim().to_string()))
            }
            ok
        })
    };
    view! {
        <label class="field" for="ex-marg">
            <span>"Histograms"</span>
            <select id="ex-marg" data-testid="ex-marg" prop:value=marg
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    u.marg.set((!v.is_empty()).then_some(v));
                }>
                <option value="" selected=move || marg().is_empty()>"None"</option>
                <option value="stacked" selected=move || marg() == "stacked">"Stacked per group"</option>
                <option value="overlaid" selected=move || marg() == "overlaid">"Overlaid per group"</option>
            </select>
        </label>
        <Show when=move || choice.get().marginals.is_some()>
            <NumberField label="Bins" id="ex-mbins" min=BINS.0 as f64 max=BINS.2 as f64 step=1.0
                value=Memo::new(move |_| choice.with(|c| c.bins).to_string()).into()
                on_set=Callback::new(move |s: String| {
                    let ok = s.trim().parse::<usize>().is_ok_and(|n| (BINS.0..=BINS.2).contains(&n));
                    if ok {
                        u.mbins.set(Some(s.trim().to_string()))
                    }
                    ok
                }) />
            <Switch label=" fractions" id="ex-mnorm" param=u.mnorm />
            <Switch label=" density curve" id="ex-mkde" param=u.mkde />
        </Show>
        <Switch label=" 2-D density" id="ex-density" param=u.density />
        <Show when=move || choice.get().density>
            <NumberField label="Opacity" id="ex-dopacity" min=OPACITY.0 max=OPACITY.2 step=0.05
                value=Memo::new(move |_| choice.with(|c| c.opacity).to_string()).into()
                on_set=number(u.dopacity, OPACITY) />
            <NumberField label="Smoothing (cells)" id="ex-dsmooth" min=SMOOTHING.0 max=SMOOTHING.2 step=0.5
                value=Memo::new(move |_| choice.with(|c| c.smoothing).to_string()).into()
                on_set=number(u.dsmooth, SMOOTHING) />
        </Show>
        <Switch label=" hide dots" id="ex-hidedots" param=u.hidedots />
    }
}
