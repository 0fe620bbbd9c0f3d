"""The suggestion menu (right-click, Ctrl+.) and the hover card."""

from __future__ import annotations

import html
from functools import partial
from typing import cast

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QVBoxLayout, QWidget

from companion.core.engine import edit_for, harper_count, refusal
from companion.core.findings import Finding
from companion.gui.editor.finding_refs import FindingRef
from companion.gui.editor.host import MenuHost
from companion.gui.editor.underlines import family_of
from companion.gui.labels import finding_kind
from companion.gui.theme import Theme

MAX_SUGGESTIONS = 6


def suggestion_label(s: str) -> str:
    return s if s else "Delete"


def build_menu(editor: MenuHost, ref: FindingRef | None) -> QMenu:
    """The context menu for ``ref`` (suggestions, ignores, library) plus the standard edit actions.

    Each finding action carries ``data()``: ``("apply", text)``, ``("ignore-once",)``,
    ``("ignore-phrase",)``, ``("ignore-rule",)`` or ``("add-to-library",)``.
    """
    menu = QMenu(cast(QWidget, editor))
    menu.setObjectName("suggestionMenu")
    if ref is not None:
        f = ref.finding
        title = menu.addAction(finding_kind(f))
        title.setEnabled(False)
        for s in offered(f):
            reason = breaks_sentence(ref.text, f, s)
            if reason:  # shown, so the writer knows it, but not one click away
                act = menu.addAction(f"{suggestion_label(s)} — edit by hand: {reason}")
                act.setData(("refused", s))
                act.setEnabled(False)
                continue
            act = menu.addAction(suggestion_label(s))
            act.setData(("apply", s))
            act.triggered.connect(partial(editor.apply_suggestion, ref, s))
            font = act.font()
            font.setBold(True)
            act.setFont(font)
        if not f.suggestions:
            none = menu.addAction("No suggestion: rewrite it yourself")
            none.setEnabled(False)
        menu.addSeparator()
        act = menu.addAction("Ignore once")
        act.setData(("ignore-once",))
        act.triggered.connect(partial(editor.ignore_once, ref))
        if f.matched and family_of(f) != "readability":
            act = menu.addAction(f"Ignore “{_short(f.matched)}” everywhere")
            act.setData(("ignore-phrase",))
            act.triggered.connect(partial(editor.ignore_phrase_requested.emit, f.rule, f.matched.lower()))
        if f.category == "spelling" and f.matched and " " not in f.matched.strip():
            act = menu.addAction(f"Add “{_short(f.matched)}” to my dictionary")
            act.setData(("add-to-dictionary",))
            act.triggered.connect(partial(editor.add_to_dictionary, ref))
        act = menu.addAction("Ignore this rule")
        act.setData(("ignore-rule",))
        act.triggered.connect(partial(editor.ignore_rule_requested.emit, f.rule))
        if can_add_to_library(f):
            act = menu.addAction("Add to my library")
            act.setData(("add-to-library",))
            act.triggered.connect(partial(editor.add_to_library_requested.emit, ref))
        menu.addSeparator()
    standard = editor.createStandardContextMenu()
    standard.setParent(menu, standard.windowFlags())
    deletes = ref is not None and "" in offered(ref.finding)
    for act in standard.actions():
        if deletes and _is_delete(act):
            continue  # the finding's own "Delete" does it (and tidies the spaces)
        menu.addAction(act)
    return menu


def breaks_sentence(text: str, f: Finding, suggestion: str) -> str:
    """Why putting ``suggestion`` in place of ``f`` would break its sentence ("" when it reads well).

    The sentence checks, and the offline grammar engine when it is already loaded (a
    one-sentence check takes milliseconds; building it would stall the menu).
    """
    edit = edit_for(text, f, suggestion)
    return refusal(text, edit.start, edit.end, edit.replacement, harper_count(only_if_loaded=True))


def offered(f: Finding) -> list[str]:
    """The distinct suggestions the menu and the card show, at most :data:`MAX_SUGGESTIONS`."""
    return list(dict.fromkeys(f.suggestions))[:MAX_SUGGESTIONS]


def can_add_to_library(f: Finding) -> bool:
    """Only a paraphrase (semantic) finding is new to the library; exact matches are in it already."""
    return f.source == "semantic" and bool(f.matched.strip())


def _is_delete(act) -> bool:
    return act.objectName() == "edit-delete" or act.text().replace("&", "").split("\t")[0] == "Delete"


def find_action(menu: QMenu, kind: str, value: str | None = None):
    """The action of ``menu`` whose data is ``(kind, ...)`` (and ``value``), or None."""
    for act in menu.actions():
        data = act.data()
        if (
            isinstance(data, (tuple, list))
            and data
            and data[0] == kind
            and (value is None or data[1] == value)
        ):
            return act
    return None


def _short(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class HoverCard(QFrame):
    """A tooltip-like card: what is wrong and what to write instead."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("hoverCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._label = QLabel(self)
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setWordWrap(True)
        self._label.setMaximumWidth(360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self._label)
        self._finding: Finding | None = None
        self._muted = "gray"

    def text(self) -> str:
        return self._label.text()

    def set_theme(self, theme: Theme) -> None:
        self._muted = theme.muted
        self.setStyleSheet(
            f"QFrame#hoverCard {{ background: {theme.card}; color: {theme.text};"
            f" border: 1px solid {theme.border}; border-radius: 6px; }}"
            f" QLabel {{ background: transparent; border: none; color: {theme.text}; }}"
        )

    def showing(self, finding: Finding) -> bool:
        return self.isVisible() and self._finding == finding

    def show_for(self, finding: Finding, global_pos: QPoint) -> None:
        self._finding = finding
        self._label.setText(card_html(finding, self._muted))
        self.adjustSize()
        screen = QGuiApplication.screenAt(global_pos) or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            x = min(global_pos.x(), area.right() - self.width())
            y = global_pos.y()
            if y + self.height() > area.bottom():
                y = global_pos.y() - self.height() - 30
            global_pos = QPoint(max(area.left(), x), max(area.top(), y))
        self.move(global_pos)
        self.show()

    def hideEvent(self, event) -> None:
        self._finding = None
        super().hideEvent(event)


def card_html(f: Finding, muted: str = "gray") -> str:
    parts = [
        f"<b>{html.escape(finding_kind(f))}</b>",
        f"<p style='margin-top:6px'>{html.escape(f.message)}</p>",
    ]
    if f.suggestions:
        items = "".join(f"<li>{html.escape(suggestion_label(s))}</li>" for s in offered(f))
        parts.append(f"<p style='margin-bottom:0'>Try instead:</p><ul style='margin-top:2px'>{items}</ul>")
    parts.append(
        f"<p style='color:{muted};margin-top:6px'>Right-click or Ctrl+. to replace or ignore; Esc closes</p>"
    )
    return "".join(parts)
