//! One session of a subject: which fits belong to it (by date, and by NWB file when a day has
//! several sessions), its models ranked by AIC with ΔAIC, ΔBIC and Akaike weights, its failed
//! fits, and the subject's neighbouring sessions. Pure; the page is `pages::session`.

use super::charts::Models;
use std::sync::Arc;

use crate::stats::compare::{per_session, Score, SessionComparison};

use super::rows::{FitRow, FitTable};

/// A session of a subject: its date and NWB file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SessionId {
    pub date: String,
    pub nwb: String,
}

/// The fits of one session, ranked.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionFits {
    pub id: SessionId,
    /// Successful fits, lowest AIC first (fits without an AIC last, by model name).
    pub fits: Vec<Arc<FitRow>>,
    pub aic: Option<SessionComparison>,
    pub bic: Option<SessionComparison>,
    pub failed: Vec<Arc<FitRow>>,
    /// Older analyses of the session's fits, replaced by the rows in `fits` (newest first).
    pub superseded: Vec<Arc<FitRow>>,
    /// Every model of the subject, for colours that match the subject page's.
    pub models: Models,
    pub previous: Option<SessionId>,
    pub next: Option<SessionId>,
}

/// Why a session could not be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionLookup {
    Found(Box<SessionFits>),
    /// The day has several sessions: pick one.
    Ambiguous(Vec<SessionId>),
    NotFound,
}

impl SessionLookup {
    /// Whether two lookups show the same thing: the same sessions and rows holding the same
    /// values (NaN equal to NaN, as a refresh compares rows), so that a refresh that changed
    /// nothing does not rebuild the page.
    pub fn same_as(&self, other: &SessionLookup) -> bool {
        let rows = |a: &[Arc<FitRow>], b: &[Arc<FitRow>]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
        };
        match (self, other) {
            (SessionLookup::Found(a), SessionLookup::Found(b)) => {
                a.id == b.id
                    && a.previous == b.previous
                    && a.next == b.next
                    && rows(&a.fits, &b.fits)
                    && rows(&a.failed, &b.failed)
                    && rows(&a.superseded, &b.superseded)
                    && a.models == b.models
            }
            (a, b) => a == b,
        }
    }
}

/// The subject's sessions with a successful fit (or failed ones, when that is all), in order.
pub fn sessions(table: &FitTable) -> Vec<SessionId> {
    let of = |r: &Arc<FitRow>| SessionId {
        date: r.session_date.clone().unwrap_or_default(),
        nwb: r.nwb_name.clone(),
    };
    crate::sort::sorted_unique(table.rows.iter().map(of).collect())
}

/// The session on `date` (and `nwb`, when given) of a subject's table.
pub fn lookup(table: &FitTable, date: &str, nwb: Option<&str>) -> SessionLookup {
    let all = sessions(table);
    let on_day: Vec<&SessionId> = all
        .iter()
        .filter(|s| s.date == date && nwb.is_none_or(|n| s.nwb == n))
        .collect();
    let id = match on_day.as_slice() {
        [] => return SessionLookup::NotFound,
        [one] => (*one).clone(),
        many => return SessionLookup::Ambiguous(many.iter().map(|s| (*s).clone()).collect()),
    };
    let at = all.iter().position(|s| *s == id).unwrap_or(0);
    let ours = |r: &&Arc<FitRow>| r.nwb_name == id.nwb;
    let mut fits: Vec<Arc<FitRow>> = table.success().iter().filter(ours).cloned().collect();
    crate::sort::sort_vec(&mut fits, &|a, b| {
        let key = |r: &FitRow| r.aic.filter(|v| v.is_finite());
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.agent_alias.cmp(&b.agent_alias))
    });
    let compare = |pick: fn(&FitRow) -> Option<f64>| {
        let scores: Vec<Score> = fits
            .iter()
            .filter_map(|r| {
                Some(Score {
                    session: &id.nwb,
                    model: &r.agent_alias,
                    value: pick(r)?,
                })
            })
            .collect();
        per_session(&scores).into_iter().next()
    };
    let (aic, bic) = (compare(|r| r.aic), compare(|r| r.bic));
    SessionLookup::Found(Box::new(SessionFits {
        failed: table.failed().iter().filter(ours).cloned().collect(),
        superseded: table.superseded.iter().filter(ours).cloned().collect(),
        models: Models::of(table.success()),
        previous: at.checked_sub(1).and_then(|i| all.get(i).cloned()),
        next: all.get(at + 1).cloned(),
        id,
        fits,
        aic,
        bic,
    }))
}

/// The app path of a subject's session (the NWB file always named, so the link is exact).
pub fn session_path(subject: &str, id: &SessionId) -> String {
    use crate::mongo::params::{form_encode, path_segment};
    format!(
        "/subject/{}/session/{}?{}",
        path_segment(subject),
        path_segment(&id.date),
        form_encode(&[("nwb", id.nwb.clone())])
    )
}

