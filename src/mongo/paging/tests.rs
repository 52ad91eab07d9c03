//! The plans driven against a small in-memory gateway: records in `_id` order, a payload cap in
//! bytes, `_id` ranges, skip and limit. Every test reads a whole collection and checks that each
//! record arrived exactly once or was reported lost.

use super::*;
use serde_json::Value;

/// A collection behind a gateway with a payload cap (bytes per response).
struct Gateway {
    /// (id, size in bytes) in `_id` order (strings after numbers, objects last, as BSON sorts).
    docs: Vec<(Value, usize)>,
    cap: usize,
    requests: usize,
}

fn id_cmp(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None, // type-bracketed: a string bound never matches other types
    }
}

fn matches_cond(id: &Value, cond: &Value) -> bool {
    let Some(ops) = cond.as_object() else {
        return id == cond;
    };
    ops.iter().all(|(op, bound)| {
        let o = id_cmp(id, bound);
        match op.as_str() {
            "$gt" => o == Some(std::cmp::Ordering::Greater),
            "$gte" => matches!(
                o,
                Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
            ),
            "$lt" => o == Some(std::cmp::Ordering::Less),
            "$exists" => true,
            other => panic!("unexpected operator {other}"),
        }
    })
}

fn matches(id: &Value, filter: &Value) -> bool {
    let f = filter.as_object().expect("filter object");
    f.iter().all(|(k, v)| match k.as_str() {
        "_id" => matches_cond(id, v),
        "$and" => v.as_array().unwrap().iter().all(|sub| matches(id, sub)),
        "kind" => true, // the "user filter" of the tests matches everything
        other => panic!("unexpected key {other}"),
    })
}

impl Gateway {
    fn new(ids: Vec<Value>, size: usize, cap: usize) -> Gateway {
        Gateway {
            docs: ids.into_iter().map(|id| (id, size)).collect(),
            cap,
            requests: 0,
        }
    }

    fn count(&mut self) -> u64 {
        self.requests += 1;
        self.docs.len() as u64
    }

    /// The `_id`s of a `find` response (a projection to `_id` makes records tiny).
    fn find(&mut self, p: &FindParams) -> Vec<IdKey> {
        self.requests += 1;
        assert_eq!(p.sort, Some(json!({"_id": 1})));
        let only_id = p.projection == Some(json!({"_id": 1}));
        let mut bytes = 2;
        let mut out = Vec::new();
        for (id, size) in self
            .docs
            .iter()
            .filter(|(id, _)| matches(id, &p.filter))
            .skip(p.skip as usize)
        {
            if p.limit > 0 && out.len() as u64 >= p.limit {
                break;
            }
            let size = if only_id { 40 } else { *size };
            if bytes + size > self.cap {
                break;
            }
            bytes += size + 2;
            out.push(IdKey::of(Some(id)));
        }
        out
    }
}

/// Reads everything like `net::client` does (sequentially here); returns the ids received in
/// order and the lost records.
fn read_all(gw: &mut Gateway, config: PagingConfig, count_ok: bool) -> (Vec<IdKey>, Vec<Lost>) {
    let plan = StreamPlan::new(json!({"kind": "fit"}), Some(json!({"x": 1})), config);
    let first = gw.find(&plan.first_request());
    let count = if count_ok { Some(gw.count()) } else { None };
    let mut ranges = vec![plan.first_range(&first, count)];
    ranges.extend(plan.ranges(&plan.pending(count), count));
    let (rest, lost) = drain(gw, ranges);
    let mut got = first;
    got.extend(rest);
    (got, lost)
}

fn str_ids(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!(format!("id-{i:06}"))).collect()
}

fn small() -> PagingConfig {
    PagingConfig {
        first_limit: 10,
        range_records: 25,
        max_ranges: 4,
    }
}

fn assert_all_once(got: &[IdKey], ids: &[Value]) {
    let want: Vec<IdKey> = ids.iter().map(|v| IdKey::of(Some(v))).collect();
    let mut got = got.to_vec();
    got.sort_by(|a, b| a.text().cmp(&b.text()));
    let mut want = want;
    want.sort_by(|a, b| a.text().cmp(&b.text()));
    assert_eq!(got, want);
}

