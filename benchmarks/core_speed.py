"""Speed of checking, as the user runs it and inside the process; prints one JSON object.

    python benchmarks/core_speed.py [--words 10000] [--runs 3] [--no-process] [--no-inner]

``process``: the installed ``humanize check`` command timed as a whole process, the
way a user runs it (Python start-up, caches as after a first run, spelling and Harper
grammar included): ``startup_s`` on a 5-word file, ``words_per_s`` as the words of a
``--words`` file over the difference between the two, medians of ``--runs`` runs, with
and without the embedding model, and ``proselint`` the same way when it is installed.
``peak_rss_mb`` is the largest child process; the model runs in the model host, a process
of its own that outlives the runs (``model_host_peak_rss_mb``): ``startup_s`` with the
model is with the host running, as after a first run, and ``startup_cold_host_s`` is one
run that had to start it. The host is stopped at the end.

The in-process figures follow:

The text is ordinary prose: paragraphs of ../shared/eval/eval_corpus.jsonl (human and AI
alike) repeated until it holds the asked number of words. ``words_per_s_fast`` covers the
library, style and readability analyzers; ``words_per_s_semantic`` covers everything but
grammar (library, style, readability, spelling and embedding matching), from cold result
caches (the library's anchor embeddings come from the disk cache, as in normal use).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model_host_figures import model_host_peak_mb, stop_model_host

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "eval_corpus.jsonl"


def sample_text(n_words: int) -> str:
    paragraphs = [
        json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line
    ]
    out: list[str] = []
    count = 0
    i = 0
    while count < n_words:
        p = paragraphs[i % len(paragraphs)]
        if i >= len(paragraphs):  # later rounds: vary the text so the cache cannot help
            p = p.replace(".", f" (round {i // len(paragraphs)}).", 1)
        out.append(p)
        count += len(p.split())
        i += 1
    return "\n\n".join(out)


def _timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def _median(cmd: list[str], runs: int) -> float:
    return statistics.median(_timed(cmd) for _ in range(runs))


def process_figures(words: int, runs: int) -> dict[str, object]:
    """Whole-process timings of the installed command (and proselint, when installed)."""
    exe = Path(sys.executable).with_name("humanize")
    humanize = [str(exe)] if exe.exists() else [sys.executable, "-m", "companion"]
    # A model host of the benchmark's own (not one a running editor uses), stopped at the end.
    os.environ["HUMANIZE_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="hz-speed-")
    with tempfile.TemporaryDirectory() as tmp:
        tiny, large = Path(tmp) / "tiny.txt", Path(tmp) / "large.txt"
        tiny.write_text("The tower still draws crowds.\n", encoding="utf-8")
        text = sample_text(words)
        large.write_text(text, encoding="utf-8")
        n = len(text.split())
        tools = {
            "humanize_no_semantic": [*humanize, "check", "--no-semantic"],
            "humanize": [*humanize, "check"],
        }
        proselint = shutil.which("proselint")
        if proselint:
            tools["proselint"] = [proselint, "check"] if _accepts_check(proselint) else [proselint]
        out: dict[str, object] = {"words": n, "runs": runs}
        for name, cmd in tools.items():
            _timed([*cmd, str(tiny)])  # the first run builds the user caches
            cold = None
            if name == "humanize":  # the first run after the model host exited starts it
                stop_model_host()
                cold = _timed([*cmd, str(tiny)])
            start = _median([*cmd, str(tiny)], runs)
            full = _median([*cmd, str(large)], runs)
            out[name] = {
                "startup_s": round(start, 2),
                "large_s": round(full, 2),
                "words_per_s": round(n / max(full - start, 1e-3)),
            }
            if cold is not None:
                out[name]["startup_cold_host_s"] = round(cold, 2)  # type: ignore[index]
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        out["model_host_peak_rss_mb"] = model_host_peak_mb()
        stop_model_host()
    return out


def _accepts_check(proselint: str) -> bool:
    res = subprocess.run([proselint, "--help"], capture_output=True, text=True, check=False)
    return " check" in res.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-process", action="store_true", help="skip the whole-process timings")
    ap.add_argument("--no-inner", action="store_true", help="skip the in-process timings")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    process = None if args.no_process else process_figures(args.words, args.runs)
    if args.no_inner:
        print(json.dumps({"process": process}))
        return
    t = time.perf_counter()
    from companion.core.checker import Checker
    from companion.core.engine import build_analyzers
    from companion.core.library.model import load_library
    from companion.core.settings import Settings

    text = sample_text(args.words)
    library = load_library()
    import_core_s = time.perf_counter() - t
    settings = Settings()

    from companion.core.engine import EngineOptions
    from companion.core.segment import paragraphs

    # One-time costs (word lists, syllable dictionary) are start-up, measured apart.
    t = time.perf_counter()
    analyzers = build_analyzers(settings, EngineOptions(grammar="off"), library=library)
    for analyzer in analyzers:
        if hasattr(analyzer, "warm_up"):
            analyzer.warm_up()
    warmup_s = time.perf_counter() - t

    fast = Checker([a for a in analyzers if a.name in {"library", "style", "readability"}])
    t = time.perf_counter()
    report = fast.check(text)
    fast_s = time.perf_counter() - t
    words = report.stats.words
    t = time.perf_counter()
    fast.check(text)
    recheck_s = time.perf_counter() - t

    t = time.perf_counter()
    import sentence_transformers  # noqa: F401  (import cost reported apart from loading)

    import_model_s = time.perf_counter() - t
    semantic = next(a for a in analyzers if a.name == "semantic")
    t = time.perf_counter()
    semantic.load()
    model_load_s = time.perf_counter() - t
    full = Checker(analyzers)
    t = time.perf_counter()
    full_report = full.check(text)
    semantic_s = time.perf_counter() - t
    windows = sum(len(semantic.windows(full.chunk(text[p.start : p.end]))) for p in paragraphs(text))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(
        json.dumps(
            {
                "commit": commit,
                "process": process,
                "words": words,
                "words_per_s_fast": round(words / fast_s),
                "fast_check_ms": round(fast_s * 1000, 1),
                "recheck_unchanged_ms": round(recheck_s * 1000, 2),
                "words_per_s_semantic": round(words / semantic_s),
                "semantic_check_ms": round(semantic_s * 1000, 1),
                "semantic_windows_embedded": windows,
                "semantic_findings": sum(1 for f in full_report.findings if f.source == "semantic"),
                "import_core_s": round(import_core_s, 2),
                "warmup_s": round(warmup_s, 2),
                "import_torch_s": round(import_model_s, 2),
                "model_load_s": round(model_load_s, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
