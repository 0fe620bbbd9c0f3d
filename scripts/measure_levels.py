"""Measure every library entry on human and AI text and set its level by rule.

    python scripts/measure_levels.py [--human DIR] [--write]

Counts each bundled entry's raw matches per million words on the human reference
corpus (``scripts/build_human_corpus.py``; written before 2020, several genres) and on
AI-written text (the ``dev`` split of ``benchmarks/data/dev`` and, when present, the AI
paragraphs of ``../shared/eval``; the ``test`` split is never read). Then:

* **cap** from the human rate ``h`` (hits per million words): ``h <= 2`` may be
  essential, ``h <= 15`` at most recommended, anything more frequent is picky;
* **strong tells** are the exception to the cap: an entry with ``h <= 80``, at least
  three AI hits and an AI rate at least ten times ``h`` may still be recommended
  ("Additionally,", "individuals": people use them, generated text ten times as much);
* **off**: a picky entry with ``h > 20`` whose AI rate is under three times ``h`` is no
  tell at all ("very", "just", "I think": people use them as much as models) and is
  never matched;
* **level** = the less visible of the author's level and the cap, except that an entry
  humans (almost) never use (``h <= 2``) but AI text does (two hits or more) moves one
  level up: picky → recommended, recommended → essential.

With ``--write`` the rates and levels go to ``resources/library/measured.json``, which
the loader reads (an entry whose patterns changed since keeps its authored level until
the next measurement). Without it, a summary of what would change is printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.core.findings import Level
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import (
    MEASURED_FILE,
    OFF,
    Entry,
    bundled_dir,
    load_library,
    with_hidden,
)

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("measure_levels")
HUMAN_DEFAULT = Path.home() / ".cache" / "humanize-eval" / "human"
EVAL = ROOT.parent / "shared" / "eval" / "eval_corpus.jsonl"
DEV = ROOT / "benchmarks" / "data" / "dev"
ESSENTIAL_MAX = 2.0
RECOMMENDED_MAX = 15.0
PROMOTE_AI_HITS = 2
STRONG_MAX = 80.0
STRONG_RATIO = 10.0
STRONG_AI_HITS = 3
OFF_MIN = 20.0
OFF_RATIO = 3.0
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def human_texts(folder: Path) -> dict[str, list[str]]:
    """Paragraphs of the human reference corpus by genre."""
    out: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*/*.txt")):
        out.setdefault(path.parent.name, []).extend(paragraphs(path.read_text(encoding="utf-8")))
    return out


def ai_texts() -> list[str]:
    """AI-written paragraphs that tuning may see: the dev split and the shared eval set."""
    out: list[str] = []
    for src in sorted(DEV.glob("sources-*.tsv")):
        with src.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if (row.get("split") or "dev") == "dev":
                    out.extend(paragraphs((DEV / "articles" / row["file"]).read_text(encoding="utf-8")))
    if EVAL.exists():
        for line in EVAL.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["label"] == "ai":
                out.append(rec["text"])
    return out


def count(analyzer: LibraryAnalyzer, texts: list[str]) -> tuple[Counter[str], int]:
    """Raw matches per rule (overlapping spellings of one rule count once) and words."""
    hits: Counter[str] = Counter()
    words = 0
    for text in texts:
        words += len(_WORDS.findall(text))
        seen: set[tuple[str, int]] = set()
        for m in analyzer.matches(text):
            key = (m.entry.rule, m.start)
            if key not in seen:
                seen.add(key)
                hits[m.entry.rule] += 1
    return hits, words


def measured_level(authored: Level, human_pm: float, ai_hits: int, ai_pm: float = 0.0) -> Level:
    """The documented rule (module docstring)."""
    order = [Level.ESSENTIAL, Level.RECOMMENDED, Level.PICKY]
    strong = human_pm <= STRONG_MAX and ai_hits >= STRONG_AI_HITS and ai_pm >= STRONG_RATIO * human_pm
    if human_pm <= ESSENTIAL_MAX:
        cap = Level.ESSENTIAL
    elif human_pm <= RECOMMENDED_MAX or strong:
        cap = Level.RECOMMENDED
    else:
        cap = Level.PICKY
    if strong and cap is Level.RECOMMENDED and authored is Level.PICKY:
        return Level.RECOMMENDED
    level = max(authored, cap, key=order.index)
    if human_pm <= ESSENTIAL_MAX and ai_hits >= PROMOTE_AI_HITS and level is not Level.ESSENTIAL:
        level = order[order.index(level) - 1]
    return level


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--human", type=Path, default=HUMAN_DEFAULT)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    library = load_library(bundled=True)
    # Measure the entries as authored, not at a level an older measurement gave them.
    entries: list[Entry] = [e if e.authored_level is None else _authored(e) for e in library.entries]
    analyzer = LibraryAnalyzer(with_hidden(library))
    genres = human_texts(args.human)
    if not genres:
        log.error("no human corpus in %s: run scripts/build_human_corpus.py first", args.human)
        return 2
    human_hits: Counter[str] = Counter()
    human_words = 0
    per_genre: dict[str, int] = {}
    for genre, texts in genres.items():
        hits, words = count(analyzer, texts)
        human_hits.update(hits)
        human_words += words
        per_genre[genre] = words
        log.info("human %-12s %9d words", genre, words)
    ai_hits, ai_words = count(analyzer, ai_texts())
    log.info("ai %d words", ai_words)
    records: dict[str, dict[str, object]] = {}
    moves: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        h = 1e6 * human_hits[entry.rule] / max(human_words, 1)
        a = 1e6 * ai_hits[entry.rule] / max(ai_words, 1)
        level = measured_level(entry.level, h, ai_hits[entry.rule], a)
        off = level is Level.PICKY and h > OFF_MIN and a < OFF_RATIO * h
        moves[(entry.level.value, OFF if off else level.value)] += 1
        records[entry.rule] = {
            "fingerprint": entry.fingerprint,
            "human_hits": human_hits[entry.rule],
            "human_per_million": round(h, 2),
            "ai_hits": ai_hits[entry.rule],
            "ai_per_million": round(a, 1),
            "authored": entry.level.value,
            "level": OFF if off else level.value,
        }
    for (old, new), n in sorted(moves.items()):
        log.info("%-12s -> %-12s %5d", old, new, n)
    if args.write:
        out = {
            "generated_by": "scripts/measure_levels.py",
            "rule": (
                f"cap from human hits per million words h: h <= {ESSENTIAL_MAX} essential, "
                f"h <= {RECOMMENDED_MAX} recommended, else picky; level = less visible of authored "
                f"and cap; h <= {ESSENTIAL_MAX} with >= {PROMOTE_AI_HITS} AI hits moves one level up; "
                f"h <= {STRONG_MAX} with >= {STRONG_AI_HITS} AI hits at >= {STRONG_RATIO}x h is recommended; "
                f"picky with h > {OFF_MIN} and AI rate < {OFF_RATIO}x h is off (never matched)"
            ),
            "human_words": human_words,
            "human_words_per_genre": per_genre,
            "ai_words": ai_words,
            "entries": dict(sorted(records.items())),
        }
        path = bundled_dir() / MEASURED_FILE
        path.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        log.info("wrote %s (%d entries)", path, len(records))
    return 0


def _authored(entry: Entry) -> Entry:
    from dataclasses import replace

    return replace(entry, level=entry.authored_level, authored_level=None, hidden=False)


if __name__ == "__main__":
    sys.exit(main())
