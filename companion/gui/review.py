"""Clean…: every proposed replacement in one review dialog, then applied as one undo step."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.clean import Edit, apply_edits, edit_for, is_safe
from companion.core.findings import Finding
from companion.gui.offsets import Utf16Map
from companion.gui.panel import CATEGORY_LABELS

log = logging.getLogger(__name__)

_INDEX = Qt.ItemDataRole.UserRole
_ORDER = tuple(CATEGORY_LABELS)
_FONTS = ["Charter", "Georgia", "Noto Serif", "DejaVu Serif"]
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class ProposedChange(NamedTuple):
    finding: Finding
    edit: Edit
    accepted: bool


@dataclass(slots=True)
class _Change:
    finding: Finding
    options: tuple[str, ...]  # suggestions on offer, the default first
    edits: tuple[Edit, ...]  # one per option
    accepted: bool
    choice: int = 0

    @property
    def edit(self) -> Edit:
        return self.edits[self.choice]


def plan_changes(text: str, findings: Sequence[Finding]) -> list[_Change]:
    """One change per finding with suggestions, in text order; none overlap whatever is picked.

    Findings are taken earlier first, then longer first; one whose default edit (first
    suggestion) overlaps a kept change is dropped. Another suggestion is offered only
    when its edit (a deletion also takes the space around it) stays clear of the neighbours.
    """
    kept: list[tuple[Finding, Edit]] = []
    last_end = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if not f.suggestions or f.start < last_end or f.end > len(text):
            continue
        edit = edit_for(text, f, f.suggestions[0])
        if edit.start < last_end or _noop(text, edit):
            continue
        kept.append((f, edit))
        last_end = edit.end
    changes: list[_Change] = []
    lo = 0
    for i, (f, first) in enumerate(kept):
        hi = kept[i + 1][1].start if i + 1 < len(kept) else len(text)
        options, edits = [f.suggestions[0]], [first]
        for s in dict.fromkeys(f.suggestions[1:]):
            e = edit_for(text, f, s)
            if s != options[0] and lo <= e.start and e.end <= hi and not _noop(text, e):
                options.append(s)
                edits.append(e)
        changes.append(_Change(f, tuple(options), tuple(edits), is_safe(f)))
        lo = max(e.end for e in edits)
    return changes


def _noop(text: str, edit: Edit) -> bool:
    return text[edit.start : edit.end] == edit.replacement


def _label(suggestion: str) -> str:
    return suggestion if suggestion else "(delete)"


def _formats(palette: QPalette) -> tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat]:
    """Highlights: removed (accepted), proposed but not accepted, inserted."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    removed, pending, inserted = QTextCharFormat(), QTextCharFormat(), QTextCharFormat()
    removed.setBackground(QColor("#5c2b2e" if dark else "#f8d7d3"))
    removed.setFontStrikeOut(True)
    pending.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    pending.setUnderlineColor(palette.color(QPalette.ColorRole.PlaceholderText))
    inserted.setBackground(QColor("#234a31" if dark else "#d3efd9"))
    return removed, pending, inserted


def _display(text: str) -> str:
    """``text`` for a Qt view, the same length: Qt would fold "\\r\\n" into one position."""
    return text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in text else text


