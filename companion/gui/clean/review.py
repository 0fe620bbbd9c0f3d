"""Clean…: every proposed replacement in one review dialog, then applied as one undo step."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QPalette, QTextCharFormat
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
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.engine import Edit, apply_edits, is_safe
from companion.core.findings import Finding
from companion.gui.clean.plan import ProposedChange, apply_review, editor_text, plan_changes
from companion.gui.clean.views import (
    ChoiceCombo,
    display_text,
    highlight_formats,
    highlight_spans,
    selection_cursor,
)
from companion.gui.editor.offsets import Utf16Map
from companion.gui.labels import CATEGORY_LABELS

__all__ = ["ChoiceCombo", "ProposedChange", "ReviewDialog", "apply_review", "editor_text", "plan_changes"]

log = logging.getLogger(__name__)

_INDEX = Qt.ItemDataRole.UserRole
_ORDER = tuple(CATEGORY_LABELS)
_FONTS = ["Charter", "Georgia", "Noto Serif", "DejaVu Serif"]
_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
#: Changes whose combo box is built at once; the others get theirs when scrolled into view.
EAGER_COMBOS = 60


def _label(suggestion: str) -> str:
    return suggestion if suggestion else "(delete)"


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
        self._combo_timer = QTimer(self, singleShot=True, interval=0)
        self._combo_timer.timeout.connect(self._ensure_combos)
        self._spans: dict[QPlainTextEdit, tuple[Utf16Map, list[tuple[int, int, QTextCharFormat]]]] = {}
        self._scroll_timer = QTimer(self, singleShot=True, interval=0)
        self._scroll_timer.timeout.connect(self._highlight_views)
        self._build()
        for index in range(min(len(self._changes), EAGER_COMBOS)):
            self._combo(index)
        self._refresh()
        self.resize(1080, 720)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._combo_timer.start()
        self._scroll_timer.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._combo_timer.start()
        self._scroll_timer.start()

    def done(self, result: int) -> None:
        """Close; a dialog owned by a window is deleted then, or every Clean… would keep its
        copies of a long document alive until the window closes. The choices stay readable."""
        super().done(result)
        for timer in (self._refresh_timer, self._combo_timer, self._scroll_timer):
            timer.stop()
        if self.parent() is not None:
            self._spans = {}
            self.deleteLater()

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
        combo = self._combo(index)
        if combo is not None:
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
        self.original_view.setPlainText(display_text(self._text))
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
        self.tree.verticalScrollBar().valueChanged.connect(self._combo_timer.start)
        self.tree.itemExpanded.connect(self._combo_timer.start)

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
        self._removed, self._pending, self._inserted = highlight_formats(self.palette())

    def _view(self) -> QPlainTextEdit:
        view = QPlainTextEdit(self)
        view.setReadOnly(True)
        view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont()
        font.setFamilies(_FONTS)
        font.setPointSizeF(11.5)
        view.setFont(font)
        view.document().setDocumentMargin(10)
        view.verticalScrollBar().valueChanged.connect(lambda _value: self._scroll_timer.start())
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
                item.setText(1, _label(change.options[change.choice]))
            parent.setFirstColumnSpanned(True)
            parent.setExpanded(True)
        self._combo_timer.start()

    def _ensure_combos(self) -> None:
        """Give the rows on screen (and a screenful around) their suggestion combo boxes.

        Built lazily: thousands of combo boxes would make a long document's dialog slow
        to open and heavy to keep.
        """
        self._combo_timer.stop()
        item = self.tree.itemAt(0, 0)
        height = self.tree.viewport().height()
        limit = 3 * max(height, 1)
        while item is not None and self.tree.visualItemRect(item).top() <= limit:
            index = item.data(0, _INDEX)
            if index is not None:
                self._combo(index)
            item = self.tree.itemBelow(item)

    def _combo(self, index: int) -> QComboBox | None:
        """Change ``index``'s combo box (made now if it has none); None with a single option."""
        change, item = self._changes[index], self._items[index]
        if len(change.options) < 2:
            return None
        combo = self.tree.itemWidget(item, 1)
        if isinstance(combo, QComboBox):
            return combo
        combo = ChoiceCombo(self.tree)
        combo.addItems([_label(s) for s in change.options])
        combo.setCurrentIndex(change.choice)
        combo.currentIndexChanged.connect(partial(self._on_choice, index))
        item.setText(1, "")
        self.tree.setItemWidget(item, 1, combo)
        return combo

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
            view.setTextCursor(selection_cursor(view, m, start, end))
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
        cleaned = display_text("".join([*pieces, self._text[pos:]]))
        self._cleaned_map = Utf16Map(cleaned)
        bar = self.cleaned_view.verticalScrollBar()
        scroll = bar.value()
        self.cleaned_view.setPlainText(cleaned)
        bar.setValue(scroll)  # toggling a change keeps the reader's place
        spans = zip(self._cleaned_spans, self._changes, strict=True)
        fmt = {True: self._removed, False: self._pending}
        self._spans = {
            self.cleaned_view: (
                self._cleaned_map,
                [(s, e, self._inserted) for (s, e), c in spans if c.accepted and e > s],
            ),
            self.original_view: (
                self._map,
                [(c.edit.start, c.edit.end, fmt[c.accepted]) for c in self._changes],
            ),
        }
        self._highlight_views()
        self._update_counts()

    def _highlight_views(self) -> None:
        self._scroll_timer.stop()
        for view, (m, spans) in self._spans.items():
            highlight_spans(view, m, spans)

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
