"""How the companion window looks: its style sheet, rows of widgets, counted words."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from companion.gui.theme import Theme


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