/// The parameter names of the fits, in name order (the parameters table's rows).
pub fn parameter_names(fits: &[Arc<FitRow>]) -> Vec<String> {
    crate::sort::sorted_unique(
        fits.iter()
            .flat_map(|r| r.params.iter().flat_map(|p| p.keys().cloned()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::foraging::normalize::normalize_record;
    use crate::datasets::foraging::schema::Pipeline;
    use serde_json::json;

    fn fit(nwb: &str, date: &str, model: &str, aic: f64, bic: f64, status: &str) -> Arc<FitRow> {
        let rec = json!({"_id": format!("{nwb}-{model}"), "nwb_name": nwb, "session_date": date,
            "agent_alias": model, "status": status, "AIC": aic, "BIC": bic,
            "analysis_time": "2025-01-01T00:00:00", "params": {"b": 1.0, "a": 2.0}});
        Arc::new(normalize_record(&rec, Pipeline::Han).unwrap())
    }

    fn table() -> FitTable {
        let rows = vec![
            fit("d1.nwb", "2024-01-01", "WSLS", 110.0, 111.0, "success"),
            fit("d1.nwb", "2024-01-01", "QL", 100.0, 115.0, "success"),
            fit("d2a.nwb", "2024-01-02", "QL", 50.0, 50.0, "success"),
            fit("d2b.nwb", "2024-01-02", "QL", 60.0, 60.0, "success"),
            fit("d1.nwb", "2024-01-01", "RW", 1.0, 1.0, "failed"),
        ];
        FitTable {
            n_success: 4,
            rows,
            ..FitTable::default()
        }
    }

    #[test]
    fn a_session_ranks_its_models_and_knows_its_neighbours() {
        let SessionLookup::Found(s) = lookup(&table(), "2024-01-01", None) else {
            panic!("found")
        };
        let models: Vec<&str> = s.fits.iter().map(|r| r.agent_alias.as_str()).collect();
        assert_eq!(models, ["QL", "WSLS"], "lowest AIC first");
        let aic = s.aic.as_ref().unwrap();
        assert_eq!(aic.get("WSLS").unwrap().delta, 10.0);
        assert!((aic.get("QL").unwrap().weight - 1.0 / (1.0 + (-5f64).exp())).abs() < 1e-12);
        // By BIC, WSLS (111) beats QL (115).
        assert!(s.bic.as_ref().unwrap().get("WSLS").unwrap().best);
        assert_eq!(s.failed.len(), 1);
        assert_eq!(s.previous, None);
        assert_eq!(s.next.as_ref().map(|n| n.nwb.as_str()), Some("d2a.nwb"));
        assert_eq!(parameter_names(&s.fits), ["a", "b"]);
    }

    #[test]
    fn a_lookup_with_nan_values_is_the_same_as_itself() {
        let mut t = table();
        let mut r = (*t.rows[0]).clone();
        r.cv_test_mean = Some(f64::NAN);
        t.rows[0] = Arc::new(r);
        let a = lookup(&t, "2024-01-01", None);
        let b = lookup(&t.clone(), "2024-01-01", None);
        assert_ne!(a, b, "derived equality: NaN differs from NaN");
        assert!(a.same_as(&b));
        assert!(!a.same_as(&lookup(&t, "2024-01-02", Some("d2a.nwb"))));
    }

    #[test]
    fn session_paths_are_encoded() {
        let id = SessionId {
            date: "2024-01-02".into(),
            nwb: "7 1&x=y.nwb".into(),
        };
        assert_eq!(
            session_path("70/1", &id),
            "/subject/70%2F1/session/2024-01-02?nwb=7+1%26x%3Dy.nwb"
        );
    }

    #[test]
    fn a_day_with_two_sessions_asks_which() {
        match lookup(&table(), "2024-01-02", None) {
            SessionLookup::Ambiguous(ids) => {
                assert_eq!(
                    ids.iter().map(|i| i.nwb.as_str()).collect::<Vec<_>>(),
                    ["d2a.nwb", "d2b.nwb"]
                )
            }
            other => panic!("{other:?}"),
        }
        let SessionLookup::Found(s) = lookup(&table(), "2024-01-02", Some("d2b.nwb")) else {
            panic!("found")
        };
        assert_eq!(s.previous.as_ref().map(|p| p.nwb.as_str()), Some("d2a.nwb"));
        assert_eq!(s.next, None);
        assert_eq!(
            lookup(&table(), "2030-01-01", None),
            SessionLookup::NotFound
        );
        assert_eq!(
            lookup(&table(), "2024-01-01", Some("other.nwb")),
            SessionLookup::NotFound
        );
    }
}
