//! The generic table on a toy row type: ordering, the quick filter, URL state and pages.

use super::state::*;
use super::*;

#[derive(Debug)]
struct Row {
    id: &'static str,
    score: Option<f64>,
    name: Option<&'static str>,
}

fn spec() -> TableSpec<Row> {
    TableSpec {
        columns: vec![
            ColumnSpec {
                key: "score".into(),
                label: "Score".into(),
                numeric: true,
                default_dir: SortDir::Desc,
                cell: Arc::new(|r: &Row| fmt_fixed(r.score, 1)),
                sort_key: Arc::new(|r: &Row| SortKey::num(r.score)),
            },
            ColumnSpec {
                key: "name".into(),
                label: "Name".into(),
                numeric: false,
                default_dir: SortDir::Asc,
                cell: Arc::new(|r: &Row| r.name.unwrap_or(EMPTY).to_string()),
                sort_key: Arc::new(|r: &Row| SortKey::text(r.name)),
            },
        ],
        default_columns: vec!["name".into(), "score".into()],
        default_sort: ("name".into(), SortDir::Asc),
        row_key: Arc::new(|r: &Row| r.id.to_string()),
        matches: Arc::new(|r: &Row, needle: &str| {
            r.name.is_some_and(|n| n.to_lowercase().contains(needle))
        }),
        tie_break: Arc::new(|a: &Row, b: &Row| a.id.cmp(b.id)),
        noun: ("row", "rows"),
    }
}

fn rows() -> Vec<Arc<Row>> {
    [
        ("a", Some(3.0), Some("Qlearn")),
        ("b", None, Some("wsls")),
        ("c", Some(1.0), None),
        ("d", Some(3.0), Some("Bias")),
        ("e", Some(f64::NAN), Some("qq")),
    ]
    .into_iter()
    .map(|(id, score, name)| Arc::new(Row { id, score, name }))
    .collect()
}

fn ids(rows: &[Arc<Row>], order: &[usize]) -> String {
    order.iter().map(|&i| rows[i].id).collect()
}

#[test]
fn order_puts_missing_last_both_ways_and_breaks_ties() {
    let (s, r) = (spec(), rows());
    let all = || 0..r.len();
    assert_eq!(
        ids(&r, &s.order(&r, all(), "", ("score", SortDir::Asc))),
        "cadbe"
    );
    assert_eq!(
        ids(&r, &s.order(&r, all(), "", ("score", SortDir::Desc))),
        "adcbe"
    );
    assert_eq!(
        ids(&r, &s.order(&r, all(), "", ("name", SortDir::Asc))),
        "daebc"
    );
    assert_eq!(
        ids(&r, &s.order(&r, all(), "", ("name", SortDir::Desc))),
        "beadc"
    );
    // An unknown column keeps the tie-break order; a subset of candidates stays a subset.
    assert_eq!(
        ids(&r, &s.order(&r, all(), "", ("nope", SortDir::Asc))),
        "abcde"
    );
    assert_eq!(
        ids(
            &r,
            &s.order(&r, [4, 0].into_iter(), "", ("name", SortDir::Asc))
        ),
        "ae"
    );
}

#[test]
fn the_quick_filter_ignores_case_and_spaces() {
    let (s, r) = (spec(), rows());
    let all = || 0..r.len();
    assert_eq!(
        ids(&r, &s.order(&r, all(), "  Q ", ("name", SortDir::Asc))),
        "ae"
    );
    assert_eq!(
        ids(&r, &s.order(&r, all(), "   ", ("name", SortDir::Asc))),
        "daebc"
    );
    assert_eq!(
        ids(&r, &s.order(&r, all(), "zzz", ("name", SortDir::Asc))),
        ""
    );
    assert_eq!(
        (s.count(1), s.count(2)),
        ("1 row".to_string(), "2 rows".to_string())
    );
}

