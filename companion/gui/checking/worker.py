"""The check worker: paragraphs in, findings out, off the UI thread.

A :class:`Job` is a plain snapshot (paragraph key, revision, text); the worker never
touches a widget. Two runners share one interface (``submit``, ``preempt``,
``shutdown`` and the ``results`` / ``finished`` signals), which is the seam the
tests use: :class:`ThreadRunner` runs jobs on a ``QThread``, :class:`InlineRunner`
runs them synchronously on the caller's thread.
"""

from __future__ import annotations

import bisect
import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from companion.core.engine import (
    Engine,
    ParaStats,
    markdown_ignored,
    needs_gate,
    paragraph_gate,
    paragraph_stats,
)
from companion.core.findings import Finding

log = logging.getLogger(__name__)

#: Stages: fast analyzers, the embedding model, grammar (each grammar job on its own thread).
FAST, SLOW, GRAMMAR = "fast", "slow", "grammar"
#: Emit results at least this often (seconds) so underlines appear progressively.
EMIT_EVERY_S = 0.010
#: Paragraphs per call of the slow analyzers (the embedding model batches them).
SLOW_BATCH = 2
#: Jobs between two ``gc.freeze()`` calls on the worker (see :meth:`_Worker.run`).
FREEZE_EVERY = 20


@dataclass(frozen=True, slots=True)
class Item:
    """One paragraph to check: which one, at which revision, with what text."""

    key: int
    revision: int
    text: str
    #: Number of its lead block when the snapshot was taken (maps Markdown ignores to it).
    line: int = 0
    #: Code points of the lead block's indentation left out of ``text``.
    indent: int = 0


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    stage: str
    names: frozenset[str]
    items: tuple[Item, ...]
    checker: Engine
    #: The whole document (blocks joined by "\n") when it is Markdown, else None.
    markdown: str | None = None


@dataclass(frozen=True, slots=True)
class ParaResult:
    key: int
    revision: int
    stage: str
    text: str
    findings: tuple[Finding, ...]
    stats: ParaStats | None = None
    #: The paragraph gate (how generated the paragraph reads) when density needs it.
    gate: float | None = None
    #: Code-point ranges of the paragraph that must not be flagged (Markdown code, URLs).
    ignored: tuple[tuple[int, int], ...] = ()
    #: The slow pass's order of the library findings' suggestions, ranked by fit in context.
    ranked: tuple[Finding, ...] | None = None


class _MarkdownIgnores:
    """Markdown ignored ranges of the last document seen (cached by its text), per paragraph."""

    def __init__(self) -> None:
        self._text: str | None = None
        self._lines: list[int] = []
        self._ranges: list[tuple[int, int]] = []
        self._starts: list[int] = []

    def for_item(self, text: str, item: Item) -> tuple[tuple[int, int], ...]:
        """The ranges inside ``item``'s paragraph, relative to its text (as ``humanize check`` cuts them)."""
        if text != self._text:
            self._text = text
            self._lines = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
            self._ranges = sorted(markdown_ignored(text))
            self._starts = [s for s, _ in self._ranges]
        if item.line >= len(self._lines):
            return ()
        start = self._lines[item.line] + item.indent
        end = start + len(item.text)
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = bisect.bisect_left(self._starts, end)
        return tuple(
            (max(s, start) - start, min(e, end) - start)
            for s, e in self._ranges[first:last]
            if s < end and start < e
        )


def _ranked(checker: Engine, text: str) -> tuple[Finding, ...] | None:
    """The paragraph's library findings with suggestions in the order ``humanize check`` gives."""
    try:
        library = checker.check_paragraphs([text], ["library"])[0]  # cached by the fast pass
        return tuple(checker.rank(text, library, ["semantic"]))
    except Exception:
        log.exception("ranking suggestions failed")
        return None


