"""Settings pages that list what the user told us to accept: ignored rules, ignored
phrases, personal dictionary words. Each page removes entries; the dialog applies them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.core.engine import Engine, personal_dictionary
from companion.core.settings import personal_dictionary_path

log = logging.getLogger(__name__)


class RemovableList(QWidget):
    """A list of entries (each shown as a label, kept as a value) and a "Remove" button."""

    def __init__(self, hint: str, empty: str, entries: Iterable[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self._removed: list[str] = []
        layout = QVBoxLayout(self)
        note = QLabel(hint, self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget(self)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSortingEnabled(True)
        for label, value in entries:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setToolTip(label)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.empty_label = QLabel(empty, self)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Flag these again (applied when you press OK)")
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.empty_label)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        self.list.itemSelectionChanged.connect(self._sync)
        self._sync()

    def values(self) -> list[str]:
        """The entries still listed."""
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def removed(self) -> list[str]:
        """The entries removed since the page was built."""
        return list(self._removed)

    def select(self, value: str) -> bool:
        """Select the entry holding ``value``; False if there is none."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == value:
                self.list.setCurrentItem(item)
                return True
        return False

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self._removed.append(item.data(Qt.ItemDataRole.UserRole))
            self.list.takeItem(self.list.row(item))
        self._sync()

    def _sync(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        self.empty_label.setVisible(self.list.count() == 0)


def phrase_label(item: str) -> str:
    """ "rule\\tphrase" as the user reads it."""
    rule, _, phrase = item.partition("\t")
    return f"“{phrase}”  (everywhere)" if rule == "*" else f"“{phrase}”  ({rule})"


def rules_page(rules: Iterable[str]) -> RemovableList:
    return RemovableList(
        "Rules you chose to ignore everywhere. Remove one to see its findings again.",
        "No ignored rules.",
        ((rule, rule) for rule in rules),
    )


def phrases_page(phrases: Iterable[str]) -> RemovableList:
    return RemovableList(
        "Phrases you chose to ignore (for one rule, or everywhere).",
        "No ignored phrases.",
        ((phrase_label(item), item) for item in phrases if "\t" in item),
    )


def dictionary_words(settings_words: Iterable[str]) -> list[str]:
    """The personal dictionary: the file's words and the settings' ``personal_words``."""
    words = {w.lower(): w for w in settings_words if w.strip()}
    dictionary = personal_dictionary(personal_dictionary_path())
    for word in dictionary.personal_words:  # type: ignore[attr-defined]
        words.setdefault(word.lower(), word)
    return sorted(words.values(), key=str.lower)


def dictionary_page(settings_words: Iterable[str]) -> RemovableList:
    return RemovableList(
        f"Words spelling accepts because you added them (kept in {personal_dictionary_path()}).",
        "Your dictionary is empty.",
        ((word, word) for word in dictionary_words(settings_words)),
    )


def forget_words(words: Iterable[str], checker: Engine | None = None) -> None:
    """Remove ``words`` (any case) from the personal dictionary file and from ``checker``'s
    spelling analyzer, whose cached results go. A failed write is logged."""
    words = list(words)
    live = checker.analyzer("spelling") if checker is not None else None
    path = personal_dictionary_path()
    dictionary = live if hasattr(live, "remove_word") else None
    if dictionary is None and path.exists():
        dictionary = personal_dictionary(path)
    try:
        for word in words if dictionary is not None else ():
            dictionary.remove_word(word)  # type: ignore[union-attr]
    except OSError as exc:
        log.warning("personal dictionary not saved: %s", exc)
    if checker is not None:
        checker.clear_cache("spelling")
