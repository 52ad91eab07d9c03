//! A group of values summarised: count, mean, standard error of the mean, median and quartiles
//! (numpy's default, linear quantiles), minimum and maximum. Non-finite values are left out.

/// The finite values, sorted.
pub fn finite_sorted(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    crate::sort::sort_vec(&mut v, &f64::total_cmp);
    v
}

/// The `q` quantile (0..=1) of sorted values, interpolated linearly between the two nearest
/// ranks (numpy's `quantile` default). `None` when there are no values.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    let lo = sorted[i];
    Some(match sorted.get(i + 1) {
        Some(&hi) if frac > 0.0 => lo + (hi - lo) * frac,
        _ => lo,
    })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    /// Standard deviation (n − 1) over √n; NaN for a single value.
    pub sem: f64,
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    pub min: f64,
    pub max: f64,
}

/// The summary of the finite values, or `None` when there are none.
pub fn summarize(values: impl IntoIterator<Item = f64>) -> Option<Summary> {
    let v = finite_sorted(values);
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n as f64;
    let sem = if n > 1 {
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (var / n as f64).sqrt()
    } else {
        f64::NAN
    };
    Some(Summary {
        n,
        mean,
        sem,
        median: quantile_sorted(&v, 0.5)?,
        q1: quantile_sorted(&v, 0.25)?,
        q3: quantile_sorted(&v, 0.75)?,
        min: v[0],
        max: v[n - 1],
    })
}

/// The points with finite x and y, in x order (stable: equal x keep their order).
pub fn finite_points_by_x(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> = points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    crate::sort::sort_vec(&mut p, &|a, b| a.0.total_cmp(&b.0));
    p
}

/// A running average over points in x order: each point's y averaged with its neighbours, over
/// `window` points centred on it (fewer at the ends), like pandas'
/// `rolling(window, center=True, min_periods=1).mean()`. Non-finite points are left out.
pub fn running_average(points: &[(f64, f64)], window: usize) -> Vec<(f64, f64)> {
    let p = finite_points_by_x(points);
    let w = window.max(1);
    // pandas puts the extra point of an even window before the centre.
    let before = w / 2;
    let after = w - 1 - before;
    let mut prefix = Vec::with_capacity(p.len() + 1);
    prefix.push(0.0);
    for (_, y) in &p {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + y);
    }
    (0..p.len())
        .map(|i| {
            let lo = i.saturating_sub(before);
            let hi = (i + after + 1).min(p.len());
            (p[i].0, (prefix[hi] - prefix[lo]) / (hi - lo) as f64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        // numpy.quantile([1, 2, 4, 8], [0, .25, .5, .75, 1]) = [1, 1.75, 3, 5, 8]
        let got: Vec<f64> = [0.0, 0.25, 0.5, 0.75, 1.0]
            .iter()
            .map(|&q| quantile_sorted(&v, q).unwrap())
            .collect();
        assert_eq!(got, [1.0, 1.75, 3.0, 5.0, 8.0]);
        assert_eq!(quantile_sorted(&[3.0], 0.3), Some(3.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn summaries_by_hand() {
        let s = summarize([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, f64::NAN]).unwrap();
        assert_eq!(
            (s.n, s.mean, s.median, s.min, s.max),
            (8, 5.0, 4.5, 2.0, 9.0)
        );
        // sample sd = sqrt(32 / 7); sem = sd / sqrt(8)
        assert!(
            close(s.sem, (32.0f64 / 7.0).sqrt() / 8f64.sqrt()),
            "{}",
            s.sem
        );
        assert_eq!((s.q1, s.q3), (4.0, 5.5));
        let one = summarize([3.0]).unwrap();
        assert!(one.sem.is_nan() && one.median == 3.0);
        assert_eq!(summarize([f64::NAN]), None);
    }

    #[test]
    fn running_average_is_centred_like_pandas() {
        let p: Vec<(f64, f64)> = [1.0, 2.0, 6.0, 4.0, 10.0]
            .iter()
            .enumerate()
            .map(|(i, &y)| (i as f64, y))
            .collect();
        // pandas: Series([1, 2, 6, 4, 10]).rolling(3, center=True, min_periods=1).mean()
        let ys: Vec<f64> = running_average(&p, 3).into_iter().map(|(_, y)| y).collect();
        assert_eq!(ys, [1.5, 3.0, 4.0, 20.0 / 3.0, 7.0]);
        // Window 4: rows i-2..=i+1.
        let ys: Vec<f64> = running_average(&p, 4).into_iter().map(|(_, y)| y).collect();
        assert_eq!(ys, [1.5, 3.0, 3.25, 5.5, 20.0 / 3.0]);
        // Sorted by x first; window 1 is the points themselves.
        let shuffled = [(2.0, 6.0), (0.0, 1.0), (1.0, 2.0)];
        assert_eq!(
            running_average(&shuffled, 1),
            [(0.0, 1.0), (1.0, 2.0), (2.0, 6.0)]
        );
        assert!(running_average(&[], 3).is_empty());
    }
}
