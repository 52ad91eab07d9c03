#!/usr/bin/env python3
"""The sample metadata API: a real HTTP server on loopback that behaves like
`https://api.allenneuraldynamics.org` as `../shared/spec/data-sources.md` describes it, plus the S3
objects of the fixtures, so that every test (and `scripts/serve.sh --demo`) runs without a network.

    server.py --port 0 --fixtures tests/fixtures [--page-cap K] [--payload-cap-bytes N]
              [--latency-ms MS] [--fail STATUS:COUNT] [--fail-path REGEX] [--s3-cors on|off]

Prints `SAMPLE_API_READY http://127.0.0.1:<port>` once it listens.

Endpoints
- GET  /v1/<database>/<collection>/find?limit&skip&filter&projection&sort -> bare JSON array
- GET  /v1/<database>/<collection>/count_documents?filter -> {total_record_count, filtered_record_count}
- POST /v1/<database>/<collection>/aggregate (body: pipeline) -> bare JSON array
- GET  /s3/<bucket>/<key> -> the object from DIR/s3/<bucket>/<key>, CORS header only with --s3-cors on
- GET  /_control -> current fault settings and the log of requests since the last reset (each
  with its status, "t_in", seconds since the server started when it arrived, and "t", when its
  answer left, and "took", the seconds in between, unrounded)
- POST /_control (JSON body: page_cap, payload_cap_bytes, latency_ms, fail_status, fail_count,
  fail_path, s3_cors)
- POST /_control/reset -> back to the command-line settings, empty request log, and the fixture data
  as loaded (reloaded if /_control/docs changed it)
- POST /_control/docs -> changes data at run time. Body: {"database": "analysis", "collection":
  "dynamic-foraging-model-fitting" (both optional, these are the defaults), and one of
  "insert": [docs] -> {"inserted": n}; "update": {"filter": {...}, "set": {...}} ($set on every
  match) -> {"matched": n, "modified": n}; "delete": {filter} -> {"deleted": n}}. `_id`s written
  as {"$oid": hex} become ObjectIds. Values pass through unchecked (lone surrogates, ints of any
  size, deep nesting). Not logged.

Switches (command line, or the same names in POST /_control; 0 = off)
- page_cap K: a find response has at most K records (the gateway's cut, as a count).
- payload_cap_bytes N: a find response is the longest prefix of the result records whose JSON array
  is at most N bytes, still a 200 and a valid array; a first record over N alone gives `[]` (what
  the real gateway does to an oversized record). Combines with page_cap.
- latency_ms, fail STATUS:COUNT (COUNT 0 = every request) on the paths matching fail_path, s3_cors.

Queries run in mongomock (a maintained MongoDB engine), behind an `_id` index (store.py): filters
are memoized, `_id` ranges bisected, sorts on `_id` read from the index, and projected documents
serialized once, so requests cost what a database with an `_id` index would. Other sorts run as the
aggregation [$match, $sort, $skip, $limit, $project] because mongomock's `find` cannot do aliased
projections (`{"nwb_name": "$processing.data_processes.output_parameters.nwb_name"}`), which MongoDB
4.4+ accepts in `find`. No sort means natural (insertion) order. Known divergence of mongomock: a
path through an array whose elements lack the field is omitted instead of giving `[]`. Fixtures keep
arrays uniform so that this does not matter.

Output follows the real gateway: NaN is written bare (`NaN`), ObjectId as `{"$oid": ...}`, and
Extended-JSON values stored in the fixtures (`{"$date": ...}`) come back unchanged.
"""

import argparse
import json
import mimetypes
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pymongo.errors import PyMongoError

from store import Store, to_json

# When the server started: each logged request carries its time since then ("t", seconds).
STARTED = time.monotonic()

