"""Text arriving from other applications: the clipboard watch, and drops.

:class:`ClipboardWatcher` is off by default (``Settings.clipboard_watch``). While
enabled, every change of the clipboard's text emits ``textCopied`` once, for
non-blank text up to :data:`MAX_CHARS` characters. Text that Humanize put there
itself (announced with :meth:`ClipboardWatcher.mark_own` just before writing it,
as "Copy cleaned" does) is not emitted, so checking a copy never loops. Only the
regular clipboard is watched, not the X11 primary selection.

:class:`DropTextBox` is a plain-text box that accepts dropped text and reports
dropped files (its owner loads them).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit

log = logging.getLogger(__name__)

#: Longer copied text is not checked (the companion is for snippets, not books).
MAX_CHARS = 200_000


class ClipboardWatcher(QObject):
    """Emits ``textCopied(str)`` when the clipboard's text changes, while enabled."""

    textCopied = Signal(str)
    #: Copied text that was not checked, with the reason (too long).
    textSkipped = Signal(str)

    def __init__(
        self,
        clipboard: QClipboard | None = None,
        *,
        enabled: bool = False,
        max_chars: int = MAX_CHARS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._max = max_chars
        self._enabled = False
        self._own: str | None = None
        self.set_enabled(enabled)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, on: bool) -> None:
        """Start or stop watching. What is on the clipboard when it starts is not emitted."""
        if on == self._enabled:
            return
        self._enabled = on
        if on:
            self._clipboard.dataChanged.connect(self._on_changed)
        else:
            self._clipboard.dataChanged.disconnect(self._on_changed)
        log.debug("clipboard watch %s", "on" if on else "off")

    def mark_own(self, text: str) -> None:
        """``text`` is about to be put on the clipboard by Humanize itself: do not emit it."""
        self._own = text

    def _on_changed(self) -> None:
        text = self._clipboard.text()
        if not text.strip():  # an image, files, or nothing
            return
        if text == self._own:  # platforms may announce one change more than once
            return
        self._own = None
        if len(text) > self._max:
            log.info("copied text not checked: %d characters (limit %d)", len(text), self._max)
            self.textSkipped.emit(
                f"Copied text not checked: {len(text):,} characters is over the {self._max:,} limit."
            )
            return
        self.textCopied.emit(text)


def local_files(mime: QMimeData | None) -> list[str]:
    """Paths of the local files in a drag's (or paste's) mime data."""
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]


class DropTextBox(QPlainTextEdit):
    """A plain-text box that takes dropped text as usual and hands dropped files to its owner."""

    fileDropped = Signal(str)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.fileDropped.emit(files[0])
        else:
            super().insertFromMimeData(source)
