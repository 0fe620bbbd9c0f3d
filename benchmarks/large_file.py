"""The ``large_file`` section of ``editor_latency.py``: a ~5 MB text in the real window.

Kept apart so each benchmark module stays short; ``editor_latency.py`` calls
:func:`large_file_section` with its window and event-loop helper.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import itertools
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

#: Words swapped in turn so every copy of a paragraph differs from the others.
_VARIANTS = ["today", "this year", "again", "at last", "for now", "in short", "once more", "by then"]
KEYSTROKES = 100
KEY_INTERVAL_S = 0.04
F8_PRESSES = 20


def large_text(paragraphs: list[str], megabytes: float) -> str:
    """``paragraphs`` repeated until ``megabytes`` of text, each copy slightly different."""
    out: list[str] = []
    size, target, copy = 0, int(megabytes * 1_000_000), 0
    while size < target:
        for n, p in enumerate(paragraphs):
            sentences = p.split(". ")
            k = copy % len(sentences)
            varied = ". ".join(sentences[k:] + sentences[:k])  # rotate the sentences
            varied = f"{varied.rstrip('.')} {_VARIANTS[(copy + n) % len(_VARIANTS)]}, part {copy}."
            out.append(varied)
            size += len(varied) + 2
            if size >= target:
                break
        copy += 1
    return "\n\n".join(out)


def rss_mb(trim: bool = True) -> float:
    """Resident memory after a full collection (and ``malloc_trim`` where glibc has it)."""
    import psutil

    if trim:
        gc.collect()
        name = ctypes.util.find_library("c")
        with contextlib.suppress(OSError, AttributeError, TypeError):
            ctypes.CDLL(name).malloc_trim(0)
    return psutil.Process().memory_info().rss / 2**20


def _p95(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 1)


def large_file_section(
    window,
    wait_until: Callable[..., bool],
    megabytes: float,
    paragraphs: list[str],
    check_wait_s: float = 900,
) -> dict[str, object]:
    """Open a large file and measure typing, F8, Clean… and memory (see the module docstring)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog

    editor, scheduler = window.editor, window.editor.scheduler
    text = large_text(paragraphs, megabytes)
    path = Path(tempfile.mkdtemp(prefix="humanize-large-")) / "large.txt"
    path.write_text(text, encoding="utf-8")

    def settle() -> None:
        """Run the event loop until a zero timer fires with no redraw pending."""
        for _ in range(100):
            loop = QEventLoop()
            QTimer.singleShot(0, loop.quit)
            loop.exec()
            if not editor.redraw_pending:
                return

    t = time.perf_counter()
    window.open_file(str(path), ask=False)
    open_s = time.perf_counter() - t
    wait_until(lambda: bool(editor.extraSelections()), 120)
    first_underlines_s = time.perf_counter() - t

    # -- typing while the background check runs ---------------------------------------------
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    gc_pauses: list[float] = []
    gc_start = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            gc_start[0] = time.perf_counter()
        elif info.get("generation") == 2:
            gc_pauses.append((time.perf_counter() - gc_start[0]) * 1000)

    gc.callbacks.append(on_gc)
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(tick)
    ticker.start(5)
    block = editor.firstVisibleBlock()
    while block.isValid() and not block.text().strip():
        block = block.next()
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.setFocus()
    typing: list[float] = []
    checking = []
    keys = "and we type on "
    for i in range(KEYSTROKES):
        due = time.perf_counter() + KEY_INTERVAL_S
        wait_until(lambda d=due: time.perf_counter() >= d, 5, poll_ms=1)
        checking.append(scheduler.busy)
        ch = keys[i % len(keys)]
        QTest.keyClick(editor, Qt.Key.Key_Space if ch == " " else ch)
        settle()
        typing.append((time.perf_counter() - due) * 1000)

    typing_gaps = gaps[1:]

    # -- the rest of the check, then F8 -------------------------------------------------------
    t = time.perf_counter()
    gaps.clear()
    last[0] = time.perf_counter()
    checked = wait_until(lambda: not scheduler.busy, check_wait_s)
    check_done_s = time.perf_counter() - t
    ticker.stop()
    gc.callbacks.remove(on_gc)
    f8: list[float] = []
    positions = []
    for _ in range(F8_PRESSES):
        pause = time.perf_counter() + 0.02
        wait_until(lambda d=pause: time.perf_counter() >= d, 1, poll_ms=1)
        t = time.perf_counter()
        QTest.keyClick(editor, Qt.Key.Key_F8)
        settle()
        f8.append((time.perf_counter() - t) * 1000)
        positions.append(editor.textCursor().selectionStart())
    editor.card.hide()
    f8_moved = all(b > a for a, b in itertools.pairwise(positions))

    # -- Clean… -------------------------------------------------------------------------------
    rss_before = rss_mb()
    shown: list[float] = []
    counts: list[int] = []

    def close_when_shown() -> None:
        dialog = window.findChild(QDialog, "reviewDialog")
        if dialog is not None and dialog.isVisible() and not shown:
            shown.append(time.perf_counter())
            counts.append(len(dialog.changes))
            dialog.reject()

    poll = QTimer()
    poll.timeout.connect(close_when_shown)
    poll.start(1)
    t_clean = time.perf_counter()
    window.actions_by_name["clean"].trigger()
    poll.stop()
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        settle()
    rss_after = rss_mb()

    return {
        "typing_ms_p95": _p95(typing),
        "typing_ms_median": round(statistics.median(typing), 1),
        "typing_ms_max": round(max(typing), 1),
        "typed_while_checking": sum(checking),
        "ui_max_stall_ms_while_typing": round(max(typing_gaps, default=0.0), 1),
        "ui_max_stall_ms_while_checking": round(max(gaps[1:], default=0.0), 1),
        "gc_full_collections": len(gc_pauses),
        "gc_max_pause_ms": round(max(gc_pauses, default=0.0), 1),
        "f8_ms": _p95(f8),
        "f8_moved_forward": f8_moved,
        "f8_stops": len(set(positions)),
        "clean_open_ms": round((shown[0] - t_clean) * 1000, 1) if shown else None,
        "clean_changes": counts[0] if counts else None,
        "rss_before_clean_mb": round(rss_before, 1),
        "rss_after_clean_closed_mb": round(rss_after, 1),
        "open_s": round(open_s, 2),
        "first_underlines_s": round(first_underlines_s, 2),
        "check_rest_s": round(check_done_s, 1),
        "checked_before_clean": checked,
        "megabytes": round(len(text.encode()) / 1e6, 2),
        "paragraphs": text.count("\n\n") + 1,
    }