API_PATH = re.compile(r"^/v1/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/(find|count_documents|aggregate)$")
STATUS_TEXT = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class Settings:
    FIELDS = ("page_cap", "payload_cap_bytes", "latency_ms", "fail_status", "fail_count",
              "fail_path", "s3_cors")

    def __init__(self, args):
        self.defaults = {
            "page_cap": args.page_cap,
            "payload_cap_bytes": args.payload_cap_bytes,
            "latency_ms": args.latency_ms,
            "fail_status": args.fail[0] if args.fail else None,
            "fail_count": args.fail[1] if args.fail else 0,
            "fail_path": args.fail_path,
            "s3_cors": args.s3_cors == "on",
        }
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.values = dict(self.defaults)
            self.failures_left = self.values["fail_count"]
            self.requests = []

    def update(self, changes):
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        with self.lock:
            self.values.update(changes)
            if "fail_count" in changes or "fail_status" in changes:
                self.failures_left = self.values["fail_count"] or 0

    def take_failure(self, path):
        """The status to fail this request with, or None. fail_count 0 fails forever."""
        with self.lock:
            status = self.values["fail_status"]
            if not status or not re.search(self.values["fail_path"] or "", path):
                return None
            if self.values["fail_count"]:
                if self.failures_left <= 0:
                    return None
                self.failures_left -= 1
            return status

    def log(self, method, path, query, arrived, status):
        with self.lock:
            self.requests.append({"method": method, "path": path, "query": query, "status": status,
                                  "t_in": round(arrived - STARTED, 3),
                                  "t": round(time.monotonic() - STARTED, 3),
                                  "took": round(time.monotonic() - arrived, 6)})

    def snapshot(self):
        with self.lock:
            return {**self.values, "failures_left": self.failures_left,
                    "requests": list(self.requests)}


