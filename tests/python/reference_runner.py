"""Runs the reference `get_mle_model_fitting` (aind-analysis-arch-result-access) against the sample
API and prints, as JSON, its DataFrame and the queries it builds. Runs inside .venv-ref.

    python reference_runner.py <api_base> <subject_id>
    python reference_runner.py <api_base> --custom-query '<json filter>'

The second form calls get_mle_model_fitting(from_custom_query=...) instead of subject_id=...; the
output's "failed" is the number of failed fits the reference dropped (read from its log).

The reference client hard-codes https://<host>; its URL properties are pointed at the loopback
sample API instead. Nothing else of the reference is changed.
"""

import contextlib
import io
import json
import math
import re
import sys

from ref_client import point_client_at


def main():
    api_base = sys.argv[1]
    if sys.argv[2] == "--custom-query":
        query = {"from_custom_query": json.loads(sys.argv[3])}
    else:
        query = {"subject_id": sys.argv[2]}

    point_client_at(api_base)

    from aind_analysis_arch_result_access import df_mle_model_fitting as ref

    with contextlib.redirect_stdout(io.StringIO()) as log:
        df = ref.get_mle_model_fitting(**query, if_include_latent_variables=False)

    def clean(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if hasattr(v, "item"):  # numpy scalars
            return clean(v.item())
        return v

    rows = [] if df is None else [clean(r) for r in df.to_dict(orient="records")]
    out = {
        "rows": rows,
        "columns": [] if df is None else list(df.columns),
        "queries": {
            "framework": {
                "filter": ref.build_query_new_format(**query),
                "projection": ref._build_projection(True, is_new_format=True),
            },
            "han": {
                "filter": ref.build_query_old_format(**query),
                "projection": ref._build_projection(True, is_new_format=False),
            },
        },
        "failed": dropped_failed(log.getvalue()),
        "log": log.getvalue(),
    }
    json.dump(out, sys.stdout)


def dropped_failed(log):
    """The reference prints "... successful fittings: N records (M skipped)": M failed fits."""
    m = re.search(r"successful fittings: [0-9]+ records \(([0-9]+) skipped\)", log)
    return int(m.group(1)) if m else None


if __name__ == "__main__":
    main()
