//! The merge rules, and that the result does not depend on the order pages arrive in.

use super::*;
use serde_json::json;

impl Merger {
    /// [`Merger::add`] with the record as a JSON value.
    fn add_value(&mut self, rank: Rank, rec: &Value, notes: &[String]) {
        self.add(rank, FitRecord::from(rec.clone()), notes.to_vec());
    }
}

fn han(id: &str, nwb: &str, alias: &str, time: &str, status: &str) -> Value {
    json!({"_id": id, "nwb_name": nwb, "agent_alias": alias, "analysis_time": time,
           "status": status, "subject_id": "1", "session_date": "2024-01-01",
           "n_trials": 400, "log_likelihood": -200.5, "AIC": 410.0})
}

/// A framework record as the aliased projection returns it: every value in a list.
fn fw(id: &str, nwb: &str, alias: &str, time: &str, status: &str) -> Value {
    json!({"_id": id, "nwb_name": [nwb], "agent_alias": [alias], "analysis_time": [time],
           "status": [status], "subject_id": ["1"], "session_date": ["2024-01-01"],
           "S3_location": format!("s3://bkt/{id}")})
}

#[test]
fn merge_keeps_latest_per_session_and_model_across_pipelines() {
    let framework = vec![
        fw(
            "f-new",
            "s1.nwb",
            "Q",
            "2025-02-01T00:00:00.000000+00:00",
            "success",
        ),
        fw(
            "f-old",
            "s2.nwb",
            "Q",
            "2024-01-01T00:00:00.000000+00:00",
            "success",
        ),
        fw(
            "f-fail",
            "s3.nwb",
            "Q",
            "2025-03-01T00:00:00.000000+00:00",
            "failed",
        ),
    ];
    let han_recs = vec![
        han(
            "h-old",
            "s1.nwb",
            "Q",
            "2024-06-01T00:00:00.000000",
            "success",
        ),
        han(
            "h-new",
            "s2.nwb",
            "Q",
            "2024-06-01T00:00:00.000000",
            "success",
        ),
        han(
            "h-other-model",
            "s1.nwb",
            "W",
            "2024-06-01T00:00:00.000000",
            "success",
        ),
        han(
            "h-fail",
            "s3.nwb",
            "Q",
            "2024-06-01T00:00:00.000000",
            "error",
        ),
        json!({"_id": "bad"}),
    ];
    let t = merge(&framework, &han_recs);
    let ids: Vec<&str> = t.success().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["f-new", "h-new", "h-other-model"]);
    let failed: Vec<&str> = t.failed().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(failed, ["f-fail", "h-fail"]);
    assert_eq!((t.superseded.len(), t.skipped.len(), t.received), (2, 1, 8));
    assert_eq!(t.session_count(), 2);
    assert_eq!(
        t.rows[0].pipeline_source.source_label(),
        "aind analysis framework"
    );
}

/// A small pseudo-random permutation (no dependency for one test).
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut v = items.to_vec();
    let mut x = seed | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

#[test]
fn arrival_order_does_not_matter() {
    let mut records = Vec::new();
    for i in 0..60u64 {
        let nwb = format!("s{}.nwb", i % 7);
        let alias = ["Q", "W", "C"][(i % 3) as usize];
        // Some ties in analysis time on purpose: reading order must break them.
        let time = format!("2025-01-{:02}T00:00:00+00:00", 1 + i % 5);
        let status = if i % 11 == 0 { "failed" } else { "success" };
        let (pipeline, rec) = if i % 2 == 0 {
            (
                Pipeline::Framework,
                fw(&format!("f{i:03}"), &nwb, alias, &time, status),
            )
        } else {
            (
                Pipeline::Han,
                han(&format!("h{i:03}"), &nwb, alias, &time, status),
            )
        };
        let rank = Rank {
            pipeline,
            batch: (i % 2) as u32,
            pos: i,
        };
        records.push((rank, rec));
    }
    // The same records read twice at other positions (skip paging over a changing
    // collection), one of them changed in between: the copy earlier in reading order wins.
    for i in [3u64, 8, 13] {
        let (rank, mut rec) = records[i as usize].clone();
        rec["n_trials"] = json!(999);
        records.push((
            Rank {
                pos: 100 + i,
                ..rank
            },
            rec,
        ));
    }
    let mut in_order = records.clone();
    in_order.sort_by_key(|(r, _)| *r);
    let reference = {
        let mut m = Merger::new();
        for (rank, rec) in &in_order {
            m.add_value(*rank, rec, &[]);
        }
        m.table()
    };
    assert!(reference.n_success > 5 && reference.superseded.len() > 5);
    assert!(reference.rows.iter().all(|r| r.n_trials != Some(999)));
    for seed in 1..20 {
        let mut m = Merger::new();
        for (rank, rec) in shuffled(&records, seed) {
            m.add_value(rank, &rec, &[]);
        }
        assert_eq!(m.table(), reference, "seed {seed}");
    }
}

