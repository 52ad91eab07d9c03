#!/usr/bin/env python3
"""Writes the sample data the sample API serves, and the generator's own record of what it wrote.

    generate_fixtures.py [--out tests/fixtures] [--seed 20251124]

Output (deterministic for a seed):
- <out>/analysis/dynamic-foraging-model-fitting.json: records of both pipeline formats (see
  ../shared/spec/data-sources.md), several subjects, many sessions, several models per session,
  re-runs of the same fit at different times, sessions fitted by both pipelines, failed fits,
  records that must not match (other analyses, other framework tags, other versions), and one
  subject (799001) whose records carry every odd field the app must survive.
- <out>/analysis/dynamic-foraging-nm.json: a small second collection, for the generic browser.
- <out>/s3/<bucket>/<folder>/fitted_session.png: the figure of most fits; some are missing on purpose.
- <out>/s3/<bucket>/<folder>/<result json>: the latent variables of most successful fits, as the
  pipelines write them (compact JSON, floats to 4 decimals), under the name the fit's pipeline uses:
  framework fits `original_results_mle_fitting.json` (flat: fit_settings with agent_alias and the
  fit_choice_history / fit_reward_history, fitted_latent_variables, log_likelihood, params); Han's
  fits `docDB_mle_fitting.json` ({"analysis_results": the same}) or, for about a fifth of them,
  `docDB_record.json` (the whole record, its analysis_results extended by the histories and the
  latents). The history (choices 0 = left / 1 = right, rewards 0/1, n_trials long) belongs to the
  session: every model fitted to it shares it. fitted_latent_variables: Q-learning models and
  ForagingCompareThreshold have `q_value` (2 x n_trials + 1, the value after each trial's update)
  and `choice_prob` (2 x n_trials); the CK1 models also `choice_kernel` (2 x n_trials + 1); WSLS only
  `choice_prob`. About 8% of the successful fits have no result file (normal); failed fits and the
  odd subject have none. All of it is drawn from string-seeded generators of its own, so the records
  and figures do not depend on it.
  Two sessions of 730945 are fixed for the browser tests: "good" (every visible fit has a proper
  file, one folder also holds a decoy docDB_record.json with different latents that a reader
  following the lookup order never opens) and "hostile" (its visible fits, by agent_alias: no file,
  a truncated file, a file of unexpected shape, then a proper file if there is a fourth).
- <out>/expected.json: per subject, the rows a correct client shows after the reference's merge
  rules (status filter, latest analysis per nwb_name and agent_alias), the failed fits, and the
  counts of records, skipped and warned ones; and under "all" the same for a load of every record of
  the collection (rows in the reference's order, latest analysis first, the odd subject's after
  them; every row and failed fit carries its subject_id); and under "latents" the good and hostile
  sessions (subject_id, session_date, nwb_name; the good one also names its decoy folder) and, per
  S3 folder (S3_location) of every visible row of the normal subjects: the result file a reader
  finds first in the reference's lookup order (or null), its problem (null, "missing", "truncated"
  or "shape"), agent_alias, n_trials, has_q (a correct reader gets a q_value, so also an RPE; false
  whenever there is a problem) and qvalue_spread (the reference's `_add_qvalue_spread`: entropy in
  bits of a 100-bin histogram of all q values on [0, 1], over log2(100); null without q). Tests read
  their expectations from here, never from app code.
"""

import argparse
import json
import math
import random
import shutil
import struct
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

COLLECTION = "dynamic-foraging-model-fitting"
DATABASE = "analysis"
BUCKET = "aind-dynamic-foraging-analysis-prod-o5171v"
S3_ROOT = f"s3://{BUCKET}"
FRAMEWORK = "aind analysis framework"
HAN = "han's analysis pipeline"
TAGS = ["aind-analysis-framework v0.1", "aind-analysis-framework v0.2"]
HAN_VER = "first version @ 0.10.0"
UNKNOWN_SUBJECT = "000000"
ODD_SUBJECT = "799001"

# agent_alias -> fitted parameter names (k_model is their count)
MODELS = {
    "QLearning_L2F1_softmax": ["learn_rate_rew", "learn_rate_unrew", "forget_rate_unchosen",
                               "softmax_inverse_temperature"],
    "QLearning_L2F1_CK1_softmax": ["learn_rate_rew", "learn_rate_unrew", "forget_rate_unchosen",
                                   "choice_kernel_step_size", "choice_kernel_relative_weight",
                                   "softmax_inverse_temperature"],
    "QLearning_L1F1_CK1_softmax": ["learn_rate", "forget_rate_unchosen", "choice_kernel_step_size",
                                   "choice_kernel_relative_weight", "softmax_inverse_temperature"],
    "ForagingCompareThreshold": ["learn_rate", "threshold", "softmax_inverse_temperature"],
    "WSLS": ["win_stay", "lose_shift"],
}
MODEL_COLORS = {
    "QLearning_L2F1_softmax": (31, 119, 180),
    "QLearning_L2F1_CK1_softmax": (255, 127, 14),
    "QLearning_L1F1_CK1_softmax": (44, 160, 44),
    "ForagingCompareThreshold": (148, 103, 189),
    "WSLS": (140, 86, 75),
}

