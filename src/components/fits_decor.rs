//! How fits show beyond their columns: the table's figure, notes and failed marks (`decor`),
//! and their fitted parameters as explorer axes (`param_axes`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::explorer::ExtraAxes;
use crate::components::figure::Thumb;
use crate::context::SiteBase;
use crate::datasets::foraging::rows::FitRow;
use crate::datasets::foraging::session::{session_path, SessionId};
use crate::net::s3::figure_url;
use crate::table::model::Rows;
use crate::table::view::Decor;

/// How a fit shows in the table: its figure first, its notes last, failed ones marked. Rows
/// are named by position in `rows`.
pub fn decor(
    rows: Memo<Rows<FitRow>>,
    s3_base: Option<String>,
    on_open_figure: Callback<String>,
    base: SiteBase,
    picked: Memo<Vec<usize>>,
) -> Decor {
    let row = move |i: usize| rows.with_untracked(|r| r.get(i).cloned());
    Decor {
        lead: Some((
            "Figure",
            "fig-col",
            Arc::new(move |i| {
                let Some(row) = row(i) else {
                    return ().into_any();
                };
                let url = figure_url(&row.s3_location, s3_base.as_deref())
                    .map_err(|e| format!("No figure: {e}"));
                let alt = format!("{} fitted to {}", row.agent_alias, row.nwb_name);
                let key = row.key.clone();
                let open = Callback::new(move |_| on_open_figure.run(key.clone()));
                view! { <Thumb url alt on_open=open /> }.into_any()
            }),
        )),
        trail: Some((
            "Notes",
            "notes-col",
            Arc::new(move |i| {
                let warnings = row(i).map(|r| r.warnings.clone()).unwrap_or_default();
                let n = warnings.len();
                (n > 0)
                    .then(|| {
                        let title = warnings.join("\n");
                        view! {
                            <span class="warn-note" title=title data-testid="row-warning">
                                {format!("⚠ {n}")}
                            </span>
                        }
                    })
                    .into_any()
            }),
        )),
        badge: Some(Arc::new(move |i, col: &str| {
            let row = row(i).filter(|r| col == "agent_alias" && !r.is_success())?;
            let status = row.status.clone().unwrap_or_else(|| "no status".into());
            Some(view! { <span class="badge failed">{status}</span> }.into_any())
        })),
        picked: Some(Arc::new(move |i| {
            picked.with(|p| p.binary_search(&i).is_ok())
        })),
        row_class: Some(Arc::new(move |i| {
            row(i).filter(|r| !r.is_success()).map(|_| "failed")
        })),
        // A session date opens that session's page.
        link: Some(Arc::new(move |i, col| {
            let r = row(i).filter(|_| col == "session_date")?;
            let id = SessionId {
                date: r.session_date.clone()?,
                nwb: r.nwb_name.clone(),
            };
            Some(base.href(&session_path(r.subject_id.as_deref()?, &id)))
        })),
    }
}

/// The fitted parameters of the rows as explorer axes (`param.NAME`), numbers only.
pub fn param_axes(rows: Memo<Rows<FitRow>>) -> ExtraAxes {
    let axes = Memo::new(move |_| {
        let names = rows.with(|r| {
            crate::sort::sorted_unique(
                r.iter()
                    .flat_map(|r| r.params.iter().flatten())
                    .filter(|(_, v)| v.is_number())
                    .map(|(k, _)| k.clone())
                    .collect(),
            )
        });
        names
            .into_iter()
            .map(|n| (format!("param.{n}"), format!("{n} (fitted)")))
            .collect()
    });
    let value = Arc::new(move |i: usize, key: &str| {
        let name = key.strip_prefix("param.")?;
        rows.with_untracked(|r| r.get(i)?.params.as_ref()?.get(name)?.as_f64())
    });
    ExtraAxes { axes, value }
}
