"""The sample API's gateway byte cap, its `_id` index (ranges, sorts, natural order, memo
invalidation), data changes through /_control/docs, hostile values, and the large generator."""

import json
import subprocess
import sys
import urllib.parse

import pytest

from conftest import EXPECTED, FIND, ROOT, http, find_url, sample_api

COUNT = "/v1/analysis/dynamic-foraging-model-fitting/count_documents"
LARGE = ROOT / "tests" / "sample_api" / "generate_large.py"
SUBJECT = "730945"


@pytest.fixture(scope="module")
def server():
    with sample_api() as url:
        yield url


@pytest.fixture
def api(server):
    """The module's server, back to its fixture data and settings after every test."""
    yield server
    assert http(f"{server}/_control/reset", method="POST")[0] == 200


def post(url, body):
    status, _, text = http(url, data=json.dumps(body).encode(), method="POST")
    return status, json.loads(text)


def control(api, **settings):
    assert post(f"{api}/_control", settings)[0] == 200


def docs_op(api, **body):
    status, answer = post(f"{api}/_control/docs", body)
    assert status == 200, answer
    return answer


def raw_find(api, path=FIND, **params):
    status, _, body = http(find_url(api, **params).replace(FIND, path, 1))
    assert status == 200, body
    return body


def find(api, **params):
    return json.loads(raw_find(api, **params))


def ids(docs):
    return [d["_id"] for d in docs]


def count(api, filter_, path=COUNT):
    qs = urllib.parse.urlencode({"filter": json.dumps(filter_)})
    status, _, body = http(f"{api}{path}?{qs}")
    assert status == 200, body
    return json.loads(body)["filtered_record_count"]


def array_size(texts):
    return 2 + sum(map(len, texts)) + 2 * (len(texts) - 1) if texts else 2


# -- the byte cap ----------------------------------------------------------------------------------

def test_byte_cap_returns_the_longest_prefix_of_whole_records(api):
    query = dict(filter={"subject_id": SUBJECT}, sort={"_id": 1})
    everything = find(api, **query)
    texts = [json.dumps(d) for d in everything]
    assert len(texts) > 8
    for n in (1, 5, 8):
        for slack in (0, 1, len(texts[n]) + 1):  # exactly full, one byte more, one record short
            cap = array_size(texts[:n]) + slack
            control(api, payload_cap_bytes=cap)
            body = raw_find(api, **query)
            assert len(body.encode()) <= cap
            assert body == "[" + ", ".join(texts[:n]) + "]", (n, slack)  # never split, maximal
    control(api, payload_cap_bytes=array_size(texts[:1]) - 1)
    assert find(api, **query) == []  # an oversized first record gives an empty page


def test_byte_cap_with_skip_page_cap_and_the_paging_loop():
    with sample_api("--payload-cap-bytes", "4000") as url:
        control(url, payload_cap_bytes=0)
        query = dict(filter={"subject_id": SUBJECT})  # natural order: no sort
        everything = find(url, **query)
        texts = [json.dumps(d) for d in everything]
        http(f"{url}/_control/reset", method="POST")
        page = find(url, skip="4", **query)
        n = len(page)
        assert page == everything[4:4 + n] and 0 < n < len(everything) - 4
        assert array_size(texts[4:4 + n]) <= 4000 < array_size(texts[4:5 + n])
        # The reference's loop (skip advances by what arrived, stop on an empty page) gets all.
        got, skip, pages = [], 0, 0
        while batch := find(url, skip=str(skip), **query):
            got += batch
            skip += len(batch)
            pages += 1
        assert got == everything and pages > 2
        # With a count cap too, the shorter cut wins.
        control(url, page_cap=2)
        assert find(url, **query) == everything[:2]
        control(url, page_cap=50)
        k = max(i for i in range(len(texts) + 1) if array_size(texts[:i]) <= 4000)
        assert k < 50 and find(url, **query) == everything[:k]


# -- the _id index ---------------------------------------------------------------------------------

