//! View pieces the pages share: the fits view and its parts (details, share tools, load status,
//! data notes), charts, the explorer and its pair plot, figures, progress, errors, embeds.
pub mod await_fits;
pub mod canvas;
pub mod chart;
pub mod chart_downloads;
pub mod chart_parts;
pub mod chart_select;
pub mod data_notes;
pub mod embed;
pub mod error;
pub mod explorer;
pub mod expr_filter;
pub mod fields;
pub mod figure;
pub mod fit_details;
pub mod fits_decor;
pub mod fits_view;
pub mod latents_panel;
pub mod load_status;
pub mod model_legend;
pub mod pair_plot;
pub mod picked;
pub mod progress;
pub mod share;
pub mod simple_table;
pub mod subject_charts;
pub mod zoom_bar;
