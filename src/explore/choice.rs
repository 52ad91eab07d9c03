//! What the explorer shows, from its URL parameters: the axes and their log switches, the
//! colour (groups of a text column, or a scale over a numeric one), the shape (groups) and the
//! size (a numeric column, with a radius range and a gamma). Unknown values fall back to the
//! defaults, and say so.

use crate::charts::encode::Palette;

use super::Axis;

/// The explorer's URL parameters, as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params {
    pub x: Option<String>,
    pub y: Option<String>,
    pub color: Option<String>,
    pub shape: Option<String>,
    pub size: Option<String>,
    pub palette: Option<String>,
    pub size_px: Option<String>,
    pub gamma: Option<String>,
    pub log_x: bool,
    pub log_y: bool,
    pub reversed: bool,
}

/// How scales look: the colour palette (and whether reversed), the radius range in CSS pixels
/// and the gamma of sizes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub palette: Palette,
    pub reversed: bool,
    pub size_px: (f64, f64),
    pub gamma: f64,
}

pub const SIZE_PX: (f64, f64) = (2.0, 10.0);
/// The radii a size range may use (CSS pixels).
const RADIUS: (f64, f64) = (0.5, 30.0);
const GAMMA: (f64, f64) = (0.1, 10.0);

impl Default for Look {
    fn default() -> Look {
        Look {
            palette: Palette::default(),
            reversed: false,
            size_px: SIZE_PX,
            gamma: 1.0,
        }
    }
}

/// A radius range as the URL writes it: `2-10`.
pub fn size_px_key(r: (f64, f64)) -> String {
    format!("{}-{}", r.0, r.1)
}

/// `min-max` radii within the allowed range, min at most max.
pub fn parse_size_px(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once('-')?;
    let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    let ok = |v: f64| (RADIUS.0..=RADIUS.1).contains(&v);
    (ok(a) && ok(b) && a <= b).then_some((a, b))
}

pub fn parse_gamma(s: &str) -> Option<f64> {
    let g: f64 = s.trim().parse().ok()?;
    (GAMMA.0..=GAMMA.1).contains(&g).then_some(g)
}

/// The sentence for a switch parameter whose value is neither on (`1`, `true`) nor off (`0`,
/// `false`): it is then off.
pub fn flag_problem(name: &str, value: Option<&str>) -> Option<String> {
    match value {
        None | Some("1" | "true" | "0" | "false") => None,
        Some(v) => Some(format!("{name}: \"{v}\" is not 1 or 0; off.")),
    }
}

/// The sentence for an `ex_mode` other than `pair` (the pair plot) or `scatter`.
pub fn mode_problem(value: Option<&str>) -> Option<String> {
    match value {
        None | Some("pair" | "scatter") => None,
        Some(v) => Some(format!(
            "ex_mode: \"{v}\" is not a view (pair or scatter); the scatter shown."
        )),
    }
}

/// What the explorer shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub x: String,
    pub y: String,
    /// A grouping column (categorical colours) or an axis column (a colour scale).
    pub color: Option<String>,
    pub log_x: bool,
    pub log_y: bool,
    /// A grouping column.
    pub shape: Option<String>,
    /// An axis column.
    pub size: Option<String>,
    pub look: Look,
}

impl Choice {
    /// The choice from URL values, and a sentence for each value that could not be used.
    pub fn resolve(
        p: &Params,
        axes: &[Axis],
        groups: &[(String, String)],
        defaults: (&str, &str),
    ) -> (Choice, Vec<String>) {
        let mut problems = Vec::new();
        let is_axis = |k: &str| axes.iter().any(|a| a.key == k);
        let is_group = |k: &str| groups.iter().any(|g| g.0 == k);
        let mut axis = |value: Option<&str>, name: &str, default: &str| -> String {
            match value {
                Some(v) if is_axis(v) => v.to_string(),
                other => {
                    if let Some(v) = other {
                        problems.push(format!(
                            "{name}: no column \"{v}\" to draw; {default} shown."
                        ));
                    }
                    if is_axis(default) {
                        default.to_string()
                    } else {
                        axes.first().map(|a| a.key.clone()).unwrap_or_default()
                    }
                }
            }
        };
        let x = axis(p.x.as_deref(), "ex_x", defaults.0);
        let y = axis(p.y.as_deref(), "ex_y", defaults.1);
        let mut column = |value: &Option<String>, ok: &dyn Fn(&str) -> bool, what: &str| match value
            .as_deref()
        {
            Some(c) if ok(c) => Some(c.to_string()),
            Some(c) => {
                problems.push(format!("{what}: no column \"{c}\" to use; none used."));
                None
            }
            None => None,
        };
        let color = column(&p.color, &|c| is_axis(c) || is_group(c), "ex_color");
        let shape = column(&p.shape, &is_group, "ex_shape");
        let size = column(&p.size, &is_axis, "ex_size");
        let mut look = Look {
            reversed: p.reversed,
            ..Look::default()
        };
        if let Some(v) = p.palette.as_deref() {
            match Palette::parse(v) {
                Some(pal) => look.palette = pal,
                None => problems.push(format!(
                    "ex_palette: \"{v}\" is not a palette; viridis used."
                )),
            }
        }
        if let Some(v) = p.size_px.as_deref() {
            match parse_size_px(v) {
                Some(r) => look.size_px = r,
                None => problems.push(format!(
                    "ex_size_px: \"{v}\" is not a radius range (min-max, {} to {} px); {} used.",
                    RADIUS.0,
                    RADIUS.1,
                    size_px_key(SIZE_PX)
                )),
            }
        }
        if let Some(v) = p.gamma.as_deref() {
            match parse_gamma(v) {
                Some(g) => look.gamma = g,
                None => problems.push(format!(
                    "ex_gamma: \"{v}\" is not a gamma ({} to {}); 1 used.",
                    GAMMA.0, GAMMA.1
                )),
            }
        }
        let choice = Choice {
            x,
            y,
            color,
            log_x: p.log_x,
            log_y: p.log_y,
            shape,
            size,
            look,
        };
        (choice, problems)
    }
}
