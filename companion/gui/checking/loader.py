"""Builds the analyzers in the background so the window appears at once.

The engine's :class:`StagedEngine` builds them: first the phrase library, whose
engine is handed over at once, then the other fast analyzers (style, readability,
spelling), warmed up and joining it one by one; then the slow ones (the
embedding model, LanguageTool) load one by one and are announced as they
become ready. ``statuses()`` says what is still loading or unavailable, and why.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal

from companion.core.engine import (
    SLOW,
    Engine,
    EngineFactory,
    StagedEngine,
    expected_slow,
    load_slow,
    loadable,
    preload_static,
    warm_up,
)
from companion.core.findings import AnalyzerStatus
from companion.core.settings import Settings

log = logging.getLogger(__name__)


_gc_lock = threading.Lock()
_gc_quiet = 0


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No cycle collection while the analyzers load; then freeze what they loaded.

    Loading the library, word lists and models allocates millions of long-lived objects,
    and every full collection meanwhile scans them all while holding the GIL: the
    window froze for 50-230 ms at a time in the first seconds. Reference counting
    still frees garbage; after loading, ``gc.freeze()`` moves the loaded objects out of
    the collector's sight and collection resumes.
    """
    global _gc_quiet
    with _gc_lock:
        _gc_quiet += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_quiet -= 1
            if _gc_quiet == 0:
                gc.freeze()
                gc.enable()


class EngineLoader(QObject):
    """Loads a checker (or the slow analyzers of a given one) on a background thread."""

    checker_ready = Signal(object)  # Engine
    #: More fast analyzers joined the checker (its first version had the library only).
    analyzers_added = Signal()
    slow_ready = Signal(str)  # analyzer name
    status_changed = Signal()
    failed = Signal(str)

    def __init__(
        self, settings: Settings, factory: EngineFactory | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._factory = factory or StagedEngine()
        self._checker: Engine | None = None
        self._loading: set[str] = set()
        self._ready: set[str] = set()
        self._failures: dict[str, str] = {}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _emit(self, signal_name: str, *args: object) -> None:
        """Emit from the loader thread unless the window has gone away meanwhile."""
        if self._closed:
            return
        try:
            getattr(self, signal_name).emit(*args)
        except RuntimeError:  # the QObject was deleted under us
            self._closed = True

    def start(self) -> None:
        self._loading = {"analyzers"}
        self._thread = threading.Thread(target=self._run, name="humanize-loader", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    @property
    def checker(self) -> Engine | None:
        return self._checker

    @property
    def ready_slow(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._ready)

    def loading(self) -> list[str]:
        with self._lock:
            return sorted(self._loading)

    def statuses(self) -> dict[str, AnalyzerStatus]:
        """Each analyzer's status; ``mode == "loading"`` while it loads."""
        out: dict[str, AnalyzerStatus] = {}
        checker = self._checker
        if checker is not None:
            out.update(checker.statuses())
        with self._lock:
            for name in self._loading:
                out[name] = AnalyzerStatus(False, "loading…", "loading")
            for name, reason in self._failures.items():
                out[name] = AnalyzerStatus(False, reason)
        return out

    def close(self) -> None:
        """Stop announcing and release what the analyzers hold (LanguageTool's server)."""
        self._closed = True
        checker = self._checker
        for analyzer in checker.analyzers if checker is not None else ():
            close = getattr(analyzer, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    log.exception("closing %s failed", analyzer.name)

    # -- the thread ----------------------------------------------------------------------
    def _run(self) -> None:
        with quiet_gc():
            # The first checks' paragraph gate reads the static model: load it beside the library.
            preload_static()
            self._load_all()

    def _load_all(self) -> None:
        try:
            t = time.perf_counter()
            checker = self._factory(self._settings)
            log.debug("analyzers built in %.2f s", time.perf_counter() - t)
            warm_up(checker.analyzers)
            self._checker = checker
            build_more = getattr(self._factory, "more", None)
            if build_more is not None:
                self._emit("checker_ready", checker)
                for analyzer in build_more(self._settings):
                    if self._closed:
                        return
                    warm_up([analyzer])
                    # One at a time, as each is ready. The worker runs analyzers by name, so
                    # jobs already out never ask for one that joined after they left.
                    checker.analyzers.append(analyzer)
                    self._emit("analyzers_added")
            build_slow = getattr(self._factory, "slow", None)
            expected = expected_slow(self._settings) if build_slow is not None else set()
            with self._lock:
                self._loading.discard("analyzers")
                self._loading.update(a.name for a in checker.analyzers if a.name in SLOW and loadable(a))
                self._loading.update(expected)
            if build_more is None:
                self._emit("checker_ready", checker)
            self._emit("status_changed")
            if build_slow is not None and not self._closed:
                extra = build_slow(self._settings)
                with self._lock:
                    self._loading -= expected - {a.name for a in extra if loadable(a)}
                # The checker runs analyzers by name; the fast pass never asks for these.
                checker.analyzers.extend(extra)
            self._load_slow(checker)
        except Exception as exc:  # never let a loader failure take the window down
            log.exception("loading the analyzers failed")
            with self._lock:
                self._loading.clear()
            self._emit("failed", f"Analyzers could not be loaded: {exc}")
            self._emit("status_changed")

    def _load_slow(self, checker: Engine) -> None:
        for analyzer in checker.analyzers:
            if analyzer.name not in SLOW or not loadable(analyzer):
                continue
            if self._closed:
                return
            try:
                ok = load_slow(analyzer)
            except Exception as exc:
                log.warning("%s unavailable: %s", analyzer.name, exc)
                with self._lock:
                    self._failures[analyzer.name] = str(exc)
                ok = False
            with self._lock:
                self._loading.discard(analyzer.name)
                if ok:
                    self._ready.add(analyzer.name)
            if ok:
                self._emit("slow_ready", analyzer.name)
            self._emit("status_changed")
