//! Everything about one fit, in a drawer beside the table: every column, the ids and S3
//! location, the fitted parameters, the cross-validation folds, and what was odd about it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::datasets::foraging::columns::all_cells;
use crate::datasets::foraging::rows::FitRow;
use crate::net::s3::figure_url;

/// Everything about one fit: the selected row's details.
#[component]
pub fn FitDetails(
    row: Arc<FitRow>,
    s3_base: Option<String>,
    on_close: Callback<()>,
    on_open_figure: Callback<String>,
) -> impl IntoView {
    let fig = figure_url(&row.s3_location, s3_base.as_deref()).ok();
    let key = row.key.clone();
    let fields: Vec<(&'static str, String)> = all_cells(&row)
        .into_iter()
        .chain([
            ("_id", row.id.clone()),
            ("S3_location", row.s3_location.clone()),
            (
                "CO_asset_id",
                row.co_asset_id.clone().unwrap_or_else(|| "—".into()),
            ),
        ])
        .collect();
    let params = row.params.clone().unwrap_or_default();
    let cv = [
        ("test", row.prediction_accuracy_test.clone()),
        ("fit", row.prediction_accuracy_fit.clone()),
        (
            "test, bias only",
            row.prediction_accuracy_test_bias_only.clone(),
        ),
    ];
    let warnings = row.warnings.clone();
    view! {
        <aside class="details" data-testid="details" aria-label="Selected fit">
            <div class="details-head">
                <h2>{format!("{} · {}", row.agent_alias, row.nwb_name)}</h2>
                {fig.map(|_| view! {
                    <button class="btn" on:click=move |_| on_open_figure.run(key.clone())>"Open figure"</button>
                })}
                <button class="btn" on:click=move |_| on_close.run(()) aria-label="Close details">"Close"</button>
            </div>
            <div class="details-grid">
                <dl>
                    {fields
                        .into_iter()
                        .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                        .collect_view()}
                </dl>
                <div>
                    <h3>"Fitted parameters"</h3>
                    {if params.is_empty() {
                        view! { <p class="muted">"None recorded."</p> }.into_any()
                    } else {
                        view! {
                            <table class="params">
                                <tbody>
                                    {params
                                        .iter()
                                        .map(|(k, v)| {
                                            let v = v.as_f64().map_or_else(|| v.to_string(), |x| format!("{x:.4}"));
                                            view! { <tr><th>{k.clone()}</th><td>{v}</td></tr> }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    <h3>"Cross-validation folds"</h3>
                    <dl>
                        {cv
                            .into_iter()
                            .map(|(k, v)| {
                                let text = v.map_or_else(
                                    || "—".to_string(),
                                    |xs| xs.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join(", "),
                                );
                                view! { <dt>{k}</dt><dd class="folds">{text}</dd> }
                            })
                            .collect_view()}
                    </dl>
                    {(!warnings.is_empty()).then(|| view! {
                        <h3>"Odd values"</h3>
                        <ul class="warnings">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                    })}
                </div>
            </div>
        </aside>
    }
}
