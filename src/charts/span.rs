//! The window of trials a trial chart shows, zoomed around an anchor and panned, in its URL
//! form; and where trials are on screen, read from the marks of a drawn chart (hover by x,
//! the wheel's anchor, a drag's distance). Pure.

use super::Hit;

/// The trials shown: `lo..hi` (0-based, `hi` excluded) of `0..n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lo: usize,
    pub hi: usize,
}

/// The fewest trials a zoom shows.
pub const MIN_SPAN: usize = 10;

impl Span {
    pub fn full(n: usize) -> Span {
        Span { lo: 0, hi: n }
    }

    pub fn width(&self) -> usize {
        self.hi - self.lo
    }

    pub fn is_full(&self, n: usize) -> bool {
        self.lo == 0 && self.hi >= n
    }

    /// Inside `0..n`, at least [`MIN_SPAN`] trials wide (or all of them).
    pub fn clamp(self, n: usize) -> Span {
        let hi = self.hi.min(n);
        let width = hi.saturating_sub(self.lo).max(MIN_SPAN.min(n));
        let lo = self.lo.min(n - width);
        Span { lo, hi: lo + width }
    }

    /// `factor` times as many trials (below 1 zooms in), keeping trial `anchor` where it is on
    /// screen.
    pub fn zoom(self, factor: f64, anchor: f64, n: usize) -> Span {
        let w = self.width().max(1) as f64;
        let nw = (w * factor).round().clamp(MIN_SPAN.min(n) as f64, n as f64);
        let at = ((anchor - self.lo as f64) / w).clamp(0.0, 1.0);
        let lo = (anchor - at * nw).round().clamp(0.0, n as f64 - nw);
        Span {
            lo: lo as usize,
            hi: (lo + nw) as usize,
        }
        .clamp(n)
    }

    /// Moved by `by` trials (negative: to earlier trials), as wide as before.
    pub fn pan(self, by: f64, n: usize) -> Span {
        let w = self.width();
        let lo = (self.lo as f64 + by)
            .round()
            .clamp(0.0, n.saturating_sub(w) as f64) as usize;
        Span { lo, hi: lo + w }.clamp(n)
    }

    /// `first-last` (trial numbers from 1, both included), as in the URL.
    pub fn parse(s: &str, n: usize) -> Option<Span> {
        let (a, b) = s.split_once('-')?;
        let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        (a >= 1 && b >= a).then(|| Span { lo: a - 1, hi: b }.clamp(n))
    }

    pub fn to_param(self) -> String {
        format!("{}-{}", self.lo + 1, self.hi)
    }
}

/// The mark whose x is nearest to `x`, if `x` is within half a step of the marks.
pub fn nearest_x(hits: &[Hit], x: f64) -> Option<usize> {
    let (first, last) = (hits.first()?, hits.last()?);
    let step = if hits.len() > 1 {
        (last.x - first.x) / (hits.len() - 1) as f64
    } else {
        1.0
    };
    if x < first.x - step.max(4.0) || x > last.x + step.max(4.0) {
        return None;
    }
    let i = if step > 0.0 {
        ((x - first.x) / step).round()
    } else {
        0.0
    };
    Some(i.clamp(0.0, (hits.len() - 1) as f64) as usize)
}

/// The trial (fractional) at device x `x`, from the marks of the trials shown.
pub fn trial_at(hits: &[Hit], x: f64) -> Option<f64> {
    let (first, last) = (hits.first()?, hits.last()?);
    if hits.len() < 2 || last.x <= first.x {
        return Some(first.item as f64);
    }
    let per = (last.x - first.x) / (last.item - first.item) as f64;
    Some(first.item as f64 + (x - first.x) / per)
}

/// Device pixels per trial.
pub fn px_per_trial(hits: &[Hit]) -> Option<f64> {
    let (first, last) = (hits.first()?, hits.last()?);
    (hits.len() > 1 && last.x > first.x)
        .then(|| (last.x - first.x) / (last.item - first.item) as f64)
}

