"""Editor responsiveness, offscreen; prints one JSON object.

    python benchmarks/editor_latency.py [--words 10000] [--edits 30]

- ``window_shown_s``: process start to the main window shown (imports included).
- ``first_underlines_s``: process start to the first underline of a 10,000-word file opened
  right after the window appeared (analyzers load in the background meanwhile);
  ``first_underlines_after_open_s`` counts from the open.
- ``ui_max_stall_ms``: the longest gap (raw, 5 ms included) between ticks of a 5 ms
  ``QTimer`` on the UI thread while a second 10,000-word document (other paragraphs:
  nothing cached) is checked from scratch, fast and semantic passes (``ui_p99_gap_ms``
  too). The load itself (``setPlainText``) is not counted; ``load_stall_ms`` reports it.
- ``edit_to_underline_ms_p95``: a phrase the library flags is added to a visible paragraph;
  time until its underline is drawn, with the debounce set to 0 (so it is not counted).
- ``edit_to_semantic_ms_p95``: the same with a paraphrase only the embedding model finds.
- ``ui_max_stall_from_launch_ms``: the longest gap between ticks of a 5 ms timer from the
  window shown until the first semantic underline could be drawn (the model loaded and
  the first document checked by it): the model's loading is inside this span.
- ``peak_rss_mb``: the editor process's peak resident memory; ``model_host_peak_rss_mb``
  the model host's (a process of its own, started cold by this run in a private folder
  and stopped at the end), ``peak_rss_total_mb`` both. Run with ``--no-semantic`` for
  the figures without the model.
- ``large_file``: a ~5 MB text (``--large-mb``; the corpus paragraphs repeated with small
  variations so the results cache does not answer) opened in the same window:
  ``typing_ms_p95``: a key pressed every ~40 ms while the background check runs, timed
  from when it was due (time the UI thread was busy counts) to the event loop idle again
  after ``QTest.keyClick``; ``ui_max_stall_ms_while_typing`` / ``_while_checking``: the
  longest gap between ticks of a 5 ms timer then and while the rest is checked (at most
  ``--large-check-s``), with ``gc_max_pause_ms`` (full collections meanwhile); then
  ``f8_ms`` (p95), ``clean_open_ms`` (Clean… until its dialog is shown),
  ``rss_before_clean_mb`` and ``rss_after_clean_closed_mb`` (both after ``gc.collect`` and
  ``malloc_trim``). ``--large-only`` skips everything else.

The paragraphs come from ../shared/eval/eval_corpus.jsonl. Settings, user data and the
results cache live in temporary folders; the library's anchor embeddings are cached in
``$TMPDIR/humanize-bench-cache`` as they would be in the user's cache after a first run.
Grammar is off (no LanguageTool here).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.environ.get("HUMANIZE_BENCH_CODE") or str(Path(__file__).resolve().parents[1]))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "eval_corpus.jsonl"

_TMP = tempfile.mkdtemp(prefix="humanize-bench-")
for _var in ("HUMANIZE_CONFIG_DIR", "HUMANIZE_DATA_DIR"):
    os.environ[_var] = os.path.join(_TMP, _var.lower())
os.environ["HUMANIZE_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), "humanize-bench-cache")
# A model host of this run's own, started cold (a user's running host would hide the load).
os.environ["HUMANIZE_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="hz-bench-")

PARAPHRASES = [
    f"In this {a} {b} {c} world"
    for a, b, c in itertools.product(
        ["rapidly", "quickly", "swiftly"], ["changing"], ["modern", "current", "present-day", "global"]
    )
] + [
    "In this rapidly evolving modern world",
    "In this quickly evolving current world",
    "In this rapidly shifting modern world",
    "In this constantly changing global world",
    "In this rapidly moving modern world",
    "In this constantly changing current world",
    "In this quickly shifting global world",
    "In this rapidly evolving current world",
]


def corpus_paragraphs() -> list[str]:
    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.extend(p.strip() for p in json.loads(line)["text"].split("\n") if p.strip())
    return out


def document(paragraphs: list[str], words: int) -> tuple[str, list[str]]:
    """Paragraphs up to ``words`` words, joined by blank lines; returns the rest too."""
    out, count = [], 0
    while paragraphs and count < words:
        p = paragraphs.pop(0)
        out.append(p)
        count += len(p.split())
    return "\n\n".join(out), paragraphs


def p95(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--no-semantic", action="store_true", help="without the embedding model")
    parser.add_argument("--large-mb", type=float, default=5.0, help="size of the large file (0: skip)")
    parser.add_argument("--large-check-s", type=float, default=900, help="wait for the check before Clean…")
    parser.add_argument("--large-only", action="store_true", help="only the large_file section")
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import companion.gui  # noqa: F401  (the PySide6 6.12 guard)

    sys.setswitchinterval(0.002)  # as run_app does
    app = QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    from companion.core.settings import Settings
    from companion.gui.app.window import MainWindow

    window = MainWindow(Settings(grammar="off", semantic=not args.no_semantic))
    window.resize(1100, 760)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window_shown_s = time.perf_counter() - T0
    scheduler = window.editor.scheduler
    launch_gaps = _LaunchTicker()

    def wait_until(pred, timeout_s: float, poll_ms: int = 5) -> bool:
        """Run the real event loop until ``pred()`` (QTest.qWait sleeps between its rounds,
        which would add its own gaps to the measurement)."""
        end = time.perf_counter() + timeout_s
        loop = QEventLoop()
        poll = QTimer()
        poll.timeout.connect(lambda: (pred() or time.perf_counter() > end) and loop.quit())
        poll.start(poll_ms)
        if not pred():
            loop.exec()
        poll.stop()
        return pred()

    def idle() -> bool:
        return not scheduler.busy and not scheduler.has_work() and not window.loader.loading()

    if args.large_only:
        wait_until(lambda: scheduler.checker is not None and not window.loader.loading(), 180)
        result: dict[str, object] = {"words": args.words, "cpus": os.cpu_count()}
    else:
        result = small_sections(args, window, wait_until, idle, window_shown_s, launch_gaps)
    if args.large_mb > 0:
        from large_file import large_file_section

        result["large_file"] = large_file_section(
            window, wait_until, args.large_mb, corpus_paragraphs(), args.large_check_s
        )
    result["load_average"] = round(os.getloadavg()[0], 2)
    from model_host_figures import model_host_peak_mb, stop_model_host  # this folder

    host_mb = model_host_peak_mb()
    result["model_host_peak_rss_mb"] = host_mb
    result["peak_rss_total_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + (host_mb or 0), 1
    )
    stop_model_host()
    print(json.dumps(result))
    window.editor.document().setModified(False)
    window.close()
    return 0


class _LaunchTicker:
    """Gaps between ticks of a 5 ms timer on the UI thread, from the window shown until stopped."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start(5)

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        gap = (now - self._last) / 1e6
        self.gaps.append(gap)
        self._last = now
        if gap > 40 and os.environ.get("HUMANIZE_BENCH_TRACE"):
            print(f"stall {gap:.0f} ms ending at {time.perf_counter() - T0:.3f} s", file=sys.stderr)

    def stop(self) -> float | None:
        self._timer.stop()
        return max(self.gaps[1:], default=None)