OID_A, OID_B = "65a1b2c3d4e5f60718293a4b", "0000000000000000000000ff"
# Inserted in this (natural) order; "kind" lets a filter keep a part of them.
MIXED = [("abd", "s"), (3, "n"), ({"$oid": OID_A}, "o"), ("", "s"), (1.5, "n"), (True, "b"),
         ("b", "s"), (-2, "n"), ({"$oid": OID_B}, "o"), (None, "z"), ("Z", "s"), (10, "n"),
         ("abc", "s")]
# BSON order: null < numbers < strings < ObjectIds < booleans.
SORTED = [None, -2, 1.5, 3, 10, "", "Z", "abc", "abd", "b", {"$oid": OID_B}, {"$oid": OID_A}, True]
MIXED_FIND = FIND.replace("dynamic-foraging-model-fitting", "mixed-ids")
MIXED_COUNT = COUNT.replace("dynamic-foraging-model-fitting", "mixed-ids")


@pytest.fixture
def mixed(api):
    docs_op(api, collection="mixed-ids", insert=[{"_id": i, "kind": k, "n": n}
                                                   for n, (i, k) in enumerate(MIXED)])
    return api


def mixed_find(api, **params):
    return json.loads(raw_find(api, path=MIXED_FIND, **params))


def test_natural_order_without_sort_and_bson_order_with_it(mixed):
    assert ids(mixed_find(mixed)) == [i for i, _ in MIXED]
    assert ids(mixed_find(mixed, sort={"_id": 1})) == SORTED
    assert ids(mixed_find(mixed, sort={"_id": -1})) == SORTED[::-1]
    assert ids(mixed_find(mixed, sort={"_id": 1}, skip="2", limit="3")) == SORTED[2:5]
    assert ids(mixed_find(mixed, sort={"_id": -1}, skip="11", limit="5")) == SORTED[::-1][11:]
    assert ids(mixed_find(mixed, filter={"kind": "s"}, skip="1", limit="2")) == ["", "b"]


RANGES = [
    ({"$gt": "abc"}, ["abd", "b"]),  # type bracketing: strings only
    ({"$gte": "abc"}, ["abc", "abd", "b"]),
    ({"$lt": "abc"}, ["", "Z"]),
    ({"$lt": 5}, [-2, 1.5, 3]),
    ({"$gte": 1.5, "$lt": 10}, [1.5, 3]),
    ({"$lte": 10.0, "$gt": -2}, [1.5, 3, 10]),
    ({"$gt": "a", "$lt": 5}, []),  # different types: nothing
    ({"$gt": "zzz"}, []),
    ({"$in": ["b", 3, 3.0, "nope", 7]}, [3, "b"]),
    ({"$eq": 1.5}, [1.5]),
    ({"$gt": "", "$ne": "b"}, ["Z", "abc", "abd"]),  # $ne stays with mongomock
]


@pytest.mark.parametrize("cond,want", RANGES, ids=lambda x: json.dumps(x))
def test_id_ranges_in_key_and_and_forms_match_mongomock(mixed, cond, want):
    forms = [{"_id": cond}, {"$and": [{"_id": cond}]}, {"$and": [{"kind": {"$ne": "x"}}, {"_id": cond}]},
             {"kind": {"$exists": True}, "_id": cond}]
    for filter_ in forms:
        assert ids(mixed_find(mixed, filter=filter_, sort={"_id": 1})) == want, filter_
        assert ids(mixed_find(mixed, filter=filter_, sort={"_id": -1})) == want[::-1], filter_
        natural = [i for i, _ in MIXED if i in want]
        assert ids(mixed_find(mixed, filter=filter_)) == natural, filter_
        assert count(mixed, filter_, MIXED_COUNT) == len(want)
        # The same query with a sort the index does not answer runs entirely in mongomock.
        assert ids(mixed_find(mixed, filter=filter_, sort={"_id": 1, "n": 1})) == want, filter_


