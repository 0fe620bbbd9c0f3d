"""Detection quality on the labelled evaluation texts; prints one JSON object.

    python benchmarks/detection.py [--no-semantic | --no-model] [--profile recommended] [--corpus PATH]

    python benchmarks/detection.py --human [DIR] [--sample WORDS] [--profile picky]

Each paragraph of ../shared/eval/eval_corpus.jsonl is checked on its own (grammar off).
With ``--human`` it instead checks the human reference corpus (scripts/build_human_corpus.py,
written before 2020) and prints phrasing flags per 1k words per genre: false flags, since
no paragraph there was generated. ``--sample`` takes that many words per genre (the
semantic pass is too slow for all two million).
``human_flags_per_1k`` / ``ai_flags_per_1k`` count robotic-phrasing findings (library or
semantic, or a robotic category); passive voice, adverbs, weasel words, readability and
spelling are reported separately. ``auroc`` is the ROC AUC of ``robotic_score`` between
the labels.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from span_recall import add_embedding_flags, phrasing_options  # this folder: sys.path[0]

from companion.core.engine import build_engine
from companion.core.settings import Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "eval_corpus.jsonl"
HUMAN_CORPUS = Path.home() / ".cache" / "humanize-eval" / "human"


def auroc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    wins = 0.0
    for p in positives:
        for n in negatives:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(positives) * len(negatives))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    add_embedding_flags(ap)
    ap.add_argument("--profile", default="recommended")
    ap.add_argument("--show", type=int, default=0, help="print N human-text hits to stderr")
    ap.add_argument("--human", nargs="?", const=HUMAN_CORPUS, type=Path, default=None)
    ap.add_argument("--sample", type=int, default=0, help="words per genre (0: all)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.human is not None:
        human_corpus(args)
        return
    records = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line]
    settings = Settings(profile=args.profile)
    checker = build_engine(
        settings,
        phrasing_options(args),
    )
    words: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    per_cat: dict[str, Counter[str]] = {"human": Counter(), "ai": Counter()}
    other: dict[str, Counter[str]] = {"human": Counter(), "ai": Counter()}
    scores: dict[str, list[float]] = {"human": [], "ai": []}
    shown = 0
    t0 = time.perf_counter()
    for rec in records:
        label, text = rec["label"], rec["text"]
        report = checker.check(text)
        words[label] += report.stats.words
        scores[label].append(report.stats.robotic_score)
        for f in report.findings:
            if f.is_robotic:
                flags[label] += 1
                per_cat[label][f.category] += 1
                if label == "human" and shown < args.show:
                    shown += 1
                    print(f"human hit: {f.rule} {text[f.start : f.end]!r}", file=sys.stderr)
            else:
                other[label][f.category] += 1
    elapsed = time.perf_counter() - t0
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    out = {
        "commit": commit,
        "semantic": not (args.no_semantic or args.no_model),
        "tells": not args.no_semantic,
        "profile": args.profile,
        "paragraphs": len(records),
        "human_words": words["human"],
        "ai_words": words["ai"],
        "human_flags_per_1k": round(1000 * flags["human"] / max(words["human"], 1), 2),
        "ai_flags_per_1k": round(1000 * flags["ai"] / max(words["ai"], 1), 2),
        "auroc": round(auroc(scores["ai"], scores["human"]), 3),
        "per_category_per_1k": {
            lab: {c: round(1000 * n / max(words[lab], 1), 2) for c, n in sorted(per_cat[lab].items())}
            for lab in ("human", "ai")
        },
        "other_per_1k": {
            lab: {c: round(1000 * n / max(words[lab], 1), 2) for c, n in sorted(other[lab].items())}
            for lab in ("human", "ai")
        },
        "seconds": round(elapsed, 1),
    }
    print(json.dumps(out))


def human_corpus(args: argparse.Namespace) -> None:
    """Phrasing flags per 1k words on the human reference corpus, per genre."""
    checker = build_engine(
        Settings(profile=args.profile),
        phrasing_options(args),
    )
    out: dict[str, object] = {
        "profile": args.profile,
        "semantic": not (args.no_semantic or args.no_model),
        "tells": not args.no_semantic,
    }
    per_genre: dict[str, dict[str, float]] = {}
    total_words = total_flags = 0
    rules: Counter[str] = Counter()
    t0 = time.perf_counter()
    for genre_dir in sorted(p for p in args.human.iterdir() if p.is_dir()):
        words = flags = 0
        for path in sorted(genre_dir.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if args.sample:
                paras = text.split("\n\n")
                keep, n = [], 0
                for para in paras[:: max(1, len(paras) // 400)]:
                    if n >= args.sample // max(1, len(list(genre_dir.glob("*.txt")))):
                        break
                    keep.append(para)
                    n += len(para.split())
                text = "\n\n".join(keep)
            report = checker.check(text)
            words += report.stats.words
            for f in report.findings:
                if f.is_robotic:
                    flags += 1
                    rules[f.rule] += 1
        per_genre[genre_dir.name] = {"words": words, "flags_per_1k": round(1000 * flags / max(words, 1), 2)}
        total_words += words
        total_flags += flags
    out["flags_per_1k"] = round(1000 * total_flags / max(total_words, 1), 2)
    out["words"] = total_words
    out["per_genre"] = per_genre
    out["top_rules"] = rules.most_common(args.show or 15)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