class Handler(BaseHTTPRequestHandler):
    server_version = "SampleMetadataAPI/1.0"
    protocol_version = "HTTP/1.1"

    # Set by main().
    store = None
    pending_log = None  # (method, path, query, arrival time) of the API request being answered
    settings = None
    s3_root = None

    def log_message(self, fmt, *args):  # quiet: tests read the request log through /_control
        pass

    # -- plumbing -------------------------------------------------------------------------------

    def send(self, status, body, content_type="application/json", cors=True, extra=None):
        data = body if isinstance(body, bytes) else body.encode()
        if self.pending_log:  # logged before the answer leaves, so /_control read next shows it
            self.settings.log(*self.pending_log, status)
            self.pending_log = None
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        return status

    def error(self, status, message):
        return self.send(status, to_json({"message": message}))

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def split(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        return urllib.parse.unquote(url.path), query

    # -- verbs ----------------------------------------------------------------------------------

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.route("GET")

    def do_HEAD(self):
        self.route("HEAD")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        path, query = self.split()
        if path in ("/_control", "/_control/reset", "/_control/docs"):
            return self.control(method, path)
        self.pending_log = (method, path, query, time.monotonic())
        try:
            self.serve(method, path, query)
        except Exception as e:  # a bug here must show as a 500 in the test, not a hung socket
            self.error(500, f"sample API error: {type(e).__name__}: {e}")
        finally:
            if self.pending_log:  # nothing could be sent
                self.settings.log(*self.pending_log, 500)
                self.pending_log = None

    def control(self, method, path):
        if path == "/_control/reset" and method == "POST":
            self.settings.reset()
            self.store.reset()
            return self.send(200, to_json(self.settings.snapshot()))
        if path == "/_control/docs" and method == "POST":
            try:
                return self.send(200, to_json(self.store.write(json.loads(self.read_body() or b"null"))))
            except (ValueError, PyMongoError) as e:
                return self.error(400, f"{type(e).__name__}: {e}")
        if method == "GET":
            return self.send(200, to_json(self.settings.snapshot()))
        if method == "POST":
            try:
                changes = json.loads(self.read_body() or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("expected a JSON object")
                self.settings.update(changes)
            except ValueError as e:
                return self.error(400, str(e))
            return self.send(200, to_json(self.settings.snapshot()))
        return self.error(405, "method not allowed")

    def serve(self, method, path, query):
        values = self.settings.values
        if values["latency_ms"]:
            time.sleep(values["latency_ms"] / 1000)
        if path.startswith("/s3/"):
            return self.s3(path[len("/s3/"):])
        failure = self.settings.take_failure(path)
        if failure:
            if failure == 504:
                return self.error(504, "Endpoint request timed out")
            return self.send(failure, STATUS_TEXT.get(failure, "Error"), "text/plain")
        m = API_PATH.match(path)
        if not m:
            return self.error(404, f"no route for {path}")
        database, collection, op = m.groups()
        if op == "aggregate":
            if method != "POST":
                return self.error(405, "aggregate takes POST")
            try:
                pipeline = json.loads(self.read_body() or b"null")
            except ValueError as e:
                return self.error(400, f"body is not JSON: {e}")
            if not isinstance(pipeline, list):
                return self.error(400, "the pipeline must be a JSON array")
            return self.send(200, self.store.aggregate(database, collection, pipeline))
        if method not in ("GET", "HEAD"):
            return self.error(405, f"{op} takes GET")
        try:
            params = {name: parse_param(query, name) for name in ("filter", "projection", "sort")}
            limit = parse_int(query, "limit")
            skip = parse_int(query, "skip")
        except ValueError as e:
            return self.error(400, str(e))
        if op == "count_documents":
            return self.send(200, to_json(self.store.count(database, collection, params["filter"])))
        # The gateway's payload cap: a short page, more may remain.
        body = self.store.find(database, collection, params["filter"], params["projection"],
                               params["sort"], skip, limit, count_cap=values["page_cap"] or 0,
                               byte_cap=values["payload_cap_bytes"] or 0)
        return self.send(200, body)

    def s3(self, rest):
        bucket, _, key = rest.partition("/")
        cors = self.settings.values["s3_cors"]
        parts = key.split("/")
        if not bucket or not key or any(p in ("", ".", "..") for p in parts) or "/" in bucket:
            return self.send(400, "bad bucket or key", "text/plain", cors=cors)
        path = self.s3_root / bucket / key
        if not path.is_file():
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
                    f"<Message>The specified key does not exist.</Message><Key>{key}</Key></Error>")
            return self.send(404, body, "application/xml", cors=cors)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        # Result files are never cached by the browser, so a test of the app's own memory of
        # them cannot pass on the HTTP cache; figures may be.
        cache = "no-store" if path.suffix == ".json" else "public, max-age=60"
        return self.send(200, path.read_bytes(), ctype, cors=cors, extra={"Cache-Control": cache})


def parse_param(query, name):
    text = query.get(name)
    if text is None or text == "":
        return None
    try:
        value = json.loads(text)
    except ValueError as e:
        raise ValueError(f"{name} is not valid JSON: {e}") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object")
    return value


def parse_int(query, name):
    text = query.get(name, "0")
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(f"{name} must be a non-negative integer, got {text!r}")
    return int(text)


def parse_fail(text):
    m = re.fullmatch(r"([0-9]{3}):([0-9]+)", text)
    if not m:
        raise argparse.ArgumentTypeError("expected STATUS:COUNT, e.g. 500:1 (COUNT 0 = always)")
    return int(m.group(1)), int(m.group(2))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--fixtures", type=Path, required=True)
    ap.add_argument("--page-cap", type=int, default=0, help="at most K records per find response")
    ap.add_argument("--payload-cap-bytes", type=int, default=0,
                    help="at most N bytes per find response, cut between records")
    ap.add_argument("--latency-ms", type=int, default=0, help="delay before every response")
    ap.add_argument("--fail", type=parse_fail, help="STATUS:COUNT, fail COUNT requests (0 = all)")
    ap.add_argument("--fail-path", default=r"^/v1/", help="regex of the paths that --fail hits")
    ap.add_argument("--s3-cors", choices=("on", "off"), default="on")
    args = ap.parse_args(argv)

    store = Store(args.fixtures)
    Handler.store = store
    Handler.settings = Settings(args)
    Handler.s3_root = args.fixtures / "s3"
    # socketserver listens with a backlog of 5: a burst of new connections (the browser opens six
    # per host, the tests' control calls add theirs) could have SYNs dropped and retried a second
    # or more later, so a request would stall for reasons the gateway does not have.
    ThreadingHTTPServer.request_queue_size = 128
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    summary = ", ".join(f"{k}: {v}" for k, v in store.counts.items())
    print(f"sample API loaded {summary}", file=sys.stderr, flush=True)
    print(f"SAMPLE_API_READY http://{host}:{port}", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
