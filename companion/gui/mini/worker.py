"""The companion window's parts that are not the window: its check worker, default
checker and styling helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from companion.core.engine import Engine, EngineOptions, build_engine
from companion.core.settings import Settings
from companion.gui.theme import Theme

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


def style_sheet(t: Theme) -> str:
    return (
        f"#companionText, #companionFindings {{ background: {t.base}; color: {t.text};"
        f" border: 1px solid {t.border}; border-radius: 6px; }}"
        f" #companionText {{ padding: 4px; }} #companionFindings::item {{ padding: 2px 0; }}"
        " #score { color: white; border-radius: 9px; padding: 2px 9px; font-weight: bold; }"
        f" #counts, #status {{ color: {t.muted}; }}"
        f" #copyCleaned {{ background: {t.accent}; color: white; border: none; border-radius: 5px;"
        f" padding: 5px 14px; font-weight: bold; }} #copyCleaned:disabled {{ background: {t.border}; }}"
    )


def row_of(*items: QWidget | int) -> QHBoxLayout:
    """A row of widgets; an int is a stretch."""
    row = QHBoxLayout()
    for item in items:
        row.addStretch(item) if isinstance(item, int) else row.addWidget(item)
    return row


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def companion_checker(settings: Settings) -> Engine:
    """The default checker: the fast analyzers (library, style, readability, spelling)."""
    try:
        return build_engine(settings, EngineOptions(semantic=False, grammar="off"))
    except ImportError as exc:  # the spelling module
        log.warning("spelling unavailable in the companion: %s", exc)
        return build_engine(settings, EngineOptions(semantic=False, grammar="off", spelling=False))
