"""The sample API behaves as ../shared/spec/data-sources.md says the real one does, and the fixtures
hold what the generator recorded in expected.json."""

import json
import math
import time
from pathlib import Path

import pytest

from conftest import EXPECTED, FIND, FIXTURES, http, find_url, sample_api

NEW_SUBJECT = "processing.data_processes.output_parameters.subject_id"


def find(api, **params):
    status, _, body = http(find_url(api, **params))
    assert status == 200, body
    return json.loads(body)


def test_find_filters_through_arrays_with_in_and_exists(api):
    docs = find(api, filter={NEW_SUBJECT: "778869",
                             "processing.data_processes.code.parameters.analysis_tag":
                             {"$in": ["aind-analysis-framework v0.1", "aind-analysis-framework v0.2"]},
                             "location": {"$exists": True}},
                projection={"_id": 1})
    exp = EXPECTED["subjects"]["778869"]
    assert len(docs) == exp["records"]
    assert all(set(d) == {"_id"} for d in docs)


def test_aliased_projection_wraps_array_paths(api):
    docs = find(api, filter={NEW_SUBJECT: "778869"}, limit="1",
                projection={"_id": 1, "nwb_name": "$processing.data_processes.output_parameters.nwb_name",
                            "S3_location": "$location"})
    (doc,) = docs
    assert isinstance(doc["nwb_name"], list) and len(doc["nwb_name"]) == 1
    assert doc["S3_location"].startswith("s3://")


def test_sort_skip_limit_and_limit_zero_means_all(api):
    everything = find(api, filter={"subject_id": "730945"}, sort={"_id": 1}, limit="0", skip="0",
                      projection={"_id": 1})
    ids = [d["_id"] for d in everything]
    assert ids == sorted(ids) and len(ids) > 10
    page = find(api, filter={"subject_id": "730945"}, sort={"_id": 1}, limit="5", skip="3",
                projection={"_id": 1})
    assert [d["_id"] for d in page] == ids[3:8]
    desc = find(api, filter={"subject_id": "730945"}, sort={"_id": -1}, projection={"_id": 1})
    assert [d["_id"] for d in desc] == ids[::-1]


def test_count_documents(api):
    status, _, body = http(f"{api}/v1/analysis/dynamic-foraging-model-fitting/count_documents?"
                           "filter=%7B%22subject_id%22%3A%22752014%22%7D")
    assert status == 200
    counts = json.loads(body)
    assert counts["filtered_record_count"] == EXPECTED["subjects"]["752014"]["records"]
    total = len(json.loads((FIXTURES / "analysis/dynamic-foraging-model-fitting.json").read_text()))
    assert counts["total_record_count"] == total


def test_aggregate_takes_a_pipeline_body(api):
    pipeline = [{"$match": {"subject_id": "752014"}}, {"$group": {"_id": "$status", "n": {"$sum": 1}}}]
    status, _, body = http(f"{api}/v1/analysis/dynamic-foraging-model-fitting/aggregate",
                           data=json.dumps(pipeline).encode(), method="POST")
    assert status == 200
    groups = {g["_id"]: g["n"] for g in json.loads(body)}
    exp = EXPECTED["subjects"]["752014"]
    assert groups.get("failed", 0) == len(exp["failed"])
    assert sum(groups.values()) == exp["records"]


def test_extended_json_and_bare_nan_come_back_like_the_gateway(api):
    status, _, body = http(find_url(api, filter={"subject_id": "799001"}, projection={"_id": 1,
                           "t": "$analysis_datetime"}))
    assert '{"$oid": "65a1b2c3d4e5f60718293a4b"}' in body
    assert '{"$date": ' in body
    status, _, body = http(find_url(api, filter={NEW_SUBJECT: "799001"}, projection={
        "ll": "$processing.data_processes.output_parameters.fitting_results.log_likelihood"}))
    assert "NaN" in body
    assert any(isinstance(d.get("ll"), list) and d["ll"] and math.isnan(d["ll"][0])
               for d in json.loads(body))


