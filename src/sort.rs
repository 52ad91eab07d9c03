//! One stable sort for the whole app. Each closure passed to `sort_by` compiles its own copy
//! of the standard library's sort (several KB of Wasm each); sorting positions through one
//! comparator type keeps a single copy.

use std::cmp::Ordering;

/// Sorts positions (indices into the caller's data) stably by `cmp`.
pub fn sort_positions(positions: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    positions.sort_by(|a, b| cmp(*a, *b));
}

/// The positions `0..n` in the order `cmp` gives.
pub fn sorted_positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut out: Vec<usize> = (0..n).collect();
    sort_positions(&mut out, cmp);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_by_the_comparator() {
        let keys = [3, 1, 2, 1];
        assert_eq!(
            sorted_positions(4, &|a, b| keys[a].cmp(&keys[b])),
            [1, 3, 2, 0]
        );
        assert_eq!(
            sorted_positions(0, &|_, _| Ordering::Equal),
            Vec::<usize>::new()
        );
    }
}
