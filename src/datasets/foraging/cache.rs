//! A loaded table of fits as a results-cache payload, and back. Every field of every row is
//! written in a fixed order with the cache's binary codec; a payload that does not read back
//! completely is refused (the caller discards the entry).

use std::sync::Arc;

use serde_json::{Map, Value};

use super::load::{LoadNotes, LostNote};
use super::rows::{FitRow, FitTable, Skipped};
use super::schema::Pipeline;
use crate::net::cache::codec::{CodecError, Reader, Strings, Writer};
use crate::net::s3::ANALYSIS_ROOT;

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

/// How a parameter's value is written: numbers as numbers (of the kind JSON gave them, so that
/// `5` and `5.0` stay apart), anything else as JSON text.
const PARAM_TEXT: u8 = 0;
const PARAM_U64: u8 = 1;
const PARAM_I64: u8 = 2;
const PARAM_F64: u8 = 3;

fn write_param(w: &mut Writer, v: &Value) {
    match v {
        Value::Number(n) if n.is_u64() => {
            w.u8(PARAM_U64);
            w.u64(n.as_u64().unwrap_or_default());
        }
        Value::Number(n) if n.is_i64() => {
            w.u8(PARAM_I64);
            w.i64(n.as_i64().unwrap_or_default());
        }
        Value::Number(n) if n.is_f64() => {
            w.u8(PARAM_F64);
            w.f64(n.as_f64().unwrap_or_default());
        }
        other => {
            w.u8(PARAM_TEXT);
            w.str(&other.to_string());
        }
    }
}

fn read_param(r: &mut Reader) -> Result<Value, CodecError> {
    let bad = |what: &str| CodecError(format!("parameter value: {what}"));
    Ok(match r.u8()? {
        PARAM_U64 => Value::from(r.u64()?),
        PARAM_I64 => Value::from(r.i64()?),
        PARAM_F64 => serde_json::Number::from_f64(r.f64()?)
            .map(Value::Number)
            .ok_or_else(|| bad("not a finite number"))?,
        PARAM_TEXT => serde_json::from_str(&r.string()?).map_err(|e| bad(&e.to_string()))?,
        n => return Err(bad(&format!("kind {n}"))),
    })
}

/// Text that repeats across rows (sessions, subjects, dates, models, tags, parameter names)
/// goes through the payload's string table.
fn write_row<'a>(w: &mut Writer, t: &mut Strings<'a>, r: &'a FitRow) {
    w.str(&r.id);
    // The key is the `_id` but for rows that share one.
    w.opt((r.key != r.id).then_some(&r.key), |w, k| w.str(k));
    t.put(w, &r.nwb_name);
    opt_str(w, &r.analysis_time);
    for s in [&r.subject_id, &r.session_date, &r.status] {
        w.opt(s.as_deref(), |w, s| t.put(w, s));
    }
    t.put(w, &r.agent_alias);
    w.opt(r.n_trials, |w, n| w.i64(n));
    // Most locations are the analysis root and the `_id`.
    let derived = r
        .s3_location
        .strip_prefix(ANALYSIS_ROOT)
        .and_then(|rest| rest.strip_prefix('/'))
        == Some(r.id.as_str());
    w.opt((!derived).then_some(&r.s3_location), |w, s| w.str(s));
    for s in [&r.co_asset_id, &r.analysis_tag] {
        w.opt(s.as_deref(), |w, s| t.put(w, s));
    }
    w.u8(pipeline_code(r.pipeline_source));
    for x in [r.log_likelihood, r.prediction_accuracy] {
        opt_f64(w, x);
    }
    w.opt(r.k_model, |w, n| w.i64(n));
    for x in [r.aic, r.bic, r.lpt, r.lpt_aic, r.lpt_bic] {
        opt_f64(w, x);
    }
    w.opt(r.params.as_ref(), |w, p| {
        w.u64(p.len() as u64);
        for (name, v) in p {
            t.put(w, name);
            write_param(w, v);
        }
    });
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

fn default_location(id: &str) -> String {
    format!("{ANALYSIS_ROOT}/{id}")
}

