"""Fit the robotic score on labelled paragraphs and report AUROC on held-out ones.

    python scripts/train_score.py [--human DIR] [--write]

Training data: the ``dev`` split of benchmarks/data/dev (AI), the human reference
corpus (human) and ../shared/eval (both labels). Held out, never fitted on: the ``test``
split of the development set, every human-corpus file whose name hashes to bucket 0
of 4, and the eval pairs (``pair_id``) hashing to bucket 0 of 4. Stage 1 is a logistic
regression over the static embedding (the style logit, standardised on training
data, out-of-fold for stage 2); stage 2 blends phrasing density, punctuation, rhythm,
the lexical habits and style. Prints AUROC on the held-out paragraphs for the trained score and for the
hand-set fallback; ``--write`` stores the model in resources/score.json.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict

from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.paths import resource_dir
from companion.core.score import score_inputs, signals
from companion.core.static_embed import StaticEmbedder
from companion.core.style_signal import FALLBACK_WEIGHTS
from scripts.measure_levels import DEV, EVAL, HUMAN_DEFAULT, paragraphs

log = logging.getLogger("train_score")
MIN_WORDS = 40
#: Inputs besides style, in the order of score_inputs (phrasing, punctuation, uniformity first).
NAMES = [
    "phrasing",
    "punctuation",
    "uniformity",
    "contractions",
    "first_person",
    "word_length",
    "variety",
    "commas",
]
HUMAN_PER_FILE = 150


def bucket(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 4


def collect(human_dir: Path) -> list[tuple[str, int, bool, str]]:
    """(text, label 1=AI, held_out, group) for every usable paragraph."""
    rows: list[tuple[str, int, bool, str]] = []
    for src in sorted(DEV.glob("sources-*.tsv")):
        with src.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                text = (DEV / "articles" / row["file"]).read_text(encoding="utf-8")
                held = (row.get("split") or "dev") == "test"
                rows += [(p, 1, held, "dev-set") for p in paragraphs(text)]
    rng = random.Random(3)
    for path in sorted(human_dir.glob("*/*.txt")):
        paras = paragraphs(path.read_text(encoding="utf-8"))
        rng.shuffle(paras)
        held = bucket(path.name) == 0
        rows += [(p, 0, held, f"human-{path.parent.name}") for p in paras[:HUMAN_PER_FILE]]
    if EVAL.exists():
        for line in EVAL.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            held = bucket(str(rec.get("pair_id") or rec["id"])) == 0
            rows.append((rec["text"], int(rec["label"] == "ai"), held, "eval"))
    return [r for r in rows if len(r[0].split()) >= MIN_WORDS]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--human", type=Path, default=HUMAN_DEFAULT)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = collect(args.human)
    analyzer = LibraryAnalyzer(load_library())
    embedder = StaticEmbedder()
    assert embedder.available(), embedder.error
    texts = [r[0] for r in rows]
    y = np.array([r[1] for r in rows])
    held = np.array([r[2] for r in rows])
    emb = embedder.encode(texts)
    base = []
    for t in texts:
        inputs = score_inputs(signals(t, _findings(analyzer, t)))
        base.append([inputs[name] for name in NAMES])
    feats = np.array(base)
    tr = ~held
    log.info("train %d (AI %d), held out %d (AI %d)", tr.sum(), y[tr].sum(), held.sum(), y[held].sum())
    stage1 = LogisticRegression(C=0.5, max_iter=2000, class_weight="balanced")
    oof = cross_val_predict(stage1, emb[tr], y[tr], cv=5, method="decision_function")
    stage1.fit(emb[tr], y[tr])
    mean, scale = float(oof.mean()), float(oof.std()) or 1.0
    style_tr = (oof - mean) / scale
    style_all = (emb @ stage1.coef_[0] + stage1.intercept_[0] - mean) / scale
    x_tr = np.column_stack([feats[tr], style_tr])
    mu, sd = x_tr.mean(axis=0), x_tr.std(axis=0) + 1e-9
    stage2 = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit((x_tr - mu) / sd, y[tr])
    # Fold the standardisation into the weights: the app applies them to raw inputs.
    coef = stage2.coef_[0] / sd
    bias = float(stage2.intercept_[0] - (stage2.coef_[0] * mu / sd).sum())
    x_all = np.column_stack([feats, style_all])
    z = x_all @ coef + bias
    fb = FALLBACK_WEIGHTS
    z_fb = fb["bias"] + feats[:, :3] @ np.array([fb["phrasing"], fb["punctuation"], fb["uniformity"]])
    groups = np.array([r[3] for r in rows])
    report = {
        "held_out_auroc": round(float(roc_auc_score(y[held], z[held])), 3),
        "held_out_auroc_fallback": round(float(roc_auc_score(y[held], z_fb[held])), 3),
        "held_out_auroc_style_only": round(float(roc_auc_score(y[held], style_all[held])), 3),
        "held_out_paragraphs": int(held.sum()),
    }
    ev = held & (groups == "eval")
    if len(set(y[ev])) == 2:
        report["held_out_eval_pairs_auroc"] = round(float(roc_auc_score(y[ev], z[ev])), 3)
        report["held_out_eval_pairs_auroc_fallback"] = round(float(roc_auc_score(y[ev], z_fb[ev])), 3)
    print(json.dumps(report))
    if args.write:
        weights = {"bias": round(bias, 4)}
        weights.update({n: round(float(c), 4) for n, c in zip([*NAMES, "style"], coef, strict=True)})
        out = {
            "generated_by": "scripts/train_score.py",
            "held_out": report,
            "weights": weights,
            "style": {
                "coef": [round(float(c), 5) for c in stage1.coef_[0]],
                "intercept": float(stage1.intercept_[0]),
                "mean": mean,
                "scale": scale,
            },
        }
        (resource_dir() / "score.json").write_text(json.dumps(out) + "\n", encoding="utf-8")
        log.info("wrote resources/score.json: %s", weights)
    return 0


def _findings(analyzer: LibraryAnalyzer, text: str):
    from companion.core.analyzer import Chunk

    return analyzer.analyze(Chunk.of(text))


if __name__ == "__main__":
    sys.exit(main())
