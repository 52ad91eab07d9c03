//! Histograms with numpy's bin semantics, a Gaussian kernel density (scipy's `gaussian_kde`
//! with Scott's bandwidth), and a 2-D density: numpy's `histogram2d` smoothed as scipy's
//! `ndimage.gaussian_filter` smooths it.

/// Equal-width bins over `lo..=hi` (the last bin includes `hi`).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub counts: Vec<u64>,
}

/// Uniform bins: their edges and where a value falls, exactly as numpy computes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bins {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
}

impl Bins {
    /// `n` bins over `range`, or over the values' extent (widened by 0.5 each way when all
    /// values are equal, as numpy does). `None` without a bin or a finite value.
    pub fn new(values: &[f64], n: usize, range: Option<(f64, f64)>) -> Option<Bins> {
        if n == 0 {
            return None;
        }
        let (lo, hi) = match range {
            Some(r) => r,
            None => values.iter().filter(|v| v.is_finite()).fold(
                None,
                |acc: Option<(f64, f64)>, &v| {
                    Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))))
                },
            )?,
        };
        if !(lo.is_finite() && hi.is_finite()) || hi < lo {
            return None;
        }
        let (lo, hi) = if lo == hi {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        };
        Some(Bins { lo, hi, n })
    }

    /// Edge `i` (0..=n): `lo + i * step` as `numpy.linspace` computes it, the last exactly `hi`.
    pub fn edge(&self, i: usize) -> f64 {
        if i >= self.n {
            self.hi
        } else {
            i as f64 * ((self.hi - self.lo) / self.n as f64) + self.lo
        }
    }

    /// The bin of `v`, or `None` outside `lo..=hi` (and for NaN). numpy's computed index,
    /// corrected against the edges, so that values on an edge land where numpy puts them.
    pub fn index(&self, v: f64) -> Option<usize> {
        if !(v >= self.lo && v <= self.hi) {
            return None;
        }
        let f = (v - self.lo) / (self.hi - self.lo) * self.n as f64;
        let mut i = (f as usize).min(self.n - 1);
        if v < self.edge(i) {
            i -= 1;
        } else if i != self.n - 1 && v >= self.edge(i + 1) {
            i += 1;
        }
        Some(i)
    }
}

