"""Fit the learned-tells models (``companion/core/tells.py``) and choose their thresholds.

    python scripts/train_tells.py [--human DIR] [--budget 0.3] [--ai-negatives 3] [--write]

Data, and what each part is used for:

* **positives**: phrase windows of the ``dev`` split of ``benchmarks/data/dev`` that lie
  mostly (half their length or more) inside a hand-marked span; their category is the
  span's;
* **negatives**: windows of up to 300 random paragraphs from the first half of each
  human-corpus file, and (weighted by ``--ai-negatives``) the windows of dev articles
  that no marked span touches: generated text an editor left alone, so the model
  learns the tells and not the topics generated articles write about;
* **the paragraph gate** also learns from the shared eval set's paragraphs (modern
  human essays and encyclopedia text beside AI ones), pairs in buckets 1-3 only;
* **calibration**: up to 400 paragraphs from the third quarter of each file, and the
  dev articles scored out of fold (5 folds by article);
* **held out, only reported**: the ``test`` split, the last quarter of every human
  file, and the eval pairs of bucket 0.

Rule for the thresholds: among window thresholds 0.60-0.95 and paragraph-gate
thresholds 0.50-0.97, the pair with the highest out-of-fold dev recall (library at the
default profile plus tells) whose tells add at most ``--budget`` flags per 1k words to
the calibration paragraphs of every genre. ``--write`` stores models, thresholds and figures in
``resources/tells.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from span_recall import Span, load_set

from companion.core.analyzer import Chunk
from companion.core.engine import EngineOptions, build_engine
from companion.core.semantic_windows import windows
from companion.core.settings import Settings
from companion.core.static_embed import shared_static
from companion.core.tells import tells_path
from scripts.measure_levels import EVAL, HUMAN_DEFAULT, paragraphs
from scripts.train_score import bucket

log = logging.getLogger("train_tells")
TRAIN_PER_FILE = 300
CALIB_PER_FILE = 400
WINDOW_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
GATE_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)
_PARA = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def para_spans(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) for each blank-line-separated paragraph."""
    out, pos = [], 0
    for m in [*_PARA.finditer(text), None]:
        end = m.start() if m else len(text)
        if text[pos:end].strip():
            out.append((pos, text[pos:end]))
        pos = m.end() if m else end
    return out


class Article:
    """A dev-set article cut into paragraphs and windows, with absolute offsets."""

    def __init__(self, name: str, text: str, spans: list[Span]) -> None:
        self.name, self.text, self.spans = name, text, spans
        self.paras = para_spans(text)
        self.windows: list[tuple[int, int, str, int]] = []  # start, end, text, paragraph index
        for k, (off, para) in enumerate(self.paras):
            self.windows += [(off + w.start, off + w.end, w.text, k) for w in windows(Chunk.of(para))]

    def label(self, start: int, end: int) -> str:
        """The category of the span covering half the window or more, else ''."""
        best, cat = 0, ""
        for s in self.spans:
            ov = min(end, s.end) - max(start, s.start)
            if ov > best:
                best, cat = ov, s.category
        return cat if best >= 0.5 * (end - start) else ""


def human_sets(
    folder: Path, rng: random.Random
) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """Training paragraphs, calibration and held-out paragraphs by genre.

    Each file is cut in its own order: the first half feeds training, the third
    quarter calibration, the last quarter is held out. Whole files cannot be held
    out instead: a genre may be a single file.
    """
    train: list[str] = []
    calib: dict[str, list[str]] = defaultdict(list)
    held: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.glob("*/*.txt")):
        paras = paragraphs(path.read_text(encoding="utf-8"))
        half, three = len(paras) // 2, 3 * len(paras) // 4
        first = paras[:half]
        rng.shuffle(first)
        train += first[:TRAIN_PER_FILE]
        third = paras[half:three]
        rng.shuffle(third)
        calib[path.parent.name] += third[:CALIB_PER_FILE]
        held[path.parent.name] += paras[three:]
    return train, calib, held


