//! Ordinary least-squares line y = intercept + slope·x with the statistics of
//! `scipy.stats.linregress` (scipy 1.17): Pearson's r, the two-sided p-value of the test of
//! slope = 0 (Student's t with n − 2 degrees of freedom), and the standard errors of the slope
//! and the intercept.

use super::special::student_t_two_sided;

/// A fitted line and its statistics (scipy's `LinregressResult`, plus r² and n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearFit {
    pub slope: f64,
    pub intercept: f64,
    /// Pearson's correlation coefficient (scipy's `rvalue`).
    pub r: f64,
    pub r_squared: f64,
    /// Two-sided p-value for the null hypothesis slope = 0 (scipy's `pvalue`).
    pub p_value: f64,
    /// Standard error of the slope (scipy's `stderr`).
    pub stderr: f64,
    pub intercept_stderr: f64,
    /// The number of (finite) pairs fitted.
    pub n: usize,
}

/// scipy's guard against a zero denominator in t when |r| = 1.
const TINY: f64 = 1.0e-20;

/// The least-squares line through the pairs (x[i], y[i]) with finite x and y (others are
/// dropped first; scipy would instead return NaNs), computed as `scipy.stats.linregress`:
///
/// - `r` = cov(x, y)/√(var x · var y), clamped to [−1, 1];
/// - `p_value` = 2·P(T ≥ |t|) for t = r·√(df / ((1 − r + 1e-20)(1 + r + 1e-20))), df = n − 2,
///   so |r| = 1 gives a huge but finite t and a p-value of (nearly) 0, as in scipy;
/// - `stderr` = √((1 − r²)·var y / var x / df), `intercept_stderr` = stderr·√(var x + x̄²)
///   (variances with divisor n).
///
/// `None` when fewer than 3 finite pairs remain (scipy answers 2 points with p = 0 or 1 and
/// zero standard errors, which says nothing) or when all x are equal (scipy raises; this also
/// covers an x variance that underflows to 0). When all y are equal, r, r², the p-value and
/// both standard errors are NaN, slope is 0 and intercept is that y, as scipy gives when its
/// mean of y is exact. Pairs past the shorter of `x` and `y` are ignored.
pub fn linregress(x: &[f64], y: &[f64]) -> Option<LinearFit> {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .unzip();
    let n = xs.len();
    let (lo, hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if n < 3 || lo == hi {
        return None;
    }
    let (xmean, ymean) = (mean(&xs), mean(&ys));
    // np.cov(x, y, bias=1): centred cross products, times 1/n.
    let inv_n = 1.0 / n as f64;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(&ys) {
        let (dx, dy) = (x - xmean, y - ymean);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    let (ssxm, ssxym, ssym) = (sxx * inv_n, sxy * inv_n, syy * inv_n);
    if ssxm == 0.0 {
        return None;
    }
    let r = if ssym == 0.0 {
        if ssxym == 0.0 {
            f64::NAN
        } else {
            0.0
        }
    } else {
        (ssxym / (ssxm * ssym).sqrt()).clamp(-1.0, 1.0)
    };
    let slope = ssxym / ssxm;
    let df = (n - 2) as f64;
    let t = r * (df / ((1.0 - r + TINY) * (1.0 + r + TINY))).sqrt();
    let stderr = ((1.0 - r * r) * ssym / ssxm / df).sqrt();
    Some(LinearFit {
        slope,
        intercept: ymean - slope * xmean,
        r,
        r_squared: r * r,
        p_value: student_t_two_sided(t, df),
        stderr,
        intercept_stderr: stderr * (ssxm + xmean * xmean).sqrt(),
        n,
    })
}

/// Mean of a non-empty slice, refined by one correction pass (so that equal values give
/// exactly that value back).
fn mean(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    m + v.iter().map(|x| x - m).sum::<f64>() / n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::special::fixture::{fixture, num, nums};

    /// Relative difference, absolute below 1e-300; equal NaNs agree.
    fn close(got: f64, want: f64, tol: f64) -> bool {
        (got.is_nan() && want.is_nan()) || (got - want).abs() <= tol * want.abs().max(1e-300)
    }

    #[test]
    fn matches_scipy() {
        let fx = fixture();
        for case in fx["linregress"].as_array().unwrap() {
            let name = case["dataset"].as_str().unwrap();
            let data = &fx["datasets"][name];
            let fit = linregress(&nums(&data["x"]), &nums(&data["y"])).expect(name);
            assert_eq!(fit.n as u64, case["n"].as_u64().unwrap(), "{name}: n");
            let fields = [
                ("slope", fit.slope),
                ("intercept", fit.intercept),
                ("r", fit.r),
                ("stderr", fit.stderr),
                ("intercept_stderr", fit.intercept_stderr),
            ];
            for (field, got) in fields {
                let want = num(&case[field]);
                assert!(
                    close(got, want, 1e-12),
                    "{name}: {field} = {got:e}, scipy {want:e}"
                );
            }
            let want_p = num(&case["p_value"]);
            let p = fit.p_value;
            assert!(
                (p.is_nan() && want_p.is_nan()) || (p - want_p).abs() <= 1e-9,
                "{name}: p = {p:e}, scipy {want_p:e}"
            );
            // Much tighter than required; the p-values come from the same I_x(df/2, 1/2).
            assert!(
                close(p, want_p, 1e-11),
                "{name}: p = {p:e}, scipy {want_p:e} (relative)"
            );
            assert!(close(fit.r_squared, fit.r * fit.r, 0.0));
        }
    }

    #[test]
    fn too_few_points_or_constant_x() {
        assert_eq!(linregress(&[], &[]), None);
        assert_eq!(linregress(&[1.0, 2.0], &[3.0, 5.0]), None);
        assert_eq!(linregress(&[1.0, 2.0, f64::NAN], &[3.0, 5.0, 6.0]), None);
        assert_eq!(linregress(&[2.0, 2.0, 2.0], &[3.0, 5.0, 6.0]), None);
        assert_eq!(
            linregress(&[1e-200, 2e-200, 3e-200], &[3.0, 5.0, 6.0]),
            None
        );
    }

    #[test]
    fn drops_non_finite_pairs_and_extra_values() {
        let clean = linregress(&[0.0, 1.0, 2.0, 4.0], &[1.0, 2.5, 2.9, 5.0]).unwrap();
        let x = [0.0, f64::NAN, 1.0, 2.0, 3.0, 4.0, 9.0];
        let y = [1.0, 7.0, 2.5, 2.9, f64::INFINITY, 5.0];
        assert_eq!(linregress(&x, &y), Some(clean));
        assert_eq!(clean.n, 4);
    }

    #[test]
    fn perfect_and_flat_lines() {
        let fit = linregress(&[0.0, 1.0, 2.0, 3.0], &[1.0, -1.0, -3.0, -5.0]).unwrap();
        assert_eq!(
            (fit.slope, fit.intercept, fit.r, fit.stderr),
            (-2.0, 1.0, -1.0, 0.0)
        );
        // t = −√(2/(2·1e-20)) = −1e10; with df = 2, p = 1 − |t|/√(2 + t²) ≈ 1/t².
        assert!((fit.p_value - 1e-20).abs() < 1e-32);
        let flat = linregress(&[0.0, 1.0, 2.0, 3.0], &[0.1; 4]).unwrap();
        assert_eq!((flat.slope, flat.intercept), (0.0, 0.1));
        assert!(flat.r.is_nan() && flat.p_value.is_nan() && flat.stderr.is_nan());
    }
}