def test_id_range_combines_with_other_conditions_and_keyset_paging(mixed):
    assert ids(mixed_find(mixed, filter={"kind": "n", "_id": {"$gt": 0}}, sort={"_id": 1})) == [1.5, 3, 10]
    assert ids(mixed_find(mixed, filter={"$and": [{"_id": {"$gt": "Z"}}, {"_id": {"$lt": "b"}}],
                                        "kind": "s"})) == ["abd", "abc"]
    # Keyset paging on the fixture collection: `_id` greater than the last one seen.
    control(mixed, page_cap=4)
    query = {"subject_id": SUBJECT}
    got, last = [], None
    while True:
        filter_ = dict(query, **({"_id": {"$gt": last}} if last is not None else {}))
        page = find(mixed, filter=filter_, sort={"_id": 1}, limit="0")
        if not page:
            break
        got += page
        last = page[-1]["_id"]
    control(mixed, page_cap=0)
    assert got == find(mixed, filter=query, sort={"_id": 1})
    assert len(got) == count(mixed, query) > 10 and ids(got) == sorted(ids(got))


def test_memo_and_text_cache_follow_data_changes(api):
    query = {"subject_id": "752014", "status": "success"}
    before = find(api, filter=query, projection={"status": 1, "n": "$analysis_results.n_trials"})
    n = count(api, query)
    assert len(before) == n > 2
    target = before[1]["_id"]
    assert docs_op(api, update={"filter": {"_id": target}, "set": {"status": "failed",
                                                                   "analysis_results.n_trials": 7}}) \
        == {"matched": 1, "modified": 1}
    after = find(api, filter=query, projection={"status": 1})
    assert target not in ids(after) and len(after) == n - 1 == count(api, query)
    changed = find(api, filter={"_id": target}, projection={"status": 1, "n": "$analysis_results.n_trials"})
    assert changed == [{"_id": target, "status": "failed", "n": 7}]
    new = {"_id": "inserted-1", "subject_id": "752014", "status": "success",
           "analysis_results": {"n_trials": 5}}
    assert docs_op(api, insert=[new]) == {"inserted": 1}
    assert "inserted-1" in ids(find(api, filter=query)) and count(api, query) == n
    assert ids(find(api, filter=query))[-1] == "inserted-1"  # natural order: inserted last
    assert docs_op(api, delete={"subject_id": "752014"}) == {"deleted": EXPECTED["subjects"]["752014"]["records"] + 1}
    assert find(api, filter=query) == [] and count(api, query) == 0
    # Reset restores the fixture data.
    http(f"{api}/_control/reset", method="POST")
    assert find(api, filter=query, projection={"status": 1, "n": "$analysis_results.n_trials"}) == before


def test_docs_endpoint_object_ids_and_errors(api):
    assert docs_op(api, insert=[{"_id": {"$oid": OID_B}, "subject_id": "oid"}]) == {"inserted": 1}
    body = raw_find(api, filter={"subject_id": "oid"})
    assert body == '[{"_id": {"$oid": "%s"}, "subject_id": "oid"}]' % OID_B
    assert docs_op(api, update={"filter": {"_id": {"$oid": OID_B}}, "set": {"x": 1}})["matched"] == 1
    assert docs_op(api, delete={"_id": {"$in": [{"$oid": OID_B}]}}) == {"deleted": 1}
    for bad in ({}, {"insert": {}}, {"insert": [], "delete": {}}, {"update": {"filter": {}}},
                {"delete": {}, "other": 1}):
        status, answer = post(f"{api}/_control/docs", bad)
        assert status == 400 and answer["message"], bad
    docs_op(api, insert=[{"_id": "dup"}])
    status, answer = post(f"{api}/_control/docs", {"insert": [{"_id": "dup"}]})
    assert status == 400 and "Duplicate" in answer["message"]


def test_hostile_values_round_trip_unchanged(api):
    deep = {"leaf": 1}
    for _ in range(199):
        deep = {"d": deep}
    doc = {"_id": "hostile", "subject_id": "hostile", "s": "a\ud800b", "big": 10 ** 400, "deep": deep}
    assert docs_op(api, insert=[doc]) == {"inserted": 1}
    for params in ({"filter": {"_id": "hostile"}},
                   {"filter": {"subject_id": "hostile"}, "sort": {"_id": -1}},
                   {"filter": {"_id": {"$gte": "hostile", "$lte": "hostile"}},
                    "projection": {"s": "$s", "big": 1, "deep": "$deep"}}):
        body = raw_find(api, **params)
        assert '"s": "a\\ud800b"' in body  # the escape, as the JSON body wrote it
        assert '"big": 1' + "0" * 400 + "," in body or '"big": 1' + "0" * 400 + "}" in body
        (got,) = json.loads(body)
        assert got["s"] == "a\ud800b" and got["big"] == 10 ** 400 and got["deep"] == deep
    docs_op(api, update={"filter": {"_id": "hostile"}, "set": {"s2": "\udfff", "big2": -(10 ** 400)}})
    (got,) = find(api, filter={"_id": "hostile"}, projection={"s2": 1, "big2": 1})
    assert got == {"_id": "hostile", "s2": "\udfff", "big2": -(10 ** 400)}


