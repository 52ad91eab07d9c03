use leptos::prelude::*;

use crate::context::use_site_base;

#[component]
pub fn NotFound() -> impl IntoView {
    let home = use_site_base().href("/");
    view! {
        <section class="empty-state" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address."</p>
            <a class="btn primary" href=home>"Go to the start page"</a>
        </section>
    }
}