def eval_paragraphs() -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The shared eval set's paragraphs (text, 1 = AI): pairs in buckets 1-3 train the
    gate (modern human prose: essays, encyclopedia text), bucket 0 is only reported."""
    train: list[tuple[str, int]] = []
    held: list[tuple[str, int]] = []
    if not EVAL.exists():
        return train, held
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        item = (rec["text"], int(rec["label"] == "ai"))
        (held if bucket(str(rec.get("pair_id") or rec["id"])) == 0 else train).append(item)
    return train, held


def merged(ranges: list[tuple[int, int]]) -> int:
    count, reach = 0, -1
    for a, b in sorted(ranges):
        if a >= reach:
            count += 1
        reach = max(reach, b)
    return count


def flag_rate(paras: list[str], gate_p: np.ndarray, win: list[list[float]], wt: float, gt: float) -> float:
    words = sum(len(_WORD.findall(p)) for p in paras)
    flags = 0
    for ws, g, probs in zip((windows(Chunk.of(p)) for p in paras), gate_p, win, strict=True):
        if g >= gt:
            flags += merged([(w.start, w.end) for w, p in zip(ws, probs, strict=True) if p >= wt])
    return 1000 * flags / max(words, 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--human", type=Path, default=HUMAN_DEFAULT)
    ap.add_argument("--budget", type=float, default=0.3, help="added flags per 1k human words")
    ap.add_argument("--ai-negatives", type=float, default=3.0, help="weight of unmarked AI windows")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    emb = shared_static()
    if not emb.available():
        log.error("%s", emb.error)
        return 1
    rng = random.Random(5)
    texts, splits, spans = load_set()
    by_file: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        by_file[s.file].append(s)
    arts = {n: Article(n, t, by_file[n]) for n, t in texts.items()}
    dev = [a for a in arts.values() if splits[a.name] == "dev"]
    test = [a for a in arts.values() if splits[a.name] == "test"]
    h_train, h_calib, h_held = human_sets(args.human, rng)
    log.info(
        "dev %d articles, test %d; human train %d, calibration %d paragraphs",
        len(dev),
        len(test),
        len(h_train),
        sum(map(len, h_calib.values())),
    )

    # -- window data --------------------------------------------------------------
    pos_txt, pos_cat, pos_group = [], [], []
    ai_neg_txt, ai_neg_group = [], []
    for i, a in enumerate(dev):
        for s, e, t, _ in a.windows:
            cat = a.label(s, e)
            if cat:
                pos_txt.append(t)
                pos_cat.append(cat)
                pos_group.append(i)
            elif not any(s < sp.end and sp.start < e for sp in a.spans):
                ai_neg_txt.append(t)  # generated text an editor left alone: topic words, not tells
                ai_neg_group.append(i)
    neg_txt = [w.text for p in h_train for w in windows(Chunk.of(p))]
    log.info("windows: %d positive, %d negative", len(pos_txt), len(neg_txt))
    x_pos, x_neg = emb.encode(pos_txt), emb.encode(neg_txt)
    x_ai_neg = emb.encode(ai_neg_txt) if ai_neg_txt else np.zeros((0, x_pos.shape[1]), dtype=np.float32)
    ai_neg_group_a = np.array(ai_neg_group)
    neg_group = np.array([rng.randrange(5) for _ in neg_txt])
    eval_train, eval_held = eval_paragraphs()
    para_txt = [p for a in dev for _, p in a.paras] + h_train + [t for t, _ in eval_train]
    para_y = np.array([1] * sum(len(a.paras) for a in dev) + [0] * len(h_train) + [y for _, y in eval_train])
    para_group = np.array(
        [i for i, a in enumerate(dev) for _ in a.paras]
        + [rng.randrange(5) for _ in h_train]
        + [rng.randrange(5) for _ in eval_train]
    )
    x_para = emb.encode(para_txt)

    def fit_window(xp: np.ndarray, xn: np.ndarray, xa: np.ndarray) -> LogisticRegression:
        x = np.vstack([xp, xn, xa])
        y = np.r_[np.ones(len(xp)), np.zeros(len(xn) + len(xa))]
        w = np.r_[
            np.full(len(xp), 0.2 * len(xn) / max(len(xp), 1)),
            np.ones(len(xn)),
            np.full(len(xa), args.ai_negatives * len(xn) / max(len(xa), 1) * 0.2),
        ]
        return LogisticRegression(C=1.0, max_iter=3000).fit(x, y, sample_weight=w)

    def fit_gate(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
        return LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced").fit(x, y)

    # -- out-of-fold dev probabilities ------------------------------------------------
    dev_groups = np.arange(len(dev))
    oof_gate: dict[tuple[str, int], float] = {}
    oof_win: dict[str, np.ndarray] = {}
    pos_group_a = np.array(pos_group)
    folds = GroupKFold(n_splits=5)
    for k, (_, hold) in enumerate(folds.split(dev_groups, groups=dev_groups)):
        held_idx = set(int(i) for i in hold)
        wmodel = fit_window(
            x_pos[~np.isin(pos_group_a, list(held_idx))],
            x_neg[neg_group != k],
            x_ai_neg[~np.isin(ai_neg_group_a, list(held_idx))],
        )
        is_dev_para = np.arange(len(para_txt)) < sum(len(a.paras) for a in dev)
        pg = np.where(is_dev_para, np.isin(para_group, list(held_idx)), para_group == k)
        gmodel = fit_gate(x_para[~pg], para_y[~pg])
        for i in held_idx:
            a = dev[i]
            gp = gmodel.predict_proba(emb.encode([p for _, p in a.paras]))[:, 1]
            for j, g in enumerate(gp):
                oof_gate[(a.name, j)] = float(g)
            oof_win[a.name] = (
                wmodel.predict_proba(emb.encode([w[2] for w in a.windows]))[:, 1]
                if a.windows
                else np.zeros(0)
            )

    # -- final models -----------------------------------------------------------------
    wmodel = fit_window(x_pos, x_neg, x_ai_neg)
    gmodel = fit_gate(x_para, para_y)
    cmodel = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(x_pos, pos_cat)

    checker = build_engine(
        Settings(profile="recommended"), EngineOptions(semantic=False, grammar="off", spelling=False)
    )
    lib_found = {
        a.name: [(f.start, f.end) for f in checker.check(a.text).findings if f.is_robotic]
        for a in arts.values()
    }

    def recall(
        articles: list[Article],
        gate: dict[tuple[str, int], float],
        win: dict[str, np.ndarray],
        wt: float,
        gt: float,
    ) -> tuple[float, dict[str, float]]:
        hit, tot = Counter(), Counter()
        for a in articles:
            sel = [
                (s, e)
                for (s, e, _, k), p in zip(a.windows, win[a.name], strict=True)
                if p >= wt and gate[(a.name, k)] >= gt
            ]
            found = lib_found[a.name] + sel
            for sp in a.spans:
                c = any(s < sp.end and sp.start < e for s, e in found)
                hit[sp.category] += c
                hit["*"] += c
                tot[sp.category] += 1
                tot["*"] += 1
        return hit["*"] / max(tot["*"], 1), {
            c: round(hit[c] / n, 3) for c, n in sorted(tot.items()) if c != "*"
        }

    def human_probs(paras: list[str]) -> tuple[np.ndarray, list[list[float]]]:
        gate = gmodel.predict_proba(emb.encode(paras))[:, 1] if paras else np.zeros(0)
        win = []
        for p in paras:
            ws = windows(Chunk.of(p))
            win.append(list(wmodel.predict_proba(emb.encode([w.text for w in ws]))[:, 1]) if ws else [])
        return gate, win

    calib = {genre: human_probs(paras) for genre, paras in h_calib.items()}
    best: tuple[float, float, float, float] | None = None
    base_dev, _ = recall(dev, oof_gate, oof_win, 2.0, 2.0)
    for wt in WINDOW_THRESHOLDS:
        for gt in GATE_THRESHOLDS:
            rate = max(flag_rate(h_calib[g], *calib[g], wt, gt) for g in calib)
            r, _ = recall(dev, oof_gate, oof_win, wt, gt)
            if rate <= args.budget and (best is None or r > best[0]):
                best = (r, wt, gt, rate)
    if best is None:
        log.error("no threshold pair stays within %.2f flags per 1k", args.budget)
        return 1
    dev_recall, wt, gt, calib_rate = best
    log.info(
        "chosen: window >= %.2f, gate >= %.2f; dev recall (out of fold) %.3f (library alone %.3f); "
        "calibration, worst genre: %.2f/1k",
        wt,
        gt,
        dev_recall,
        base_dev,
        calib_rate,
    )

    # -- held-out report ---------------------------------------------------------------
    test_gate, test_win = {}, {}
    for a in test:
        gp = gmodel.predict_proba(emb.encode([p for _, p in a.paras]))[:, 1]
        test_gate.update({(a.name, j): float(g) for j, g in enumerate(gp)})
        test_win[a.name] = (
            wmodel.predict_proba(emb.encode([w[2] for w in a.windows]))[:, 1] if a.windows else np.zeros(0)
        )
    test_base, _ = recall(test, test_gate, test_win, 2.0, 2.0)
    test_recall, test_cats = recall(test, test_gate, test_win, wt, gt)
    held_rates = {}
    for genre, paras in sorted(h_held.items()):
        g, w = human_probs(paras)
        held_rates[genre] = round(flag_rate(paras, g, w, wt, gt), 3)
    eval_human = [t for t, y in eval_held if y == 0]
    eval_rate = flag_rate(eval_human, *human_probs(eval_human), wt, gt) if eval_human else None
    held_words = {genre: sum(len(_WORD.findall(p)) for p in paras) for genre, paras in h_held.items()}
    overall = sum(held_rates[g] * held_words[g] for g in held_rates) / max(sum(held_words.values()), 1)
    report = {
        "dev_recall_out_of_fold": round(dev_recall, 3),
        "dev_recall_library_only": round(base_dev, 3),
        "calibration_added_flags_per_1k_worst_genre": round(calib_rate, 3),
        "test_recall_library_only": round(test_base, 3),
        "test_recall": round(test_recall, 3),
        "test_recall_per_category": test_cats,
        "held_out_human_added_flags_per_1k": round(overall, 3),
        "held_out_human_added_flags_per_1k_by_genre": held_rates,
        "held_out_human_words": sum(held_words.values()),
        "shared_eval_held_out_human_added_flags_per_1k": None if eval_rate is None else round(eval_rate, 3),
    }
    print(json.dumps(report, indent=1))
    if args.write:
        out = {
            "generated_by": "scripts/train_tells.py",
            "rule": (
                f"highest out-of-fold dev recall with at most {args.budget} added flags "
                "per 1k calibration words in every genre"
            ),
            "report": report,
            "window_threshold": wt,
            "gate_threshold": gt,
            "window_coef": [round(float(v), 5) for v in wmodel.coef_[0]],
            "window_bias": round(float(wmodel.intercept_[0]), 5),
            "gate_coef": [round(float(v), 5) for v in gmodel.coef_[0]],
            "gate_bias": round(float(gmodel.intercept_[0]), 5),
            "categories": [str(c) for c in cmodel.classes_],
            "category_coef": [[round(float(v), 5) for v in row] for row in cmodel.coef_],
            "category_bias": [round(float(v), 5) for v in cmodel.intercept_],
        }
        tells_path().write_text(json.dumps(out) + "\n", encoding="utf-8")
        log.info("wrote %s", tells_path())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