def test_bad_parameters_are_400_with_a_message(api):
    status, _, body = http(f"{api}{FIND}?filter=%7Bnot-json")
    assert status == 400 and "filter" in json.loads(body)["message"]
    status, _, body = http(f"{api}{FIND}?limit=-1")
    assert status == 400
    status, _, _ = http(f"{api}/v1/analysis/x/nothing")
    assert status == 404


def test_cors_on_the_api_and_preflight(api):
    _, headers, _ = http(find_url(api, filter={"subject_id": "000000"}))
    assert headers.get("Access-Control-Allow-Origin") == "*"
    status, headers, _ = http(f"{api}/v1/analysis/x/aggregate", method="OPTIONS")
    assert status == 204 and "POST" in headers.get("Access-Control-Allow-Methods", "")


def test_s3_objects_missing_keys_and_cors_switch():
    key = next(r["figure_key"] for r in EXPECTED["subjects"]["730945"]["rows"] if r["has_figure"])
    with sample_api("--s3-cors", "off") as url:
        status, headers, _ = http(f"{url}/s3/{key}")
        assert status == 200 and headers["Content-Type"] == "image/png"
        assert "Access-Control-Allow-Origin" not in headers
        http(f"{url}/_control", data=b'{"s3_cors": true}', method="POST")
        _, headers, _ = http(f"{url}/s3/{key}")
        assert headers.get("Access-Control-Allow-Origin") == "*"
        status, _, body = http(f"{url}/s3/{key.replace('fitted', 'nothing')}")
        assert status == 404 and "NoSuchKey" in body
        status, _, _ = http(f"{url}/s3/bucket/../../etc/passwd")
        assert status in (400, 404)


def test_s3_result_json_is_served_as_json_with_cors_only_when_on():
    location, entry = next((loc, f) for loc, f in EXPECTED["latents"]["folders"].items()
                           if f["problem"] is None)
    key = f"{location[len('s3://'):]}/{entry['file']}"
    want = (FIXTURES / "s3" / key).read_bytes()
    for switch, cors in (("off", False), ("on", True)):
        with sample_api("--s3-cors", switch) as url:
            status, headers, body = http(f"{url}/s3/{key}")
            assert status == 200 and headers["Content-Type"] == "application/json"
            assert body.encode() == want
            assert ("Access-Control-Allow-Origin" in headers) == cors, switch
            if cors:
                assert headers["Access-Control-Allow-Origin"] == "*"
            status, headers, body = http(f"{url}/s3/{location[len('s3://'):]}/nothing.json")
            assert status == 404 and "NoSuchKey" in body
            assert ("Access-Control-Allow-Origin" in headers) == cors, switch


def test_page_cap_truncates_like_the_gateway():
    with sample_api("--page-cap", "3") as url:
        docs = find(url, filter={"subject_id": "730945"}, limit="0")
        assert len(docs) == 3
        docs = find(url, filter={"subject_id": "730945"}, limit="2")
        assert len(docs) == 2


def test_faults_status_count_latency_and_the_request_log():
    with sample_api("--fail", "503:2") as url:
        statuses = [http(find_url(url, filter={"subject_id": "1"}))[0] for _ in range(3)]
        assert statuses == [503, 503, 200]
        http(f"{url}/_control", data=json.dumps({"fail_status": 504, "fail_count": 0}).encode(),
             method="POST")
        for _ in range(2):
            status, _, body = http(find_url(url, filter={}))
            assert status == 504 and "timed out" in body
        http(f"{url}/_control", data=b'{"latency_ms": 300, "fail_status": null}', method="POST")
        start = time.monotonic()
        assert http(find_url(url, filter={"subject_id": "1"}))[0] == 200
        assert time.monotonic() - start >= 0.3
        log = json.loads(http(f"{url}/_control")[2])["requests"]
        assert [r["status"] for r in log] == [503, 503, 200, 504, 504, 200]
        assert log[0]["query"]["filter"] == '{"subject_id": "1"}'
        # Each request says when it arrived and when its answer left: the slow one waited 0.3 s.
        assert all(r["t_in"] <= r["t"] for r in log)
        assert log[-1]["took"] >= 0.3 > log[0]["took"]
        http(f"{url}/_control/reset", method="POST")
        state = json.loads(http(f"{url}/_control")[2])
        assert state["requests"] == [] and state["fail_status"] == 503 and state["latency_ms"] == 0
        status, _, body = http(f"{url}/_control", data=b'{"nonsense": 1}', method="POST")
        assert status == 400


