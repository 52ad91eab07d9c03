"""Runs the reference `get_mle_model_fitting` (aind-analysis-arch-result-access) against the sample
API and prints, as JSON, its DataFrame and the queries it builds. Runs inside .venv-ref.

    python reference_runner.py <api_base> <subject_id>

The reference client hard-codes https://<host>; its URL properties are pointed at the loopback
sample API instead. Nothing else of the reference is changed.
"""

import contextlib
import io
import json
import math
import sys

from ref_client import point_client_at


def main():
    api_base, subject = sys.argv[1], sys.argv[2]

    point_client_at(api_base)

    from aind_analysis_arch_result_access import df_mle_model_fitting as ref

    with contextlib.redirect_stdout(io.StringIO()) as log:
        df = ref.get_mle_model_fitting(subject_id=subject, if_include_latent_variables=False)

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
                "filter": ref.build_query_new_format(subject_id=subject),
                "projection": ref._build_projection(True, is_new_format=True),
            },
            "han": {
                "filter": ref.build_query_old_format(subject_id=subject),
                "projection": ref._build_projection(True, is_new_format=False),
            },
        },
        "log": log.getvalue(),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
