//! The models of a chart as toggle buttons in their chart colours (a pressed button is shown);
//! the hidden ones are a URL parameter (`hide=a,b` on the subject page; see `list_param` for
//! names with commas).

use leptos::prelude::*;

use crate::charts::Theme;
use crate::context::use_color_scheme;
use crate::hooks::list_param::{join_list, split_list};
use crate::hooks::url_param::UrlParam;

/// The models hidden by a legend whose state is `hide`.
pub fn hidden_models(hide: UrlParam) -> Memo<Vec<String>> {
    Memo::new(move |_| hide.get().map(|h| split_list(&h)).unwrap_or_default())
}

fn toggle(list: &[String], model: &str) -> Option<String> {
    let mut out: Vec<String> = list.iter().filter(|m| *m != model).cloned().collect();
    if out.len() == list.len() {
        out.push(model.to_string());
    }
    (!out.is_empty()).then(|| join_list(&out))
}

/// `models`: each model's name and palette index.
#[component]
pub fn ModelLegend(
    models: Signal<Vec<(String, usize)>>,
    hidden: Memo<Vec<String>>,
    hide: UrlParam,
    #[prop(default = "legend")] testid: &'static str,
    #[prop(default = "Models (click to hide or show)")] label: &'static str,
) -> impl IntoView {
    let scheme = use_color_scheme();
    view! {
        <div class="legend" role="group" aria-label=label data-testid=testid>
            {move || {
                let theme = scheme.chart_theme();
                models.get().into_iter().map(|(m, color)| {
                    let (name, attr) = (m.clone(), m.clone());
                    let off = {
                        let name = m.clone();
                        move || hidden.with(|h| h.contains(&name))
                    };
                    let off2 = off.clone();
                    view! {
                        <button
                            class="legend-item"
                            class:off=off.clone()
                            aria-pressed=move || if off2() { "false" } else { "true" }
                            data-model=attr
                            on:click=move |_| hide.set(toggle(&hidden.get_untracked(), &name))
                        >
                            <span class="swatch" style=format!("background:{}", Theme::css(theme.color(color)))></span>
                            {m}
                        </button>
                    }
                }).collect_view()
            }}
            <Show when=move || hidden.with(|h| !h.is_empty())>
                <button class="btn small" data-testid="legend-all" on:click=move |_| hide.set(None)>"Show all"</button>
            </Show>
        </div>
    }
}
