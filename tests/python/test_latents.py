"""Parity with the reference for the latent variables in the fits' result JSON files: the
reference's own `get_s3_latent_variable` and `_add_qvalue_spread` (installed from PyPI in
.venv-ref, run by latents_runner.py on the fixture files) read what expected.json["latents"]
records: the same file in the lookup order, the same q_value, an RPE exactly when there is a
q_value, and the same q-value spread."""

import json
import math
import subprocess

import pytest

from conftest import EXPECTED, FIXTURES, ROOT

REF_PYTHON = ROOT / ".venv-ref" / "bin" / "python"
LATENTS = EXPECTED["latents"]
READABLE = {loc: f for loc, f in LATENTS["folders"].items() if f["problem"] is None}


def result_file(location, name):
    """The inner result (fit_settings, fitted_latent_variables) of a fixture file."""
    text = (FIXTURES / "s3" / location[len("s3://"):] / name).read_text()
    content = json.loads(text)
    return content.get("analysis_results", content)


@pytest.fixture(scope="module")
def reference():
    if not REF_PYTHON.exists():
        pytest.skip("no .venv-ref (scripts/ensure-tools.sh test creates it with the reference)")
    out = subprocess.run(
        [str(REF_PYTHON), str(ROOT / "tests/python/latents_runner.py"), str(FIXTURES / "s3")],
        input=json.dumps(sorted(READABLE)), capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_the_fixed_sessions_are_there():
    rows = EXPECTED["subjects"]["730945"]["rows"]
    for name, least in (("good", 3), ("hostile", 3)):
        s = LATENTS["sessions"][name]
        fits = [LATENTS["folders"][r["S3_location"]] for r in rows if r["nwb_name"] == s["nwb_name"]]
        assert len(fits) >= least, name
        if name == "good":
            assert all(f["problem"] is None for f in fits)
            assert sum(f["has_q"] for f in fits) >= 2
        else:
            problems = [f["problem"] for f in sorted(fits, key=lambda f: f["agent_alias"])]
            assert problems[:3] == ["missing", "truncated", "shape"]
            assert all(p is None for p in problems[3:])
    decoy = LATENTS["sessions"]["good"]["decoy_folder"]
    folder = FIXTURES / "s3" / decoy[len("s3://"):]
    assert (folder / "docDB_record.json").is_file()
    assert LATENTS["folders"][decoy]["file"] == "original_results_mle_fitting.json"


@pytest.mark.parametrize("location", sorted(READABLE))
def test_reference_reads_what_expected_records(reference, location):
    want = READABLE[location]
    got = reference[location]
    assert got["keys"] is not None, "the reference finds a result file"
    assert ("rpe" in got["keys"]) == want["has_q"]
    assert ("q_value" in got["keys"]) == want["has_q"]
    if want["has_q"]:
        assert math.isclose(got["qvalue_spread"], want["qvalue_spread"], rel_tol=0, abs_tol=1e-12)
        # The reference opened the file expected.json names: the first in its lookup order.
        inner = result_file(location, want["file"])
        assert got["q_value"] == inner["fitted_latent_variables"]["q_value"]
        assert len(got["q_value"][0]) == want["n_trials"] + 1
    else:
        assert got["qvalue_spread"] is None and want["qvalue_spread"] is None


def test_reference_rpe_of_the_good_session(reference):
    good = LATENTS["sessions"]["good"]
    rows = sorted((r for r in EXPECTED["subjects"]["730945"]["rows"]
                   if r["nwb_name"] == good["nwb_name"]), key=lambda r: r["agent_alias"])
    location = next(r["S3_location"] for r in rows if READABLE[r["S3_location"]]["has_q"])
    inner = result_file(location, READABLE[location]["file"])
    choices = inner["fit_settings"]["fit_choice_history"]
    rewards = inner["fit_settings"]["fit_reward_history"]
    q = inner["fitted_latent_variables"]["q_value"]
    want = [rewards[t] - q[choices[t]][t] for t in range(len(choices))]
    got = reference[location]["rpe"]
    assert len(got) == len(want) == READABLE[location]["n_trials"]
    assert all(math.isclose(a, b, rel_tol=0, abs_tol=1e-15) for a, b in zip(got, want))
