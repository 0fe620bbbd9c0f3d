"""Set the semantic pass's thresholds on the development set; writes resources/semantic.json.

    python scripts/tune_semantic.py [--human DIR] [--human-words 80000] [--budget 0.05]

1. **Per-category MiniLM thresholds.** Windows past a low static cut are embedded with
   MiniLM on the dev articles and on a sample of the human reference corpus. For each
   category, the threshold is the lowest that keeps that category's shown findings on
   human text at or under ``--budget`` per 1,000 words (never below 0.60).
2. **Static cut.** The static-model cosine that 95% of the windows MiniLM accepts on
   dev text reach: the first pass then drops what MiniLM would reject anyway.
The ``test`` split is never read. Prints what each threshold gains on dev spans.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from benchmarks.span_recall import load_set
from companion.core.analyzer import Chunk
from companion.core.embedder import Embedder
from companion.core.findings import Level
from companion.core.library.model import load_library
from companion.core.paths import resource_dir
from companion.core.segment import paragraphs
from companion.core.semantic import SemanticAnalyzer, Tuning
from scripts.measure_levels import HUMAN_DEFAULT, human_texts

log = logging.getLogger("tune_semantic")
FLOOR = 0.60
LOW_CUT = 0.45
MAX_CUT = 0.60


def chunks_of(text: str) -> list[tuple[int, Chunk]]:
    return [(s.start, Chunk.of(text[s.start : s.end])) for s in paragraphs(text)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--human", type=Path, default=HUMAN_DEFAULT)
    ap.add_argument("--human-words", type=int, default=80_000)
    ap.add_argument("--budget", type=float, default=0.05, help="human findings per 1k words per category")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    library = load_library()
    texts, splits, spans = load_set()
    dev = {n: t for n, t in texts.items() if splits[n] == "dev"}
    dev_spans = [s for s in spans if s.file in dev]
    analyzer = SemanticAnalyzer(library, Embedder(threads=2), tuning=Tuning({}, -1.0))
    analyzer.load()
    assert analyzer._static_matrix is not None, "the static model must load"

    # 1. candidates at a low static cut, so the thresholds see (almost) everything
    analyzer.tuning = Tuning({}, LOW_CUT)

    # 2. candidates on dev and on a human sample
    rng = random.Random(7)
    pool = [p for ps in human_texts(args.human).values() for p in ps]
    rng.shuffle(pool)
    human: list[str] = []
    words = 0
    for p in pool:
        if words >= args.human_words:
            break
        human.append(p)
        words += len(p.split())
    human_scores: dict[str, list[float]] = defaultdict(list)
    for cands in analyzer.candidates([Chunk.of(p) for p in human]):
        for c in cands:
            if c.anchor.entry.level is not Level.PICKY:
                human_scores[c.anchor.entry.category].append(c.effective)
    thresholds: dict[str, float] = {}
    for cat in sorted({e.category for e in library.entries}):
        allowed = int(args.budget * words / 1000)
        scores = sorted(human_scores.get(cat, []), reverse=True)
        t = scores[allowed] + 1e-3 if len(scores) > allowed else FLOOR
        thresholds[cat] = round(max(FLOOR, t), 3)
    log.info("human sample %d words; thresholds %s", words, thresholds)
    gained = missed = dev_words = 0
    accepted_static: list[float] = []
    all_static: list[float] = []
    for name, text in dev.items():
        dev_words += len(text.split())
        exact = [(m.start, m.end) for m in analyzer._matcher.matches(text)]
        found: list[tuple[int, int]] = []
        for offset, chunk in chunks_of(text):
            for c in analyzer.candidates([chunk])[0]:
                all_static.append(c.static)
                if c.effective >= thresholds.get(c.anchor.entry.category, 1.0):
                    found.append((c.window.start + offset, c.window.end + offset))
                    accepted_static.append(c.static)
        for span in dev_spans:
            if span.file != name or any(s < span.end and span.start < e for s, e in exact):
                continue
            missed += 1
            gained += any(s < span.end and span.start < e for s, e in found)
    log.info("dev spans the library misses: %d; semantic catches %d of them", missed, gained)
    # 3. the static cut keeps 95% of the windows MiniLM accepts on dev text (never above
    #    MAX_CUT: static cosines of true paraphrases are low, lexical look-alikes high)
    cut = min(MAX_CUT, float(np.quantile(accepted_static, 0.05))) if accepted_static else LOW_CUT
    kept = sum(s >= cut for s in all_static)
    log.info(
        "static cut %.3f: MiniLM embeds %.1f windows per 1k words (%d accepted windows)",
        cut,
        1000 * kept / max(dev_words, 1),
        len(accepted_static),
    )
    out = {"generated_by": "scripts/tune_semantic.py", "static_cut": round(cut, 3), "thresholds": thresholds}
    (resource_dir() / "semantic.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
