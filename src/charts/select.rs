//! Which marks a box or a lasso drawn over a chart takes in (device pixels). Pure.

use super::Hit;

/// The rows of the marks inside the box with corners `a` and `b`, in order, each once.
pub fn in_box(hits: &[Hit], a: (f64, f64), b: (f64, f64)) -> Vec<usize> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    rows(hits, |h| h.x >= x0 && h.x <= x1 && h.y >= y0 && h.y <= y1)
}

/// The rows of the marks inside the closed path `lasso` (even-odd rule), in order, each once.
pub fn in_lasso(hits: &[Hit], lasso: &[(f64, f64)]) -> Vec<usize> {
    if lasso.len() < 3 {
        return Vec::new();
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in lasso {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    rows(hits, |h| {
        h.x >= x0 && h.x <= x1 && h.y >= y0 && h.y <= y1 && inside(lasso, h.x, h.y)
    })
}

fn rows(hits: &[Hit], keep: impl Fn(&Hit) -> bool) -> Vec<usize> {
    let mut out: Vec<usize> = hits
        .iter()
        .filter(|h| keep(h))
        .filter_map(|h| h.row)
        .collect();
    crate::sort::sort_positions(&mut out, &|a, b| a.cmp(&b));
    out.dedup();
    out
}

/// Whether (x, y) is inside the polygon (a ray to the right crosses its edges an odd number
/// of times).
fn inside(poly: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut odd = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let ((xi, yi), (xj, yj)) = (poly[i], poly[j]);
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            odd = !odd;
        }
        j = i;
    }
    odd
}

/// The extent of a drag: at least this many device pixels before it is a selection, not a
/// click.
pub fn is_drag(path: &[(f64, f64)], min: f64) -> bool {
    let Some(&(x0, y0)) = path.first() else {
        return false;
    };
    path.iter()
        .any(|&(x, y)| (x - x0).abs() >= min || (y - y0).abs() >= min)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(x: f64, y: f64, row: usize) -> Hit {
        Hit {
            x,
            y,
            series: 0,
            item: row,
            row: Some(row),
            radius: 0.0,
        }
    }

    #[test]
    fn a_box_takes_the_marks_inside_it_whichever_way_it_was_drawn() {
        let hits = [
            hit(1.0, 1.0, 3),
            hit(5.0, 5.0, 1),
            hit(9.0, 9.0, 2),
            hit(5.0, 5.0, 1),
        ];
        assert_eq!(in_box(&hits, (0.0, 0.0), (6.0, 6.0)), [1, 3]);
        assert_eq!(in_box(&hits, (6.0, 6.0), (0.0, 0.0)), [1, 3]);
        assert!(in_box(&hits, (2.0, 2.0), (3.0, 3.0)).is_empty());
    }

    #[test]
    fn a_lasso_takes_what_it_encloses_even_when_concave() {
        // A "U": the middle of the U is outside.
        let u = [
            (0.0, 0.0),
            (3.0, 0.0),
            (3.0, 10.0),
            (7.0, 10.0),
            (7.0, 0.0),
            (10.0, 0.0),
            (10.0, 12.0),
            (0.0, 12.0),
        ];
        let hits = [
            hit(1.0, 5.0, 0),
            hit(5.0, 5.0, 1),
            hit(8.0, 5.0, 2),
            hit(5.0, 11.0, 3),
        ];
        assert_eq!(in_lasso(&hits, &u), [0, 2, 3]);
        assert!(in_lasso(&hits, &u[..2]).is_empty());
    }

    #[test]
    fn a_small_move_is_a_click() {
        assert!(!is_drag(&[(0.0, 0.0), (2.0, 1.0)], 4.0));
        assert!(is_drag(&[(0.0, 0.0), (2.0, 5.0)], 4.0));
        assert!(!is_drag(&[], 4.0));
    }
}
