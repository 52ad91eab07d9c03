//! A fit's latent variables from its result JSON in S3 (the session page draws them): where to
//! look, reading them with a clear message for every unexpected shape, the reward prediction
//! errors and the q-value spread, computed as `aind-analysis-arch-result-access` computes them
//! (`util/s3.py::get_s3_latent_variable`, `df_mle_model_fitting.py::_add_qvalue_spread`). Pure.

use serde_json::Value;

/// The result files of a fit's S3 folder, in the order the reference tries them.
pub const RESULT_FILES: [&str; 3] = [
    "original_results_mle_fitting.json",
    "docDB_mle_fitting.json",
    "docDB_record.json",
];

/// What a fit's result JSON says trial by trial.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Latents {
    /// Q-values of the left and right side, n_trials + 1 each (a last update after the last
    /// choice).
    pub q_value: Option<[Vec<f64>; 2]>,
    /// The probability of choosing right, per trial.
    pub choice_prob_right: Option<Vec<f64>>,
    /// 0 = left, 1 = right.
    pub choices: Vec<usize>,
    pub rewards: Vec<f64>,
    /// Reward minus the chosen side's q-value before the choice, per trial.
    pub rpe: Option<Vec<f64>>,
    /// Normalised entropy of the q-values (see [`qvalue_spread`]).
    pub qvalue_spread: Option<f64>,
    /// Names of the other latent variables in the file.
    pub other: Vec<String>,
}

fn numbers(v: &Value, what: &str) -> Result<Vec<f64>, String> {
    let list = v
        .as_array()
        .ok_or_else(|| format!("{what} is not a list"))?;
    list.iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::Number(n) => n
                .as_f64()
                .ok_or_else(|| format!("{what}[{i}] is not a number")),
            Value::Bool(b) => Ok(f64::from(u8::from(*b))),
            Value::Null => Ok(f64::NAN),
            _ => Err(format!("{what}[{i}] is not a number")),
        })
        .collect()
}

/// Two rows of numbers (`[[left...], [right...]]`).
fn two_rows(v: &Value, what: &str) -> Result<[Vec<f64>; 2], String> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok([
            numbers(a, &format!("{what}[0]"))?,
            numbers(b, &format!("{what}[1]"))?,
        ]),
        _ => Err(format!("{what} is not two lists (left and right)")),
    }
}

