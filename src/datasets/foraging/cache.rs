//! A loaded table of fits as a results-cache payload, and back. Every field of every row is
//! written in a fixed order with the cache's binary codec; a payload that does not read back
//! completely is refused (the caller discards the entry).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::load::{LoadNotes, LostNote};
use super::rows::{FitRow, FitTable, Skipped};
use super::schema::Pipeline;
use crate::net::cache::codec::{CodecError, Reader, Writer};

fn pipeline_code(p: Pipeline) -> u8 {
    match p {
        Pipeline::Framework => 0,
        Pipeline::Han => 1,
    }
}

fn read_pipeline(r: &mut Reader) -> Result<Pipeline, CodecError> {
    match r.u8()? {
        0 => Ok(Pipeline::Framework),
        1 => Ok(Pipeline::Han),
        n => Err(CodecError(format!("{n} is not a pipeline"))),
    }
}

fn opt_str(w: &mut Writer, s: &Option<String>) {
    w.opt(s.as_deref(), |w, s| w.str(s));
}

fn opt_f64(w: &mut Writer, x: Option<f64>) {
    w.opt(x, |w, x| w.f64(x));
}

fn opt_list(w: &mut Writer, xs: &Option<Vec<f64>>) {
    w.opt(xs.as_deref(), |w, xs| w.list(xs, |w, x| w.f64(*x)));
}

fn write_row(w: &mut Writer, r: &FitRow) {
    w.str(&r.key);
    w.str(&r.id);
    w.str(&r.nwb_name);
    opt_str(w, &r.analysis_time);
    opt_str(w, &r.subject_id);
    opt_str(w, &r.session_date);
    opt_str(w, &r.status);
    w.str(&r.agent_alias);
    w.opt(r.n_trials, |w, n| w.i64(n));
    w.str(&r.s3_location);
    opt_str(w, &r.co_asset_id);
    opt_str(w, &r.analysis_tag);
    w.u8(pipeline_code(r.pipeline_source));
    for x in [r.log_likelihood, r.prediction_accuracy] {
        opt_f64(w, x);
    }
    w.opt(r.k_model, |w, n| w.i64(n));
    for x in [r.aic, r.bic, r.lpt, r.lpt_aic, r.lpt_bic] {
        opt_f64(w, x);
    }
    // Parameters are few and of any JSON type: their JSON text.
    let params = r
        .params
        .as_ref()
        .map(|p| Value::Object(p.clone()).to_string());
    opt_str(w, &params);
    for xs in [
        &r.prediction_accuracy_test,
        &r.prediction_accuracy_fit,
        &r.prediction_accuracy_test_bias_only,
    ] {
        opt_list(w, xs);
    }
    for x in r.cv_summaries() {
        opt_f64(w, x);
    }
    w.opt(r.analysis_micros, |w, n| w.i64(n));
    w.list(&r.warnings, |w, s| w.str(s));
}

fn read_row(r: &mut Reader) -> Result<FitRow, CodecError> {
    let opt_str = |r: &mut Reader| r.opt(|r| r.string());
    let opt_f64 = |r: &mut Reader| r.opt(|r| r.f64());
    let opt_list = |r: &mut Reader| r.opt(|r| r.list(|r| r.f64()));
    Ok(FitRow {
        key: r.string()?,
        id: r.string()?,
        nwb_name: r.string()?,
        analysis_time: opt_str(r)?,
        subject_id: opt_str(r)?,
        session_date: opt_str(r)?,
        status: opt_str(r)?,
        agent_alias: r.string()?,
        n_trials: r.opt(|r| r.i64())?,
        s3_location: r.string()?,
        co_asset_id: opt_str(r)?,
        analysis_tag: opt_str(r)?,
        pipeline_source: read_pipeline(r)?,
        log_likelihood: opt_f64(r)?,
        prediction_accuracy: opt_f64(r)?,
        k_model: r.opt(|r| r.i64())?,
        aic: opt_f64(r)?,
        bic: opt_f64(r)?,
        lpt: opt_f64(r)?,
        lpt_aic: opt_f64(r)?,
        lpt_bic: opt_f64(r)?,
        params: match opt_str(r)? {
            None => None,
            Some(text) => Some(
                serde_json::from_str::<Map<String, Value>>(&text)
                    .map_err(|e| CodecError(format!("parameters: {e}")))?,
            ),
        },
        prediction_accuracy_test: opt_list(r)?,
        prediction_accuracy_fit: opt_list(r)?,
        prediction_accuracy_test_bias_only: opt_list(r)?,
        cv_test_mean: opt_f64(r)?,
        cv_test_std: opt_f64(r)?,
        cv_fit_mean: opt_f64(r)?,
        cv_fit_std: opt_f64(r)?,
        cv_bias_mean: opt_f64(r)?,
        cv_bias_std: opt_f64(r)?,
        analysis_micros: r.opt(|r| r.i64())?,
        warnings: r.list(|r| r.string())?,
    })
}

