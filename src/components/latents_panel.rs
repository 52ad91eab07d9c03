//! The session page's latent variables: each fit's result file read from S3 (at most 10 at a
//! time, with a progress bar), the q-values, choice probability, choices and rewards, and RPEs
//! drawn over trials with the models overlaid, a zoom and pan over trials (`trials=a-b` in the
//! URL), models hidden and shown (`lhide=`), and per fit what was read or what went wrong. When
//! the bucket refuses cross-origin reads, the page says so, links the files and shows the Python
//! that loads them.

use std::sync::Arc;

use leptos::prelude::*;

use crate::charts::trials::{Span, TrialChart, TrialSeries};
use crate::charts::{fmt_num, Chart};
use crate::components::chart::ChartCanvas;
use crate::components::model_legend::{hidden_models, ModelLegend};
use crate::context::use_config;
use crate::datasets::foraging::charts::Models;
use crate::datasets::foraging::latents_load::{load, FitLatents};
use crate::datasets::foraging::rows::FitRow;
use crate::datasets::foraging::snippet::latents_snippet;
use crate::hooks::url_param::url_param;
use crate::net::s3_read::forget_refusals;
use futures::future::{abortable, AbortHandle};
use gloo_timers::callback::Timeout;

/// One fit and what became of its latent variables (`None` while reading). Plain signals set
/// by tasks, not resources: reading a pending resource here would put the page's `Suspense`
/// back to its fallback until every file is in.
#[derive(Clone)]
struct Fit {
    row: Arc<FitRow>,
    latents: RwSignal<Option<FitLatents>>,
}

/// The chart of the fits read, in the order of `fits`. The animal's choices and rewards come
/// from the first fit that has them.
fn trial_chart(
    read: &[(Arc<FitRow>, FitLatents)],
    hidden: &[String],
    models: &Models,
    span: Option<&str>,
) -> Chart {
    let mut choices = Vec::new();
    let mut rewards = Vec::new();
    let mut series = Vec::new();
    for (row, l) in read {
        let FitLatents::Read { latents, .. } = l else {
            continue;
        };
        if choices.is_empty() && !latents.choices.is_empty() {
            choices = latents.choices.clone();
            rewards = latents.rewards.clone();
        }
        if hidden.contains(&row.agent_alias) {
            continue;
        }
        series.push(TrialSeries {
            label: row.agent_alias.clone(),
            color: models.color(&row.agent_alias),
            p_right: latents.choice_prob_right.clone(),
            q: latents.q_value.clone(),
            rpe: latents.rpe.clone(),
        });
    }
    let n = choices.len();
    let span = span
        .and_then(|s| Span::parse(s, n))
        .unwrap_or(Span::full(n));
    Chart::Trials(TrialChart {
        title: "Latent variables over trials".into(),
        choices,
        rewards,
        series,
        span,
    })
}

/// Whether reading a fit again could give something else.
fn may_pass(l: &Option<FitLatents>) -> bool {
    matches!(
        l,
        Some(
            FitLatents::Refused { .. }
                | FitLatents::Failed {
                    transient: true,
                    ..
                }
        )
    )
}