def small_sections(
    args: argparse.Namespace, window, wait_until, idle, window_shown_s: float, launch_gaps: _LaunchTicker
) -> dict[str, object]:
    """The 10,000-word measurements (every key but ``large_file``)."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtGui import QTextCursor

    editor, scheduler = window.editor, window.editor.scheduler
    paragraphs = corpus_paragraphs()
    text1, paragraphs = document(paragraphs, args.words)
    text2, _ = document(paragraphs, args.words)
    path = Path(_TMP) / "document.txt"
    path.write_text(text1, encoding="utf-8")

    t_open = time.perf_counter()
    window.open_file(str(path), ask=False)
    t_opened = time.perf_counter()
    wait_until(lambda: bool(editor.extraSelections()), 60)
    t_first = time.perf_counter()
    if os.environ.get("HUMANIZE_BENCH_TRACE"):
        print(
            f"open {t_open - T0:.3f}-{t_opened - T0:.3f} s, first underline {t_first - T0:.3f} s",
            file=sys.stderr,
        )
    wait_until(idle, 180)
    all_loaded = idle()
    if not args.no_semantic:
        wait_until(lambda: "semantic" in scheduler.slow_ready and idle(), 180)
    ui_max_stall_from_launch_ms = launch_gaps.stop()

    # -- stall while a fresh document is checked from scratch ---------------------------
    t_load = time.perf_counter()
    editor.setPlainText(text2)
    load_stall_ms = (time.perf_counter() - t_load) * 1000
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)
    ticker.start(5)
    t_check = time.perf_counter()
    wait_until(idle, 180)
    full_check_s = time.perf_counter() - t_check
    ticker.stop()
    gaps = gaps[1:]  # the first tick counts from start()

    # -- edit latency ----------------------------------------------------------------------
    scheduler.set_debounce(0)

    def measure(phrase: str, inserted: str, timeout_s: float) -> float | None:
        block = editor.firstVisibleBlock()
        while block.isValid() and not block.text().strip():
            block = block.next()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        start = cursor.position() + inserted.index(phrase)
        end = start + len(phrase)  # ASCII: UTF-16 units == code points
        done: list[float] = []

        def check() -> None:
            if done:
                return
            for sel in editor.extraSelections():
                c = sel.cursor
                if c.selectionStart() == start and c.selectionEnd() == end:
                    done.append(time.perf_counter())
                    return

        editor.selections_updated.connect(check)
        t = time.perf_counter()
        cursor.insertText(inserted)
        wait_until(lambda: bool(done), timeout_s)
        editor.selections_updated.disconnect(check)
        wait_until(lambda: not scheduler.busy, 10)
        return (done[0] - t) * 1000 if done else None

    fast_ms = []
    for i in range(args.edits):
        ms = measure("leverage", f" Point {i}: we must leverage our strengths.", 5)
        if ms is not None:
            fast_ms.append(ms)
    semantic_ms = []
    semantic_ready = "semantic" in scheduler.slow_ready
    for i, phrase in enumerate(PARAPHRASES[: args.edits] if semantic_ready else []):
        ms = measure(phrase, f" {phrase}, team {i} must adapt.", 10)
        if ms is not None:
            semantic_ms.append(ms)

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "edit_to_underline_ms_p95": _round(p95(fast_ms)),
        "edit_to_semantic_ms_p95": _round(p95(semantic_ms)),
        "ui_max_stall_ms": _round(max(gaps, default=None)),
        "ui_max_stall_from_launch_ms": _round(ui_max_stall_from_launch_ms),
        "window_shown_s": round(window_shown_s, 3),
        "first_underlines_s": round(t_first - T0, 3),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "first_underlines_after_open_s": round(t_first - t_open, 3),
        "ui_p99_gap_ms": round(sorted(gaps)[int(0.99 * (len(gaps) - 1))], 1) if gaps else None,
        "load_stall_ms": round(load_stall_ms, 1),
        "full_check_s": round(full_check_s, 2),
        "edit_to_underline_ms_median": round(statistics.median(fast_ms), 1) if fast_ms else None,
        "edit_to_semantic_ms_median": round(statistics.median(semantic_ms), 1) if semantic_ms else None,
        "edits_measured": [len(fast_ms), len(semantic_ms)],
        "analyzers_loaded": all_loaded,
        "semantic_ready": semantic_ready,
        "words": args.words,
        "cpus": os.cpu_count(),
    }
    return result


if __name__ == "__main__":
    sys.exit(main())
