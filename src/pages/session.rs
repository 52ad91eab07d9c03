//! `/subject/:id/session/:date` (`?nwb=` when a day has several sessions): every model of one
//! session side by side: the full-size figures, the metrics ranked by AIC with ΔAIC, ΔBIC and
//! Akaike weights, the fitted parameters (models as columns), the failed fits, and the
//! neighbouring sessions (links and the arrow keys). The subject's fits come from the same load
//! (and cache) as the subject page.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::charts::fmt_num;
use crate::components::await_fits::AwaitFits;
use crate::components::embed::EmbedBackLink;
use crate::components::figure::FigureViewer;
use crate::components::latents_panel::LatentsPanel;
use crate::components::simple_table::{Col, Row, SimpleTable};
use crate::context::{use_config, use_embed, use_site_base};
use crate::datasets::foraging::query::FitQuery;
use crate::datasets::foraging::rows::FitRow;
use crate::datasets::foraging::session::{
    lookup, parameter_names, session_path, SessionFits, SessionId, SessionLookup,
};
use crate::hooks::fit_load::{use_fit_load, FitLoad};
use crate::hooks::url_param::url_param;
use crate::mongo::params::path_segment;
use crate::net::s3::figure_url;
use crate::table::EMPTY;

#[component]
pub fn SessionPage() -> impl IntoView {
    let embed = use_embed();
    let params = use_params_map();
    let subject = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let date = Memo::new(move |_| params.read().get("date").unwrap_or_default());
    let nwb = url_param("nwb", false);
    let load = use_fit_load(Signal::derive(move || {
        Some(FitQuery::for_subject(&subject.get()))
    }));
    let base = use_site_base();
    let subject_href = {
        let base = base.clone();
        move || base.href(&format!("/subject/{}", path_segment(&subject.get())))
    };
    view! {
        {(!embed).then(|| view! {
            <nav class="crumbs" aria-label="Breadcrumbs">
                <a href=base.href("/")>"Home"</a>
                <span aria-hidden="true">" / "</span>
                <a href=subject_href.clone()>{move || format!("Subject {}", subject.get())}</a>
                <span aria-hidden="true">" / "</span>
                <span>{move || format!("Session {}", date.get())}</span>
            </nav>
        })}
        <AwaitFits load what=Signal::derive(move || format!("fits for subject {}", subject.get()))>
            {move || view! {
                <SessionResults
                    load
                    subject=subject.get_untracked()
                    date=date.into()
                    nwb=nwb.memo().into()
                />
            }}
        </AwaitFits>
    }
}