#[component]
pub fn LatentsPanel(
    /// The session's successful fits, ranked.
    fits: Vec<Arc<FitRow>>,
    models: Models,
    subject: String,
    session_date: String,
    nwb_name: String,
) -> impl IntoView {
    let s3_base = StoredValue::new(use_config().s3_base);
    let fits: Vec<Fit> = fits
        .into_iter()
        .map(|row| Fit {
            row,
            latents: RwSignal::new(None),
        })
        .collect();
    let total = fits.len();
    let fits = StoredValue::new(fits);
    // Reading runs in tasks that stop when the page moves on (their slots go to the next page).
    let tasks = StoredValue::new_local(Vec::<AbortHandle>::new());
    let start = move |f: &Fit| {
        f.latents.set(None);
        let (loc, base, latents) = (f.row.s3_location.clone(), s3_base.get_value(), f.latents);
        let (task, handle) = abortable(async move { load(&loc, base.as_deref()).await });
        tasks.update_value(|t| t.push(handle));
        leptos::task::spawn_local(async move {
            if let Ok(got) = task.await {
                let _ = latents.try_set(Some(got));
            }
        });
    };
    fits.with_value(|f| f.iter().for_each(start));
    on_cleanup(move || tasks.with_value(|t| t.iter().for_each(AbortHandle::abort)));
    let retry = move |_| {
        forget_refusals();
        fits.with_value(|f| {
            f.iter()
                .filter(|f| f.latents.with_untracked(may_pass))
                .for_each(start)
        });
    };
    let read = Memo::new(move |_| {
        fits.with_value(|f| {
            f.iter()
                .filter_map(|f| f.latents.get().map(|l| (f.row.clone(), l)))
                .collect::<Vec<_>>()
        })
    });
    let done = Memo::new(move |_| read.with(Vec::len));
    let hide = url_param("lhide", false);
    let hidden = hidden_models(hide);
    // The trial window: drawn at once, written to the URL when the zoom or drag pauses (a
    // history entry per wheel step would be far too many).
    let span_url = url_param("trials", true);
    let span = RwSignal::new(span_url.get_untracked());
    Effect::new(move |_| {
        let from_url = span_url.get();
        if from_url != span.get_untracked() {
            span.set(from_url);
        }
    });
    let write_later = StoredValue::new_local(None::<Timeout>);
    let models = StoredValue::new(models);
    let chart = Memo::new(move |_| {
        read.with(|r| {
            hidden.with(|h| models.with_value(|m| trial_chart(r, h, m, span.get().as_deref())))
        })
    });
    let on_span = Callback::new(move |s: Span| {
        let n = chart.with_untracked(|c| c.span().map_or(0, |c| c.1));
        let param = (!s.is_full(n)).then(|| s.to_param());
        span.set(param.clone());
        write_later.set_value(Some(Timeout::new(400, move || span_url.set(param))));
    });
    let legend: Signal<Vec<(String, usize)>> = Signal::derive(move || {
        read.with(|r| {
            r.iter()
                .filter(|(_, l)| matches!(l, FitLatents::Read { .. }))
                .map(|(row, _)| {
                    let m = row.agent_alias.clone();
                    let c = models.with_value(|ms| ms.color(&m));
                    (m, c)
                })
                .collect()
        })
    });
    let refused = Memo::new(move |_| {
        read.with(|r| {
            r.iter()
                .filter_map(|(row, l)| match l {
                    FitLatents::Refused { urls } => Some((row.agent_alias.clone(), urls.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let can_retry = Memo::new(move |_| {
        done.get() == total && fits.with_value(|f| f.iter().any(|f| f.latents.with(may_pass)))
    });
    let any_read = Memo::new(move |_| legend.with(|l| !l.is_empty()));
    let snippet = latents_snippet(&subject, &session_date, &nwb_name);
    let name = format!("latents_{}", nwb_name.trim_end_matches(".nwb"));
    let empty = move || {
        if done.get() < total {
            "Reading the result files…"
        } else if legend.with(|l| l.iter().all(|(m, _)| hidden.with(|h| h.contains(m)))) {
            "Every model is hidden: choose one above."
        } else {
            "The result files hold no trials to draw."
        }
    };

    view! {
        <section class="card" aria-labelledby="latents-h" data-testid="latents">
            <h2 id="latents-h">"Latent variables"</h2>
            <Show when=move || { done.get() < total }>
                <div class="loading-detail" role="status" aria-live="polite">
                    <progress
                        data-testid="latents-progress"
                        aria-label="Result files read"
                        max=total.to_string()
                        value=move || done.get().to_string()
                    ></progress>
                    <span>{move || format!(" Reading result files from S3: {} of {total} fits", done.get())}</span>
                </div>
            </Show>
            <Show when=move || refused.with(|r| !r.is_empty())>
                <div class="banner warn" role="alert" data-testid="latents-cors">
                    <p>
                        <b>"The browser may not read the result files from S3."</b>
                        " Their bucket does not allow reads from other websites (it sends no CORS headers), so the latent variables cannot be drawn here. The figures and metrics above do not need it."
                    </p>
                    <p>"Download a fit's result file (the first of its links that exists holds the latent variables):"</p>
                    <ul class="file-links">
                        <For each=move || refused.get() key=|(model, _)| model.clone() let((model, urls))>
                            <li>
                                <b>{model.clone()}</b>": "
                                {urls.into_iter().map(|u| {
                                    let file = u.rsplit('/').next().unwrap_or_default().to_string();
                                    let label = format!("{file} of {model} (opens in a new tab)");
                                    view! { <a href=u target="_blank" rel="noopener noreferrer" aria-label=label>{file}</a>" " }
                                }).collect_view()}
                            </li>
                        </For>
                    </ul>
                    <p>"Or load them in Python:"</p>
                    <pre class="latents-snippet" data-testid="latents-snippet" tabindex="0"><code>{snippet.clone()}</code></pre>
                    <p class="muted">"A deployment can set s3_base to a mirror or proxy of the buckets that sends CORS headers; then the latent variables are drawn here."</p>
                </div>
            </Show>
            <Show when=move || can_retry.get()>
                <p>
                    <button class="btn small" data-testid="latents-retry" on:click=retry>"Try again"</button>
                    <span class="muted">" Some result files could not be read this time."</span>
                </p>
            </Show>
            <Show when=move || any_read.get()>
                <ModelLegend models=legend hidden hide testid="latents-legend" />
            </Show>
            <Show when=move || { done.get() == total && !any_read.get() && refused.with(Vec::is_empty) }>
                <p class="chart-empty" data-testid="latents-none">
                    "No fit of this session has latent variables that could be read. The result files below say why."
                </p>
            </Show>
            <Show when=move || { done.get() < total || any_read.get() }>
                <ChartCanvas
                    chart=chart.into()
                    name=name.clone()
                    height=460.0
                    empty=Signal::derive(move || empty().to_string())
                    on_span
                    testid="chart-latents"
                />
            </Show>
            <details class="fit-sources" data-testid="latents-sources" open=move || done.get() == total && read.with(|r| r.iter().any(|(_, l)| !matches!(l, FitLatents::Read { .. })))>
                <summary>"Result files"</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Result files of the session's fits">
                <table class="data-table compact">
                    <caption class="sr-only">"Result files of the session's fits"</caption>
                    <thead><tr><th scope="col">"Model"</th><th scope="col">"Read"</th><th scope="col" class="num">"Q-value spread"</th></tr></thead>
                    <tbody>
                        {move || fits.with_value(|f| f.clone()).into_iter().map(|f| {
                            let model = f.row.agent_alias.clone();
                            let status = move || match f.latents.get() {
                                None => view! { <span class="muted">"reading…"</span> }.into_any(),
                                Some(l) => {
                                    let text = l.summary();
                                    match l {
                                        FitLatents::Read { url, .. } => view! { <a href=url>{text}</a> }.into_any(),
                                        FitLatents::Failed { .. } => view! { <span class="fail-text" data-testid="latents-problem">{text}</span> }.into_any(),
                                        _ => view! { <span class="muted">{text}</span> }.into_any(),
                                    }
                                }
                            };
                            let spread = move || match f.latents.get() {
                                Some(FitLatents::Read { latents, .. }) => latents.qvalue_spread.map_or("–".to_string(), fmt_num),
                                _ => "–".into(),
                            };
                            view! {
                                <tr data-model=model.clone()>
                                    <th scope="row">{model.clone()}</th>
                                    <td data-testid="latents-status">{status}</td>
                                    <td class="num" data-testid="latents-spread">{spread}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </details>
        </section>
    }
}
