"""Generates src/stats/fixtures/lowess_linregress.json: the reference outputs that the Rust
statistics in src/stats/lowess.rs, regress.rs and special.rs are tested against.

Run once, by hand, when a dataset or a reference changes; the JSON is committed and the Rust
tests only read it. In any throwaway environment (nothing here is needed by the app):

    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install statsmodels scipy numpy mpmath
    /tmp/sm/bin/python tests/python/gen_stats_fixtures.py      # from the repository root

The file that is committed was produced by Python 3.11.7, numpy 2.4.6, scipy 1.17.1,
statsmodels 0.15.0 and mpmath 1.4.1; the exact versions are also written into the JSON
("versions").

What is computed, per dataset:
  * lowess: statsmodels.nonparametric.smoothers_lowess.lowess(y, x, frac, it, delta=0.0,
    return_sorted=True) (missing='drop' is statsmodels' default). numpy's default argsort is not
    stable, so the order of tied x values inside statsmodels can depend on the machine. The data
    are therefore first put in *stable* order by x and passed with is_sorted=True, which is what
    the Rust port does; "default_sort_is_stable" records whether statsmodels' own sort gave the
    same order here (when it did, the plain call was checked to give the same numbers).
  * linregress: scipy.stats.linregress on the pairs left after dropping non-finite ones (scipy
    itself would propagate the NaN), for datasets with at least 3 such pairs and varying x.
  * betainc: rows [a, b, x, scipy.special.betainc(a, b, x), exact] over a grid, where exact is
    mpmath's value (40 digits) rounded to a double, or null where scipy gives 1.0 or less than
    1e-300. It shows where scipy itself is off: by ~1e-12 relative at a = b = 0.5,
    x = 1 - 1e-9, and ~1e-13 at a = b = 1000, x = 0.3.

Non-finite floats are written as the strings "nan", "inf" and "-inf" (JSON has no NaN).
"""

import json
import math
import platform
import warnings
from pathlib import Path

import mpmath
import numpy as np
import scipy
import scipy.special
import scipy.stats
import statsmodels
from statsmodels.nonparametric.smoothers_lowess import lowess

OUT = Path(__file__).resolve().parents[2] / "src" / "stats" / "fixtures" / "lowess_linregress.json"


