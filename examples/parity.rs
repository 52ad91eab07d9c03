//! Host-side bridge for the parity test (tests/python/test_parity.py), which compares the Rust
//! normalizer with the reference `get_mle_model_fitting` on the same API responses.
//!
//!   parity queries <subject_id>   prints {"framework": {filter, projection}, "han": {...}}
//!   parity normalize < pages.json  reads {"framework": [page text, ...], "han": [...]} (raw
//!                                  response bodies) and prints the merged table as JSON
//!   parity search '<params json>'  the search page's filters for URL parameters, and its Python snippet
use std::io::Read;

use aind_results_browser::datasets::foraging::export::to_value;
use aind_results_browser::datasets::foraging::merge::merge_records;
use aind_results_browser::datasets::foraging::query::FitQuery;
use aind_results_browser::datasets::foraging::record::FitRecord;
use aind_results_browser::datasets::foraging::rows::FitRow;
use aind_results_browser::datasets::foraging::schema::{projection, Pipeline};
use aind_results_browser::datasets::foraging::snippet::python_snippet;
use aind_results_browser::mongo::params::MAX_URL_BYTES;
use aind_results_browser::mongo::records::parse_records;
use serde_json::{json, Value};
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("queries") if args.len() == 2 => {
            let q = FitQuery::for_subject(&args[1]);
            let one = |p| json!({"filter": q.filter(p).expect("a subject is a filter").expect("both formats"), "projection": projection(p, true)});
            println!(
                "{}",
                json!({"framework": one(Pipeline::Framework), "han": one(Pipeline::Han)})
            );
        }
        Some("normalize") => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).expect("stdin");
            let pages: Value = serde_json::from_str(&input).expect("pages JSON");
            // Read as the app reads a response: straight into the normalizer's fields.
            let records = |key: &str| -> Vec<FitRecord> {
                pages[key]
                    .as_array()
                    .expect("a list of page texts")
                    .iter()
                    .flat_map(|text| {
                        let page = parse_records::<FitRecord>(text.as_str().expect("page text"))
                            .unwrap_or_else(|e| panic!("page is not a list: {e}"));
                        assert!(page.unreadable.is_empty(), "{:?}", page.unreadable);
                        page.records
                    })
                    .collect()
            };
            let table = merge_records(records("framework"), records("han"));
            let with_warnings = |rows: &[Arc<FitRow>]| {
                rows.iter()
                    .map(|r| {
                        let mut v = to_value(r);
                        v["_warnings"] = json!(r.warnings);
                        v
                    })
                    .collect::<Vec<_>>()
            };
            let out = json!({
                "rows": with_warnings(table.success()),
                "failed": with_warnings(table.failed()),
                "skipped": table.skipped.iter().map(|s| json!({"id": s.id, "reason": s.reason})).collect::<Vec<_>>(),
                "superseded": table.superseded.len(),
                "received": table.received,
            });
            println!("{out}");
        }
        Some("search") if args.len() == 2 => {
            // The search page's queries for URL parameters given as a JSON object, and the
            // "Reproduce in Python" snippet for the same search.
            let params: serde_json::Map<String, Value> =
                serde_json::from_str(&args[1]).expect("a JSON object of URL parameters");
            let pairs: Vec<(String, String)> = params
                .into_iter()
                .map(|(k, v)| (k, v.as_str().expect("string values").to_string()))
                .collect();
            let (q, problems) = FitQuery::from_params(&pairs);
            assert!(problems.is_empty(), "{problems:?}");
            let one = |p| {
                json!({
                    "filters": q.batched_filters(p, MAX_URL_BYTES).expect("a filter").unwrap_or_default(),
                    "projection": projection(p, true),
                })
            };
            println!(
                "{}",
                json!({"framework": one(Pipeline::Framework), "han": one(Pipeline::Han), "snippet": python_snippet(&q)})
            );
        }
        _ => {
            eprintln!("usage: parity queries <subject_id> | parity normalize < pages.json | parity search '<params json>'");
            std::process::exit(2);
        }
    }
}