fn params(pairs: &[(&str, &str)]) -> TableParams {
    let mut p = TableParams::default();
    for (k, v) in pairs {
        let v = Some(v.to_string());
        match *k {
            "sort" => p.sort = v,
            "dir" => p.dir = v,
            "cols" => p.cols = v,
            "q" => p.q = v,
            "page" => p.page = v,
            "sel" => p.sel = v,
            _ => unreachable!(),
        }
    }
    p
}

/// (params, sort, columns, page, problems)
#[test]
fn url_state_is_read_leniently() {
    let s = spec();
    type Case<'a> = (
        &'a [(&'a str, &'a str)],
        (&'a str, SortDir),
        &'a str,
        usize,
        &'a [&'a str],
    );
    let cases: [Case; 7] = [
        (&[], ("name", SortDir::Asc), "name,score", 1, &[]),
        (
            &[("sort", "score")],
            ("score", SortDir::Desc),
            "name,score",
            1,
            &[],
        ),
        (
            &[("sort", "score"), ("dir", "asc"), ("page", "3")],
            ("score", SortDir::Asc),
            "name,score",
            3,
            &[],
        ),
        (
            &[("dir", "desc")],
            ("name", SortDir::Desc),
            "name,score",
            1,
            &[],
        ),
        (
            &[("sort", "x"), ("dir", "up")],
            ("name", SortDir::Asc),
            "name,score",
            1,
            &[
                "dir: \"up\" is neither asc nor desc; ignored.",
                "sort: unknown column \"x\"; sorted by Name instead.",
            ],
        ),
        (
            &[("cols", "score, x,score,,y,x"), ("page", "0")],
            ("name", SortDir::Asc),
            "score",
            1,
            &[
                "cols: unknown columns \"x\", \"y\"; ignored.",
                "page: \"0\" is not a page number; showing page 1.",
            ],
        ),
        (
            &[("cols", ",,z")],
            ("name", SortDir::Asc),
            "name,score",
            1,
            &[
                "cols: unknown column \"z\"; ignored.",
                "cols: no known column; showing the default columns.",
            ],
        ),
    ];
    for (pairs, sort, cols, page, problems) in cases {
        let (state, got) = resolve(&s, &params(pairs));
        assert_eq!((state.sort.0.as_str(), state.sort.1), sort, "{pairs:?}");
        assert_eq!(columns_param(&state.columns), cols, "{pairs:?}");
        assert_eq!(state.page, page, "{pairs:?}");
        assert_eq!(got, problems, "{pairs:?}");
    }
    let (state, _) = resolve(&s, &params(&[("q", "ab c")]));
    assert_eq!(state.needle, "ab c");
}

/// (total, page, per_page) -> (start, end, page, pages)
#[test]
fn pages() {
    let cases = [
        ((0, 1, 50), (0, 0, 1, 1)),
        ((0, 0, 0), (0, 0, 1, 1)),
        ((10, 1, 50), (0, 10, 1, 1)),
        ((100, 2, 50), (50, 100, 2, 2)),
        ((101, 3, 50), (100, 101, 3, 3)),
        ((101, 0, 50), (0, 50, 1, 3)),
        ((101, usize::MAX, 50), (100, 101, 3, 3)),
        ((5, 3, 0), (2, 3, 3, 5)),
        ((5, 2, usize::MAX), (0, 5, 1, 1)),
        (
            (usize::MAX, usize::MAX, 1),
            (usize::MAX - 1, usize::MAX, usize::MAX, usize::MAX),
        ),
    ];
    for ((total, page, per_page), expected) in cases {
        let got = page_bounds(total, page, per_page);
        assert_eq!(got, expected, "{total} {page} {per_page}");
        assert!(got.0 <= got.1 && got.1 <= total);
    }
    assert_eq!(
        page_problem(3, 2).as_deref(),
        Some("page: there are only 2 pages; showing the last.")
    );
    assert_eq!(
        page_problem(2, 1).as_deref(),
        Some("page: there is only 1 page; showing the last.")
    );
    assert_eq!(page_problem(2, 2), None);
    assert_eq!(pager_items(1, 1), [Some(1)]);
    assert_eq!(
        pager_items(5, 10),
        [
            Some(1),
            None,
            Some(3),
            Some(4),
            Some(5),
            Some(6),
            Some(7),
            None,
            Some(10)
        ]
    );
    assert_eq!(pager_items(2, 4), [Some(1), Some(2), Some(3), Some(4)]);
}

