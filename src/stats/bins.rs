//! Points grouped by x, each group's y summarised (the explorer's binned trends): by exact x
//! values, or by quantiles of x (pandas' `qcut(x, q, duplicates="drop")`: right-closed bins,
//! the lowest value in the first).

use super::summary::{finite_points_by_x, quantile_sorted, summarize, Summary};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binning {
    /// One bin per distinct x.
    Exact,
    /// About this many bins holding equal shares of the points.
    Quantiles(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    /// The bin's x range (equal for an exact bin).
    pub lo: f64,
    pub hi: f64,
    /// The mean x of its points (where a trend draws it).
    pub x: f64,
    pub y: Summary,
}

/// The bins of the finite points, in x order; a bin without a finite y is left out.
pub fn bin_points(points: &[(f64, f64)], how: Binning) -> Vec<Bin> {
    let p = finite_points_by_x(points);
    let groups: Vec<&[(f64, f64)]> = match how {
        Binning::Exact => p.chunk_by(|a, b| a.0 == b.0).collect(),
        Binning::Quantiles(q) => {
            let xs: Vec<f64> = p.iter().map(|p| p.0).collect();
            let mut edges: Vec<f64> = (0..=q.max(1))
                .filter_map(|i| quantile_sorted(&xs, i as f64 / q.max(1) as f64))
                .collect();
            edges.dedup();
            if edges.len() < 2 {
                // Every x the same: one bin of all the points.
                return summarize_groups(if p.is_empty() { vec![] } else { vec![&p[..]] });
            }
            // Right-closed: a point on an inner edge belongs to the bin below it.
            let mut out = Vec::new();
            let mut start = 0;
            for e in edges.iter().skip(1) {
                let end = start + p[start..].partition_point(|pt| pt.0 <= *e);
                if end > start {
                    out.push(&p[start..end]);
                }
                start = end;
            }
            out
        }
    };
    summarize_groups(groups)
}

fn summarize_groups(groups: Vec<&[(f64, f64)]>) -> Vec<Bin> {
    groups
        .into_iter()
        .filter_map(|g| {
            let y = summarize(g.iter().map(|p| p.1))?;
            Some(Bin {
                lo: g[0].0,
                hi: g[g.len() - 1].0,
                x: g.iter().map(|p| p.0).sum::<f64>() / g.len() as f64,
                y,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_bins_group_equal_x() {
        let pts = [
            (2.0, 1.0),
            (1.0, 4.0),
            (2.0, 3.0),
            (1.0, 6.0),
            (3.0, 9.0),
            (f64::NAN, 1.0),
        ];
        let b = bin_points(&pts, Binning::Exact);
        let got: Vec<(f64, usize, f64)> = b.iter().map(|b| (b.x, b.y.n, b.y.mean)).collect();
        assert_eq!(got, [(1.0, 2, 5.0), (2.0, 2, 2.0), (3.0, 1, 9.0)]);
    }

    #[test]
    fn quantile_bins_follow_pandas_qcut() {
        // pandas.qcut([1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], 4, labels=False)
        //   = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
        let xs = [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 10.0];
        let pts: Vec<(f64, f64)> = xs.iter().map(|&x| (x, x * 10.0)).collect();
        let b = bin_points(&pts, Binning::Quantiles(4));
        let sizes: Vec<usize> = b.iter().map(|b| b.y.n).collect();
        assert_eq!(sizes, [3, 3, 3, 3]);
        assert_eq!((b[0].lo, b[0].hi, b[3].lo, b[3].hi), (1.0, 2.0, 9.0, 10.0));
        assert!((b[1].x - 4.0).abs() < 1e-12 && (b[1].y.mean - 40.0).abs() < 1e-12);
        // One x value: one bin.
        let one: Vec<(f64, f64)> = (0..5).map(|i| (2.0, i as f64)).collect();
        let b = bin_points(&one, Binning::Quantiles(4));
        assert_eq!((b.len(), b[0].y.n, b[0].y.mean), (1, 5, 2.0));
        // Many equal values: duplicate edges are dropped, nothing is lost.
        let same: Vec<(f64, f64)> = (0..10)
            .map(|i| (if i < 8 { 1.0 } else { 2.0 }, 1.0))
            .collect();
        let b = bin_points(&same, Binning::Quantiles(5));
        assert_eq!(b.iter().map(|b| b.y.n).sum::<usize>(), 10);
        assert!(bin_points(&[], Binning::Quantiles(3)).is_empty());
    }
}
