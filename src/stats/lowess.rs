//! LOWESS, locally weighted scatterplot smoothing (Cleveland 1979), as statsmodels computes it:
//! `statsmodels.nonparametric.smoothers_lowess.lowess(y, x, frac, it, delta=0.0,
//! return_sorted=True)`, a port of its `_smoothers_lowess.pyx` (statsmodels 0.15).
//!
//! For each point, in x order, a straight line is fitted by weighted least squares to its
//! k = ⌊frac·n + 1e-10⌋ nearest neighbours (clamped to 2 ≤ k ≤ n), weighted by the tricube
//! (1 − d³)³ of their distance d over the neighbourhood's radius; the fit is that line at the
//! point. Each robustness iteration then multiplies those weights by the bisquare (1 − u²)² of
//! the residuals u = |y − fit| / (6 × median |y − fit|), u capped at 1.
//!
//! Details kept from statsmodels:
//! - The neighbourhood is a window of exactly k consecutive points in sorted order, slid right
//!   while the point lies right of the midpoint between the window's first point and the first
//!   point past it. A tie group straddling the window's edge is cut by index, so which of the
//!   tied points are in depends on their order (see [`lowess`] for that order).
//! - A point whose x equals the previous point's x is not refitted; it takes that fit.
//! - With fewer than two weights above 1e-12 (e.g. k = 2, or a zero radius) no line is fitted
//!   and the point's fit is its own y.
//! - The weighted variance of x is floored at 1e-12.
//! - When the median absolute residual is 0, the robustness weights are 1 for points with a
//!   zero residual and 0 for the others.

/// The LOWESS curve through the pairs (x[i], y[i]): `(x, fitted y)` for every pair with finite
/// x and y (others are dropped first, as statsmodels' `missing='drop'`), sorted by x.
/// `iterations` is statsmodels' `it`: robustness iterations after the first fit.
///
/// Ties in x keep their input order (a stable sort). statsmodels sorts with numpy's default
/// `argsort`, which is not stable for larger inputs, so on data with ties its result can differ
/// from this where a tie group straddles a neighbourhood's edge (numpy's order is
/// machine-dependent there; with the same order the results agree).
///
/// Where statsmodels would raise, this does not: `frac` outside [0, 1] is clamped to it (NaN
/// counts as 0, i.e. k = 2), and pairs past the shorter of `x` and `y` are ignored.
/// Degenerate inputs: no finite pairs give an empty curve; a single pair gives itself; when all
/// x are equal, every point's fit is the y of the first of them (in input order), as in
/// statsmodels (its tricube distances are 0/0 there, so no line is ever fitted).
pub fn lowess(x: &[f64], y: &[f64], frac: f64, iterations: usize) -> Vec<(f64, f64)> {
    let mut pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(&a, &b)| (a, b))
        .collect();
    // Finite values only, so partial_cmp never fails; -0.0 and 0.0 tie, as in numpy.
    crate::sort::sort_vec(&mut pairs, &|a, b| {
        a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal)
    });
    let (xs, ys): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
    let n = xs.len();
    if n == 0 {
        return Vec::new();
    }
    let k = neighbours(frac, n);
    let mut robust = vec![1.0; n];
    let mut fit = vec![0.0; n];
    for pass in 0..=iterations {
        fit_pass(&xs, &ys, k, &robust, &mut fit);
        if pass < iterations {
            robust = robustness_weights(&ys, &fit);
        }
    }
    xs.into_iter().zip(fit).collect()
}

/// The neighbourhood size: `int(frac * n + 1e-10)` clamped to 2..=n (n itself when n < 2).
fn neighbours(frac: f64, n: usize) -> usize {
    let frac = if frac.is_nan() {
        0.0
    } else {
        frac.clamp(0.0, 1.0)
    };
    // `as` truncates toward zero, like Python's int() of a non-negative float.
    let k = (frac * n as f64 + 1e-10) as usize;
    k.max(2).min(n)
}

/// One pass of local fits at every point (statsmodels' loop with delta = 0), into `fit`.
fn fit_pass(x: &[f64], y: &[f64], k: usize, robust: &[f64], fit: &mut [f64]) {
    let n = x.len();
    let (mut left, mut right) = (0, k);
    let mut i = 0;
    let mut scratch = Vec::with_capacity(k);
    while i < n {
        let xval = x[i];
        // update_neighborhood: slide the window [left, right) of k points to the right.
        while right < n && xval > (x[left] + x[right]) / 2.0 {
            left += 1;
            right += 1;
        }
        let radius = f64::max(xval - x[left], x[right - 1] - xval);
        let line = local_line((x, y, robust), xval, left..right, radius, &mut scratch);
        fit[i] = line.unwrap_or(y[i]);
        // update_indices: following points with the same x take this fit.
        i += 1;
        while i < n && x[i] == xval {
            fit[i] = fit[i - 1];
            i += 1;
        }
    }
}

