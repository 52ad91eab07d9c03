//! Statistics in the pure core: summaries of finite values and information-criterion model
//! comparison. Host-tested against hand-computed values.
//! For the scatter explorer: LOWESS smoothing (`lowess`, as statsmodels) and least-squares
//! lines with p-values (`regress`, as scipy's linregress, on the incomplete beta function in
//! `special`), tested against fixtures from tests/python/gen_stats_fixtures.py; group summaries
//! with numpy's quantiles and a running average (`summary`), trends over binned x (`bins`),
//! histograms, a kernel density and a smoothed 2-D density (`hist`).

pub mod basic;
pub mod bins;
pub mod compare;
pub mod hist;
pub mod lowess;
pub mod regress;
pub mod special;
pub mod summary;

pub use basic::{mean, std};
