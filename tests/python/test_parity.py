"""Parity with the reference: the Rust normalizer and `get_mle_model_fitting` (installed from PyPI
in .venv-ref) read the same sample-API responses and must produce the same rows and columns.

The Rust side runs through examples/parity.rs: it prints the queries the app sends, and merges the
raw response bodies this test fetched with them. Deliberate differences are listed in README.md;
the columns the reference lacks (CV mean and std) are checked against numpy-style statistics here.
"""

import json
import math
import subprocess
import urllib.parse
import urllib.request

import pytest

from conftest import EXPECTED, FIND, ROOT, http, sample_api

REF_PYTHON = ROOT / ".venv-ref" / "bin" / "python"
NORMAL_SUBJECTS = [s for s in EXPECTED["subjects"] if s != "799001"]


@pytest.fixture(scope="module")
def parity_bin():
    subprocess.run(
        ["cargo", "build", "--quiet", "--locked", "--example", "parity"], cwd=ROOT, check=True
    )
    return ROOT / "target" / "debug" / "examples" / "parity"


@pytest.fixture(scope="module")
def api():
    # A page cap makes both clients page; the reference must see the same records as the app.
    with sample_api("--page-cap", "7") as url:
        yield url


def fetch_pages(api, filter_, projection):
    """Every page of a find, raw, paged like the app: skip advances by what arrived."""
    pages, skip = [], 0
    while True:
        qs = urllib.parse.urlencode({
            "limit": "0", "skip": str(skip),
            "filter": json.dumps(filter_), "projection": json.dumps(projection),
        })
        with urllib.request.urlopen(f"{api}{FIND}?{qs}") as r:
            text = r.read().decode()
        n = len(json.loads(text))
        if n == 0:
            return pages
        pages.append(text)
        skip += n


def rust_table(parity_bin, api, subject):
    queries = json.loads(subprocess.check_output([str(parity_bin), "queries", subject]))
    pages = {
        fmt: fetch_pages(api, q["filter"], q["projection"]) for fmt, q in queries.items()
    }
    out = subprocess.run(
        [str(parity_bin), "normalize"], input=json.dumps(pages), capture_output=True,
        text=True, check=True,
    )
    return queries, json.loads(out.stdout)


