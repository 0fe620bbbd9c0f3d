"""Grammar checking with Harper: what it catches, how often it cries wolf, how fast; prints one JSON object.

    python benchmarks/grammar.py [--details]

``caught``: share of the error sentences of tests/data/grammar_sentences.tsv with a
grammar finding overlapping the error fragment (the grammar analyzer in mode
``harper``: Harper plus companion/core/grammar/supplement.py). ``caught_harper_rules``
counts Harper's own rules only, ``caught_with_spelling`` adds the spelling analyzer
(what the editor shows). ``false_flags_correct`` counts findings on the correct
sentences of the same file.

``false_flags_per_1k``: grammar findings per 1,000 words of human prose. Every
finding counts as false, although some human paragraphs do contain real errors, so
this is an upper bound. The prose is the human reference corpus in
~/.cache/humanize-eval/human/ (one folder per genre of .txt files) when it exists,
else the human paragraphs of ../shared/eval/eval_corpus.jsonl; ``corpus`` says which.

``words_per_s``: the whole grammar analyzer (lint, rule filters, supplement, findings)
on text the linter has not seen, after loading. ``load_s``: building Harper's
``Linter`` (with our rule configuration). ``rss_mb``: resident memory of this
process afterwards.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
SENTENCES = REPO / "tests" / "data" / "grammar_sentences.tsv"
EVAL_CORPUS = REPO.parent / "shared" / "eval" / "eval_corpus.jsonl"
HUMAN_CORPUS = Path.home() / ".cache" / "humanize-eval" / "human"


def load_sentences(path: Path = SENTENCES) -> list[tuple[str, str, str]]:
    """``(kind, sentence, error_fragment)`` rows of the TSV (header skipped)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            kind, sentence, fragment = line.split("\t")
            rows.append((kind, sentence, fragment))
    return rows


def fragment_span(sentence: str, fragment: str) -> tuple[int, int]:
    """Where ``fragment`` is in ``sentence``, as whole words when it starts or ends with one."""
    pattern = re.escape(fragment)
    if fragment[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if fragment[-1:].isalnum():
        pattern += r"(?!\w)"
    match = re.search(pattern, sentence)
    if match is None:
        raise ValueError(f"{fragment!r} is not in {sentence!r}")
    return match.span()


def human_paragraphs(per_genre: int) -> tuple[str, dict[str, list[str]]]:
    """Human prose per genre to count false flags on, and a name for it.

    ``per_genre`` caps the words taken from each genre (0: all), spread evenly over
    the genre's paragraphs so every file and every part of it is represented.
    """
    files = sorted(HUMAN_CORPUS.glob("*/*.txt")) if HUMAN_CORPUS.is_dir() else []
    if not files:
        rows = [json.loads(line) for line in EVAL_CORPUS.read_text(encoding="utf-8").splitlines() if line]
        human = [r["text"] for r in rows if r["label"] == "human"]
        return f"{EVAL_CORPUS} (human paragraphs; {HUMAN_CORPUS} not found)", {"eval": human}
    genres: dict[str, list[str]] = {}
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        genres.setdefault(f.parent.name, []).extend(
            p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()
        )
    if per_genre:
        for genre, paragraphs in genres.items():
            total = sum(len(p.split()) for p in paragraphs)
            step = max(1.0, total / per_genre)
            picked, words, i = [], 0, 0.0
            while words < per_genre and int(i) < len(paragraphs):
                picked.append(paragraphs[int(i)])
                words += len(paragraphs[int(i)].split())
                i += step
            genres[genre] = picked
    cap = f"up to {per_genre} words per genre" if per_genre else "all"
    return f"{HUMAN_CORPUS} ({len(files)} files, {len(genres)} genres, {cap})", genres


def all_paragraphs() -> list[str]:
    """Every paragraph of the evaluation corpus (human and AI), for speed."""
    rows = [json.loads(line) for line in EVAL_CORPUS.read_text(encoding="utf-8").splitlines() if line]
    return [r["text"] for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--details", action="store_true", help="also list misses and false flags")
    ap.add_argument(
        "--words-per-genre", type=int, default=40_000, help="human prose sampled per genre (0: all of it)"
    )
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import psutil

    from companion.core.analyzer import Chunk
    from companion.core.grammar import GrammarAnalyzer
    from companion.core.grammar.harper import HarperEngine
    from companion.core.spelling import SpellingAnalyzer

    started = time.perf_counter()
    engine = HarperEngine()
    engine.load()
    load_s = time.perf_counter() - started

    # Speed first, while the linter has seen nothing.
    speed = GrammarAnalyzer(mode="harper", cache_size=0)
    speed.analyze(Chunk.of("Warm up."))
    texts = all_paragraphs()
    speed_words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    for text in texts:
        speed.analyze(Chunk.of(text))
    words_per_s = speed_words / (time.perf_counter() - started)
    speed.close()

    analyzer = GrammarAnalyzer(mode="harper")
    harper_only = HarperEngine(supplement=False)
    spelling = SpellingAnalyzer([], REPO / "benchmarks" / "data" / "no-such-dictionary.txt")
    rows = load_sentences()
    errors = [r for r in rows if r[0] != "correct"]
    caught = caught_harper = caught_spelling = 0
    misses: list[str] = []
    for _kind, sentence, fragment in errors:
        start, end = fragment_span(sentence, fragment)

        def hits(findings: list) -> bool:
            return any(f.start < end and start < f.end for f in findings)  # noqa: B023

        found = analyzer.analyze(Chunk.of(sentence))
        caught += hits(found)
        caught_harper += hits(harper_only.check(sentence))
        caught_spelling += hits(found + spelling.analyze(Chunk.of(sentence)))
        if not hits(found):
            misses.append(f"{sentence} [{fragment}]")
    false_correct = [
        f"{sentence} [{f.matched}: {f.rule}]"
        for kind, sentence, _ in rows
        if kind == "correct"
        for f in analyzer.analyze(Chunk.of(sentence))
    ]

    corpus, genres = human_paragraphs(args.words_per_genre)
    flags: list[tuple[str, str, object]] = []
    per_genre: dict[str, float] = {}
    human_words = 0
    for genre, paragraphs in genres.items():
        words = sum(len(p.split()) for p in paragraphs)
        found = [(genre, p, f) for p in paragraphs for f in analyzer.analyze(Chunk.of(p))]
        per_genre[genre] = round(len(found) / max(words, 1) * 1000, 2)
        flags.extend(found)
        human_words += words
    result: dict[str, object] = {
        "caught": round(caught / len(errors), 3),
        "caught_harper_rules": round(caught_harper / len(errors), 3),
        "caught_with_spelling": round(caught_spelling / len(errors), 3),
        "error_sentences": len(errors),
        "false_flags_correct": len(false_correct),
        "correct_sentences": len(rows) - len(errors),
        "false_flags_per_1k": round(len(flags) / human_words * 1000, 2),
        "false_flags_per_1k_by_genre": per_genre,
        "human_flags": len(flags),
        "human_words": human_words,
        "corpus": corpus,
        "words_per_s": round(words_per_s),
        "speed_words": speed_words,
        "load_s": round(load_s, 2),
        "rss_mb": round(psutil.Process().memory_info().rss / 2**20),
    }
    if args.details:
        result["misses"] = misses
        result["false_flags_on_correct"] = false_correct
        result["human_flag_list"] = [
            f"{genre} {f.rule}: …{p[max(0, f.start - 30) : f.start]}[{f.matched}]{p[f.end : f.end + 20]}…"
            for genre, p, f in flags
        ]
    analyzer.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
