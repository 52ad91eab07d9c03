//! Model comparison by an information criterion (AIC or BIC, lower is better): per session,
//! each model's difference to that session's best model and its Akaike weight; over sessions,
//! how often each model is best and its summed difference, ranked.
//!
//! The Akaike weight of model i in a session is exp(-Δi/2) / Σj exp(-Δj/2), where Δi is its
//! criterion minus the session's lowest (Burnham & Anderson 2002, §2.9). The same formula on
//! BIC gives the BIC weights (approximate posterior model probabilities).

use std::collections::BTreeMap;

/// One model's criterion in one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Score<'a> {
    pub session: &'a str,
    pub model: &'a str,
    pub value: f64,
}

/// One model's standing in one session.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub model: String,
    pub delta: f64,
    pub weight: f64,
    /// The lowest criterion of the session (ties: the first model by name).
    pub best: bool,
}

/// The models of one session, in model-name order.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionComparison {
    pub session: String,
    pub models: Vec<Standing>,
}

impl SessionComparison {
    pub fn best(&self) -> Option<&Standing> {
        self.models.iter().find(|s| s.best)
    }

    pub fn get(&self, model: &str) -> Option<&Standing> {
        self.models.iter().find(|s| s.model == model)
    }
}

/// Compares the models within each session. Non-finite values are left out; a model listed
/// twice in a session keeps its lowest value. Sessions come out in name order.
pub fn per_session(scores: &[Score<'_>]) -> Vec<SessionComparison> {
    let mut by_session: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for s in scores.iter().filter(|s| s.value.is_finite()) {
        let slot = by_session
            .entry(s.session)
            .or_default()
            .entry(s.model)
            .or_insert(f64::INFINITY);
        *slot = slot.min(s.value);
    }
    by_session
        .into_iter()
        .map(|(session, models)| {
            let min = models.values().copied().fold(f64::INFINITY, f64::min);
            let total: f64 = models.values().map(|v| (-(v - min) / 2.0).exp()).sum();
            let best = models.iter().find(|(_, v)| **v == min).map(|(m, _)| *m);
            SessionComparison {
                session: session.to_string(),
                models: models
                    .iter()
                    .map(|(m, v)| Standing {
                        model: m.to_string(),
                        delta: v - min,
                        weight: (-(v - min) / 2.0).exp() / total,
                        best: Some(*m) == best,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// One model over all sessions.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSummary {
    pub model: String,
    /// Sessions where this model has a value.
    pub sessions: usize,
    /// Sessions where it is the best.
    pub best: usize,
    /// Its Δ summed over the sessions where it has a value.
    pub summed_delta: f64,
    /// Its mean Akaike weight over those sessions.
    pub mean_weight: f64,
}

/// Each model's record over sessions, ranked: most often best first, then the lowest summed
/// Δ, then the name.
pub fn summarize(sessions: &[SessionComparison]) -> Vec<ModelSummary> {
    let mut by_model: BTreeMap<&str, ModelSummary> = BTreeMap::new();
    for s in sessions {
        for m in &s.models {
            let e = by_model
                .entry(m.model.as_str())
                .or_insert_with(|| ModelSummary {
                    model: m.model.clone(),
                    sessions: 0,
                    best: 0,
                    summed_delta: 0.0,
                    mean_weight: 0.0,
                });
            e.sessions += 1;
            e.best += usize::from(m.best);
            e.summed_delta += m.delta;
            e.mean_weight += m.weight;
        }
    }
    let mut out: Vec<ModelSummary> = by_model
        .into_values()
        .map(|mut m| {
            m.mean_weight /= m.sessions as f64;
            m
        })
        .collect();
    crate::sort::sort_vec(&mut out, &|a, b| {
        b.best
            .cmp(&a.best)
            .then(a.summed_delta.total_cmp(&b.summed_delta))
            .then(a.model.cmp(&b.model))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score<'a>(session: &'a str, model: &'a str, value: f64) -> Score<'a> {
        Score {
            session,
            model,
            value,
        }
    }

    #[test]
    fn deltas_and_akaike_weights_by_hand() {
        // Session s1: A 100, B 102, C 110. Δ = 0, 2, 10.
        // exp(0) = 1, exp(-1) = 0.36787944, exp(-5) = 0.00673795; sum = 1.37461739.
        // Weights: 0.727475, 0.267623, 0.004902.
        let cmp = per_session(&[
            score("s1", "B", 102.0),
            score("s1", "A", 100.0),
            score("s1", "C", 110.0),
        ]);
        assert_eq!(cmp.len(), 1);
        let s = &cmp[0];
        let names: Vec<&str> = s.models.iter().map(|m| m.model.as_str()).collect();
        assert_eq!(names, ["A", "B", "C"]);
        let d: Vec<f64> = s.models.iter().map(|m| m.delta).collect();
        assert_eq!(d, [0.0, 2.0, 10.0]);
        let w: Vec<f64> = s.models.iter().map(|m| m.weight).collect();
        for (got, want) in w.iter().zip([0.727_475_2, 0.267_623_2, 0.004_901_7]) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(s.best().unwrap().model, "A");
    }

    #[test]
    fn equal_models_share_the_weight_and_the_first_name_is_best() {
        let cmp = per_session(&[score("s", "Y", 50.0), score("s", "X", 50.0)]);
        let s = &cmp[0];
        assert_eq!(s.get("X").unwrap().weight, 0.5);
        assert_eq!(s.get("Y").unwrap().weight, 0.5);
        assert_eq!(s.best().unwrap().model, "X");
        assert_eq!(s.models.iter().filter(|m| m.best).count(), 1);
    }

    #[test]
    fn non_finite_values_are_left_out_and_repeats_keep_the_lowest() {
        let cmp = per_session(&[
            score("s", "A", f64::NAN),
            score("s", "B", 10.0),
            score("s", "B", 8.0),
            score("t", "A", f64::INFINITY),
        ]);
        assert_eq!(cmp.len(), 1, "session t has no finite value");
        assert_eq!(cmp[0].models.len(), 1);
        assert_eq!(cmp[0].models[0].delta, 0.0);
        assert_eq!(cmp[0].models[0].weight, 1.0);
    }

    #[test]
    fn summary_counts_sums_and_ranks() {
        // s1: A 100 B 104 (A best, ΔB 4); s2: A 50 B 49 (B best, ΔA 1); s3: A 10 only.
        let cmp = per_session(&[
            score("s1", "A", 100.0),
            score("s1", "B", 104.0),
            score("s2", "A", 50.0),
            score("s2", "B", 49.0),
            score("s3", "A", 10.0),
        ]);
        let sum = summarize(&cmp);
        assert_eq!(sum[0].model, "A");
        assert_eq!((sum[0].sessions, sum[0].best), (3, 2));
        assert_eq!(sum[0].summed_delta, 1.0);
        assert_eq!(sum[1].model, "B");
        assert_eq!((sum[1].sessions, sum[1].best), (2, 1));
        assert_eq!(sum[1].summed_delta, 4.0);
        // A's weights: s1 1/(1+e^-2) = 0.880797, s2 e^-0.5/(1+e^-0.5) = 0.377541, s3 1.
        let want = (0.880_797_1 + 0.377_540_7 + 1.0) / 3.0;
        assert!((sum[0].mean_weight - want).abs() < 1e-6);
    }

    #[test]
    fn ties_in_best_count_rank_by_summed_delta() {
        let cmp = per_session(&[
            score("s1", "A", 0.0),
            score("s1", "B", 1.0),
            score("s2", "A", 9.0),
            score("s2", "B", 0.0),
        ]);
        let sum = summarize(&cmp);
        assert_eq!(sum[0].model, "B", "both best once; B's summed Δ 1 < A's 9");
    }
}