#[test]
fn keyset_read_splits_into_ranges_and_loses_nothing() {
    for (n, cap) in [
        (0, 10_000),
        (7, 10_000),
        (10, 10_000),
        (11, 10_000),
        (100, 10_000),
        (100, 1_100),
        (333, 450),
    ] {
        let ids = str_ids(n);
        let mut gw = Gateway::new(ids.clone(), 100, cap);
        let (got, lost) = read_all(&mut gw, small(), true);
        assert_all_once(&got, &ids);
        assert!(lost.is_empty(), "{n} {cap}: {lost:?}");
    }
}

#[test]
fn requests_are_few_when_pages_fit() {
    // 100 records: first 10, then 90 in 4 ranges of ~23 (max_ranges), each one response: count +
    // first + 4 range pages.
    let mut gw = Gateway::new(str_ids(100), 100, 1_000_000);
    read_all(&mut gw, small(), true);
    assert_eq!(gw.requests, 6);
    // Everything fits the first page: count + first.
    let mut gw = Gateway::new(str_ids(10), 100, 1_000_000);
    read_all(&mut gw, small(), true);
    assert_eq!(gw.requests, 2);
}

#[test]
fn ranges_are_split_evenly() {
    let plan = StreamPlan::new(json!({}), None, small());
    assert_eq!(plan.pending(Some(5)), vec![]);
    assert_eq!(plan.pending(None), vec![]);
    assert_eq!(
        plan.pending(Some(60)),
        vec![
            Pending {
                start_pos: 10,
                expected: 25
            },
            Pending {
                start_pos: 35,
                expected: 25
            },
        ]
    );
    let many = plan.pending(Some(1010));
    assert_eq!(many.len(), 4);
    assert_eq!(many.iter().map(|p| p.expected).sum::<u64>(), 1000);
    assert!(many
        .windows(2)
        .all(|w| w[0].start_pos + w[0].expected == w[1].start_pos));
}

#[test]
fn ranges_start_by_position_and_go_on_by_id() {
    let plan = StreamPlan::new(json!({"kind": "fit"}), None, small());
    let pending = plan.pending(Some(60));
    let ranges = plan.ranges(&pending, Some(60));
    let Step::Fetch(p) = ranges[1].next() else {
        panic!()
    };
    // The last range asks for one more than the count puts in it (the count may be low).
    assert_eq!(
        (p.filter, p.skip, p.limit),
        (json!({"kind": "fit"}), 35, 26)
    );
    let mut r = ranges[1].clone();
    r.on_page(&[IdKey::Str("m".into()), IdKey::Str("n".into())]);
    let Step::Fetch(p) = r.next() else { panic!() };
    assert_eq!(
        (p.filter, p.skip, p.limit),
        (json!({"kind": "fit", "_id": {"$gt": "n"}}), 0, 24)
    );
    // An oversized first record of a range is found by position, then paging goes on by id.
    let mut r = ranges[0].clone();
    r.on_page(&[]);
    let Step::Probe(p) = r.next() else { panic!() };
    assert_eq!(
        (p.skip, p.limit, p.projection),
        (10, 1, Some(json!({"_id": 1})))
    );
    r.on_probe(Some(IdKey::Str("k".into())));
    let Step::Fetch(p) = r.next() else { panic!() };
    assert_eq!(
        (p.filter, p.skip, p.limit),
        (json!({"kind": "fit", "_id": {"$gt": "k"}}), 0, 24)
    );
}

#[test]
fn an_oversized_record_is_stepped_over_and_named() {
    for (n, big_at) in [(5, 0), (5, 4), (60, 3), (60, 30), (60, 59)] {
        let ids = str_ids(n);
        let mut gw = Gateway::new(ids.clone(), 100, 2_000);
        gw.docs[big_at].1 = 5_000;
        let (got, lost) = read_all(&mut gw, small(), true);
        let mut rest = ids.clone();
        let big = rest.remove(big_at);
        assert_all_once(&got, &rest);
        assert_eq!(
            lost,
            vec![Lost {
                id: big.as_str().map(str::to_string),
                reason: LostReason::TooLarge
            }],
            "{n} {big_at}"
        );
    }
}