def enc(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def enc_list(a):
    return [enc(v) for v in np.asarray(a, dtype=float)]


def datasets():
    d = {}

    rng = np.random.default_rng(20240611)
    x = rng.uniform(0.0, 10.0, 200)
    d["sine200"] = (x, np.sin(x) + rng.normal(0.0, 0.3, 200))

    # Ties, small enough to inspect by hand; several tie groups straddle the k-point windows.
    x = np.array([5.0, 1.0, 2.0, 2.0, 3.0, 2.0, 4.0, 4.0, 5.0, 5.0, 6.0, 7.0, 7.0, 7.0, 8.0])
    y = np.array([2.5, 0.1, 0.9, 1.7, 1.2, 0.4, 2.2, 1.6, 3.1, 2.0, 2.9, 4.2, 3.0, 3.7, 4.1])
    d["ties15"] = (x, y)

    # Many ties (x rounded to integers), more than numpy's small-array sort handles.
    rng = np.random.default_rng(7)
    x = np.round(rng.uniform(0.0, 12.0, 60))
    d["ties60"] = (x, 0.3 * x + rng.normal(0.0, 0.5, 60))

    rng = np.random.default_rng(99)
    x = np.linspace(0.0, 29.0, 30) + rng.uniform(-0.3, 0.3, 30)
    y = 0.5 * x + rng.normal(0.0, 0.4, 30)
    y[11] += 15.0
    y[23] -= 10.0
    d["outlier30"] = (x, y)

    d["tiny5"] = (np.array([3.0, 1.0, 4.0, 1.5, 5.0]), np.array([2.0, 0.5, 3.9, 1.1, 7.0]))

    rng = np.random.default_rng(3)
    x = rng.uniform(-2.0, 2.0, 25)
    y = x**2 + rng.normal(0.0, 0.2, 25)
    x[3] = np.nan
    y[7] = np.nan
    x[12] = np.inf
    y[18] = -np.inf
    x[20] = y[20] = np.nan
    d["nan25"] = (x, y)

    # Exact arithmetic: r is exactly +1 / -1, and y has exactly zero variance.
    d["line5"] = (np.arange(5.0), 2.0 * np.arange(5.0) + 1.0)
    d["negline6"] = (np.arange(6.0), 7.0 - 3.0 * np.arange(6.0))
    d["const_y6"] = (np.array([1.0, 4.0, 2.0, 8.0, 5.0, 7.0]), np.full(6, 2.0))

    # Degenerate inputs for lowess only.
    d["equal_x4"] = (np.full(4, 3.0), np.array([1.0, 5.0, 2.0, 4.0]))
    d["one1"] = (np.array([2.0]), np.array([3.0]))
    d["two2"] = (np.array([2.0, 1.0]), np.array([3.0, 5.0]))
    return d


LOWESS_RUNS = {
    "sine200": [(f, it) for f in (0.1, 0.25, 2.0 / 3.0, 1.0) for it in (0, 1, 3)],
    "ties15": [(f, it) for f in (0.2, 0.3, 0.5, 2.0 / 3.0) for it in (0, 3)],
    "ties60": [(f, it) for f in (0.1, 0.3) for it in (0, 3)],
    "outlier30": [(f, it) for f in (0.3, 0.5) for it in (0, 1, 3)],
    "tiny5": [(f, it) for f in (0.0, 0.5, 0.8, 1.0) for it in (0, 2)],
    "nan25": [(0.4, 0), (0.4, 3)],
    "const_y6": [(0.5, 2)],
    "equal_x4": [(0.5, 0), (1.0, 2)],
    "one1": [(0.5, 3)],
    "two2": [(1.0, 3)],
}

LINREGRESS = ["sine200", "ties15", "ties60", "outlier30", "tiny5", "nan25", "line5",
              "negline6", "const_y6"]


def run_lowess(x, y, frac, it):
    keep = np.isfinite(x) & np.isfinite(y)
    xs, ys = x[keep], y[keep]
    order = np.argsort(xs, kind="stable")
    default_is_stable = bool(np.array_equal(np.argsort(xs), order))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 radius for all-equal x
        res = lowess(ys[order], xs[order], frac=frac, it=it, delta=0.0, is_sorted=True,
                     return_sorted=True)
        if default_is_stable:
            plain = lowess(y, x, frac=frac, it=it, delta=0.0, return_sorted=True)
            assert np.array_equal(plain, res, equal_nan=True), "plain call differs"
    return res, default_is_stable


def main():
    data = datasets()
    out = {
        "generator": "tests/python/gen_stats_fixtures.py",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__,
            "mpmath": mpmath.__version__,
        },
        "datasets": {k: {"x": enc_list(x), "y": enc_list(y)} for k, (x, y) in data.items()},
        "lowess": [],
        "linregress": [],
        "betainc": [],
    }

    for name, runs in LOWESS_RUNS.items():
        x, y = data[name]
        for frac, it in runs:
            res, stable = run_lowess(x, y, frac, it)
            out["lowess"].append({
                "dataset": name, "frac": frac, "it": it, "default_sort_is_stable": stable,
                "x": enc_list(res[:, 0]), "fit": enc_list(res[:, 1]),
            })

    for name in LINREGRESS:
        x, y = data[name]
        keep = np.isfinite(x) & np.isfinite(y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # const_y6: r = nan
            r = scipy.stats.linregress(x[keep], y[keep])
        out["linregress"].append({
            "dataset": name, "n": int(keep.sum()), "slope": enc(r.slope),
            "intercept": enc(r.intercept), "r": enc(r.rvalue), "p_value": enc(r.pvalue),
            "stderr": enc(r.stderr), "intercept_stderr": enc(r.intercept_stderr),
        })

    mpmath.mp.dps = 40

    def betainc_row(a, b, x):
        value = scipy.special.betainc(a, b, x)
        if a == b and x == 0.5:
            exact = 0.5  # by symmetry (mpmath is very slow at a = b = 25000)
        elif 1e-300 < value < 1.0:
            exact = mpmath.betainc(a, b, 0, x, regularized=True)
        else:
            exact = None  # I or 1 - I (nearly) underflows; mpmath fails to converge there
        return [a, b, x, enc(value), None if exact is None else enc(float(exact))]

    ab = [0.05, 0.5, 1.0, 2.5, 7.0, 20.0, 150.0, 1000.0, 25000.0]
    xs = [1e-8, 0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999, 1.0 - 1e-9]
    for a in ab:
        for b in ab:
            for x in xs:
                out["betainc"].append(betainc_row(a, b, x))
    # The t-test shape: a = df/2, b = 1/2, near x = 1 (small t) and far from it.
    for df in (1, 2, 3, 10, 57, 198, 10001):
        for t in (0.01, 0.7, 2.0, 5.0, 40.0, 1e6):
            x = df / (df + t * t)
            out["betainc"].append(betainc_row(df / 2.0, 0.5, x))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}: {out['versions']}")


if __name__ == "__main__":
    main()