impl Span {
    /// The window a key asks for over `total` trials, zooming around trial `at` (else the
    /// middle); `ends`: whether the cursor is on the first and on the last trial shown, where
    /// an arrow moves the window. `None`: not a key of the window.
    pub fn on_key(
        self,
        key: &str,
        at: Option<f64>,
        ends: (bool, bool),
        total: usize,
    ) -> Option<Span> {
        let anchor = at.unwrap_or((self.lo + self.hi) as f64 / 2.0);
        let pan = |by: f64| self.pan(by * self.width() as f64, total);
        match key {
            "+" | "=" => Some(self.zoom(0.5, anchor, total)),
            "-" | "_" => Some(self.zoom(2.0, anchor, total)),
            "0" => Some(Span::full(total)),
            "PageDown" => Some(pan(0.5)),
            "PageUp" => Some(pan(-0.5)),
            "ArrowRight" if ends.1 => Some(pan(0.25)),
            "ArrowLeft" if ends.0 => Some(pan(-0.25)),
            _ => None,
        }
    }
}

/// How much a wheel turn zooms: by how far it turned (lines and pages as pixels), so that a
/// trackpad's many small steps zoom as smoothly as a wheel's few large ones; at most 2x a step.
pub fn wheel_factor(delta_y: f64, delta_mode: u32) -> f64 {
    let pixels = delta_y
        * match delta_mode {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
    (pixels * 0.002).exp().clamp(0.5, 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_zoom_around_the_anchor_and_stay_inside() {
        let full = Span::full(500);
        let z = full.zoom(0.5, 250.0, 500);
        assert_eq!(z, Span { lo: 125, hi: 375 });
        // The anchor keeps its place on screen: 1/5 of the way in before and after.
        let z2 = z.zoom(0.5, 175.0, 500);
        assert_eq!(z2, Span { lo: 150, hi: 275 });
        // Never below the minimum, never outside.
        assert_eq!(
            full.zoom(0.0001, 0.0, 500),
            Span {
                lo: 0,
                hi: MIN_SPAN
            }
        );
        assert_eq!(z.zoom(10.0, 400.0, 500), full);
        assert_eq!(z.pan(1000.0, 500), Span { lo: 250, hi: 500 });
        assert_eq!(z.pan(-1000.0, 500), Span { lo: 0, hi: 250 });
        assert_eq!(z.pan(10.4, 500), Span { lo: 135, hi: 385 });
        // Fewer trials than the minimum: all of them.
        assert_eq!(Span::full(4).zoom(0.1, 2.0, 4), Span::full(4));
        assert_eq!(Span::full(0).clamp(0), Span::full(0));
    }

    #[test]
    fn spans_read_and_write_the_url_form() {
        assert_eq!(Span::parse("101-250", 500), Some(Span { lo: 100, hi: 250 }));
        assert_eq!(Span { lo: 100, hi: 250 }.to_param(), "101-250");
        assert_eq!(Span::parse("400-900", 500), Some(Span { lo: 399, hi: 500 }));
        assert_eq!(
            Span::parse("1-3", 500),
            Some(Span {
                lo: 0,
                hi: MIN_SPAN
            })
        );
        for bad in ["", "x", "0-10", "20-10", "-5", "1-", "1-2-3"] {
            assert_eq!(Span::parse(bad, 500), None, "{bad}");
        }
    }

    #[test]
    fn x_lookups_follow_the_marks() {
        let hits: Vec<Hit> = (10..20)
            .map(|t| Hit {
                x: 100.0 + (t - 10) as f64 * 8.0,
                y: 0.0,
                series: 0,
                item: t,
                row: None,
                radius: 0.0,
            })
            .collect();
        assert_eq!(nearest_x(&hits, 100.0), Some(0));
        assert_eq!(nearest_x(&hits, 113.0), Some(2));
        assert_eq!(nearest_x(&hits, 500.0), None);
        assert_eq!(trial_at(&hits, 116.0), Some(12.0));
        assert_eq!(px_per_trial(&hits), Some(8.0));
    }

    #[test]
    fn keys_zoom_move_and_step_past_the_window() {
        let s = Span { lo: 100, hi: 199 };
        assert_eq!(
            s.on_key("0", None, (false, false), 1000),
            Some(Span::full(1000))
        );
        assert!(
            s.on_key("+", Some(150.0), (false, false), 1000)
                .unwrap()
                .width()
                < s.width()
        );
        assert_eq!(s.on_key("ArrowRight", None, (false, false), 1000), None);
        assert!(
            s.on_key("ArrowRight", None, (false, true), 1000)
                .unwrap()
                .lo
                > s.lo
        );
        // One trial shown: it is both ends, so both arrows move the window.
        assert!(s.on_key("ArrowLeft", None, (true, true), 1000).unwrap().lo < s.lo);
        assert!(s.on_key("ArrowRight", None, (true, true), 1000).unwrap().lo > s.lo);
        assert_eq!(s.on_key("x", None, (true, true), 1000), None);
    }
}