#[test]
fn rows_have_keys_of_their_own() {
    // The same _id from both formats (a record matching both selectors), and a string id equal
    // to an ObjectId's hex: four rows, four keys.
    let mut m = Merger::new();
    let rank = |pipeline, pos| Rank {
        pipeline,
        batch: 0,
        pos,
    };
    m.add_value(
        rank(Pipeline::Framework, 0),
        &fw("x", "a.nwb", "Q", "2025-01-01", "success"),
        &[],
    );
    m.add_value(
        rank(Pipeline::Han, 0),
        &han("x", "b.nwb", "Q", "2025-01-02", "success"),
        &[],
    );
    let mut oid = han("y", "c.nwb", "Q", "2025-01-03", "success");
    oid["_id"] = json!({"$oid": "y"});
    m.add_value(rank(Pipeline::Han, 1), &oid, &[]);
    m.add_value(
        rank(Pipeline::Han, 2),
        &han("y", "d.nwb", "Q", "2025-01-04", "success"),
        &[],
    );
    let t = m.table();
    let mut keys: Vec<(&str, &str)> = t
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.nwb_name.as_str()))
        .collect();
    keys.sort();
    // Keys say what sets a row apart, so they stay the same when other rows come and go.
    assert_eq!(
        keys,
        [
            ("x", "a.nwb"),
            ("x~han", "b.nwb"),
            ("y", "d.nwb"),
            ("y~oid", "c.nwb")
        ]
    );
    assert_eq!(t.find("x~han").map(|r| r.nwb_name.as_str()), Some("b.nwb"));
    // A real id that looks like a made-up key does not collide with it.
    m.add_value(
        rank(Pipeline::Framework, 1),
        &fw("x~han", "e.nwb", "Q", "2025-01-05", "success"),
        &[],
    );
    let t = m.table();
    let mut keys: Vec<&str> = t.rows.iter().map(|r| r.key.as_str()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 5, "{keys:?}");
}

#[test]
fn a_record_read_twice_is_kept_once_and_notes_become_warnings() {
    let mut m = Merger::new();
    let rank = Rank {
        pipeline: Pipeline::Han,
        batch: 0,
        pos: 0,
    };
    let rec = han("h", "a.nwb", "Q", "2025-01-01", "success");
    m.add_value(
        rank,
        &rec,
        &["a lone UTF-16 surrogate escape was replaced".to_string()],
    );
    m.add_value(Rank { pos: 1, ..rank }, &rec, &[]);
    m.unreadable(
        Rank { pos: 2, ..rank },
        Some("deep".into()),
        "nested deeper than 128 levels",
    );
    let t = m.table();
    assert_eq!((t.rows.len(), m.repeated, t.received), (1, 1, 2));
    assert_eq!(
        t.rows[0].warnings,
        ["a lone UTF-16 surrogate escape was replaced"]
    );
    assert_eq!(t.skipped.len(), 1);
    assert!(
        t.skipped[0].reason.contains("nested deeper"),
        "{:?}",
        t.skipped
    );
}
