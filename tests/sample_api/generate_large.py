#!/usr/bin/env python3
"""A large seeded data set for benchmarks, generated at benchmark time (never committed).

    generate_large.py --out DIR [--seed 20251125] [--docs 30000] [--subjects 60]

Writes, deterministically for a seed:
- DIR/analysis/dynamic-foraging-model-fitting.json: at least --docs records over --subjects subjects,
  shaped exactly as generate_fixtures.Gen shapes them (both pipeline formats, full metrics, params
  and cross-validation arrays), with sessions fitted by both pipelines, re-runs of the same fit,
  failed fits, and records that must not match (other framework tag, other analysis, other Han
  version). Records are shuffled: natural order must not help any client.
- DIR/s3/: empty (no figures are drawn for a benchmark set).
- DIR/expected-large.json: what a correct client shows for a load of everything: `rows` (successful
  fits after the latest-per-(nwb_name, agent_alias) rule across both formats), `failed`, and the
  counts per format behind them.

Prints one summary line.
"""

import argparse
import json
import math
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_fixtures import COLLECTION, DATABASE, FRAMEWORK, HAN, MODELS, TAGS, Gen  # noqa: E402

# Records per (session, model) of a subject fitted by one pipeline; `plan` adds the overlap of
# subjects fitted by both. Re-runs (15 %) and failed attempts (7 %) come from Gen.subject.
RUNS_PER_FIT = 1.12
NONMATCHING_SHARE = 0.02


def plan(rng, n_subjects, docs, scale):
    """Per-subject specs in the shape generate_fixtures.SUBJECTS uses."""
    subjects = {}
    ids = sorted(rng.sample(range(600000, 830000), n_subjects))
    per_subject = docs * (1 - NONMATCHING_SHARE) / n_subjects
    for sid in ids:
        models = rng.sample(sorted(MODELS), rng.randint(3, len(MODELS)))
        kind = rng.choice(["both", "both", "both", "han", "framework"])
        overlap = 1.2 if kind == "both" else 1.0
        sessions = max(2, math.ceil(scale * per_subject / (len(models) * overlap * RUNS_PER_FIT)))
        cut_han, cut_fw = round(sessions * 0.6), round(sessions * 0.4)
        start = date(2023, 6, 1) + timedelta(days=rng.randrange(700))
        subjects[str(sid)] = dict(
            sessions=sessions, start=start.isoformat(), models=models,
            han=range(sessions) if kind == "han" else range(0) if kind == "framework" else range(cut_han),
            framework=(range(sessions) if kind == "framework" else range(0) if kind == "han"
                       else range(cut_fw, sessions)))
    return subjects


def nonmatching(g, subject, sessions, count):
    """Records of the subject's own sessions that the MLE-fitting selectors must not match."""
    rng = g.rng
    for _ in range(count):
        session = rng.choice(sessions)
        model = rng.choice(sorted(MODELS))
        when = g.time_after(session["date"], 5, 300)
        kind = rng.randrange(4)
        if kind == 0:
            rec = g.framework_record(subject, session, model, when, "aind-analysis-framework v0.0-dev")
        elif kind == 1:
            rec = g.framework_record(subject, session, model, when, TAGS[1],
                                     analysis_name="Psychometric fitting")
        elif kind == 2:
            rec = g.han_record(subject, session, model, when, ver="second version @ 0.11.0")
        else:
            rec = g.han_record(subject, session, model, when, analysis_name="Psychometric fitting")
        g.records.append(rec)


def build(seed, docs, n_subjects):
    """(Gen, every matching fit) with at least `docs` records; deterministic for the arguments."""
    scale = 1.0
    while True:
        g = Gen(seed)
        specs = plan(g.rng, n_subjects, docs, scale)
        fits = []
        for subject, spec in specs.items():
            sessions, subject_fits = g.subject(subject, spec)
            fits.extend(subject_fits)
            nonmatching(g, subject, sessions, max(1, round(len(subject_fits) * NONMATCHING_SHARE)))
        if len(g.records) >= docs:
            return g, specs, fits
        scale *= 1.05 * docs / len(g.records)


def fit_key(f):
    """(status, nwb_name, agent_alias, pipeline) of a generated fit, in either format."""
    r = f["rec"]
    if f["pipeline"] == FRAMEWORK:
        out = r["processing"]["data_processes"][0]["output_parameters"]
        return (out["additional_info"], out["nwb_name"],
                out["fitting_results"]["fit_settings"]["agent_alias"], FRAMEWORK)
    return r["status"], r["nwb_name"], r["analysis_results"]["fit_settings"]["agent_alias"], HAN


def summarize(g, specs, fits, seed):
    exp = g.expected_subject(fits)
    # Re-runs: the same fit (nwb_name, agent_alias) analysed again, successfully, by the same pipeline.
    runs = Counter(k[1:] for k in map(fit_key, fits) if k[0] == "success")
    by_format = Counter(f["pipeline"] for f in fits)
    return {
        "seed": seed, "collection": COLLECTION, "database": DATABASE,
        "docs": len(g.records), "subjects": len(specs),
        "matching": {"framework": by_format[FRAMEWORK], "han": by_format[HAN]},
        "nonmatching": len(g.records) - len(fits),
        "rows": len(exp["rows"]),
        "rows_by_pipeline": {
            "framework": sum(r["pipeline_source"] == FRAMEWORK for r in exp["rows"]),
            "han": sum(r["pipeline_source"] == HAN for r in exp["rows"])},
        "failed": len(exp["failed"]),
        "superseded": exp["superseded"],
        "reruns": sum(n - 1 for n in runs.values()),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=20251125)
    ap.add_argument("--docs", type=int, default=30000, help="at least this many records")
    ap.add_argument("--subjects", type=int, default=60)
    args = ap.parse_args(argv)

    g, specs, fits = build(args.seed, args.docs, args.subjects)
    summary = summarize(g, specs, fits, args.seed)
    random.Random(args.seed).shuffle(g.records)  # natural order must not help any client

    (args.out / DATABASE).mkdir(parents=True, exist_ok=True)
    (args.out / "s3").mkdir(exist_ok=True)
    (args.out / DATABASE / f"{COLLECTION}.json").write_text(json.dumps(g.records, allow_nan=True))
    (args.out / "expected-large.json").write_text(json.dumps(summary, indent=1) + "\n")
    s = summary
    print(f"wrote {s['docs']} records ({s['matching']['framework']} framework, {s['matching']['han']} "
          f"han, {s['nonmatching']} non-matching) of {s['subjects']} subjects to {args.out}: "
          f"{s['rows']} rows, {s['failed']} failed, {s['reruns']} re-runs, "
          f"{s['superseded']} superseded")


if __name__ == "__main__":
    main()
