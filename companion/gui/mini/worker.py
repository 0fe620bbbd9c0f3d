"""The companion window's parts that are not the window: its check worker, default
checker and styling helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from companion.core.engine import Engine, EngineOptions, build_engine
from companion.core.settings import Settings

log = logging.getLogger(__name__)


#: A checker, or a function that builds one (called once, on the worker thread).
CheckerSource = Engine | Callable[[], Engine]


class CheckWorker(QObject):
    """Lives on the worker thread: plain text in, a Report out."""

    done = Signal(int, object)  # revision, Report
    failed = Signal(int, str)  # revision, message
    built = Signal(object)  # the Engine a factory made

    def __init__(self, source: CheckerSource) -> None:
        super().__init__()
        self._source = source
        self._checker = None if callable(source) else source

    @Slot(int, str)
    def run(self, revision: int, text: str) -> None:
        try:
            if self._checker is None:
                self._checker = self._source()  # type: ignore[operator]
                self.built.emit(self._checker)
            report = self._checker.check(text)
        except Exception as exc:  # shown in the window; the next edit tries again
            log.exception("companion check failed")
            self.failed.emit(revision, f"{type(exc).__name__}: {exc}")
            return
        self.done.emit(revision, report)


def companion_checker(settings: Settings) -> Engine:
    """The default checker: the fast analyzers (library, style, readability, spelling)."""
    try:
        return build_engine(settings, EngineOptions(semantic=False, grammar="off"))
    except ImportError as exc:  # the spelling module
        log.warning("spelling unavailable in the companion: %s", exc)
        return build_engine(settings, EngineOptions(semantic=False, grammar="off", spelling=False))
