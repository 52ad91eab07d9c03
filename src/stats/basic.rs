//! Small statistics over finite values.

/// Mean of the finite values; `None` when there are none.
pub fn mean(xs: &[f64]) -> Option<f64> {
    let (sum, n) = xs
        .iter()
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Population standard deviation (numpy's default, `ddof=0`) of the finite values.
pub fn std(xs: &[f64]) -> Option<f64> {
    let m = mean(xs)?;
    let finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let var = finite.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / finite.len() as f64;
    Some(var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_std() {
        assert_eq!(mean(&[]), None);
        assert_eq!(std(&[]), None);
        assert_eq!(mean(&[f64::NAN]), None);
        assert_eq!(mean(&[1.0, 2.0, 3.0, f64::NAN]), Some(2.0));
        assert_eq!(std(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), Some(2.0));
        assert_eq!(std(&[5.0]), Some(0.0));
    }
}
