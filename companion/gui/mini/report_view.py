"""The companion window's report: a findings list row and the underlines in the text box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit, QTreeWidgetItem

from companion.core.findings import Finding, Report
from companion.gui.editor.offsets import Utf16Map
from companion.gui.editor.underlines import family_of, wave_style
from companion.gui.theme import Theme


def finding_item(index: int, f: Finding, text: str, theme: Theme) -> QTreeWidgetItem:
    """The list row of finding ``index``: its kind, phrase and first alternative."""
    phrase = " ".join(text[f.start : f.end].split())
    phrase = phrase if len(phrase) <= 60 else phrase[:57] + "…"
    first = f.suggestions[0] if f.suggestions else None
    item = QTreeWidgetItem([f.category, phrase, "(remove it)" if first == "" else first or ""])
    item.setData(0, Qt.ItemDataRole.UserRole, index)
    item.setForeground(0, QColor(theme.families[family_of(f)]))
    tip = f.message
    if f.suggestions:
        tip += "\nAlternatives: " + ", ".join(s or "(remove it)" for s in f.suggestions)
    for column in range(3):
        item.setToolTip(column, tip)
    return item


def underlines(
    document: QTextDocument, text: str, findings: tuple[Finding, ...], theme: Theme
) -> list[QTextEdit.ExtraSelection]:
    """One wavy underline per finding, in its family's colour (readability excepted)."""
    offsets, style, selections = Utf16Map(text), wave_style(), []
    for f in findings:
        if family_of(f) == "readability" or f.end <= f.start:
            continue
        sel = QTextEdit.ExtraSelection()
        sel.cursor = span_cursor(document, offsets.to_utf16(f.start), offsets.to_utf16(f.end))
        sel.format.setUnderlineStyle(style)
        sel.format.setUnderlineColor(QColor(theme.families[family_of(f)]))
        selections.append(sel)
    return selections


def span_cursor(document: QTextDocument, start: int, end: int) -> QTextCursor:
    """A cursor selecting UTF-16 positions ``start`` to ``end`` of ``document``."""
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def select_finding(box: QTextEdit, report: Report | None, text: str, index: int) -> bool:
    """Select finding ``index`` of ``report`` in ``box`` (holding ``text``); False if its text moved on."""
    if report is None or not 0 <= index < len(report.findings):
        return False
    f = report.findings[index]
    if text[f.start : f.end] != report.text[f.start : f.end]:
        return False
    offsets = Utf16Map(text)
    box.setTextCursor(span_cursor(box.document(), offsets.to_utf16(f.start), offsets.to_utf16(f.end)))
    box.setFocus()
    return True
