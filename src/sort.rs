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

/// Sorts a vector stably by `cmp`, through the one sort above (only this small reordering is
/// compiled per element type).
pub fn sort_vec<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorted, without repeats.
pub fn sorted_unique<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    sort_vec(&mut v, &|a, b| a.cmp(b));
    v.dedup();
    v
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
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c')];
        sort_vec(&mut v, &|a, b| a.0.cmp(&b.0));
        assert_eq!(v, [(1, 'b'), (2, 'a'), (2, 'c')]);
        assert_eq!(sorted_unique(vec!["b", "a", "b"]), ["a", "b"]);
    }
}