/// The weighted least-squares line over the window, evaluated at `xval`; `None` when fewer
/// than two weights exceed 1e-12 (statsmodels' `reg_ok = False`). `w` is scratch space.
fn local_line(
    (x, y, robust): (&[f64], &[f64], &[f64]),
    xval: f64,
    window: std::ops::Range<usize>,
    radius: f64,
    w: &mut Vec<f64>,
) -> Option<f64> {
    let (x, y, robust) = (&x[window.clone()], &y[window.clone()], &robust[window]);
    w.clear();
    w.extend(x.iter().zip(robust).map(|(xj, r)| {
        let d = (xj - xval).abs() / radius;
        let c = 1.0 - d * d * d;
        c * c * c * r
    }));
    // A NaN weight (0/0 radius) compares false, so it never counts.
    if w.iter().filter(|&&wj| wj > 1e-12).count() < 2 {
        return None;
    }
    let total: f64 = w.iter().sum();
    w.iter_mut().for_each(|wj| *wj /= total);
    let mean: f64 = w.iter().zip(x).map(|(wj, xj)| wj * xj).sum();
    let var: f64 = w
        .iter()
        .zip(x)
        .map(|(wj, xj)| wj * ((xj - mean) * (xj - mean)))
        .sum();
    let var = var.max(1e-12);
    let fitted = w
        .iter()
        .zip(x)
        .zip(y)
        .map(|((wj, xj), yj)| wj * (1.0 + (xval - mean) * (xj - mean) / var) * yj)
        .sum();
    Some(fitted)
}

/// statsmodels' `calculate_residual_weights`: bisquare of |residual| / (6 × median), capped at
/// 1; a zero median gives weight 1 to zero residuals and 0 to the rest.
fn robustness_weights(y: &[f64], fit: &[f64]) -> Vec<f64> {
    let resid: Vec<f64> = y.iter().zip(fit).map(|(y, f)| (y - f).abs()).collect();
    let median = median(&resid);
    resid
        .iter()
        .map(|&r| {
            let u = if median == 0.0 {
                if r > 0.0 {
                    1.0
                } else {
                    0.0
                }
            } else {
                r / (6.0 * median)
            };
            let u = if u > 1.0 { 1.0 } else { u };
            let b = 1.0 - u * u;
            b * b
        })
        .collect()
}

/// numpy's median of a non-empty slice: the middle value, or the mean of the two middle ones.
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    crate::sort::sort_vec(&mut s, &f64::total_cmp);
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::special::fixture::{fixture, num, nums};

    #[test]
    fn matches_statsmodels() {
        let fx = fixture();
        let runs = fx["lowess"].as_array().unwrap();
        let mut worst: f64 = 0.0;
        for run in runs {
            let name = run["dataset"].as_str().unwrap();
            let (frac, it) = (num(&run["frac"]), run["it"].as_u64().unwrap() as usize);
            let data = &fx["datasets"][name];
            let got = lowess(&nums(&data["x"]), &nums(&data["y"]), frac, it);
            let (want_x, want_fit) = (nums(&run["x"]), nums(&run["fit"]));
            let what = format!("{name} frac={frac} it={it}");
            assert_eq!(got.len(), want_x.len(), "{what}: length");
            for (i, ((gx, gf), (wx, wf))) in
                got.iter().zip(want_x.iter().zip(&want_fit)).enumerate()
            {
                assert_eq!(gx, wx, "{what}: x[{i}]");
                let err = (gf - wf).abs();
                assert!(err <= 1e-6, "{what}: fit[{i}] = {gf}, statsmodels {wf}");
                worst = worst.max(err);
            }
        }
        eprintln!(
            "lowess: {} runs, worst absolute difference {worst:e}",
            runs.len()
        );
    }

    #[test]
    fn degenerate_inputs() {
        assert!(lowess(&[], &[], 0.5, 3).is_empty());
        assert!(lowess(&[f64::NAN, 1.0], &[1.0, f64::INFINITY], 0.5, 3).is_empty());
        assert_eq!(lowess(&[2.0], &[3.0], 0.5, 3), vec![(2.0, 3.0)]);
        // All x equal: everything takes the first y.
        let got = lowess(&[1.0; 3], &[4.0, 5.0, 6.0], 1.0, 2);
        assert_eq!(got, vec![(1.0, 4.0); 3]);
        // Unequal lengths: the extra x is ignored. Out-of-range and NaN frac do not panic.
        assert_eq!(lowess(&[1.0, 2.0, 9.0], &[1.0, 2.0], 1.0, 0).len(), 2);
        let (x, y) = ([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 1.0]);
        assert_eq!(lowess(&x, &y, 7.0, 1), lowess(&x, &y, 1.0, 1));
        assert_eq!(lowess(&x, &y, f64::NAN, 1), lowess(&x, &y, 0.0, 1));
    }

    #[test]
    fn neighbourhood_size() {
        assert_eq!(neighbours(2.0 / 3.0, 200), 133);
        assert_eq!(neighbours(0.29, 100), 29); // 28.999999999999996 + 1e-10
        assert_eq!(neighbours(0.25, 30), 7); // 7.5 truncated
        assert_eq!(neighbours(0.0, 10), 2);
        assert_eq!(neighbours(1.0, 1), 1);
    }

    #[test]
    fn exact_line_is_reproduced() {
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|x| 3.0 - 0.5 * x).collect();
        for (gx, gy) in lowess(&x, &y, 0.4, 2) {
            assert!((gy - (3.0 - 0.5 * gx)).abs() < 1e-12);
        }
    }
}