#[component]
fn SessionResults(
    load: FitLoad,
    subject: String,
    date: Signal<String>,
    nwb: Signal<Option<String>>,
) -> impl IntoView {
    // Snapshots arrive while loading and refreshing: rebuild the page only when what it shows
    // changed (an open figure stays open).
    let found = Memo::new_with_compare(
        move |_| lookup(&load.table(), &date.get(), nwb.get().as_deref()),
        |a, b| !matches!((a, b), (Some(a), Some(b)) if a.same_as(b)),
    );
    let subject = StoredValue::new(subject);
    move || match found.get() {
        SessionLookup::Found(s) => {
            view! { <SessionView subject=subject.get_value() s=*s /> }.into_any()
        }
        SessionLookup::Ambiguous(ids) => {
            let base = use_site_base();
            view! {
                <section class="empty-state" data-testid="ambiguous">
                    <h1>{format!("{} sessions on {}", ids.len(), date.get_untracked())}</h1>
                    <p>"This day has several sessions. Which one?"</p>
                    <ul class="chips">
                        {ids.into_iter().map(|id| {
                            let href = base.href(&session_path(&subject.get_value(), &id));
                            view! { <li><a class="chip" href=href>{id.nwb}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
        SessionLookup::NotFound => {
            let href =
                use_site_base().href(&format!("/subject/{}", path_segment(&subject.get_value())));
            view! {
                <section class="empty-state" data-testid="empty">
                    <h1>"No such session"</h1>
                    <p>{format!(
                        "Subject {} has no fits of a session on {}{}.",
                        subject.get_value(),
                        date.get_untracked(),
                        nwb.get_untracked().map(|n| format!(" in {n}")).unwrap_or_default()
                    )}</p>
                    <a class="btn" href=href>"All sessions of this subject"</a>
                </section>
            }
            .into_any()
        }
    }
}

/// A neighbour link and its arrow key.
fn neighbour(
    subject: &str,
    id: Option<&SessionId>,
    label: &'static str,
    rel: &'static str,
) -> impl IntoView {
    let base = use_site_base();
    match id {
        Some(id) => view! {
            <a class="btn" rel=rel data-testid=rel href=base.href(&session_path(subject, id))>
                {format!("{label} {}", id.date)}
            </a>
        }
        .into_any(),
        None => view! { <span class="btn disabled" aria-disabled="true">{label}</span> }.into_any(),
    }
}

#[component]
fn SessionView(subject: String, s: SessionFits) -> impl IntoView {
    let embed = use_embed();
    let s3_base = use_config().s3_base;
    let navigate = use_navigate();
    let base = use_site_base();
    let fig = RwSignal::new(None::<(String, String)>);
    // Arrow keys walk the subject's sessions (not while typing, choosing or viewing a figure).
    let viewer_open = StoredValue::new(false);
    Effect::new(move |_| viewer_open.set_value(fig.with(Option::is_some)));
    {
        let (prev, next) = (s.previous.clone(), s.next.clone());
        let subject = subject.clone();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            let typing = document()
                .active_element()
                .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
            // A chart that used the key (stepping through trials) has said so.
            if typing
                || ev.default_prevented()
                || viewer_open.get_value()
                || ev.alt_key()
                || ev.ctrl_key()
                || ev.meta_key()
            {
                return;
            }
            let to = match ev.key().as_str() {
                "ArrowLeft" => prev.as_ref(),
                "ArrowRight" => next.as_ref(),
                _ => None,
            };
            if let Some(id) = to {
                navigate(&session_path(&subject, id), Default::default());
            }
        });
        on_cleanup(move || handle.remove());
    }
    let ranked = s.fits.clone();
    let names = parameter_names(&ranked);
    let subject_href = base.href(&format!("/subject/{}", path_segment(&subject)));
    let std_aic = s.aic.clone();
    let std_bic = s.bic.clone();
    // A model fitted twice to the session (a re-run) has two rows: each shows its own Δ, and
    // only the fit whose value the comparison kept (the model's lowest) shows the weight and
    // can be the best.
    let session_min = |pick: fn(&FitRow) -> Option<f64>| {
        ranked
            .iter()
            .filter_map(|r| pick(r))
            .fold(f64::INFINITY, f64::min)
    };
    let (min_aic, min_bic) = (session_min(|r| r.aic), session_min(|r| r.bic));
    let kept = std::cell::RefCell::new((Vec::<String>::new(), Vec::<String>::new()));
    let metric = move |r: &FitRow| {
        let mut kept = kept.borrow_mut();
        let standing = |c: &Option<crate::stats::compare::SessionComparison>,
                        value: Option<f64>,
                        min: f64,
                        seen: &mut Vec<String>| {
            let st = c.as_ref().and_then(|c| c.get(&r.agent_alias))?;
            let delta = value? - min;
            let first = delta == st.delta && !seen.contains(&r.agent_alias);
            if first {
                seen.push(r.agent_alias.clone());
            }
            Some((delta, first.then_some(st.weight), first && st.best))
        };
        let (ka, kb) = &mut *kept;
        let a = standing(&std_aic, r.aic, min_aic, ka);
        let b = standing(&std_bic, r.bic, min_bic, kb);
        (a, b)
    };
    let n = |x: Option<f64>| x.map_or(EMPTY.to_string(), fmt_num);
    let metric_cols = vec![
        Col::num("Rank", "rank"),
        Col::text("Model", "agent_alias"),
        Col::num("AIC", "aic"),
        Col::num("ΔAIC", "d_aic"),
        Col::num("Akaike weight", "w_aic"),
        Col::num("BIC", "bic"),
        Col::num("ΔBIC", "d_bic"),
        Col::num("BIC weight", "w_bic"),
        Col::num("Log-likelihood", "ll"),
        Col::num("Pred. accuracy", "acc"),
        Col::num("CV test", "cv"),
        Col::num("Trials", "trials"),
    ];
    let metric_rows: Vec<Row> = ranked
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (a, b) = metric(r);
            let best = a.is_some_and(|a| a.2);
            Row {
                cells: vec![
                    (i + 1).to_string(),
                    r.agent_alias.clone(),
                    n(r.aic),
                    n(a.map(|a| a.0)),
                    n(a.and_then(|a| a.1)),
                    n(r.bic),
                    n(b.map(|b| b.0)),
                    n(b.and_then(|b| b.1)),
                    n(r.log_likelihood),
                    n(r.prediction_accuracy),
                    n(r.cv_test_mean),
                    r.n_trials.map_or(EMPTY.to_string(), |t| t.to_string()),
                ],
                marked: best,
                badge: best.then_some((1, "best")),
            }
        })
        .collect();
    let param_cols: Vec<Col> = std::iter::once(Col::text("Parameter", "param"))
        .chain(
            ranked
                .iter()
                .map(|r| Col::num(r.agent_alias.clone(), "value")),
        )
        .collect();
    let param_rows: Vec<Row> = names
        .into_iter()
        .map(|p| {
            let values = ranked.iter().map(|r| {
                n(r.params
                    .as_ref()
                    .and_then(|m| m.get(&p))
                    .and_then(|v| v.as_f64()))
            });
            Row::from(std::iter::once(p.clone()).chain(values).collect::<Vec<_>>())
        })
        .collect();
    view! {
        <header class="subject-head">
            <div>
                <h1>"Session " <span data-testid="session-date">{s.id.date.clone()}</span></h1>
                <p class="counts">
                    <span>"Subject " <a href=subject_href>{subject.clone()}</a></span>
                    <span data-testid="session-nwb">{s.id.nwb.clone()}</span>
                    <span><b data-testid="count-fits">{s.fits.len()}</b>" fits"</span>
                    <span><b data-testid="count-failed">{s.failed.len()}</b>" failed"</span>
                </p>
            </div>
            {embed.then(|| view! { <EmbedBackLink /> })}
        </header>
        <nav class="session-nav" aria-label="Neighbouring sessions">
            {neighbour(&subject, s.previous.as_ref(), "← Previous", "prev")}
            <span class="muted">"← → keys walk the sessions"</span>
            {neighbour(&subject, s.next.as_ref(), "Next →", "next")}
        </nav>
        <section class="card" aria-labelledby="metrics-h">
            <h2 id="metrics-h">"Models ranked by AIC"</h2>
            <SimpleTable caption="Models ranked by AIC" columns=metric_cols rows=metric_rows testid="session-metrics" />
        </section>
        <section class="card" aria-labelledby="params-h">
            <h2 id="params-h">"Fitted parameters"</h2>
            <SimpleTable caption="Fitted parameters" columns=param_cols rows=param_rows row_headers=true testid="session-params" />
        </section>
        <LatentsPanel
            fits=ranked.clone()
            models=s.models.clone()
            subject=subject.clone()
            session_date=s.id.date.clone()
            nwb_name=s.id.nwb.clone()
        />
        <section class="card" aria-labelledby="figs-h">
            <h2 id="figs-h">"Figures"</h2>
            <div class="figure-grid" data-testid="session-figures">
                {ranked.iter().map(|r| {
                    let url = figure_url(&r.s3_location, s3_base.as_deref());
                    let caption = format!("{} · {}", r.agent_alias, r.nwb_name);
                    let failed = RwSignal::new(false);
                    match url {
                        Ok(src) => {
                            let (open_src, open_caption) = (src.clone(), caption.clone());
                            view! {
                                <figure class="session-figure">
                                    <Show when=move || !failed.get() fallback=|| view! { <p class="chart-empty">"This figure is not available."</p> }>
                                        <button class="figure-open" title="Open full size" on:click={
                                            let (s, c) = (open_src.clone(), open_caption.clone());
                                            move |_| fig.set(Some((s.clone(), c.clone())))
                                        }>
                                            <img src=src.clone() alt=caption.clone() loading="lazy" on:error=move |_| failed.set(true) />
                                        </button>
                                    </Show>
                                    <figcaption>{r.agent_alias.clone()}</figcaption>
                                </figure>
                            }.into_any()
                        }
                        Err(e) => view! {
                            <figure class="session-figure">
                                <p class="chart-empty">{format!("No figure: {e}")}</p>
                                <figcaption>{r.agent_alias.clone()}</figcaption>
                            </figure>
                        }.into_any(),
                    }
                }).collect_view()}
            </div>
        </section>
        {(!s.failed.is_empty()).then(|| {
            let failed: Vec<Arc<FitRow>> = s.failed.clone();
            view! {
                <details class="card" data-testid="session-failed">
                    <summary>{format!("{} failed fit{}", failed.len(), if failed.len() == 1 { "" } else { "s" })}</summary>
                    <ul>
                        {failed.into_iter().map(|r| view! {
                            <li>
                                <b>{r.agent_alias.clone()}</b>
                                {format!(": {}", r.status.clone().unwrap_or_else(|| "no status".into()))}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            }
        })}
        {(!s.superseded.is_empty()).then(|| {
            let older: Vec<Arc<FitRow>> = s.superseded.clone();
            view! {
                <details class="card" data-testid="session-superseded">
                    <summary>{format!(
                        "{} superseded fit{} (older analyses replaced by a newer one)",
                        older.len(),
                        if older.len() == 1 { "" } else { "s" }
                    )}</summary>
                    <ul>
                        {older.into_iter().map(|r| view! {
                            <li>
                                <b>{r.agent_alias.clone()}</b>
                                {format!(
                                    ": analysed {} by {}, status {}, AIC {}",
                                    r.analysis_time.clone().unwrap_or_else(|| "at an unknown time".into()),
                                    r.pipeline_source.source_label(),
                                    r.status.clone().unwrap_or_else(|| "unknown".into()),
                                    n(r.aic),
                                )}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            }
        })}
        {move || fig.get().map(|(url, caption)| view! {
            <FigureViewer url caption on_close=Callback::new(move |_| fig.set(None)) />
        })}
    }
}