# subject -> (sessions, first session date, sessions fitted by Han, by the framework, models)
SUBJECTS = {
    "730945": dict(sessions=10, start="2024-10-01", han=range(0, 7), framework=range(4, 10),
                   models=["QLearning_L2F1_softmax", "QLearning_L2F1_CK1_softmax",
                           "QLearning_L1F1_CK1_softmax", "WSLS"]),
    "752014": dict(sessions=6, start="2024-12-02", han=range(0, 6), framework=range(0),
                   models=["QLearning_L2F1_softmax", "ForagingCompareThreshold", "WSLS"]),
    "778869": dict(sessions=8, start="2025-07-14", han=range(0), framework=range(0, 8),
                   models=["QLearning_L2F1_CK1_softmax", "QLearning_L1F1_CK1_softmax",
                           "ForagingCompareThreshold"]),
    "781162": dict(sessions=5, start="2025-03-03", han=range(0, 3), framework=range(2, 5),
                   models=["QLearning_L2F1_softmax", "QLearning_L2F1_CK1_softmax",
                           "QLearning_L1F1_CK1_softmax", "ForagingCompareThreshold", "WSLS"]),
}
NOISE_SUBJECTS = ["700001", "744329"]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.records = []  # what goes into the collection, in insertion order
        self.figures = {}  # "bucket/key" -> png bytes
        self.expected = {}
        self.used_times = set()
        self.fits = []  # every record added through add(), with its pipeline and figure key

    # -- ids and times --------------------------------------------------------------------------

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def han_id(self):
        return "%064x" % self.rng.getrandbits(256)

    def time_after(self, day, min_days, max_days):
        """A unique analysis time some days after a session day (microsecond precision)."""
        while True:
            t = datetime.fromisoformat(day).replace(tzinfo=timezone.utc) + timedelta(
                days=self.rng.uniform(min_days, max_days))
            t = t.replace(microsecond=self.rng.randrange(1, 1_000_000))
            if t not in self.used_times:
                self.used_times.add(t)
                return t

    # -- fit values ------------------------------------------------------------------------------

    def results(self, model, n_trials, failed=False):
        """fitting_results / analysis_results: settings, metrics, params, cross-validation."""
        rng = self.rng
        out = {"fit_settings": {"agent_alias": model, "agent_kwargs": {"number_of_learning_rate": 2},
                                "fit_choice_history": None, "fit_reward_history": None},
               "n_trials": n_trials}
        if failed:
            return out
        names = MODELS[model]
        k = len(names)
        ll = -n_trials * rng.uniform(0.42, 0.66)
        aic = -2 * ll + 2 * k
        bic = -2 * ll + k * math.log(n_trials)
        acc = rng.uniform(0.62, 0.86)
        folds = lambda centre: [min(0.99, max(0.3, rng.gauss(centre, 0.03))) for _ in range(10)]
        out.update({
            "log_likelihood": ll,
            "prediction_accuracy": acc,
            "k_model": k,
            "AIC": aic,
            "BIC": bic,
            "LPT": math.exp(ll / n_trials),
            "LPT_AIC": math.exp(-aic / (2 * n_trials)),
            "LPT_BIC": math.exp(-bic / (2 * n_trials)),
            "params": {name: rng.uniform(0.01, 1.0) if "temperature" not in name
                       else rng.uniform(2, 15) for name in names},
            "cross_validation": {
                "prediction_accuracy_test": folds(acc - 0.02),
                "prediction_accuracy_fit": folds(acc),
                "prediction_accuracy_test_bias_only": folds(0.55),
            },
        })
        return out

    # -- the two formats ---------------------------------------------------------------------------

    def framework_record(self, subject, session, model, when, tag, status="success",
                         analysis_name="MLE fitting", n_trials=None, location=True):
        _id = self.uuid()
        res = self.results(model, n_trials or session["n_trials"], failed=status != "success")
        process = {
            "name": "Analysis",
            "start_date_time": (when - timedelta(minutes=3)).isoformat(timespec="microseconds"),
            "end_date_time": when.isoformat(timespec="microseconds"),
            "code": {
                "url": "https://github.com/AllenNeuralDynamics/aind-analysis-framework",
                "parameters": {"analysis_name": analysis_name, "analysis_tag": tag,
                               "analysis_libs_to_track_ver": {"aind_dynamic_foraging_models": "0.12.1"}},
                "input_data": {"name": session["nwb_name"], "url": self.uuid()},
            },
            "output_parameters": {
                "nwb_name": session["nwb_name"],
                "subject_id": subject,
                "session_date": session["date"],
                "additional_info": status,
                "fitting_results": res,
            },
        }
        rec = {"_id": _id, "name": f"{COLLECTION}_{_id}", "processing": {"data_processes": [process]}}
        if location:
            rec["location"] = f"{S3_ROOT}/{COLLECTION}/{_id}"
        return rec

    def han_record(self, subject, session, model, when, status="success",
                   ver=HAN_VER, analysis_name="MLE fitting"):
        return {
            "_id": self.han_id(),
            "nwb_name": session["nwb_name"],
            "subject_id": subject,
            "session_date": session["date"],
            "status": status,
            "analysis_datetime": when.replace(tzinfo=None).isoformat(timespec="microseconds"),
            "analysis_spec": {"analysis_name": analysis_name, "analysis_ver": ver,
                              "analysis_libs_to_track_ver": {"aind_dynamic_foraging_models": "0.10.0"}},
            "analysis_results": self.results(model, session["n_trials"], failed=status != "success"),
        }

    # -- subjects --------------------------------------------------------------------------------

    def sessions(self, subject, count, start):
        day = datetime.fromisoformat(start)
        out = []
        for _ in range(count):
            date = day.date().isoformat()
            clock = f"{self.rng.randrange(9, 18):02d}-{self.rng.randrange(60):02d}-{self.rng.randrange(60):02d}"
            out.append({"date": date, "nwb_name": f"{subject}_{date}_{clock}.nwb",
                        "n_trials": self.rng.randrange(280, 720)})
            day += timedelta(days=self.rng.choice([1, 1, 2, 3]))
        return out

    def add(self, rec, pipeline, figure=True):
        self.records.append(rec)
        if pipeline == FRAMEWORK:
            location = rec.get("location") or f"{S3_ROOT}/{rec['_id']}"
        else:
            location = f"{S3_ROOT}/{rec['_id'] if isinstance(rec['_id'], str) else rec['_id']['$oid']}"
        key = f"{location[len('s3://'):]}/fitted_session.png"
        if figure:
            self.figures[key] = None  # drawn later, once every record is known
        fit = {"rec": rec, "pipeline": pipeline, "figure_key": key, "has_figure": figure}
        self.fits.append(fit)
        return fit

    def subject(self, subject, spec):
        rng = self.rng
        fits = []  # every record of this subject that the app's queries match
        sessions = self.sessions(subject, spec["sessions"], spec["start"])
        for i, session in enumerate(sessions):
            for model in spec["models"]:
                runs = []
                if i in spec["han"]:
                    runs.append((HAN, self.time_after(session["date"], 20, 60), None))
                if i in spec["framework"]:
                    tag = TAGS[0] if rng.random() < 0.4 else TAGS[1]
                    runs.append((FRAMEWORK, self.time_after(session["date"], 200, 260), tag))
                # A re-run of the same fit, later, by the same pipeline (the older one is superseded).
                if runs and rng.random() < 0.15:
                    pipeline, when, tag = runs[-1]
                    runs.append((pipeline, when + timedelta(days=rng.uniform(3, 30),
                                                            microseconds=rng.randrange(999)), tag))
                for pipeline, when, tag in runs:
                    rec = (self.framework_record(subject, session, model, when, tag)
                           if pipeline == FRAMEWORK else self.han_record(subject, session, model, when))
                    fits.append(self.add(rec, pipeline, figure=rng.random() > 0.08))
                # A failed attempt: newer than the successes, so it must not hide them.
                if runs and rng.random() < 0.07:
                    pipeline, when, tag = runs[-1]
                    when = when + timedelta(days=1, microseconds=rng.randrange(999))
                    rec = (self.framework_record(subject, session, model, when, tag,
                                                 status="Error: the optimizer did not converge")
                           if pipeline == FRAMEWORK else
                           self.han_record(subject, session, model, when, status="failed"))
                    fits.append(self.add(rec, pipeline, figure=False))
        return sessions, fits

    def expected_subject(self, fits):
        """The reference's rules, written out independently of the app."""
        def flat(f):
            rec, pipeline = f["rec"], f["pipeline"]
            if pipeline == FRAMEWORK:
                p = rec["processing"]["data_processes"][0]
                out, res = p["output_parameters"], p["output_parameters"]["fitting_results"]
                row = {"nwb_name": out["nwb_name"], "session_date": out["session_date"],
                       "status": out["additional_info"], "analysis_time": p["end_date_time"],
                       "analysis_tag": p["code"]["parameters"]["analysis_tag"],
                       "S3_location": rec.get("location") or f"{S3_ROOT}/{rec['_id']}"}
            else:
                res = rec["analysis_results"]
                row = {"nwb_name": rec["nwb_name"], "session_date": rec["session_date"],
                       "status": rec["status"], "analysis_time": rec["analysis_datetime"],
                       "analysis_tag": None, "S3_location": f"{S3_ROOT}/{rec['_id']}"}
            cv = res.get("cross_validation", {}).get("prediction_accuracy_test")
            row.update({
                "_id": rec["_id"], "agent_alias": res["fit_settings"]["agent_alias"],
                "n_trials": res["n_trials"],
                **{m: res.get(m) for m in ("log_likelihood", "AIC", "BIC", "LPT_AIC",
                                           "prediction_accuracy")},
                "cv_test_mean": sum(cv) / len(cv) if cv else None,
                "pipeline_source": pipeline, "figure_key": f["figure_key"],
                "has_figure": f["has_figure"],
            })
            return row

        rows = [flat(f) for f in fits]
        when = lambda r: datetime.fromisoformat(r["analysis_time"]).replace(tzinfo=timezone.utc) \
            if datetime.fromisoformat(r["analysis_time"]).tzinfo is None \
            else datetime.fromisoformat(r["analysis_time"])
        success = sorted((r for r in rows if r["status"] == "success"), key=when, reverse=True)
        kept, seen = [], set()
        for r in success:
            if (r["nwb_name"], r["agent_alias"]) not in seen:
                seen.add((r["nwb_name"], r["agent_alias"]))
                kept.append(r)
        failed = [r for r in rows if r["status"] != "success"]
        return {"rows": kept, "failed": failed, "superseded": len(success) - len(kept),
                "skipped": 0, "warned": 0, "records": len(rows)}

    # -- what must not match ---------------------------------------------------------------------

    def noise(self):
        s = self.sessions("730945", 1, "2025-09-01")[0]
        t = self.time_after(s["date"], 1, 5)
        # Same subject, but another framework tag, another analysis, another Han version.
        self.records.append(self.framework_record("730945", s, "WSLS", t, "aind-analysis-framework v0.0-dev"))
        self.records.append(self.framework_record("730945", s, "WSLS", t + timedelta(seconds=1), TAGS[1],
                                                  analysis_name="Psychometric fitting"))
        self.records.append(self.han_record("730945", s, "WSLS", t + timedelta(seconds=2),
                                            ver="second version @ 0.11.0"))
        self.records.append(self.han_record("730945", s, "WSLS", t + timedelta(seconds=3),
                                            analysis_name="Psychometric fitting"))
        # Two small subjects more, so that a search across everything has neighbours.
        for subject in NOISE_SUBJECTS:
            fits = []
            for session in self.sessions(subject, 2, "2025-02-10"):
                for model in ("WSLS", "QLearning_L2F1_softmax"):
                    when = self.time_after(session["date"], 30, 60)
                    fits.append(self.add(self.han_record(subject, session, model, when), HAN))
            self.expected[subject] = self.expected_subject(fits)

    # -- the odd subject ---------------------------------------------------------------------------

    def odd_subject(self):
        """Every odd field the normalizer must survive. Each case is its own session."""
        subject = ODD_SUBJECT
        sessions = self.sessions(subject, 12, "2025-05-05")
        rows, failed, skipped, warned, records = [], [], 0, 0, 0

        def fw(i, model="QLearning_L2F1_softmax", **kw):
            return self.framework_record(subject, sessions[i], model,
                                         self.time_after(sessions[i]["date"], 10, 20), TAGS[1], **kw)

        def han(i, model="WSLS", **kw):
            return self.han_record(subject, sessions[i], model,
                                   self.time_after(sessions[i]["date"], 10, 20), **kw)

        def fr(rec):
            return rec["processing"]["data_processes"][0]["output_parameters"]["fitting_results"]

        def keep(rec, pipeline, note, warns=True, is_failed=False, _id=None):
            nonlocal warned, records
            records += 1
            f = self.add(rec, pipeline)
            entry = {"_id": _id or rec["_id"], "pipeline_source": pipeline, "note": note,
                     "figure_key": f["figure_key"], "warned": warns}
            (failed if is_failed else rows).append(entry)
            warned += warns

        def skip(rec, pipeline, note):
            nonlocal skipped, records
            records += 1
            skipped += 1
            self.records.append(rec)

        r = fw(0); fr(r)["n_trials"] = str(fr(r)["n_trials"])
        keep(r, FRAMEWORK, "n_trials sent as a string")
        r = fw(1); fr(r)["log_likelihood"] = float("nan")
        keep(r, FRAMEWORK, "log_likelihood is NaN (bare NaN in the JSON)")
        r = fw(2); fr(r)["AIC"] = "abc"
        keep(r, FRAMEWORK, "AIC is not a number")
        r = fw(3); fr(r)["params"] = "learn_rate=0.3"
        keep(r, FRAMEWORK, "params is a string, not an object")
        r = fw(4)
        second = json.loads(json.dumps(r["processing"]["data_processes"][0]))
        second["end_date_time"] = (datetime.fromisoformat(second["end_date_time"]) +
                                   timedelta(hours=1)).isoformat(timespec="microseconds")
        second["output_parameters"]["fitting_results"]["fit_settings"]["agent_alias"] = "WSLS"
        r["processing"]["data_processes"].append(second)
        keep(r, FRAMEWORK, "two data processes: every aliased value has two entries")
        r = fw(5); del r["processing"]["data_processes"][0]["output_parameters"]["additional_info"]
        keep(r, FRAMEWORK, "no status: counted as a failed fit", is_failed=True)
        r = fw(6); fr(r)["fit_settings"].pop("agent_alias")
        skip(r, FRAMEWORK, "no agent_alias: cannot be placed")
        r = fw(7); fr(r)["k_model"] = 4.5
        keep(r, FRAMEWORK, "k_model is not a whole number")
        r = han(8); r["analysis_datetime"] = {"$date": "2025-06-01T08:30:00.000Z"}
        keep(r, HAN, "analysis time as an Extended-JSON date", warns=False)
        r = han(9); r.pop("nwb_name")
        skip(r, HAN, "no nwb_name: cannot be placed")
        r = han(10); oid = "65a1b2c3d4e5f60718293a4b"; r["_id"] = {"$oid": oid}
        keep(r, HAN, "ObjectId _id", warns=False, _id=oid)
        r = han(11); r["analysis_results"]["n_trials"] = None; r["analysis_results"]["BIC"] = None
        keep(r, HAN, "null n_trials and BIC", warns=False)
        return {"rows": rows, "failed": failed, "skipped": skipped, "warned": warned,
                "records": records, "superseded": 0}

    # -- figures ---------------------------------------------------------------------------------

    def draw(self, key):
        """A small plot in the style of fitted_session.png: choices, rewards and the model's P(right)."""
        rng = random.Random(key)
        color = (31, 119, 180)
        for model, c in MODEL_COLORS.items():
            if model in key:
                color = c
        for rec in self.records:
            rid = rec["_id"] if isinstance(rec["_id"], str) else rec["_id"]["$oid"]
            if rid in key:
                alias = (rec.get("analysis_results") or {}).get("fit_settings", {}).get("agent_alias")
                if alias is None and "processing" in rec:
                    alias = rec["processing"]["data_processes"][0]["output_parameters"][
                        "fitting_results"]["fit_settings"].get("agent_alias")
                color = MODEL_COLORS.get(alias, color)
                break
        return png_plot(rng, color)

    def expected_all(self):
        """What a load of the whole collection shows: the union of the subjects' sections. The
        dedup key (nwb_name, agent_alias) never spans two subjects, so the union is what the merge
        rules give applied to everything at once."""
        def when(r):
            t = datetime.fromisoformat(r["analysis_time"])
            return t if t.tzinfo else t.replace(tzinfo=timezone.utc)

        rows, odd_rows, failed, keys = [], [], [], set()
        for subject, exp in self.expected.items():
            for r in exp["rows"]:
                (odd_rows if subject == ODD_SUBJECT else rows).append({"subject_id": subject, **r})
                if subject != ODD_SUBJECT:
                    keys.add((r["nwb_name"], r["agent_alias"]))
            failed += [{"subject_id": subject, **r} for r in exp["failed"]]
        assert len(keys) == len(rows), "a (nwb_name, agent_alias) spans two subjects"
        rows.sort(key=when, reverse=True)
        total = lambda name: sum(exp[name] for exp in self.expected.values())
        return {"rows": rows + odd_rows, "failed": failed, "superseded": total("superseded"),
                "skipped": total("skipped"), "warned": total("warned"), "records": total("records")}

    # -- result JSON files (latent variables) ------------------------------------------------------

    def result_files(self):
        """The result JSON of the successful fits ("bucket/key" -> text) and expected["latents"].
        Uses string-seeded generators only, never self.rng: the records and figures stay as they
        were without these files."""
        plans = []  # one per successful fit of a normal subject, in insertion order
        for f in self.fits:
            rec = f["rec"]
            if f["pipeline"] == FRAMEWORK:
                out = rec["processing"]["data_processes"][0]["output_parameters"]
                res, subject, nwb, status = (out["fitting_results"], out["subject_id"],
                                             out["nwb_name"], out.get("additional_info"))
            else:
                res, subject, nwb, status = (rec["analysis_results"], rec.get("subject_id"),
                                             rec.get("nwb_name"), rec.get("status"))
            if subject == ODD_SUBJECT or status != "success":
                continue
            folder = f["figure_key"].rsplit("/", 1)[0]
            pick = random.Random("latents:" + folder)
            missing, whole_record = pick.random() < 0.08, pick.random() < 0.2
            name = ("original_results_mle_fitting.json" if f["pipeline"] == FRAMEWORK else
                    "docDB_record.json" if whole_record else "docDB_mle_fitting.json")
            plans.append({"fit": f, "res": res, "nwb": nwb, "folder": folder, "name": name,
                          "alias": res["fit_settings"]["agent_alias"], "n": res["n_trials"],
                          "problem": "missing" if missing else None})
        by_location = {"s3://" + p["folder"]: p for p in plans}

        # The fixed sessions of 730945, chosen from its visible rows.
        sessions = {}
        for r in self.expected["730945"]["rows"]:
            sessions.setdefault(r["nwb_name"], []).append(r)
        is_q = lambda alias: alias.startswith("QLearning") or alias == "ForagingCompareThreshold"
        good = max((rows for rows in sessions.values()
                    if len(rows) >= 3 and sum(is_q(r["agent_alias"]) for r in rows) >= 2
                    and all(r["pipeline_source"] == FRAMEWORK and r["has_figure"] for r in rows)),
                   key=lambda rows: rows[0]["session_date"])
        hostile = max((rows for rows in sessions.values() if rows is not good and len(rows) >= 3
                       and all(r["pipeline_source"] == HAN for r in rows)),
                      key=lambda rows: (min(len(rows), 4), rows[0]["session_date"]))
        good = sorted(good, key=lambda r: r["agent_alias"])
        hostile = sorted(hostile, key=lambda r: r["agent_alias"])
        for r in good:
            by_location[r["S3_location"]]["problem"] = None
        for r, problem in zip(hostile, ["missing", "truncated", "shape", None]):
            by_location[r["S3_location"]]["problem"] = problem
        decoy = next(r for r in good if is_q(r["agent_alias"]))["S3_location"]

        files, history = {}, {}
        for p in plans:
            if p["problem"] == "missing":
                continue
            n = p["n"]
            if p["nwb"] not in history:
                history[p["nwb"]] = session_history(p["nwb"], n)
            choices, rewards = history[p["nwb"]]
            latents = fit_latents(p["alias"], p["res"]["params"], choices, rewards)
            p["q_value"] = latents.get("q_value")
            if p["problem"] == "shape":
                if "q_value" in latents:
                    latents["q_value"] = "not a list"
                else:
                    latents = [latents]
            settings = {"agent_alias": p["alias"], "fit_choice_history": choices,
                        "fit_reward_history": rewards}
            inner = {"fit_settings": settings, "fitted_latent_variables": latents,
                     "log_likelihood": p["res"]["log_likelihood"], "params": p["res"]["params"]}
            if p["name"] == "original_results_mle_fitting.json":
                content = inner
            elif p["name"] == "docDB_mle_fitting.json":
                content = {"analysis_results": inner}
            else:
                content = json.loads(json.dumps(p["fit"]["rec"]))
                content["analysis_results"]["fit_settings"].update(settings)
                content["analysis_results"]["fitted_latent_variables"] = latents
            text = json.dumps(content, separators=(",", ":"))
            if p["problem"] == "truncated":
                text = text[:len(text) // 2]
            files[f"{p['folder']}/{p['name']}"] = text
            if "s3://" + p["folder"] == decoy:
                files[f"{p['folder']}/docDB_record.json"] = json.dumps({"analysis_results": {
                    "fit_settings": settings,
                    "fitted_latent_variables": {"q_value": [[0.5] * (n + 1)] * 2,
                                                "choice_prob": [[0.5] * n] * 2}}},
                    separators=(",", ":"))

        folders = {}
        for subject, exp in self.expected.items():
            if subject == ODD_SUBJECT:
                continue
            for r in exp["rows"]:
                p = by_location[r["S3_location"]]
                ok = p["problem"] is None
                folders[r["S3_location"]] = {
                    "file": None if p["problem"] == "missing" else p["name"],
                    "problem": p["problem"], "agent_alias": p["alias"], "n_trials": p["n"],
                    "has_q": ok and p["q_value"] is not None,
                    "qvalue_spread": qvalue_spread(p["q_value"]) if ok and p["q_value"] else None,
                }
        session = lambda rows: {"subject_id": "730945", "session_date": rows[0]["session_date"],
                                "nwb_name": rows[0]["nwb_name"]}
        return files, {"sessions": {"good": {**session(good), "decoy_folder": decoy},
                                    "hostile": session(hostile)},
                       "folders": folders}

    def write(self, out: Path, seed):
        if out.exists():
            for sub in ("analysis", "s3"):
                shutil.rmtree(out / sub, ignore_errors=True)
        (out / DATABASE).mkdir(parents=True, exist_ok=True)
        (out / DATABASE / f"{COLLECTION}.json").write_text(
            json.dumps(self.records, indent=1, allow_nan=True) + "\n")
        (out / DATABASE / "dynamic-foraging-nm.json").write_text(json.dumps(nm_records(self.rng),
                                                                            indent=1) + "\n")
        for key in sorted(self.figures):
            path = out / "s3" / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.draw(key))
        results, latents = self.result_files()
        for key in sorted(results):
            path = out / "s3" / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(results[key])
        expected = {"seed": seed, "collection": COLLECTION, "database": DATABASE,
                    "s3_root": S3_ROOT, "unknown_subject": UNKNOWN_SUBJECT,
                    "subjects": self.expected, "all": self.expected_all(), "latents": latents}
        (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


def nm_records(rng):
    """A second analysis collection with a different shape, for browsing any collection."""
    out = []
    for i in range(6):
        out.append({"_id": "%032x" % rng.getrandbits(128), "name": f"dynamic-foraging-nm_{i}",
                    "subject_id": "730945", "session_date": f"2025-01-{10 + i:02d}",
                    "analysis_spec": {"analysis_name": "photometry summary", "analysis_ver": "0.3"},
                    "analysis_results": {"channels": ["G_1", "G_2"], "dff_mean": rng.uniform(0, 1)}})
    return out


def session_history(nwb_name, n_trials):
    """A session's choices (0 left, 1 right) and rewards (0/1): blocks of reward probabilities and
    a simple learning animal. Seeded by the session's name alone."""
    rng = random.Random("history:" + nwb_name)
    blocks = [(0.8, 0.1), (0.1, 0.8), (0.6, 0.2), (0.2, 0.6), (0.45, 0.45), (0.7, 0.3), (0.3, 0.7)]
    q, choices, rewards = [0.5, 0.5], [], []
    probs, left = rng.choice(blocks), rng.randrange(30, 70)
    for _ in range(n_trials):
        if left == 0:
            probs, left = rng.choice(blocks), rng.randrange(30, 70)
        left -= 1
        p_right = 1 / (1 + math.exp(-6 * (q[1] - q[0]) - 0.3 * rng.gauss(0, 1)))
        c = 1 if rng.random() < p_right else 0
        r = 1 if rng.random() < probs[c] else 0
        q[c] += 0.3 * (r - q[c])
        choices.append(c)
        rewards.append(r)
    return choices, rewards


def fit_latents(model, params, choices, rewards):
    """fitted_latent_variables of one fit, from the session's history and the fit's parameters:
    q_value / choice_kernel hold the value before the first trial and after each trial's update."""
    sigmoid = lambda x: 1 / (1 + math.exp(-max(-700.0, min(700.0, x))))
    r4 = lambda xs: [round(x, 4) for x in xs]
    p_right = []
    if model == "WSLS":
        for t in range(len(choices)):
            if t == 0:
                p_right.append(0.5)
                continue
            stay = params["win_stay"] if rewards[t - 1] else 1 - params["lose_shift"]
            p_right.append(stay if choices[t - 1] == 1 else 1 - stay)
        return {"choice_prob": [r4(1 - p for p in p_right), r4(p_right)]}
    beta = params["softmax_inverse_temperature"]
    if model == "ForagingCompareThreshold":
        q = [0.5, 0.5]
        qs = [[0.5], [0.5]]
        for t, (c, r) in enumerate(zip(choices, rewards)):
            if t == 0:
                p_right.append(0.5)
            else:
                prev = choices[t - 1]
                stay = sigmoid(beta * (q[prev] - params["threshold"]))
                p_right.append(stay if prev == 1 else 1 - stay)
            q[c] += params["learn_rate"] * (r - q[c])
            qs[0].append(q[0])
            qs[1].append(q[1])
        return {"q_value": [r4(qs[0]), r4(qs[1])],
                "choice_prob": [r4(1 - p for p in p_right), r4(p_right)]}
    lr_rew = params.get("learn_rate_rew", params.get("learn_rate"))
    lr_unrew = params.get("learn_rate_unrew", params.get("learn_rate"))
    forget = params.get("forget_rate_unchosen", 0.0)
    step = params.get("choice_kernel_step_size")
    weight = params.get("choice_kernel_relative_weight", 0.0)
    q, ck = [0.0, 0.0], [0.0, 0.0]
    qs, cks = [[0.0], [0.0]], [[0.0], [0.0]]
    for c, r in zip(choices, rewards):
        p_right.append(sigmoid(beta * ((q[1] - q[0]) + weight * (ck[1] - ck[0]))))
        q[c] += (lr_rew if r else lr_unrew) * (r - q[c])
        q[1 - c] *= 1 - forget
        if step is not None:
            ck[c] += step * (1 - ck[c])
            ck[1 - c] *= 1 - step
        for side in (0, 1):
            qs[side].append(q[side])
            cks[side].append(ck[side])
    out = {"q_value": [r4(qs[0]), r4(qs[1])],
           "choice_prob": [r4(1 - p for p in p_right), r4(p_right)]}
    if "CK1" in model:
        out["choice_kernel"] = [r4(cks[0]), r4(cks[1])]
    return out


def qvalue_spread(q_value):
    """The reference's `_add_qvalue_spread` for one q_value, without numpy: numpy.histogram's
    100 equal bins on [0, 1] (edges as numpy.linspace computes them, the index from the scaled
    value corrected against the edges, the last bin closed, values outside or NaN dropped), then
    scipy's entropy in bits of the non-empty bins, over log2(100). None when no value counts."""
    bins = 100
    edges = [float(i) * (1.0 / bins) + 0.0 for i in range(bins)] + [1.0]
    hist = [0] * bins
    for row in q_value:
        for v in row:
            if v is None or not (0 <= v <= 1):
                continue
            i = int((v - 0) / 1 * bins)
            if i == bins:
                i -= 1
            if v < edges[i]:
                i -= 1
            if v >= edges[i + 1] and i != bins - 1:
                i += 1
            hist[i] += 1
    total = sum(hist)
    if total == 0:
        return None
    prob = [h / total for h in hist if h > 0]
    norm = sum(prob)
    prob = [p / norm for p in prob]
    return -sum(p * math.log(p) for p in prob) / math.log(2) / math.log2(bins)


def png_plot(rng, color, width=360, height=150):
    """An RGB PNG drawn pixel by pixel (no imaging library needed): axes, choice ticks coloured by
    reward, and a smooth curve in the model's colour."""
    white, grey, black = (255, 255, 255), (200, 200, 200), (40, 40, 40)
    px = [[white] * width for _ in range(height)]
    left, right, top, bottom = 24, width - 8, 12, height - 16
    for x in range(left, right + 1):
        px[bottom][x] = grey
        px[top][x] = grey
    for y in range(top, bottom + 1):
        px[y][left] = grey
    mid = (top + bottom) // 2
    for x in range(left, right, 4):
        px[mid][x] = grey
    trials = (right - left) // 3
    p, phase = 0.5, rng.uniform(0, 6.28)
    prev = None
    for t in range(trials):
        target = 0.5 + 0.4 * math.sin(phase + t / rng.uniform(12, 20))
        p += 0.25 * (target - p) + rng.gauss(0, 0.02)
        p = min(0.98, max(0.02, p))
        x = left + 2 + 3 * t
        choice_right = rng.random() < p
        rewarded = rng.random() < 0.45
        tick = (0, 140, 60) if rewarded else black
        ys = range(top + 2, top + 8) if choice_right else range(bottom - 7, bottom - 1)
        for y in ys:
            px[y][x] = tick
        y = int(bottom - 10 - p * (bottom - top - 20))
        if prev is not None:
            for yy in range(min(prev, y), max(prev, y) + 1):
                for dx in (-2, -1, 0):
                    px[yy][x + dx] = color
        prev = y
    raw = b"".join(b"\x00" + bytes(v for c in row for v in c) for row in px)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "fixtures")
    ap.add_argument("--seed", type=int, default=20251124)
    args = ap.parse_args()
    g = Gen(args.seed)
    for subject, spec in SUBJECTS.items():
        _, fits = g.subject(subject, spec)
        g.expected[subject] = g.expected_subject(fits)
    g.expected[ODD_SUBJECT] = g.odd_subject()
    g.noise()
    # Fixed conditions the tests rely on: at least two visible fits of 730945 without a figure,
    # and at least one failed fit.
    first = g.expected["730945"]
    missing = [r for r in first["rows"] if not r["has_figure"]]
    for r in first["rows"]:
        if len(missing) >= 2:
            break
        if r["has_figure"]:
            r["has_figure"] = False
            g.figures.pop(r["figure_key"], None)
            missing.append(r)
    assert first["failed"], "the seed must produce failed fits for 730945"
    g.rng.shuffle(g.records)  # natural order must not help any client
    g.write(args.out, args.seed)
    total = sum(len(s["rows"]) for s in g.expected.values())
    print(f"wrote {len(g.records)} records, {len(g.figures)} figures, {total} expected rows to {args.out}")


if __name__ == "__main__":
    main()
