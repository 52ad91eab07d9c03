//! The explorer's URL parameters: every choice a permalink restores.

use crate::explore::choice::{flag_problem, mode_problem};
use crate::explore::layers::LayerParams;
use crate::explore::Params;
use crate::hooks::url_param::{url_param, UrlParam};

use crate::components::fields::flag;

#[derive(Clone, Copy)]
pub struct ExUrl {
    pub x: UrlParam,
    pub y: UrlParam,
    pub log_x: UrlParam,
    pub log_y: UrlParam,
    pub color: UrlParam,
    /// Groups of the colour column hidden by the legend.
    pub hide: UrlParam,
    pub palette: UrlParam,
    pub reversed: UrlParam,
    pub shape: UrlParam,
    pub size: UrlParam,
    pub size_px: UrlParam,
    pub gamma: UrlParam,
    pub trend: UrlParam,
    pub bins: UrlParam,
    pub of: UrlParam,
    /// A drag draws a lasso (else a box).
    pub lasso: UrlParam,
    pub marg: UrlParam,
    pub mbins: UrlParam,
    pub mnorm: UrlParam,
    pub mkde: UrlParam,
    pub density: UrlParam,
    pub dopacity: UrlParam,
    pub dsmooth: UrlParam,
    pub hidedots: UrlParam,
    /// `pair`: the pair plot instead of the scatter.
    pub mode: UrlParam,
}

impl ExUrl {
    pub fn new() -> ExUrl {
        let p = |k| url_param(k, false);
        ExUrl {
            x: p("ex_x"),
            y: p("ex_y"),
            log_x: p("ex_logx"),
            log_y: p("ex_logy"),
            color: p("ex_color"),
            hide: p("ex_hide"),
            palette: p("ex_palette"),
            reversed: p("ex_rev"),
            shape: p("ex_shape"),
            size: p("ex_size"),
            size_px: p("ex_size_px"),
            gamma: p("ex_gamma"),
            trend: p("ex_trend"),
            bins: p("ex_bins"),
            of: p("ex_of"),
            lasso: p("ex_lasso"),
            marg: p("ex_marg"),
            mbins: p("ex_mbins"),
            mnorm: p("ex_mnorm"),
            mkde: p("ex_mkde"),
            density: p("ex_density"),
            dopacity: p("ex_dopacity"),
            dsmooth: p("ex_dsmooth"),
            hidedots: p("ex_hidedots"),
            mode: p("ex_mode"),
        }
    }

    /// The chart's parameters (tracked).
    pub fn params(&self) -> Params {
        Params {
            x: self.x.get(),
            y: self.y.get(),
            color: self.color.get(),
            shape: self.shape.get(),
            size: self.size.get(),
            palette: self.palette.get(),
            size_px: self.size_px.get(),
            gamma: self.gamma.get(),
            log_x: flag(self.log_x),
            log_y: flag(self.log_y),
            reversed: flag(self.reversed),
        }
    }

    /// A sentence for each switch or mode whose value cannot be used (tracked).
    pub fn problems(&self) -> Vec<String> {
        let switches = [
            ("ex_logx", self.log_x),
            ("ex_logy", self.log_y),
            ("ex_rev", self.reversed),
            ("ex_lasso", self.lasso),
            ("ex_mnorm", self.mnorm),
            ("ex_mkde", self.mkde),
            ("ex_density", self.density),
            ("ex_hidedots", self.hidedots),
        ];
        switches
            .into_iter()
            .filter_map(|(name, p)| flag_problem(name, p.get().as_deref()))
            .chain(mode_problem(self.mode.get().as_deref()))
            .collect()
    }

    /// The layers' parameters (tracked).
    pub fn layer_params(&self) -> LayerParams {
        LayerParams {
            marginals: self.marg.get(),
            bins: self.mbins.get(),
            opacity: self.dopacity.get(),
            smoothing: self.dsmooth.get(),
            normalised: flag(self.mnorm),
            curve: flag(self.mkde),
            density: flag(self.density),
            hide_points: flag(self.hidedots),
        }
    }
}