impl Histogram {
    pub fn bins(&self) -> Bins {
        Bins {
            lo: self.lo,
            hi: self.hi,
            n: self.counts.len(),
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Counts over (total × bin width): the histogram as a density (integrates to 1).
    pub fn density(&self) -> Vec<f64> {
        let width = (self.hi - self.lo) / self.counts.len() as f64;
        let total = self.total() as f64;
        self.counts
            .iter()
            .map(|&c| c as f64 / (total * width))
            .collect()
    }
}

/// `numpy.histogram(values, bins, range)`, non-finite values left out.
pub fn histogram(values: &[f64], bins: usize, range: Option<(f64, f64)>) -> Option<Histogram> {
    let b = Bins::new(values, bins, range)?;
    let mut counts = vec![0u64; bins];
    for &v in values {
        if let Some(i) = b.index(v) {
            counts[i] += 1;
        }
    }
    Some(Histogram {
        lo: b.lo,
        hi: b.hi,
        counts,
    })
}

/// The standard deviation with n − 1.
fn sample_std(v: &[f64]) -> Option<f64> {
    (v.len() > 1).then(|| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    })
}

/// `scipy.stats.gaussian_kde(values)(at)`: a Gaussian kernel density with Scott's bandwidth
/// (n^(−1/5) times the sample standard deviation). Empty when there are fewer than two
/// distinct finite values.
pub fn gaussian_kde(values: &[f64], at: &[f64]) -> Vec<f64> {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let Some(sd) = sample_std(&v).filter(|s| *s > 0.0) else {
        return Vec::new();
    };
    let h = (v.len() as f64).powf(-0.2) * sd;
    let norm = 1.0 / (v.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    at.iter()
        .map(|&x| {
            norm * v
                .iter()
                .map(|&xi| (-0.5 * ((x - xi) / h).powi(2)).exp())
                .sum::<f64>()
        })
        .collect()
}

/// [`gaussian_kde`] for many values, fast: the values are first counted in `bins` equal bins
/// and each bin's count sits at its centre (the bandwidth is still the values' own). With bins
/// much narrower than the bandwidth the curve differs by a small fraction of its height (see the
/// test); its cost is `bins` x `at` instead of values x `at`.
pub fn gaussian_kde_binned(values: &[f64], at: &[f64], bins: usize) -> Vec<f64> {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let Some(sd) = sample_std(&v).filter(|s| *s > 0.0) else {
        return Vec::new();
    };
    let Some(b) = Bins::new(&v, bins.max(1), None) else {
        return Vec::new();
    };
    let mut counts = vec![0.0; b.n];
    for x in &v {
        if let Some(i) = b.index(*x) {
            counts[i] += 1.0;
        }
    }
    let centres: Vec<(f64, f64)> = (0..b.n)
        .filter(|&i| counts[i] > 0.0)
        .map(|i| ((b.edge(i) + b.edge(i + 1)) / 2.0, counts[i]))
        .collect();
    let h = (v.len() as f64).powf(-0.2) * sd;
    let norm = 1.0 / (v.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    at.iter()
        .map(|&x| {
            norm * centres
                .iter()
                .map(|&(c, n)| n * (-0.5 * ((x - c) / h).powi(2)).exp())
                .sum::<f64>()
        })
        .collect()
}

/// A grid of values over x and y bins; `values[iy * nx + ix]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub x: Bins,
    pub y: Bins,
    pub values: Vec<f64>,
}

impl Grid {
    pub fn at(&self, ix: usize, iy: usize) -> f64 {
        self.values[iy * self.x.n + ix]
    }

    pub fn max(&self) -> f64 {
        self.values.iter().copied().fold(0.0, f64::max)
    }
}

/// The weights of scipy's `gaussian_filter1d` (truncated at 4 σ).
fn kernel(sigma: f64) -> Vec<f64> {
    let radius = (4.0 * sigma + 0.5) as usize;
    let w: Vec<f64> = (0..=2 * radius)
        .map(|i| {
            let d = i as f64 - radius as f64;
            (-0.5 * d * d / (sigma * sigma)).exp()
        })
        .collect();
    let sum: f64 = w.iter().sum();
    w.into_iter().map(|x| x / sum).collect()
}

/// Index `i` reflected into `0..n` (scipy's `reflect`: d c b a | a b c d | d c b a).
fn reflect(i: isize, n: usize) -> usize {
    let n = n as isize;
    let period = 2 * n;
    let mut j = i.rem_euclid(period);
    if j >= n {
        j = period - 1 - j;
    }
    j as usize
}

/// Smooths `len` values spaced `stride` apart, starting at `start`, in place.
fn smooth_line(values: &mut [f64], start: usize, stride: usize, len: usize, k: &[f64]) {
    let radius = (k.len() / 2) as isize;
    let line: Vec<f64> = (0..len).map(|i| values[start + i * stride]).collect();
    for i in 0..len {
        values[start + i * stride] = k
            .iter()
            .enumerate()
            .map(|(j, w)| w * line[reflect(i as isize + j as isize - radius, len)])
            .sum();
    }
}

/// Points counted on an `nx` x `ny` grid over the given ranges (`numpy.histogram2d`) and
/// smoothed with a Gaussian of `sigma` cells (`scipy.ndimage.gaussian_filter`, mode
/// `reflect`); `sigma` 0 leaves the counts.
pub fn density_2d(
    points: &[(f64, f64)],
    (nx, ny): (usize, usize),
    x_range: Option<(f64, f64)>,
    y_range: Option<(f64, f64)>,
    sigma: f64,
) -> Option<Grid> {
    let xs: Vec<f64> = points.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
    let x = Bins::new(&xs, nx, x_range)?;
    let y = Bins::new(&ys, ny, y_range)?;
    let mut values = vec![0.0; nx * ny];
    for &(px, py) in points {
        if let (Some(ix), Some(iy)) = (x.index(px), y.index(py)) {
            values[iy * nx + ix] += 1.0;
        }
    }
    if sigma > 0.0 {
        let k = kernel(sigma);
        for iy in 0..ny {
            smooth_line(&mut values, iy * nx, 1, nx, &k);
        }
        for ix in 0..nx {
            smooth_line(&mut values, ix, nx, ny, &k);
        }
    }
    Some(Grid { x, y, values })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn histograms_bin_like_numpy() {
        // numpy.histogram([0, .1, .35, .7, 1, 1, .5], bins=4, range=(0, 1))
        let h = histogram(&[0.0, 0.1, 0.35, 0.7, 1.0, 1.0, 0.5], 4, Some((0.0, 1.0))).unwrap();
        assert_eq!(h.counts, [2, 1, 2, 2]);
        // All equal: the range widens by 0.5 and the value sits on the middle edge.
        let h = histogram(&[3.0, 3.0, 3.0, f64::NAN], 2, None).unwrap();
        assert_eq!((h.lo, h.hi, h.counts.clone()), (2.5, 3.5, vec![0, 3]));
        // 0.7 is below numpy's edge 70 * 0.01 = 0.7000000000000001: bin 69.
        let b = Bins::new(&[], 100, Some((0.0, 1.0))).unwrap();
        assert_eq!(
            (b.index(0.7), b.index(1.0), b.index(1.01)),
            (Some(69), Some(99), None)
        );
        let d = histogram(&[0.0, 0.5, 0.75, 1.0], 2, Some((0.0, 1.0)))
            .unwrap()
            .density();
        assert_eq!(d, [0.5, 1.5]);
        assert_eq!(histogram(&[f64::NAN], 3, None), None);
        assert_eq!(histogram(&[1.0], 0, None), None);
    }

    #[test]
    fn kde_matches_scipy() {
        // scipy.stats.gaussian_kde([1, 2, 2.5, 4, 7])([0, 2, 3.3, 7])
        let got = gaussian_kde(&[1.0, 2.0, 2.5, 4.0, 7.0], &[0.0, 2.0, 3.3, 7.0]);
        let want = [
            0.08177224422831424,
            0.15594529545733615,
            0.14359744972028235,
            0.059007912228337046,
        ];
        for (g, w) in got.iter().zip(want) {
            assert!(close(*g, w), "{g} {w}");
        }
        assert!(gaussian_kde(&[2.0, 2.0], &[2.0]).is_empty());
    }

    #[test]
    fn density_grid_matches_numpy_and_scipy() {
        // numpy.histogram2d([.1, .2, .9, .5], [0, .9, .9, .5], bins=[2, 3], range=[[0, 1], [0, 1]])
        let pts = [(0.1, 0.0), (0.2, 0.9), (0.9, 0.9), (0.5, 0.5)];
        let g = density_2d(&pts, (2, 3), Some((0.0, 1.0)), Some((0.0, 1.0)), 0.0).unwrap();
        let h: Vec<Vec<f64>> = (0..2)
            .map(|ix| (0..3).map(|iy| g.at(ix, iy)).collect())
            .collect();
        assert_eq!(h, [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]);
        // scipy.ndimage.gaussian_filter(g, sigma=1) of a 4 x 5 grid with g[1, 2] = 1, g[3, 0] = 2
        // (rows are y here, columns x).
        let pts = [(2.5, 1.5), (0.5, 3.5), (0.5, 3.5)];
        let g = density_2d(&pts, (5, 4), Some((0.0, 5.0)), Some((0.0, 4.0)), 1.0).unwrap();
        let want = [
            [
                0.0233150067640683,
                0.0744358662850245,
                0.11862145604919272,
                0.07169701367401582,
                0.017292276043525297,
            ],
            [
                0.09845472265258334,
                0.1322413322777291,
                0.16775044528918898,
                0.0981927787269471,
                0.023582030111151876,
            ],
            [
                0.393525987429558,
                0.23383505522862927,
                0.1312217460494612,
                0.06134991395275997,
                0.01423155040003196,
            ],
            [
                0.8249571022199229,
                0.3935181686444429,
                0.09819580004972621,
                0.019996954416784597,
                0.0035847937352560277,
            ],
        ];
        for (iy, row) in want.iter().enumerate() {
            for (ix, w) in row.iter().enumerate() {
                assert!(close(g.at(ix, iy), *w), "{ix},{iy}: {} {w}", g.at(ix, iy));
            }
        }
        assert!(
            (g.values.iter().sum::<f64>() - 3.0).abs() < 1e-9,
            "reflect keeps the mass"
        );
    }

    #[test]
    fn binned_kde_follows_the_exact_one_closely() {
        // 20,000 values from a skewed, two-humped mix (deterministic).
        let v: Vec<f64> = (0..20_000)
            .map(|i| {
                let u = (i as f64 * 0.618_033_988_75).fract();
                if i % 3 == 0 {
                    5.0 + 2.0 * u * u
                } else {
                    (u * 6.0).sin() * 1.5
                }
            })
            .collect();
        let at: Vec<f64> = (0..60).map(|i| -2.0 + i as f64 * 0.16).collect();
        let exact = gaussian_kde(&v, &at);
        let fast = gaussian_kde_binned(&v, &at, 1024);
        let top = exact.iter().copied().fold(0.0, f64::max);
        for (e, f) in exact.iter().zip(&fast) {
            assert!((e - f).abs() < 1e-3 * top, "{e} vs {f}");
        }
        assert!(gaussian_kde_binned(&[1.0, 1.0], &at, 10).is_empty());
    }
}
