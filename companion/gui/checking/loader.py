"""Builds the analyzers in the background so the window appears at once.

First the fast analyzers (phrase library, style, readability, spelling) are
built and warmed up, and the checker is handed over; then the slow ones (the
embedding model, LanguageTool) load one by one and are announced as they
become ready. ``statuses()`` says what is still loading or unavailable, and why.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from companion.core.analyzer import Analyzer, Chunk
from companion.core.checker import SLOW, Checker
from companion.core.engine import EngineOptions, build_analyzers, filters_from
from companion.core.findings import AnalyzerStatus
from companion.core.library.model import Library, load_library
from companion.core.paths import user_library_dir
from companion.core.settings import Settings

log = logging.getLogger(__name__)

#: Threads the embedding model may use: one leaves a core to the UI (see SETUP-NOTES).
EMBEDDING_THREADS = 1


class Unavailable:
    """Stands in for an analyzer whose module could not be imported, so its status shows why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def status(self) -> AnalyzerStatus:
        return AnalyzerStatus(False, self._reason)

    def analyze(self, chunk: object) -> list:
        return []


class DefaultEngine:
    """Builds the analyzers from the settings in three steps, most useful first.

    Calling it returns a checker with the phrase library alone (the first underlines
    can start); :meth:`more` gives the other fast analyzers, which join it once warmed
    up; :meth:`slow` builds the embedding and grammar analyzers on the same library.
    A module that fails to import becomes an :class:`Unavailable` stub.
    """

    def __init__(self) -> None:
        self._library: Library | None = None

    def __call__(self, settings: Settings) -> Checker:
        """A checker with the phrase library only: the first underlines need nothing else."""
        from companion.core.library.matcher import LibraryAnalyzer

        self._library = load_library([user_library_dir()])
        return Checker([LibraryAnalyzer(self._library)], filters_from(settings))

    def more(self, settings: Settings) -> list[Analyzer]:
        """The other fast analyzers (style, readability, spelling), from the engine."""
        # The engine always builds a library matcher; ours is in the checker already, so
        # give it an empty library (compiling the real one again costs half a second).
        nothing = Library(())
        # Learned tells need no torch: they come with the fast pass when semantic is on.
        fast = EngineOptions(semantic=False, grammar="off", tells=settings.semantic)
        try:
            analyzers = build_analyzers(settings, fast, nothing)
        except ImportError as exc:  # the spelling module
            log.warning("spelling unavailable: %s", exc)
            fast = EngineOptions(semantic=False, grammar="off", spelling=False, tells=settings.semantic)
            analyzers = [*build_analyzers(settings, fast, nothing), Unavailable("spelling", str(exc))]
        # Grammar, when on, comes with the slow analyzers; "off" stays for its status.
        drop = {"library", "grammar"} if settings.grammar != "off" else {"library"}
        return [a for a in analyzers if a.name not in drop]

    def slow(self, settings: Settings) -> list[Analyzer]:
        """The slow analyzers the settings ask for (not loaded yet)."""
        out: list[Analyzer] = []
        semantic = EngineOptions(
            semantic=True, grammar="off", spelling=False, embedding_threads=EMBEDDING_THREADS, tells=False
        )
        for name, options, library in (
            ("semantic", semantic, self._library),  # paraphrases of the real library's entries
            ("grammar", EngineOptions(semantic=False, spelling=False), Library(())),
        ):
            if (name == "semantic" and not settings.semantic) or (
                name == "grammar" and settings.grammar == "off"
            ):
                continue
            try:
                built = build_analyzers(settings, options, library)
            except Exception as exc:  # ImportError, or a bad setting (remote mode without a URL)
                log.warning("%s unavailable: %s", name, exc)
                out.append(Unavailable(name, str(exc)))
                continue
            out.extend(a for a in built if a.name == name)
        return out


CheckerFactory = Callable[[Settings], Checker]


class EngineLoader(QObject):
    """Loads a checker (or the slow analyzers of a given one) on a background thread."""

    checker_ready = Signal(object)  # Checker
    #: More fast analyzers joined the checker (its first version had the library only).
    analyzers_added = Signal()
    slow_ready = Signal(str)  # analyzer name
    status_changed = Signal()
    failed = Signal(str)

    def __init__(
        self, settings: Settings, factory: CheckerFactory | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._factory = factory or DefaultEngine()
        self._checker: Checker | None = None
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
    def checker(self) -> Checker | None:
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
        try:
            t = time.perf_counter()
            checker = self._factory(self._settings)
            log.debug("analyzers built in %.2f s", time.perf_counter() - t)
            _warm_up(checker.analyzers)
            self._checker = checker
            build_more = getattr(self._factory, "more", None)
            if build_more is not None:
                self._emit("checker_ready", checker)
                for analyzer in build_more(self._settings):
                    if self._closed:
                        return
                    _warm_up([analyzer])
                    # One at a time, as each is ready. The worker runs analyzers by name, so
                    # jobs already out never ask for one that joined after they left.
                    checker.analyzers.append(analyzer)
                    self._emit("analyzers_added")
            build_slow = getattr(self._factory, "slow", None)
            expected = set()
            if build_slow is not None:
                expected = {"semantic"} if self._settings.semantic else set()
                expected |= {"grammar"} if self._settings.grammar != "off" else set()
            with self._lock:
                self._loading.discard("analyzers")
                self._loading.update(a.name for a in checker.analyzers if a.name in SLOW and _loadable(a))
                self._loading.update(expected)
            if build_more is None:
                self._emit("checker_ready", checker)
            self._emit("status_changed")
            if build_slow is not None and not self._closed:
                extra = build_slow(self._settings)
                with self._lock:
                    self._loading -= expected - {a.name for a in extra if _loadable(a)}
                # The checker runs analyzers by name; the fast pass never asks for these.
                checker.analyzers.extend(extra)
            self._load_slow(checker)
        except Exception as exc:  # never let a loader failure take the window down
            log.exception("loading the analyzers failed")
            with self._lock:
                self._loading.clear()
            self._emit("failed", f"Analyzers could not be loaded: {exc}")
            self._emit("status_changed")

    def _load_slow(self, checker: Checker) -> None:
        for analyzer in checker.analyzers:
            if analyzer.name not in SLOW or not _loadable(analyzer):
                continue
            if self._closed:
                return
            try:
                if analyzer.name == "semantic":
                    analyzer.load()  # type: ignore[attr-defined]
                else:
                    start = getattr(analyzer, "start", None)
                    if start is not None:
                        start()
                ok = analyzer.status().available
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


def _warm_up(analyzers: list[Analyzer]) -> None:
    """Load what the fast analyzers load on first use (dictionaries), off the UI thread."""
    for analyzer in analyzers:
        if analyzer.name in SLOW or not _loadable(analyzer):
            continue
        t = time.perf_counter()
        try:
            warm = getattr(analyzer, "warm_up", None)
            if warm is not None:
                warm()
            else:
                analyzer.analyze(Chunk.of("Warm up the analyzers."))
        except Exception:
            log.exception("warming up %s failed", analyzer.name)
        log.debug("%s warmed up in %.2f s", analyzer.name, time.perf_counter() - t)


def _loadable(analyzer: object) -> bool:
    return not isinstance(analyzer, Unavailable)
