"""The review dialog's parts: its highlight formats, visible-range highlighting, the combo box."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QPlainTextEdit, QTextEdit, QWidget

from companion.gui.editor.offsets import Utf16Map

#: Up to this many highlights a view draws them all; beyond, those near what is visible.
ALL_HIGHLIGHTS = 1000


def highlight_formats(palette: QPalette) -> tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat]:
    """Highlights: removed (accepted), proposed but not accepted, inserted."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    removed, pending, inserted = QTextCharFormat(), QTextCharFormat(), QTextCharFormat()
    removed.setBackground(QColor("#5c2b2e" if dark else "#f8d7d3"))
    removed.setFontStrikeOut(True)
    pending.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    pending.setUnderlineColor(palette.color(QPalette.ColorRole.PlaceholderText))
    inserted.setBackground(QColor("#234a31" if dark else "#d3efd9"))
    return removed, pending, inserted


def display_text(text: str) -> str:
    """``text`` for a Qt view, the same length: Qt would fold "\\r\\n" into one position."""
    return text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in text else text


class ChoiceCombo(QComboBox):
    """A combo box inside a scrolling list: the wheel scrolls the list and Tab skips it.

    Only after a click (which gives it focus) does the wheel change the choice; Tab and
    the arrow keys move through the rows, so ↓ never changes a value by accident.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
            return
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        delta = event.angleDelta()
        horizontal = abs(delta.x()) > abs(delta.y())
        bar = area.horizontalScrollBar() if horizontal else area.verticalScrollBar()
        QApplication.sendEvent(bar, event)  # the list scrolls, the choice stays


def selection_cursor(view: QPlainTextEdit, m: Utf16Map, start: int, end: int) -> QTextCursor:
    """A cursor selecting code points ``[start, end)`` of ``view`` (``m`` maps its text)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(m.to_utf16(start))
    cursor.setPosition(m.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    return cursor


Span = tuple[int, int, QTextCharFormat]


def highlight_spans(view: QPlainTextEdit, m: Utf16Map, spans: Sequence[Span]) -> None:
    """Highlight ``spans`` (sorted, non-overlapping code-point spans) in ``view``.

    With many spans only those within a screenful of the visible part are drawn (a
    selection per change would take seconds to build on a long document); the view
    calls this again when it scrolls.
    """
    if len(spans) > ALL_HIGHLIGHTS:
        top = view.firstVisibleBlock().position()
        corner = view.viewport().rect().bottomRight()
        bottom = max(top, view.cursorForPosition(corner).position())
        margin = max(bottom - top, 2000)
        lo, hi = m.from_utf16(max(0, top - margin)), m.from_utf16(bottom + margin)
        first = bisect_left([end for _, end, _ in spans], lo)
        spans = list(itertools.takewhile(lambda s: s[0] <= hi, spans[first:]))
    selections = []
    for start, end, fmt in spans:
        sel = QTextEdit.ExtraSelection()
        sel.cursor, sel.format = selection_cursor(view, m, start, end), fmt
        selections.append(sel)
    view.setExtraSelections(selections)