/// The order by one number per row, then the tie break within runs, is the order of comparing
/// the column and then the tie break directly (numbers, text, missing values, negative zero,
/// infinities, both directions, many ties).
#[test]
fn order_matches_a_direct_comparison() {
    struct Mixed {
        id: String,
        key: SortKey<'static>,
    }
    let values = [
        SortKey::Missing,
        SortKey::Num(-0.0),
        SortKey::Num(0.0),
        SortKey::Num(-1.5),
        SortKey::Num(2.25),
        SortKey::Num(f64::INFINITY),
        SortKey::Num(f64::NEG_INFINITY),
        SortKey::Num(1e-300),
        SortKey::Num(f64::NAN),
        SortKey::Num(-f64::NAN),
        SortKey::Text("b".into()),
        SortKey::Text("a".into()),
        SortKey::Text("".into()),
    ];
    let mut seed = 12345u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let rows: Vec<Arc<Mixed>> = (0..500)
        .map(|i| {
            Arc::new(Mixed {
                id: format!("{}", next() % 40 + i % 3),
                key: values[next() % values.len()].clone(),
            })
        })
        .collect();
    let spec = TableSpec {
        columns: vec![ColumnSpec {
            key: "k".into(),
            label: "K".into(),
            numeric: false,
            default_dir: SortDir::Asc,
            cell: Arc::new(|_: &Mixed| String::new()),
            sort_key: Arc::new(|r: &Mixed| r.key.clone()),
        }],
        default_columns: vec!["k".into()],
        default_sort: ("k".into(), SortDir::Asc),
        row_key: Arc::new(|r: &Mixed| r.id.clone()),
        matches: Arc::new(|_: &Mixed, _: &str| true),
        tie_break: Arc::new(|a: &Mixed, b: &Mixed| a.id.cmp(&b.id)),
        noun: ("row", "rows"),
    };
    let present = |a: &SortKey, b: &SortKey| match (a, b) {
        (SortKey::Num(x), SortKey::Num(y)) => x.total_cmp(y),
        (SortKey::Text(x), SortKey::Text(y)) => x.cmp(y),
        (SortKey::Num(_), SortKey::Text(_)) => Ordering::Less,
        _ => Ordering::Greater,
    };
    for dir in [SortDir::Asc, SortDir::Desc] {
        let mut want: Vec<usize> = (0..rows.len()).collect();
        want.sort_by(|&x, &y| {
            let (a, b) = (&rows[x].key, &rows[y].key);
            let o = match (a, b) {
                (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
                (SortKey::Missing, _) => Ordering::Greater,
                (_, SortKey::Missing) => Ordering::Less,
                _ if dir == SortDir::Desc => present(a, b).reverse(),
                _ => present(a, b),
            };
            o.then_with(|| rows[x].id.cmp(&rows[y].id))
        });
        assert_eq!(
            spec.order(&rows, 0..rows.len(), "", ("k", dir)),
            want,
            "{dir:?}"
        );
    }
}

#[test]
fn contains_folded_is_lower_case_contains() {
    let cases = [
        ("QLearning_L2F1", "l2f"),
        ("QLearning_L2F1", ""),
        ("abc", "abcd"),
        ("ForagingCompareThreshold", "comparet"),
        ("Ärger ÄRGER", "ärger"),
        ("İstanbul", "i̇st"),
        ("x", "X"),
        ("2024-10-19", "10-1"),
        ("Arger", "ä"),
        ("KELVIN", "\u{212a}"),
    ];
    for (hay, needle) in cases {
        let needle = needle.to_lowercase();
        assert_eq!(
            contains_folded(hay, &needle),
            hay.to_lowercase().contains(&needle),
            "{hay} / {needle}"
        );
    }
}