/// The payload of a load: its table and its notes.
pub fn encode(table: &FitTable, notes: &LoadNotes) -> Vec<u8> {
    let mut w = Writer::new();
    w.list(&table.rows, |w, r| write_row(w, r));
    w.u64(table.n_success as u64);
    w.list(&table.superseded, |w, r| write_row(w, r));
    w.list(&table.skipped, |w, s| {
        w.u8(pipeline_code(s.pipeline));
        opt_str(w, &s.id);
        w.str(&s.reason);
    });
    w.u64(table.received as u64);
    w.list(&notes.lost, |w, l| {
        w.u8(pipeline_code(l.pipeline));
        opt_str(w, &l.id);
        w.u64(l.records);
        w.str(&l.reason);
        w.bool(l.failed);
    });
    w.opt(notes.count, |w, c| w.u64(c));
    w.list(&notes.count_errors, |w, s| w.str(s));
    w.u64(notes.repeated as u64);
    w.u64(u64::from(notes.requests));
    w.bool(notes.keyset);
    w.finish()
}

/// The table and notes of a payload written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<(FitTable, LoadNotes), CodecError> {
    let mut r = Reader::new(bytes);
    let rows = r.list(|r| read_row(r).map(Arc::new))?;
    let n_success = r.usize()?;
    if n_success > rows.len() {
        return Err(CodecError("more successful rows than rows".into()));
    }
    let table = FitTable {
        rows,
        n_success,
        superseded: r.list(|r| read_row(r).map(Arc::new))?,
        skipped: r.list(|r| {
            Ok(Skipped {
                pipeline: read_pipeline(r)?,
                id: r.opt(|r| r.string())?,
                reason: r.string()?,
            })
        })?,
        received: r.usize()?,
    };
    let notes = LoadNotes {
        lost: r.list(|r| {
            Ok(LostNote {
                pipeline: read_pipeline(r)?,
                id: r.opt(|r| r.string())?,
                records: r.u64()?,
                reason: r.string()?,
                failed: r.bool()?,
            })
        })?,
        count: r.opt(|r| r.u64())?,
        count_errors: r.list(|r| r.string())?,
        repeated: r.usize()?,
        requests: u32::try_from(r.u64()?).map_err(|_| CodecError("request count".into()))?,
        keyset: r.bool()?,
    };
    r.finish()?;
    Ok((table, notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::merge::merge;
    use serde_json::json;

    #[test]
    fn a_table_round_trips_exactly() {
        let fw = vec![
            json!({"_id": "f1", "nwb_name": ["a.nwb"], "agent_alias": ["Q"],
            "analysis_time": ["2025-01-02T00:00:00+00:00"], "status": ["success"],
            "S3_location": ["s3://bkt/f1"], "n_trials": [400], "AIC": ["12.5"],
            "params": [{"a": 1.5, "b": null, "c": [1, "x"]}],
            "prediction_accuracy_test": [[0.5, 0.7, "x"]]}),
        ];
        let han = vec![
            json!({"_id": "h1", "nwb_name": "a.nwb", "agent_alias": "W", "status": "failed",
                   "analysis_time": {"$date": 5}}),
            json!({"_id": "h2"}),
        ];
        let table = merge(&fw, &han);
        assert!(!table.skipped.is_empty() && table.n_success == 1);
        let notes = LoadNotes {
            lost: vec![LostNote {
                pipeline: Pipeline::Han,
                id: Some("big".into()),
                records: 1,
                reason: "larger than the API's response size limit".into(),
                failed: false,
            }],
            count: Some(4),
            count_errors: vec!["x".into()],
            repeated: 1,
            requests: 7,
            keyset: true,
        };
        let bytes = encode(&table, &notes);
        let (t2, n2) = decode(&bytes).unwrap();
        // NaN folds do not compare equal: compare the encodings instead.
        assert_eq!(encode(&t2, &n2), bytes);
        assert_eq!(t2.rows.len(), table.rows.len());
        assert_eq!(t2.rows[0].params, table.rows[0].params);
        assert_eq!(n2, notes);
        for n in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..n]).is_err(), "{n}");
        }
        assert!(decode(b"not a table").is_err());
    }
}
