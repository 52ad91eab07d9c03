//! The start page: a subject box and the last subjects visited.

use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::context::use_site_base;
use crate::mongo::params::path_segment;
use crate::prefs::recent_subjects;

#[component]
pub fn Home() -> impl IntoView {
    let navigate = use_navigate();
    let input = NodeRef::<Input>::new();
    let hint = RwSignal::new(false);
    let base = use_site_base();
    let recent = recent_subjects();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = input.get().map(|i| i.value()).unwrap_or_default();
        let id = value.trim();
        if id.is_empty() {
            hint.set(true);
            return;
        }
        navigate(
            &format!("/subject/{}", path_segment(id)),
            Default::default(),
        );
    };
    view! {
        <section class="hero">
            <h1>"Model fits of dynamic foraging sessions"</h1>
            <p class="lead">
                "Reinforcement-learning models fitted to mouse foraging sessions, from both AIND "
                "pipelines, with each fit's figure."
            </p>
            <form class="subject-form" on:submit=on_submit>
                <label for="subject-input">"Subject ID"</label>
                <div class="input-row">
                    <input
                        id="subject-input"
                        node_ref=input
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        placeholder="e.g. 730945"
                        on:input=move |_| hint.set(false)
                    />
                    <button class="btn primary" type="submit">"Show fits"</button>
                </div>
                <Show when=move || hint.get()>
                    <p class="field-hint" role="alert">"Type a subject ID first."</p>
                </Show>
            </form>
            <p class="home-search">
                <a href=base.href("/search") data-testid="home-search">
                    "Search across subjects, dates and models →"
                </a>
            </p>
            <Show when={
                let empty = recent.is_empty();
                move || !empty
            }>
                <div class="recent">
                    <h2>"Recently viewed"</h2>
                    <ul class="chips" data-testid="recent">
                        {recent
                            .iter()
                            .map(|id| {
                                let href = base.href(&format!("/subject/{}", path_segment(id)));
                                view! {
                                    <li>
                                        <a class="chip" href=href>{id.clone()}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            </Show>
        </section>
    }
}