#[test]
fn non_string_ids_fall_back_to_skip_paging() {
    let oids: Vec<Value> = (0..70)
        .map(|i| json!({"$oid": format!("{i:024x}")}))
        .collect();
    let mut gw = Gateway::new(oids.clone(), 100, 900);
    let (got, lost) = read_all(&mut gw, small(), true);
    assert_all_once(&got, &oids);
    assert!(lost.is_empty());
    // Strings first, then ObjectIds (BSON order): the string ranges must not miss the objects.
    let mut mixed = str_ids(30);
    mixed.extend(oids.iter().take(40).cloned());
    let mut gw = Gateway::new(mixed.clone(), 100, 900);
    let (got, lost) = read_all(&mut gw, small(), true);
    assert_all_once(&got, &mixed);
    assert!(lost.is_empty());
    // The same in a read small enough for the first range alone.
    let mut mixed = str_ids(6);
    mixed.extend(oids.iter().take(3).cloned());
    let mut gw = Gateway::new(mixed.clone(), 100, 300);
    let (got, lost) = read_all(&mut gw, small(), true);
    assert_all_once(&got, &mixed);
    assert!(lost.is_empty(), "{lost:?}");
    // An oversized ObjectId record in skip mode is named too.
    let mut gw = Gateway::new(oids.clone(), 100, 900);
    gw.docs[20].1 = 5_000;
    let (_, lost) = read_all(&mut gw, small(), true);
    assert_eq!(lost.len(), 1);
    assert_eq!(
        lost[0].id.as_deref(),
        Some("ObjectId(000000000000000000000014)")
    );
}

#[test]
fn duplicate_or_unordered_ids_switch_a_range_to_skip() {
    let mut r = StreamPlan::new(json!({}), None, small())
        .first_range(&[IdKey::Str("a".into()), IdKey::Str("a".into())], Some(5));
    assert_eq!(r.mode, Mode::Skip);
    let Step::Fetch(p) = r.next() else { panic!() };
    assert_eq!((p.skip, p.limit, p.filter), (2, 4, json!({})));
    r.on_page(&[
        IdKey::Unknown,
        IdKey::Other("1".into()),
        IdKey::Str("z".into()),
    ]);
    // The count was reached on cut pages: one more request makes sure nothing follows.
    let Step::Fetch(p) = r.next() else { panic!() };
    assert_eq!((p.skip, p.limit), (5, 1));
    r.on_page(&[]);
    assert_eq!(r.next(), Step::Done);
    let r = StreamPlan::new(json!({}), None, small())
        .first_range(&[IdKey::Str("b".into()), IdKey::Unknown], Some(5));
    assert_eq!(r.mode, Mode::Skip);
}

#[test]
fn a_count_that_disagrees_with_find() {
    // The count says 40 but only 30 exist: the missing ones are reported, nothing hangs.
    let ids = str_ids(30);
    let plan = StreamPlan::new(json!({"kind": "fit"}), None, small());
    let mut gw = Gateway::new(ids.clone(), 100, 10_000);
    let first = gw.find(&plan.first_request());
    let mut ranges = vec![plan.first_range(&first, Some(40))];
    ranges.extend(plan.ranges(&plan.pending(Some(40)), Some(40)));
    let mut got = first;
    let mut lost = Vec::new();
    for mut r in ranges {
        while let step @ (Step::Fetch(_) | Step::Probe(_)) = r.next() {
            match step {
                Step::Fetch(p) => {
                    let page = gw.find(&p);
                    got.extend(page.iter().cloned());
                    r.on_page(&page);
                }
                Step::Probe(p) => r.on_probe(gw.find(&p).into_iter().next()),
                Step::Done => unreachable!(),
            }
        }
        lost.extend(r.lost);
    }
    assert_all_once(&got, &ids);
    let missing: u64 = lost
        .iter()
        .map(|l| match l.reason {
            LostReason::NotReturned(n) => n,
            _ => panic!("nothing is too large or failed: {l:?}"),
        })
        .sum();
    assert_eq!(missing, 10);
}

