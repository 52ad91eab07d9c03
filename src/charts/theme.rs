//! Chart colours for the light and the dark scheme. Series colours are the Okabe–Ito palette
//! (distinguishable with the common colour-vision deficiencies); sequential scales are in `encode::Palette`.

use plotters::style::RGBColor;

#[derive(Debug, PartialEq)]
pub struct Theme {
    pub name: &'static str,
    pub bg: RGBColor,
    pub fg: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    pub series: &'static [RGBColor],
}

impl Theme {
    /// The colour of series `i` (the palette repeats after its length).
    pub fn color(&self, i: usize) -> RGBColor {
        self.series[i % self.series.len()]
    }

    /// The CSS `rgb()` of a colour, for legends drawn in HTML.
    pub fn css(c: RGBColor) -> String {
        format!("rgb({},{},{})", c.0, c.1, c.2)
    }
}

pub static LIGHT: Theme = Theme {
    name: "light",
    bg: RGBColor(255, 255, 255),
    fg: RGBColor(29, 39, 51),
    muted: RGBColor(91, 103, 117),
    grid: RGBColor(232, 236, 240),
    axis: RGBColor(150, 160, 170),
    series: &[
        RGBColor(0, 114, 178),
        RGBColor(213, 94, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(190, 150, 0),
        RGBColor(0, 0, 0),
        RGBColor(120, 94, 240),
    ],
};

pub static DARK: Theme = Theme {
    name: "dark",
    bg: RGBColor(24, 29, 36),
    fg: RGBColor(225, 230, 236),
    muted: RGBColor(160, 170, 182),
    grid: RGBColor(48, 56, 66),
    axis: RGBColor(110, 122, 136),
    series: &[
        RGBColor(86, 180, 233),
        RGBColor(230, 159, 0),
        RGBColor(0, 190, 140),
        RGBColor(224, 150, 190),
        RGBColor(240, 228, 66),
        RGBColor(255, 120, 80),
        RGBColor(235, 235, 235),
        RGBColor(160, 140, 255),
    ],
};