def test_fixtures_match_what_the_generator_recorded():
    """Figures exist exactly where expected.json says, and the conditions the browser tests rely
    on hold: failed and superseded fits, missing figures, both pipelines, odd records."""
    s3 = FIXTURES / "s3"
    for subject, exp in EXPECTED["subjects"].items():
        for row in exp["rows"]:
            if "has_figure" in row:
                assert (s3 / row["figure_key"]).is_file() == row["has_figure"], row["_id"]
    main = EXPECTED["subjects"]["730945"]
    assert len([r for r in main["rows"] if not r["has_figure"]]) >= 2
    assert main["failed"] and main["superseded"] > 0
    assert {r["pipeline_source"] for r in main["rows"]} == {
        "aind analysis framework", "han's analysis pipeline"}
    odd = EXPECTED["subjects"]["799001"]
    assert odd["skipped"] >= 2 and odd["warned"] >= 5


def test_result_files_are_where_expected_says():
    """Each visible row's folder holds the result file expected.json["latents"] names, first in
    the reference's lookup order, broken exactly as its problem says."""
    names = ["original_results_mle_fitting.json", "docDB_mle_fitting.json", "docDB_record.json"]
    folders = EXPECTED["latents"]["folders"]
    normal = [r for s, exp in EXPECTED["subjects"].items() if s != "799001" for r in exp["rows"]]
    assert set(folders) == {r["S3_location"] for r in normal}
    for location, f in folders.items():
        folder = FIXTURES / "s3" / location[len("s3://"):]
        present = [n for n in names if (folder / n).is_file()]
        assert (present[0] if present else None) == f["file"], location
        if f["problem"] == "missing":
            continue
        text = (folder / f["file"]).read_text()
        if f["problem"] == "truncated":
            with pytest.raises(ValueError):
                json.loads(text)
            continue
        content = json.loads(text)
        inner = content.get("analysis_results", content)
        latents = inner["fitted_latent_variables"]
        if f["problem"] == "shape":
            assert not isinstance(latents, dict) or not isinstance(latents.get("q_value"), list)
            continue
        n = f["n_trials"]
        assert inner["fit_settings"]["agent_alias"] == f["agent_alias"]
        assert len(inner["fit_settings"]["fit_choice_history"]) == n
        assert set(inner["fit_settings"]["fit_reward_history"]) <= {0, 1}
        assert [len(row) for row in latents["choice_prob"]] == [n, n]
        assert ("q_value" in latents) == f["has_q"] == (f["qvalue_spread"] is not None)
        if f["has_q"]:
            assert [len(row) for row in latents["q_value"]] == [n + 1, n + 1]
            assert all(0 <= v <= 1 for row in latents["q_value"] for v in row)
    # Missing files are normal: some fits of other sessions have none.
    good = EXPECTED["latents"]["sessions"]["good"]["nwb_name"]
    hostile = EXPECTED["latents"]["sessions"]["hostile"]["nwb_name"]
    assert any(f["problem"] == "missing" for r in normal for f in [folders[r["S3_location"]]]
               if r["nwb_name"] not in (good, hostile))


def test_generator_is_deterministic(tmp_path):
    import subprocess
    import sys
    gen = Path(__file__).resolve().parents[1] / "sample_api" / "generate_fixtures.py"
    subprocess.run([sys.executable, str(gen), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for rel in ("expected.json", "analysis/dynamic-foraging-model-fitting.json"):
        assert (tmp_path / rel).read_text() == (FIXTURES / rel).read_text(), rel
    made = sorted(p.relative_to(tmp_path) for p in (tmp_path / "s3").rglob("*.json"))
    committed = sorted(p.relative_to(FIXTURES) for p in (FIXTURES / "s3").rglob("*.json"))
    assert made == committed and made
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (FIXTURES / rel).read_bytes(), rel
