//! Host benchmark of the table pipeline at the scale the search page promises (20,000 fits):
//! normalize + merge, text filter, sort, one page, and the CSV/JSON exports. Prints figures;
//! it asserts nothing (speed is measured here, not in timed tests).
//!
//!     cargo run --release --example bench [rows]

use std::hint::black_box;
use std::time::Instant;

use aind_results_browser::datasets::foraging::cache;
use aind_results_browser::datasets::foraging::columns::{spec, SUBJECT_DEFAULT};
use aind_results_browser::datasets::foraging::export::{to_csv, to_json};
use aind_results_browser::datasets::foraging::load::LoadNotes;
use aind_results_browser::datasets::foraging::merge::{merge, merge_records, Merger, Rank};
use aind_results_browser::datasets::foraging::record::FitRecord;
use aind_results_browser::datasets::foraging::schema::Pipeline;
use aind_results_browser::mongo::records::parse_records;
use aind_results_browser::table::state::page_bounds;
use aind_results_browser::table::SortDir;
use serde_json::{json, Value};

const MODELS: [&str; 5] = [
    "QLearning_L2F1_softmax",
    "QLearning_L2F1_CK1_softmax",
    "QLearning_L1F1_CK1_softmax",
    "ForagingCompareThreshold",
    "WSLS",
];

/// Projected records as the API returns them: framework values wrapped in one-element lists.
fn records(n: usize) -> (Vec<Value>, Vec<Value>) {
    let (mut fw, mut han) = (Vec::new(), Vec::new());
    for i in 0..n {
        let subject = 700_000 + i / 400;
        let session = i / MODELS.len();
        let day = 1 + session % 28;
        let nwb = format!("{subject}_2025-03-{day:02}_s{session:05}.nwb");
        let model = MODELS[i % MODELS.len()];
        let x = (i as f64 * 0.618_033_988_7).fract();
        let folds: Vec<f64> = (0..10).map(|k| 0.6 + 0.02 * k as f64 + 0.1 * x).collect();
        let common = |wrap: bool| {
            let w = |v: Value| if wrap { json!([v]) } else { v };
            json!({
                "_id": format!("id-{i:06}"), "nwb_name": w(json!(nwb)), "subject_id": w(json!(subject.to_string())),
                "session_date": w(json!(format!("2025-03-{day:02}"))), "status": w(json!("success")),
                "analysis_time": w(json!(format!("2025-06-{:02}T10:{:02}:00.{i:06}+00:00", 1 + i % 28, i % 60))),
                "agent_alias": w(json!(model)), "n_trials": w(json!(300 + i % 400)),
                "log_likelihood": w(json!(-200.0 - 300.0 * x)), "AIC": w(json!(400.0 + 600.0 * x)),
                "BIC": w(json!(420.0 + 600.0 * x)), "LPT_AIC": w(json!(0.5 + 0.1 * x)),
                "prediction_accuracy": w(json!(0.6 + 0.3 * x)), "k_model": w(json!(4)),
                "params": w(json!({"learn_rate": x, "softmax_inverse_temperature": 5.0 + x})),
                "prediction_accuracy_test": w(json!(folds)),
            })
        };
        if i % 2 == 0 {
            fw.push(common(true));
        } else {
            han.push(common(false));
        }
    }
    (fw, han)
}

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> T {
    let mut out = None;
    let start = Instant::now();
    for _ in 0..runs {
        out = Some(black_box(f()));
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0 / runs as f64;
    println!("{label:<44} {ms:>9.2} ms");
    out.expect("at least one run")
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let (fw, han) = records(n);
    println!("table pipeline, {n} fits (host, release build; the browser's Wasm is slower)");
    let table = time("normalize + merge both formats", 5, || merge(&fw, &han));
    // The bodies as the API sends them, in pages of 2,500 records.
    let pages: Vec<(Pipeline, String)> = [(Pipeline::Framework, &fw), (Pipeline::Han, &han)]
        .into_iter()
        .flat_map(|(p, list)| {
            list.chunks(2500)
                .map(move |c| (p, Value::from(c.to_vec()).to_string()))
        })
        .collect();
    let body_mb = pages.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6;
    time(
        &format!("read {body_mb:.0} MB of pages: parse, normalize, merge"),
        5,
        || {
            let (mut framework, mut han) = (Vec::new(), Vec::new());
            for (p, text) in &pages {
                let page = parse_records::<FitRecord>(text).expect("a page");
                match p {
                    Pipeline::Framework => framework.extend(page.records),
                    Pipeline::Han => han.extend(page.records),
                }
            }
            merge_records(framework, han)
        },
    );
    let mut merger = Merger::new();
    for (pipeline, list) in [(Pipeline::Framework, &fw), (Pipeline::Han, &han)] {
        for (pos, rec) in list.iter().enumerate() {
            let rank = Rank {
                pipeline,
                batch: 0,
                pos: pos as u64,
            };
            merger.add(rank, FitRecord::from(rec.clone()), Vec::new());
        }
    }
    time("table of the merged rows (a load's snapshot)", 5, || {
        merger.table()
    });
    let notes = LoadNotes::default();
    let bytes = time("results cache: encode the table", 5, || {
        cache::encode(&table, &notes)
    });
    let _ = time("results cache: decode the table", 5, || {
        cache::decode(&bytes)
    });
    println!("results cache: entry of {} KB", bytes.len() / 1000);
    let all = &table.rows;
    let spec = spec(&SUBJECT_DEFAULT);
    time("text filter \"CK1\" over every row", 20, || {
        spec.order(all, 0..all.len(), "ck1", ("nope", SortDir::Asc))
            .len()
    });
    time("sort by AIC (positions)", 20, || {
        spec.order(all, 0..all.len(), "", ("AIC", SortDir::Asc))
    });
    time("sort by session date (positions)", 20, || {
        spec.order(all, 0..all.len(), "", ("session_date", SortDir::Desc))
    });
    let idx: Vec<usize> = (0..all.len()).collect();
    time("one page of 100 rows (bounds + Arc clones)", 200, || {
        let (s, e, _, _) = page_bounds(idx.len(), 57, 100);
        idx[s..e]
            .iter()
            .map(|&i| all[i].clone())
            .collect::<Vec<_>>()
    });
    let refs: Vec<_> = all.iter().map(|r| r.as_ref()).collect();
    let csv = time("CSV export of every row", 3, || to_csv(&refs));
    let js = time("JSON export of every row", 3, || to_json(&refs));
    println!(
        "rows kept: {}, CSV {} KB, JSON {} KB",
        all.len(),
        csv.len() / 1024,
        js.len() / 1024
    );
}