fn read_row(r: &mut Reader, t: &[String]) -> Result<FitRow, CodecError> {
    let opt_str = |r: &mut Reader| r.opt(|r| r.string());
    let opt_text = |r: &mut Reader| r.opt(|r| r.interned(t));
    let opt_f64 = |r: &mut Reader| r.opt(|r| r.f64());
    let opt_list = |r: &mut Reader| r.opt(|r| r.list(|r| r.f64()));
    let id = r.string()?;
    let key = r.opt(|r| r.string())?.unwrap_or_else(|| id.clone());
    Ok(FitRow {
        key,
        nwb_name: r.interned(t)?,
        analysis_time: opt_str(r)?,
        subject_id: opt_text(r)?,
        session_date: opt_text(r)?,
        status: opt_text(r)?,
        agent_alias: r.interned(t)?,
        n_trials: r.opt(|r| r.i64())?,
        s3_location: r
            .opt(|r| r.string())?
            .unwrap_or_else(|| default_location(&id)),
        co_asset_id: opt_text(r)?,
        analysis_tag: opt_text(r)?,
        id,
        pipeline_source: read_pipeline(r)?,
        log_likelihood: opt_f64(r)?,
        prediction_accuracy: opt_f64(r)?,
        k_model: r.opt(|r| r.i64())?,
        aic: opt_f64(r)?,
        bic: opt_f64(r)?,
        lpt: opt_f64(r)?,
        lpt_aic: opt_f64(r)?,
        lpt_bic: opt_f64(r)?,
        params: r.opt(|r| {
            let n = r.usize()?;
            let mut m = Map::new();
            for _ in 0..n {
                let name = r.interned(t)?;
                m.insert(name, read_param(r)?);
            }
            Ok(m)
        })?,
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

/// The payload of a loaded table: the string table, then the rows and the rest.
pub fn encode<'a>(table: &'a FitTable, notes: &LoadNotes) -> Vec<u8> {
    let mut t = Strings::default();
    let mut w = Writer::new();
    // As `Writer::list`, with rows that lend their text to the table.
    let mut rows = |w: &mut Writer, rows: &'a [Arc<FitRow>]| {
        w.u64(rows.len() as u64);
        for r in rows {
            write_row(w, &mut t, r);
        }
    };
    rows(&mut w, &table.rows);
    w.u64(table.n_success as u64);
    rows(&mut w, &table.superseded);
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
    let mut out = Writer::new();
    t.write(&mut out);
    out.append(w);
    out.finish()
}

/// The table and notes of a payload written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<(FitTable, LoadNotes), CodecError> {
    let mut r = Reader::new(bytes);
    let t = r.strings()?;
    let rows = r.list(|r| read_row(r, &t).map(Arc::new))?;
    let n_success = r.usize()?;
    if n_success > rows.len() {
        return Err(CodecError("more successful rows than rows".into()));
    }
    let table = FitTable {
        rows,
        n_success,
        superseded: r.list(|r| read_row(r, &t).map(Arc::new))?,
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

    #[test]
    fn every_field_comes_back() {
        let time = |d: u32| format!("2025-01-{d:02}T00:00:00+00:00");
        let fw = vec![
            json!({"_id": "f1", "nwb_name": ["s.nwb"], "agent_alias": ["Q"],
            "status": ["success"], "analysis_time": [time(2)], "S3_location": ["s3://elsewhere/f1"],
            "subject_id": ["7"], "session_date": ["2025-01-01"], "analysis_tag": ["v1"],
            "params": [{"u": 5, "i": -3, "f": 0.1, "g": 5.0, "s": "x", "n": null, "l": [1, {"a": 2}]}],
            "prediction_accuracy_test": [[0.5, 0.75]]}),
        ];
        // The same `_id` in Han's pipeline (its key differs), with the default location; and a
        // superseded fit of the same session and model.
        let han = vec![
            json!({"_id": "f1", "nwb_name": "t.nwb", "agent_alias": "Q", "status": "success",
                   "analysis_time": time(3), "subject_id": "7", "params": {"u": 6}}),
            json!({"_id": "h2", "nwb_name": "t.nwb", "agent_alias": "Q", "status": "success",
                   "analysis_time": time(1)}),
        ];
        let table = merge(&fw, &han);
        assert!(table.rows.iter().any(|r| r.key != r.id));
        assert!(table
            .rows
            .iter()
            .any(|r| r.s3_location == default_location(&r.id)));
        assert_eq!(table.superseded.len(), 1);
        let bytes = encode(&table, &LoadNotes::default());
        let (back, _) = decode(&bytes).unwrap();
        let shown = |t: &FitTable| format!("{:?} {:?} {:?}", t.rows, t.superseded, t.skipped);
        assert_eq!(shown(&back), shown(&table));
        let params = back
            .rows
            .iter()
            .find_map(|r| r.params.clone().filter(|p| p.len() > 1));
        assert_eq!(
            Value::Object(params.unwrap()).to_string(),
            r#"{"f":0.1,"g":5.0,"i":-3,"l":[1,{"a":2}],"n":null,"s":"x","u":5}"#
        );
    }
}
