"""Runs the reference's own latent-variable reader on the fixture files and prints what it read, as
JSON. Runs inside .venv-ref.

    python latents_runner.py <fixtures/s3 dir> < '["s3://bucket/folder", ...]'

Prints {S3_location: {"keys": [...], "q_value": [[...], [...]] or null, "rpe": [...] or null,
"qvalue_spread": float or null}}, from `get_s3_latent_variable(S3_location)` and
`_add_qvalue_spread` (aind-analysis-arch-result-access).

The reference reads S3 through the module-level `fs` of aind_analysis_arch_result_access.util.s3
(an anonymous s3fs filesystem); it is replaced by one that maps s3://<bucket>/<key> to
<dir>/<bucket>/<key>. Nothing else of the reference is changed.
"""

import contextlib
import io
import json
import math
import sys
from pathlib import Path


class LocalS3:
    """The two calls the reference makes: exists(path) and open(path, mode="rb")."""

    def __init__(self, root):
        self.root = Path(root)

    def local(self, path):
        assert path.startswith("s3://"), path
        return self.root / path[len("s3://"):]

    def exists(self, path):
        return self.local(path).is_file()

    def open(self, path, mode="rb"):
        return open(self.local(path), mode)


def clean(v):
    if v is None:
        return None
    if hasattr(v, "tolist"):  # numpy arrays and scalars
        v = v.tolist()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    return v


def main():
    from aind_analysis_arch_result_access.util import s3
    from aind_analysis_arch_result_access.df_mle_model_fitting import _add_qvalue_spread

    s3.fs = LocalS3(sys.argv[1])
    locations = json.load(sys.stdin)
    with contextlib.redirect_stdout(io.StringIO()):
        latents = [{"_id": loc, "latent_variables": s3.get_s3_latent_variable(loc)}
                   for loc in locations]
        latents = _add_qvalue_spread(latents)
    out = {}
    for item in latents:
        lv = item["latent_variables"]
        out[item["_id"]] = {
            "keys": None if lv is None else sorted(lv),
            "q_value": None if lv is None else clean(lv.get("q_value")),
            "rpe": None if lv is None else clean(lv.get("rpe")),
            "qvalue_spread": clean(item["qvalue_spread"]),
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