def reference(api, *args):
    """reference_runner.py's output for `<subject>` or `--custom-query <json>`."""
    assert REF_PYTHON.exists(), "scripts/ensure-tools.sh test creates .venv-ref with the reference"
    out = subprocess.run(
        [str(REF_PYTHON), str(ROOT / "tests/python/reference_runner.py"), api, *args],
        capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is None and b is None
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def mean_std(xs):
    xs = [x for x in xs if x is not None and math.isfinite(x)]
    if not xs:
        return None, None
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


@pytest.mark.parametrize("subject", NORMAL_SUBJECTS)
def test_rust_normalizer_matches_reference(parity_bin, api, subject):
    ref = reference(api, subject)
    queries, rust = rust_table(parity_bin, api, subject)

    # Same filters and projections as the reference.
    assert queries == ref["queries"]

    ref_rows = {r["_id"]: r for r in ref["rows"]}
    rust_rows = {r["_id"]: r for r in rust["rows"]}
    assert len(ref_rows) == len(ref["rows"]) > 0
    assert set(rust_rows) == set(ref_rows), "the same fits survive status filter and dedup"

    for _id, want in ref_rows.items():
        got = rust_rows[_id]
        for col in ref["columns"]:
            assert col in got, f"column {col} missing from the Rust row"
            assert same(got[col], want[col]), f"{_id} {col}: rust {got[col]!r} != reference {want[col]!r}"
        for name in ("test", "fit", "test_bias_only"):
            m, s = mean_std(want[f"prediction_accuracy_{name}"] or [])
            assert same(got[f"prediction_accuracy_10-CV_{name}"], m)
            assert same(got[f"prediction_accuracy_10-CV_{name}_std"], s)
        assert got["_warnings"] == [], f"{_id}: clean data must not warn: {got['_warnings']}"

    # What the reference drops, the app keeps apart: every failed record of the subject.
    assert len(rust["failed"]) == len(EXPECTED["subjects"][subject]["failed"])
    assert rust["skipped"] == []


def test_odd_records_are_kept_with_warnings_or_counted_as_skipped(parity_bin, api):
    """The odd subject: every kept record carries its warning, the unplaceable ones are skipped
    with a reason, and nothing panics or disappears."""
    odd = EXPECTED["subjects"]["799001"]
    _, rust = rust_table(parity_bin, api, "799001")
    assert sorted(r["_id"] for r in rust["rows"]) == sorted(r["_id"] for r in odd["rows"])
    assert sorted(r["_id"] for r in rust["failed"]) == sorted(r["_id"] for r in odd["failed"])
    assert len(rust["skipped"]) == odd["skipped"]
    assert all(s["reason"] for s in rust["skipped"])
    warned = {r["_id"] for r in rust["rows"] + rust["failed"] if r["_warnings"]}
    want = {r["_id"] for r in odd["rows"] + odd["failed"] if r["warned"]}
    assert warned == want
    assert rust["received"] == odd["records"]


SEARCHES = [
    {"subject": "730945,752014"},
    {"subject": "730945,781162", "from": "2024-10-05", "to": "2025-03-04"},
    {"subject": "781162", "model": "WSLS,QLearning_L2F1_softmax"},
    {"subject": "730945", "pipeline": "han"},
    {"subject": "730945", "pipeline": "framework", "tag": "aind-analysis-framework v0.2"},
    {"from": "2025-03-03", "to": "2025-03-08"},
    {"custom": '{"subject_id": "752014"}'},
]


@pytest.mark.parametrize("params", SEARCHES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_python_snippet_reproduces_the_search(parity_bin, api, params):
    """The snippet the search page offers, run with the reference library, finds the same fits
    as the page's own queries and merge."""
    assert REF_PYTHON.exists(), "scripts/ensure-tools.sh test creates .venv-ref with the reference"
    search = json.loads(subprocess.check_output([str(parity_bin), "search", json.dumps(params)]))
    pages = {
        fmt: [page for f in search[fmt]["filters"] for page in fetch_pages(api, f, search[fmt]["projection"])]
        for fmt in ("framework", "han")
    }
    out = subprocess.run([str(parity_bin), "normalize"], input=json.dumps(pages), capture_output=True,
                         text=True, check=True)
    page_ids = sorted(r["_id"] for r in json.loads(out.stdout)["rows"])
    assert page_ids, "the search finds fits"
    ran = subprocess.run([str(REF_PYTHON), str(ROOT / "tests/python/snippet_runner.py"), api],
                         input=search["snippet"], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr[-3000:] + "\n" + search["snippet"]
    assert json.loads(ran.stdout) == page_ids, search["snippet"]


ODD = "799001"
ALL_COLUMNS = ["subject_id", "nwb_name", "session_date", "status", "analysis_time", "analysis_tag",
               "S3_location", "agent_alias", "n_trials", "log_likelihood", "AIC", "BIC", "LPT_AIC",
               "prediction_accuracy", "pipeline_source"]


def test_reference_loads_the_whole_collection_through_a_byte_cap():
    """The reference's load of everything (`from_custom_query={"_id": {"$exists": True}}`), with a
    gateway byte cap that cuts every find page, shows exactly expected.json's "all" rows. The odd
    subject is deleted first: the reference cannot load it (the Extended-JSON analysis time makes
    its sort on analysis_time raise TypeError), and the app keeps or skips its other records on
    purpose where the reference does not."""
    with sample_api("--payload-cap-bytes", "6000") as url:
        for filter_ in ({"subject_id": ODD}, {"processing.data_processes.output_parameters.subject_id": ODD}):
            status, _, body = http(f"{url}/_control/docs", method="POST",
                                   data=json.dumps({"delete": filter_}).encode())
            assert status == 200 and json.loads(body)["deleted"] > 0, body
        ref = reference(url, "--custom-query", json.dumps({"_id": {"$exists": True}}))
        log = json.loads(http(f"{url}/_control")[2])["requests"]

    everything = EXPECTED["all"]
    want = {r["_id"]: r for r in everything["rows"] if r["subject_id"] != ODD}
    got = {r["_id"]: r for r in ref["rows"]}
    assert len(got) == len(ref["rows"]) and set(got) == set(want)
    for _id, row in want.items():
        for col in ALL_COLUMNS:
            assert same(got[_id][col], row[col]), f"{_id} {col}: reference {got[_id][col]!r} != {row[col]!r}"
        assert same(mean_std(got[_id]["prediction_accuracy_test"])[0], row["cv_test_mean"])
    assert ref["failed"] == len([r for r in everything["failed"] if r["subject_id"] != ODD])

    # Every page was cut: each format took many requests, skip advancing by what arrived.
    finds = [r for r in log if r["path"] == FIND]
    assert all(r["status"] == 200 for r in finds)
    for marker in ("processing.data_processes", "analysis_spec"):
        skips = [int(r["query"]["skip"]) for r in finds if marker in r["query"]["filter"]]
        assert len(skips) > 10 and skips[0] == 0 and skips == sorted(set(skips)), skips
