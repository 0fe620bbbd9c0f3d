"""Findings to ``QTextEdit.ExtraSelection`` objects: one colour per family, visible blocks only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtGui import QColor, QGuiApplication, QTextBlock, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from companion.core.findings import Finding
from companion.gui.editor.offsets import Utf16Map
from companion.gui.theme import FAMILIES, Theme

_WORDY = frozenset({"wordy", "cliche", "jargon"})
_STYLE = frozenset({"passive", "adverb", "weasel"})
_ORDER = {name: i for i, name in enumerate(FAMILIES)}
_DESKTOP_PLATFORMS = frozenset({"xcb", "wayland", "windows", "cocoa"})


def family_of(f: Finding) -> str:
    """Which underline family (colour) a finding belongs to."""
    if f.category == "spelling":
        return "spelling"
    if f.category == "grammar" or f.source == "grammar":
        return "grammar"
    if f.category == "readability" or f.source == "readability":
        return "readability"
    if f.category in _STYLE:
        return "style"
    if f.category in _WORDY:
        return "wordy"
    return "robotic"


def wave_style() -> QTextCharFormat.UnderlineStyle:
    """``SpellCheckUnderline`` (the platform's own squiggle) on desktop platforms, else ``WaveUnderline``.

    Qt resolves ``SpellCheckUnderline`` through the platform theme (wavy on most,
    dotted on macOS); the headless platforms have no theme, so they get the wave.
    """
    U = QTextCharFormat.UnderlineStyle
    if QGuiApplication.platformName() in _DESKTOP_PLATFORMS:
        return U.SpellCheckUnderline
    return U.WaveUnderline


class Formats:
    """The character format of each family for a theme."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        style = wave_style()
        self._by_family: dict[str, QTextCharFormat] = {}
        for family, color in theme.families.items():
            fmt = QTextCharFormat()
            if family == "readability":
                fmt.setBackground(QColor(theme.hard_bg))
            else:
                fmt.setUnderlineStyle(style)
                fmt.setUnderlineColor(QColor(color))
            self._by_family[family] = fmt
        self._very_hard = QTextCharFormat()
        self._very_hard.setBackground(QColor(theme.very_hard_bg))

    def for_finding(self, f: Finding) -> QTextCharFormat:
        family = family_of(f)
        if family == "readability" and f.rule.endswith("very-hard-sentence"):
            return self._very_hard
        return self._by_family[family]


class BlockSpans:
    """A paragraph's findings as UTF-16 spans relative to its lead block (cached by the editor).

    ``text`` is what the document holds from the lead block's start: the paragraph's
    blocks joined by "\n" (one position each, as in the document); the findings'
    offsets count code points from ``offset`` in it (the paragraph text's start).
    """

    __slots__ = ("findings", "source", "spans", "text")

    def __init__(
        self, text: str, findings: Sequence[Finding], source: object = None, offset: int = 0
    ) -> None:
        self.text = text
        #: What the spans were built from (the editor compares it by identity).
        self.source = source
        self.findings = tuple(findings)
        m = Utf16Map(text)
        ordered = sorted(self.findings, key=lambda f: (_ORDER[family_of(f)], f.start))
        self.spans = [(m.to_utf16(offset + f.start), m.to_utf16(offset + f.end), f) for f in ordered]


def selections_for(
    doc: QTextDocument,
    blocks: Iterable[tuple[QTextBlock, BlockSpans]],
    formats: Formats,
    hide_at: int | None = None,
) -> list[QTextEdit.ExtraSelection]:
    """Extra selections for ``blocks`` (lead blocks and their paragraph's spans); a finding
    touching position ``hide_at`` is skipped."""
    out = []
    for block, spans in blocks:
        base = block.position()
        for s16, e16, f in spans.spans:
            start, end = base + s16, base + e16
            if hide_at is not None and start <= hide_at <= end and family_of(f) != "readability":
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = formats.for_finding(f)
            out.append(sel)
    return out