class ReviewDialog(QDialog):
    """Proposes one change per finding with suggestions; the user accepts or rejects each."""

    def __init__(self, text: str, findings: Sequence[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setWindowTitle("Clean — review the changes")
        self._text = text
        self._changes = plan_changes(text, findings)
        self._map = Utf16Map(text)
        self._cleaned_spans: list[tuple[int, int]] = []
        self._cleaned_map = self._map
        self._items: list[QTreeWidgetItem] = []
        self._categories: dict[str, QTreeWidgetItem] = {}
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self._refresh)
        self._build()
        self._refresh()
        self.resize(1080, 720)

    # -- public API -------------------------------------------------------------------------
    @property
    def changes(self) -> list[ProposedChange]:
        return [ProposedChange(c.finding, c.edit, c.accepted) for c in self._changes]

    def accepted_edits(self) -> list[Edit]:
        """The accepted edits, sorted, non-overlapping, offsets into the reviewed text."""
        return [c.edit for c in self._changes if c.accepted]

    def cleaned_text(self) -> str:
        return apply_edits(self._text, self.accepted_edits())

    def set_accepted(self, index: int, accepted: bool) -> None:
        self._set([index], accepted)

    def set_category_accepted(self, category: str, accepted: bool) -> None:
        self._set([i for i, c in enumerate(self._changes) if c.finding.category == category], accepted)

    def set_all_accepted(self, accepted: bool) -> None:
        self._set(range(len(self._changes)), accepted)

    def _set(self, indices: Iterable[int], accepted: bool) -> None:
        for i in indices:
            self._changes[i].accepted = accepted
            self._items[i].setCheckState(0, _CHECKED if accepted else _UNCHECKED)
        self._refresh()

    def set_choice(self, index: int, option: int) -> None:
        """Use the change's ``option``-th suggestion (accepting the change)."""
        combo = self.tree.itemWidget(self._items[index], 1)
        if isinstance(combo, QComboBox):
            combo.setCurrentIndex(option)  # -> _on_choice
        elif option != 0:
            raise IndexError(f"change {index} has a single suggestion")

    def options(self, index: int) -> tuple[str, ...]:
        """The suggestions change ``index`` offers, the default first."""
        return self._changes[index].options

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.original_view, self.cleaned_view = self._view(), self._view()
        self.original_view.setPlainText(_display(self._text))
        views = QWidget(self)
        grid = QGridLayout(views)
        grid.setContentsMargins(0, 0, 0, 0)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        for column, (title, note, view) in enumerate(
            (
                ("Original", "struck out: removed · dotted: not accepted", self.original_view),
                ("Cleaned", "tinted: inserted", self.cleaned_view),
            )
        ):
            note = f"<b>{title}</b>&nbsp;&nbsp;<span style='color:{muted}'>{note}</span>"
            grid.addWidget(QLabel(note, views), 0, column)
            grid.addWidget(view, 1, column)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("reviewChanges")
        self.tree.setHeaderLabels(["Change", "Replace with", "Why"])
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._fill_tree()
        self.tree.setColumnWidth(0, 300)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._on_current)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(views)
        split.addWidget(self.tree)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        for accepted in (True, False):
            button = QPushButton("Accept all" if accepted else "Reject all", self)
            button.clicked.connect(partial(self.set_all_accepted, accepted))
            bottom.addWidget(button)
        self.accept_all, self.reject_all = bottom.itemAt(0).widget(), bottom.itemAt(1).widget()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self._removed, self._pending, self._inserted = _formats(self.palette())

    def _view(self) -> QPlainTextEdit:
        view = QPlainTextEdit(self)
        view.setReadOnly(True)
        view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont()
        font.setFamilies(_FONTS)
        font.setPointSizeF(11.5)
        view.setFont(font)
        view.document().setDocumentMargin(10)
        return view

    def _fill_tree(self) -> None:
        groups: dict[str, list[int]] = {}
        for i, change in enumerate(self._changes):
            groups.setdefault(change.finding.category, []).append(i)
        self._items = [QTreeWidgetItem() for _ in self._changes]
        rank = {c: n for n, c in enumerate(_ORDER)}
        row = QSize(0, QComboBox().sizeHint().height())  # rows with and without a combo alike
        for category in sorted(groups, key=lambda c: (rank.get(c, len(rank)), c)):
            parent = QTreeWidgetItem(self.tree)
            parent.setFlags(parent.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            parent.setCheckState(0, _UNCHECKED)
            bold = parent.font(0)
            bold.setBold(True)
            parent.setFont(0, bold)
            self._categories[category] = parent
            for i in groups[category]:
                change, item = self._changes[i], self._items[i]
                parent.addChild(item)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setData(0, _INDEX, i)
                item.setSizeHint(2, row)
                item.setCheckState(0, _CHECKED if change.accepted else _UNCHECKED)
                shown = self._text[change.finding.start : change.finding.end].replace("\n", " ")
                for column, value in ((0, f"“{shown}”"), (2, change.finding.message)):
                    item.setText(column, value)
                    item.setToolTip(column, value)
                if len(change.options) > 1:
                    combo = QComboBox(self.tree)
                    combo.addItems([_label(s) for s in change.options])
                    combo.currentIndexChanged.connect(partial(self._on_choice, i))
                    self.tree.setItemWidget(item, 1, combo)
                else:
                    item.setText(1, _label(change.options[0]))
            parent.setFirstColumnSpanned(True)
            parent.setExpanded(True)

    # -- reacting ---------------------------------------------------------------------------
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        index = item.data(0, _INDEX)
        if index is None or column != 0:
            return
        accepted = item.checkState(0) == _CHECKED
        if self._changes[index].accepted != accepted:
            self._changes[index].accepted = accepted
            self._refresh_timer.start()  # a category toggle changes many items: refresh once

    def _on_choice(self, index: int, option: int) -> None:
        if option >= 0:
            self._changes[index].choice = option
            self._set([index], True)

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        index = item.data(0, _INDEX) if item is not None else None
        if index is not None:
            self.show_change(index)

    def show_change(self, index: int) -> None:
        """Select change ``index`` in both views and scroll them to it."""
        if self._refresh_timer.isActive():
            self._refresh()
        edit = self._changes[index].edit
        for view, m, (start, end) in (
            (self.original_view, self._map, (edit.start, edit.end)),
            (self.cleaned_view, self._cleaned_map, self._cleaned_spans[index]),
        ):
            view.setTextCursor(_cursor(view, m, start, end))
            view.centerCursor()

    def _refresh(self) -> None:
        """Redraw the cleaned text, both views' highlights, the counts and the OK button."""
        self._refresh_timer.stop()
        pieces, self._cleaned_spans, pos, out = [], [], 0, 0  # out: position in the cleaned text
        for c in self._changes:
            e = c.edit
            new = e.replacement if c.accepted else self._text[e.start : e.end]
            pieces += (self._text[pos : e.start], new)
            out += e.start - pos
            self._cleaned_spans.append((out, out + len(new)))
            out, pos = out + len(new), e.end
        cleaned = _display("".join([*pieces, self._text[pos:]]))
        self._cleaned_map = Utf16Map(cleaned)
        bar = self.cleaned_view.verticalScrollBar()
        scroll = bar.value()
        self.cleaned_view.setPlainText(cleaned)
        bar.setValue(scroll)  # toggling a change keeps the reader's place
        spans = zip(self._cleaned_spans, self._changes, strict=True)
        inserted = [(s, e, self._inserted) for (s, e), c in spans if c.accepted and e > s]
        _highlight(self.cleaned_view, self._cleaned_map, inserted)
        fmt = {True: self._removed, False: self._pending}
        _highlight(
            self.original_view,
            self._map,
            [(c.edit.start, c.edit.end, fmt[c.accepted]) for c in self._changes],
        )
        self._update_counts()

    def _update_counts(self) -> None:
        total, accepted = len(self._changes), sum(c.accepted for c in self._changes)
        for category, parent in self._categories.items():
            mine = [c for c in self._changes if c.finding.category == category]
            label = CATEGORY_LABELS.get(category, category.capitalize())
            parent.setText(0, f"{label} · {sum(c.accepted for c in mine)} of {len(mine)}")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Apply {accepted} change{'s' if accepted != 1 else ''}")
        ok.setEnabled(accepted > 0)
        self.accept_all.setEnabled(accepted < total)
        self.reject_all.setEnabled(accepted > 0)
        if not total:
            self.summary.setText("Nothing to clean: no finding has a suggested replacement.")
            return
        others = sum(not is_safe(c.finding) for c in self._changes)
        note = f"; the {others} from style, grammar or paraphrase checks start unchecked" if others else ""
        self.summary.setText(
            f"<b>{total} change{'s' if total != 1 else ''} proposed, {accepted} accepted.</b>"
            f" Exact phrase-library matches start accepted{note}."
        )


def _cursor(view: QPlainTextEdit, m: Utf16Map, start: int, end: int) -> QTextCursor:
    """A cursor selecting code points ``[start, end)`` of ``view`` (``m`` maps its text)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(m.to_utf16(start))
    cursor.setPosition(m.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    return cursor


def _highlight(view: QPlainTextEdit, m: Utf16Map, spans: Iterable[tuple[int, int, QTextCharFormat]]) -> None:
    selections = []
    for start, end, fmt in spans:
        sel = QTextEdit.ExtraSelection()
        sel.cursor, sel.format = _cursor(view, m, start, end), fmt
        selections.append(sel)
    view.setExtraSelections(selections)


def editor_text(editor: QPlainTextEdit) -> str:
    """The editor's text with "\\n" line breaks: the same length and offsets as Qt's."""
    return editor.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")


def apply_review(editor: QPlainTextEdit, edits: Sequence[Edit]) -> int:
    """Apply ``edits`` (code-point offsets into :func:`editor_text`) as ONE undo step.

    Applied from the end backwards so earlier offsets stay valid; returns how many.
    """
    if not edits:
        return 0
    text = editor_text(editor)
    ordered = sorted(edits, key=lambda e: e.start, reverse=True)
    if ordered[0].end > len(text) or any(a.start < b.end for a, b in pairwise(ordered)):
        raise ValueError("edits overlap or run past the end of the text")
    m = Utf16Map(text)
    cursor = QTextCursor(editor.document())
    cursor.beginEditBlock()
    for e in ordered:
        cursor.setPosition(m.to_utf16(e.start))
        cursor.setPosition(m.to_utf16(e.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(e.replacement)
    cursor.endEditBlock()
    return len(ordered)