/// Reads a result JSON (the fit under `analysis_results` when present).
pub fn read_latents(json: &Value) -> Result<Latents, String> {
    let root = json.get("analysis_results").unwrap_or(json);
    let Some(latent) = root.get("fitted_latent_variables") else {
        return Err("the result file has no fitted_latent_variables".into());
    };
    let latent = latent
        .as_object()
        .ok_or("fitted_latent_variables is not an object")?;
    let settings = root.get("fit_settings");
    let history = |key: &str| {
        settings
            .and_then(|s| s.get(key))
            .map(|v| numbers(v, key))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let choices_f = history("fit_choice_history")?;
    let rewards = history("fit_reward_history")?;
    let choices = choices_f
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c == 0.0 {
                Ok(0)
            } else if c == 1.0 {
                Ok(1)
            } else {
                Err(format!("fit_choice_history[{i}] is {c}, not 0 or 1"))
            }
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let q_value = latent
        .get("q_value")
        .map(|v| two_rows(v, "q_value"))
        .transpose()?;
    let choice_prob_right = match latent.get("choice_prob") {
        None => None,
        Some(v)
            if v.as_array()
                .is_some_and(|a| a.first().is_some_and(Value::is_array)) =>
        {
            Some(two_rows(v, "choice_prob")?[1].clone())
        }
        Some(v) => Some(numbers(v, "choice_prob")?),
    };
    let rpe = q_value
        .as_ref()
        .map(|q| rpe(q, &choices, &rewards))
        .transpose()?;
    let qvalue_spread = q_value
        .as_ref()
        .and_then(|q| qvalue_spread(q.iter().flatten().copied()));
    let mut other: Vec<String> = latent
        .keys()
        .filter(|k| !matches!(k.as_str(), "q_value" | "choice_prob"))
        .cloned()
        .collect();
    crate::sort::sort_vec(&mut other, &|a, b| a.cmp(b));
    Ok(Latents {
        q_value,
        choice_prob_right,
        choices,
        rewards,
        rpe,
        qvalue_spread,
        other,
    })
}

/// Reward minus the chosen side's q-value before the choice (the q-values have one entry more
/// than there are trials; the last is dropped).
pub fn rpe(q: &[Vec<f64>; 2], choices: &[usize], rewards: &[f64]) -> Result<Vec<f64>, String> {
    if choices.len() != rewards.len() {
        return Err(format!(
            "{} choices but {} rewards",
            choices.len(),
            rewards.len()
        ));
    }
    if q.iter().any(|side| side.len() < choices.len()) {
        return Err(format!(
            "q_value has {} and {} entries for {} trials",
            q[0].len(),
            q[1].len(),
            choices.len()
        ));
    }
    Ok(choices
        .iter()
        .zip(rewards)
        .enumerate()
        .map(|(t, (&c, &r))| r - q[c][t])
        .collect())
}

/// How evenly the q-values spread over [0, 1]: the entropy (base 2) of a 100-bin histogram of
/// them on [0, 1], divided by log2(100). 0 = all in one bin, 1 = uniform. Values outside [0, 1]
/// and NaN are left out, 1.0 falls in the last bin (numpy's `histogram`). `None` when no value
/// falls in range.
pub fn qvalue_spread(values: impl Iterator<Item = f64>) -> Option<f64> {
    const BINS: usize = 100;
    let v: Vec<f64> = values.collect();
    let hist = crate::stats::hist::histogram(&v, BINS, Some((0.0, 1.0)))?;
    let n = hist.total();
    if n == 0 {
        return None;
    }
    let h: f64 = hist
        .counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.log2()
        })
        .sum();
    Some(h / (BINS as f64).log2())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spread_matches_the_reference() {
        // numpy.histogram(q, bins=100, range=(0, 1)) and scipy.stats.entropy(p, base=2) / log2(100)
        // on these values give 0.5300597327442647.
        let q = [
            vec![0.0, 0.1, 0.12, 0.5, 0.51, 0.99, 1.0, 1.2],
            vec![0.33, 0.33, 0.34, -0.1, 0.7, 0.705, 0.2, 0.25],
        ];
        let s = qvalue_spread(q.iter().flatten().copied()).unwrap();
        assert!((s - 0.530_059_732_744_264_7).abs() < 1e-12, "{s}");
        assert_eq!(qvalue_spread([0.5, 0.5, 0.5].into_iter()), Some(0.0));
        let uniform = (0..100).map(|i| (i as f64 + 0.5) / 100.0);
        assert!((qvalue_spread(uniform).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(qvalue_spread([f64::NAN, 2.0].into_iter()), None);
    }

    #[test]
    fn rpe_uses_the_q_value_before_the_choice() {
        let q = [vec![0.5, 0.6, 0.7], vec![0.1, 0.2, 0.3]];
        let r = rpe(&q, &[0, 1], &[1.0, 0.0]).unwrap();
        assert!(
            (r[0] - 0.5).abs() < 1e-12 && (r[1] + 0.2).abs() < 1e-12,
            "{r:?}"
        );
        assert!(rpe(&q, &[0], &[1.0, 0.0])
            .unwrap_err()
            .contains("1 choices but 2 rewards"));
        assert!(rpe(&[vec![0.5], vec![0.5]], &[0, 1], &[1.0, 0.0]).is_err());
    }

    #[test]
    fn reads_both_layouts_and_says_what_is_wrong() {
        let fit = json!({
            "fitted_latent_variables": {"q_value": [[0.5, 0.6, 0.7], [0.1, 0.2, 0.3]],
                "choice_prob": [[0.4, 0.3], [0.6, 0.7]], "choice_kernel": [[0, 0], [0, 0]]},
            "fit_settings": {"fit_choice_history": [0.0, 1.0], "fit_reward_history": [true, false]}
        });
        let l = read_latents(&fit).unwrap();
        assert_eq!(l.choices, [0, 1]);
        assert_eq!(l.rewards, [1.0, 0.0]);
        assert_eq!(l.choice_prob_right, Some(vec![0.6, 0.7]));
        assert_eq!(l.other, ["choice_kernel"]);
        assert_eq!(l.rpe.as_ref().map(Vec::len), Some(2));
        assert!(l.qvalue_spread.is_some());
        let wrapped = json!({"analysis_results": fit});
        assert_eq!(read_latents(&wrapped).unwrap(), l);
        for (bad, says) in [
            (json!({}), "no fitted_latent_variables"),
            (json!({"fitted_latent_variables": [1]}), "not an object"),
            (
                json!({"fitted_latent_variables": {"q_value": [[0.5]]}}),
                "not two lists",
            ),
            (
                json!({"fitted_latent_variables": {"q_value": [["x"], [1]]}}),
                "q_value[0][0] is not a number",
            ),
            (
                json!({"fitted_latent_variables": {}, "fit_settings": {"fit_choice_history": [2]}}),
                "is 2, not 0 or 1",
            ),
        ] {
            let e = read_latents(&bad).unwrap_err();
            assert!(e.contains(says), "{e}");
        }
    }
}
