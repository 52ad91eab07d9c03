"""Runs the app's "Reproduce in Python" snippet with the reference library against the sample API
and prints the _ids of the resulting DataFrame as JSON. Runs inside .venv-ref.

    python snippet_runner.py <api_base> < snippet.py
"""

import contextlib
import io
import json
import sys

from ref_client import point_client_at


def main():
    api_base = sys.argv[1]

    point_client_at(api_base)

    code = sys.stdin.read()
    scope = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "snippet.py", "exec"), scope)  # the snippet is the app's own output
    df = scope.get("df")
    json.dump([] if df is None else sorted(str(i) for i in df["_id"]), sys.stdout)


if __name__ == "__main__":
    main()
