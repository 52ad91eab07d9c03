"""Shared set-up for the Python tests: the sample API as a real process on a free loopback port."""

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SERVER = ROOT / "tests" / "sample_api" / "server.py"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
FIND = "/v1/analysis/dynamic-foraging-model-fitting/find"


@contextmanager
def sample_api(*extra):
    """Starts tests/sample_api/server.py and yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "--port", "0", "--fixtures", str(FIXTURES), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("SAMPLE_API_READY"), f"{line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        yield line.split()[1]
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def api():
    with sample_api() as url:
        yield url


def http(url, data=None, method=None):
    """(status, headers, body text) of one request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode(errors="replace")


def find_url(api, **params):
    qs = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return f"{api}{FIND}?{urllib.parse.urlencode(qs)}"