# -- the large generator ---------------------------------------------------------------------------

FW_NAME = "processing.data_processes.code.parameters"


def generate(out, *args):
    ran = subprocess.run([sys.executable, str(LARGE), "--out", str(out), "--docs", "600",
                          "--subjects", "6", *args], capture_output=True, text=True, check=True)
    return ran.stdout


def test_large_generator_counts_and_determinism(tmp_path):
    line = generate(tmp_path / "a")
    assert line.count("\n") == 1 and "framework" in line and "re-runs" in line
    generate(tmp_path / "b")
    generate(tmp_path / "c", "--seed", "7")
    data = "analysis/dynamic-foraging-model-fitting.json"
    for rel in (data, "expected-large.json"):
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert (tmp_path / "a" / data).read_bytes() != (tmp_path / "c" / data).read_bytes()
    assert (tmp_path / "a" / "s3").is_dir()

    docs = json.loads((tmp_path / "a" / data).read_text())
    exp = json.loads((tmp_path / "a" / "expected-large.json").read_text())
    fw = [d for d in docs if "processing" in d
          and d["processing"]["data_processes"][0]["code"]["parameters"]["analysis_name"] == "MLE fitting"
          and d["processing"]["data_processes"][0]["code"]["parameters"]["analysis_tag"]
          in ("aind-analysis-framework v0.1", "aind-analysis-framework v0.2")]
    han = [d for d in docs if "analysis_spec" in d and d["analysis_spec"]["analysis_name"] == "MLE fitting"
           and d["analysis_spec"]["analysis_ver"] == "first version @ 0.10.0"]
    assert len(docs) == exp["docs"] >= 600
    assert exp["matching"] == {"framework": len(fw), "han": len(han)}
    assert exp["nonmatching"] == len(docs) - len(fw) - len(han) > 0
    assert exp["subjects"] == 6 and exp["failed"] > 0 and exp["reruns"] > 0

    # The merge rules, applied here independently: success only, latest per (nwb_name, agent_alias).
    rows = []
    for d in fw:
        out = d["processing"]["data_processes"][0]["output_parameters"]
        rows.append((out["additional_info"], d["processing"]["data_processes"][0]["end_date_time"][:26],
                     out["nwb_name"], out["fitting_results"]["fit_settings"]["agent_alias"], "fw"))
    for d in han:
        rows.append((d["status"], d["analysis_datetime"][:26], d["nwb_name"],
                     d["analysis_results"]["fit_settings"]["agent_alias"], "han"))
    latest = {}
    for status, when, nwb, alias, source in sorted(r for r in rows if r[0] == "success"):
        latest[(nwb, alias)] = source
    assert exp["rows"] == len(latest)
    assert exp["rows_by_pipeline"] == {"framework": list(latest.values()).count("fw"),
                                       "han": list(latest.values()).count("han")}
    assert exp["failed"] == sum(r[0] != "success" for r in rows)
    subjects = {d.get("subject_id") or d["processing"]["data_processes"][0]["output_parameters"]["subject_id"]
                for d in docs}
    assert len(subjects) == 6
    # Both formats on one session, and the sample API serves the set.
    sessions = {r[2] for r in rows if r[4] == "fw"} & {r[2] for r in rows if r[4] == "han"}
    assert sessions
    with sample_api("--fixtures", str(tmp_path / "a")) as url:
        status, _, body = http(f"{url}{COUNT}")
        assert json.loads(body)["total_record_count"] == len(docs)