def run_job(
    job: Job,
    emit: Callable[[list[ParaResult]], None],
    stop: threading.Event | None = None,
    markdown: _MarkdownIgnores | None = None,
    yield_between: bool = False,
) -> int:
    """Check ``job``'s paragraphs, handing results to ``emit`` in small batches.

    Returns how many items were checked; stops early (between paragraphs) when
    ``stop`` is set. ``yield_between`` releases the GIL after each paragraph so
    the UI thread keeps its frame rate.
    """
    checker = job.checker
    batch: list[ParaResult] = []
    last = time.perf_counter()
    step = SLOW_BATCH if job.stage == SLOW else 1
    # The figures need readability's syllable counts; a checker without it (the first,
    # library-only one while the rest loads) leaves them for the next pass.
    with_stats = job.stage == FAST and "readability" in job.names
    done = 0
    items = job.items
    for i in range(0, len(items), step):
        if stop is not None and stop.is_set():
            break
        group: Sequence[Item] = items[i : i + step]
        texts = [it.text for it in group]
        try:
            found = checker.check_paragraphs(texts, job.names)
        except Exception:  # the checker isolates analyzers; this is a last line of defence
            log.exception("check failed")
            found = [[] for _ in group]
        for it, findings in zip(group, found, strict=True):
            stats = paragraph_stats(checker.chunk(it.text)) if with_stats else None
            ignored = ()
            if job.markdown is not None and markdown is not None:
                ignored = markdown.for_item(job.markdown, it)
            # Density may need the paragraph gate (an embedding): computed here, off the UI thread.
            gate = paragraph_gate(it.text) if job.stage == FAST and needs_gate(findings) else None
            ranked = _ranked(checker, it.text) if job.stage == SLOW and "semantic" in job.names else None
            batch.append(
                ParaResult(
                    it.key, it.revision, job.stage, it.text, tuple(findings), stats, gate, ignored, ranked
                )
            )
        done += len(group)
        now = time.perf_counter()
        if now - last >= EMIT_EVERY_S:
            emit(batch)
            batch = []
            last = now
        if yield_between:
            time.sleep(0)
    if batch:
        emit(batch)
    return done


class _Worker(QObject):
    results = Signal(object)
    finished = Signal(int)

    def __init__(self, stop: threading.Event) -> None:
        super().__init__()
        self._stop = stop
        self._markdown = _MarkdownIgnores()
        self._jobs = 0

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            run_job(job, self.results.emit, self._stop, self._markdown, yield_between=True)
        finally:
            self.finished.emit(job.id)
        self._jobs += 1
        if self._jobs % FREEZE_EVERY == 0:
            # The results of a long document (findings, cached paragraphs) live long; left
            # to the cycle collector, each full collection scans them all while every thread
            # waits (most of a second with 5 MB of text). Frozen, they are skipped by it;
            # reference counting still frees them.
            gc.freeze()


class ThreadRunner(QObject):
    """Runs jobs one at a time on a worker ``QThread``."""

    results = Signal(object)  # list[ParaResult]
    finished = Signal(int)  # job id
    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None, name: str = "humanize-check") -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(self._stop)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.results.connect(self.results)
        self._worker.finished.connect(self.finished)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def submit(self, job: Job) -> None:
        self._stop.clear()
        self._submit.emit(job)

    def preempt(self) -> None:
        """Ask the job in flight to stop after its current paragraph."""
        self._stop.set()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        self._stop.set()
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    @property
    def running(self) -> bool:
        return self._thread.isRunning()


class InlineRunner(QObject):
    """Runs each job synchronously inside ``submit`` (the test seam)."""

    results = Signal(object)
    finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._markdown = _MarkdownIgnores()
        self.jobs: list[Job] = []
        #: When False, jobs are only recorded; ``run_pending()`` runs them (to test races).
        self.auto = True

    def submit(self, job: Job) -> None:
        self.jobs.append(job)
        if self.auto:
            self.run_pending()

    def run_pending(self) -> None:
        while self.jobs:
            job = self.jobs.pop(0)
            run_job(job, self.results.emit, None, self._markdown)
            self.finished.emit(job.id)

    def preempt(self) -> None:
        pass

    def shutdown(self, timeout_ms: int = 0) -> bool:
        return True

    @property
    def running(self) -> bool:
        return False
