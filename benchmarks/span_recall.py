"""Recall of hand-marked robotic spans in the development set; prints one JSON object.

    python benchmarks/span_recall.py [--profile recommended] [--no-semantic] [--split all|dev|test]
                                     [--misses N]

The development set lives in ``benchmarks/data/dev/``: ``articles/*.txt`` (AI-written
articles and posts), ``sources-*.tsv`` (where each came from, its licence and its split)
and ``spans-*.tsv`` (``file<TAB>phrase<TAB>category``: what a careful editor marked, one
line per occurrence). Each article is checked as a whole, the way ``humanize check``
checks a file (grammar and spelling off: they are not robotic phrasing). A marked span
counts as caught when a robotic-phrasing finding overlaps it. Figures are given per
split: ``dev`` was used to write and tune the library, ``test`` was not.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.core.engine import EngineOptions, build_engine
from companion.core.settings import Settings

DATA = Path(__file__).resolve().parent / "data" / "dev"
log = logging.getLogger("span_recall")


@dataclass(frozen=True, slots=True)
class Span:
    file: str
    phrase: str
    category: str
    start: int
    end: int


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def add_embedding_flags(ap: argparse.ArgumentParser) -> None:
    """``--no-semantic`` (library only) and ``--no-model`` (library and learned tells)."""
    ap.add_argument("--no-semantic", action="store_true", help="library only: no embeddings at all")
    ap.add_argument("--no-model", action="store_true", help="library and learned tells, without MiniLM")


def phrasing_options(args: argparse.Namespace) -> EngineOptions:
    """Engine options for robotic phrasing only (no grammar, no spelling), per those flags."""
    return EngineOptions(
        semantic=not (args.no_semantic or args.no_model),
        tells=not args.no_semantic,
        grammar="off",
        spelling=False,
    )


def load_set(data: Path = DATA) -> tuple[dict[str, str], dict[str, str], list[Span]]:
    """Texts by file, split by file, and every marked span located in its text."""
    splits: dict[str, str] = {}
    for path in sorted(data.glob("sources-*.tsv")):
        for row in read_tsv(path):
            splits[row["file"]] = row.get("split", "dev") or "dev"
    texts = {name: (data / "articles" / name).read_text(encoding="utf-8") for name in splits}
    spans: list[Span] = []
    seen: Counter[tuple[str, str]] = Counter()
    for path in sorted(data.glob("spans-*.tsv")):
        for row in read_tsv(path):
            name, phrase = row["file"], row["phrase"]
            if name not in texts:
                log.warning("%s: unknown file %s", path.name, name)
                continue
            text = texts[name]
            nth = seen[(name, phrase)]
            seen[(name, phrase)] += 1
            pos = -1
            for _ in range(nth + 1):
                pos = text.find(phrase, pos + 1)
                if pos < 0:
                    break
            if pos < 0:
                log.warning("%s: %r not found %d times in %s", path.name, phrase, nth + 1, name)
                continue
            spans.append(Span(name, phrase, row.get("category", "") or "?", pos, pos + len(phrase)))
    return texts, splits, spans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="recommended")
    add_embedding_flags(ap)
    ap.add_argument("--split", default="all", choices=("all", "dev", "test"))
    ap.add_argument("--misses", type=int, default=0, help="print up to N missed spans to stderr")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    texts, splits, spans = load_set(args.data)
    checker = build_engine(
        Settings(profile=args.profile),
        phrasing_options(args),
    )
    t0 = time.perf_counter()
    found: dict[str, list[tuple[int, int]]] = {}
    words: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    for name, text in texts.items():
        if args.split != "all" and splits[name] != args.split:
            continue
        report = checker.check(text)
        robotic = [(f.start, f.end) for f in report.findings if f.is_robotic]
        found[name] = robotic
        words[splits[name]] += report.stats.words
        flags[splits[name]] += len(robotic)
    elapsed = time.perf_counter() - t0
    total: dict[str, Counter[str]] = defaultdict(Counter)
    hit: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[Span] = []
    for span in spans:
        if span.file not in found:
            continue
        split = splits[span.file]
        caught = any(s < span.end and span.start < e for s, e in found[span.file])
        for key in (split, "all"):
            total[key][span.category] += 1
            total[key]["*"] += 1
            hit[key][span.category] += caught
            hit[key]["*"] += caught
        if not caught:
            misses.append(span)
    out: dict[str, object] = {
        "profile": args.profile,
        "semantic": not (args.no_semantic or args.no_model),
        "tells": not args.no_semantic,
        "files": len(found),
        "spans": total["all"]["*"],
    }
    for key in ("all", "dev", "test"):
        if not total[key]["*"]:
            continue
        out[key] = {
            "recall": round(hit[key]["*"] / total[key]["*"], 3),
            "spans": total[key]["*"],
            "words": words[key] if key != "all" else sum(words.values()),
            "flags_per_1k": round(
                1000
                * (flags[key] if key != "all" else sum(flags.values()))
                / max(words[key] if key != "all" else sum(words.values()), 1),
                1,
            ),
            "per_category": {
                c: {"recall": round(hit[key][c] / n, 3), "spans": n}
                for c, n in sorted(total[key].items())
                if c != "*"
            },
        }
    out["seconds"] = round(elapsed, 1)
    print(json.dumps(out, indent=1))
    for span in misses[: args.misses]:
        where = f"[{splits[span.file]}] {span.category:10}"
        print(f"miss {where} {span.phrase!r}  ({span.file})", file=sys.stderr)


if __name__ == "__main__":
    main()
