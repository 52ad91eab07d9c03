"""Times the reference client loading every MLE fit of the collection from a sample API. Runs inside
.venv-ref; resets nothing (the caller resets the sample API and reads the request count from its
/_control log).

    .venv-ref/bin/python tests/bench/reference_load.py API_BASE

Prints one JSON line: {"seconds": wall time of get_mle_model_fitting, "rows": rows of its DataFrame,
"failed": failed fits it dropped (from its log; null if it did not say)}.
"""

import contextlib
import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
from ref_client import point_client_at  # noqa: E402
from reference_runner import dropped_failed  # noqa: E402


def main():
    point_client_at(sys.argv[1])
    from aind_analysis_arch_result_access import df_mle_model_fitting as ref

    with contextlib.redirect_stdout(io.StringIO()) as log:
        start = time.perf_counter()
        df = ref.get_mle_model_fitting(from_custom_query={"_id": {"$exists": True}},
                                       if_include_latent_variables=False)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": round(seconds, 3), "rows": 0 if df is None else len(df),
                      "failed": dropped_failed(log.getvalue())}))


if __name__ == "__main__":
    main()