/// Runs ranges to their end against the gateway; the ids received and the losses.
fn drain(gw: &mut Gateway, ranges: Vec<RangePlan>) -> (Vec<IdKey>, Vec<Lost>) {
    let (mut got, mut lost) = (Vec::new(), Vec::new());
    for mut r in ranges {
        let mut guard = 0;
        loop {
            guard += 1;
            assert!(guard < 10_000, "a range never ends");
            match r.next() {
                Step::Done => break,
                Step::Fetch(p) => {
                    let page = gw.find(&p);
                    got.extend(page.iter().cloned());
                    r.on_page(&page);
                }
                Step::Probe(p) => r.on_probe(gw.find(&p).into_iter().next()),
            }
        }
        lost.extend(r.lost);
    }
    (got, lost)
}

#[test]
fn a_count_lower_than_what_exists_reads_on() {
    // The count says 8 (first range only) or 30 (split into ranges); 50 exist, pages of 5.
    for (count, cap) in [(8, 10_000), (8, 520), (30, 10_000), (30, 520)] {
        let ids = str_ids(50);
        let plan = StreamPlan::new(json!({"kind": "fit"}), None, small());
        let mut gw = Gateway::new(ids.clone(), 100, cap);
        let first = gw.find(&plan.first_request());
        let mut ranges = vec![plan.first_range(&first, Some(count))];
        ranges.extend(plan.ranges(&plan.pending(Some(count)), Some(count)));
        let (more, lost) = drain(&mut gw, ranges);
        let mut got = first;
        got.extend(more);
        assert_all_once(&got, &ids);
        assert!(lost.is_empty(), "{count} {cap}: {lost:?}");
    }
    // When the count is right, no request is spent checking for more.
    let mut gw = Gateway::new(str_ids(10), 100, 10_000);
    read_all(&mut gw, small(), true);
    assert_eq!(gw.requests, 2);
}

#[test]
fn a_limit_holds_without_a_count_and_a_zero_limit_reads_nothing() {
    let ids = str_ids(100);
    let plan = StreamPlan::new(json!({"kind": "fit"}), None, small()).with_limit(Some(15));
    let mut gw = Gateway::new(ids.clone(), 100, 1_000);
    let first = gw.find(&plan.first_request());
    assert!(plan.pending(None).is_empty());
    let (more, lost) = drain(&mut gw, vec![plan.first_range(&first, None)]);
    let mut got = first;
    got.extend(more);
    assert_all_once(&got, &ids[..15]);
    assert!(lost.is_empty());
    assert!(StreamPlan::new(json!({}), None, small())
        .with_limit(Some(0))
        .is_empty());
    assert!(!plan.is_empty());
}

#[test]
fn without_a_count_read_until_an_empty_page() {
    let ids = str_ids(45);
    let mut gw = Gateway::new(ids.clone(), 100, 1_200);
    let (got, lost) = read_all(&mut gw, small(), false);
    assert_all_once(&got, &ids);
    assert!(lost.is_empty());
}

#[test]
fn reasons_read_well() {
    assert_eq!(
        LostReason::NotReturned(2).to_string(),
        "2 records were counted but not returned (the collection may have changed while loading)"
    );
    assert_eq!(IdKey::of(Some(&json!(5))), IdKey::Other("5".into()));
    assert_eq!(IdKey::of(None).text(), None);
}

#[test]
fn a_limited_read_takes_the_first_records_only() {
    let ids = str_ids(100);
    let plan = StreamPlan::new(json!({"kind": "fit"}), None, small()).with_limit(Some(37));
    let mut gw = Gateway::new(ids.clone(), 100, 1_000_000);
    let first = gw.find(&plan.first_request());
    assert_eq!(first.len(), 10);
    let count = Some(gw.count());
    let pending = plan.pending(count);
    assert_eq!(pending.iter().map(|p| p.expected).sum::<u64>(), 27);
    let mut got = first.clone();
    let mut ranges = vec![plan.first_range(&first, count)];
    ranges.extend(plan.ranges(&pending, count));
    for mut r in ranges {
        while let Step::Fetch(p) = r.next() {
            let page = gw.find(&p);
            got.extend(page.iter().cloned());
            r.on_page(&page);
        }
    }
    // Every range stops at its count.
    assert_eq!(got.len(), 37);
    assert_all_once(&got, &ids[..37]);
}
