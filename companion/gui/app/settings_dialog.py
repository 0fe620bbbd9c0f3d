"""The settings dialog: profile, categories, debounce, model, grammar on the first page; ignored
rules, ignored phrases and the personal dictionary on their own pages. OK applies the changes
to the shared :class:`SettingsStore` (which saves them and tells every window)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.core.findings import CATEGORIES, Level
from companion.core.settings import GRAMMAR_MODES, Settings, SettingsStore
from companion.gui.app.settings_pages import dictionary_page, forget_words, phrases_page, rules_page
from companion.gui.app.settings_signal import as_store
from companion.gui.labels import CATEGORY_LABELS

log = logging.getLogger(__name__)

_PROFILE_HELP = {
    "essential": "Essential: only unmistakable tells",
    "recommended": "Recommended: what a good editor would cut",
    "picky": "Picky: everything, including words often fine",
}
_GRAMMAR_HELP = {
    "auto": "Automatic (LanguageTool if installed or a server is set, else Harper)",
    "harper": "Harper (built in, offline, English)",
    "local": "Local LanguageTool",
    "remote": "Remote server",
    "off": "Off",
}


class SettingsDialog(QDialog):
    """Edits the settings; on OK validates them, applies them to the store and emits ``saved``.

    OK changes only what the dialog shows, on top of the store's settings at that moment,
    so a change another window made meanwhile stays. ``on_languagetool_installed(folder)``
    runs when "Download LanguageTool…" succeeds, even after the dialog has closed.
    """

    saved = Signal(object)  # Settings
    #: Words removed from the personal dictionary (the window re-checks them).
    words_removed = Signal(list)

    def __init__(
        self,
        settings: SettingsStore | Settings,
        parent: QWidget | None = None,
        *,
        on_languagetool_installed: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.store = as_store(settings)
        self._on_installed = on_languagetool_installed
        settings = self.store.current
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs)
        general = QWidget(self.tabs)
        layout = QVBoxLayout(general)
        self.tabs.addTab(general, "General")
        self.rules_page = rules_page(settings.ignored_rules)
        self.tabs.addTab(self.rules_page, "Ignored rules")
        self.phrases_page = phrases_page(settings.ignored_phrases)
        self.tabs.addTab(self.phrases_page, "Ignored phrases")
        self.dictionary_page = dictionary_page(settings.personal_words)
        self.tabs.addTab(self.dictionary_page, "Dictionary")

        form = QFormLayout()
        self.profile = QComboBox(self)
        for level in Level:
            self.profile.addItem(_PROFILE_HELP[level.value], level.value)
        self.profile.setCurrentIndex(max(0, self.profile.findData(settings.profile)))
        form.addRow("Profile", self.profile)
        self.debounce = QSpinBox(self)
        self.debounce.setRange(0, 5000)
        self.debounce.setSingleStep(50)
        self.debounce.setSuffix(" ms")
        self.debounce.setValue(settings.debounce_ms)
        self.debounce.setToolTip("How long to wait after a keystroke before checking")
        form.addRow("Check after", self.debounce)
        layout.addLayout(form)

        cats = QGroupBox("Categories", self)
        grid = QGridLayout(cats)
        self.categories: dict[str, QCheckBox] = {}
        for i, category in enumerate(sorted(CATEGORIES, key=lambda c: CATEGORY_LABELS.get(c, c))):
            box = QCheckBox(CATEGORY_LABELS.get(category, category), cats)
            box.setChecked(category not in settings.disabled_categories)
            grid.addWidget(box, i // 3, i % 3)
            self.categories[category] = box
        layout.addWidget(cats)

        model = QGroupBox("Paraphrase detection (embedding model)", self)
        mform = QFormLayout(model)
        self.semantic = QCheckBox("Find paraphrases of library phrases", model)
        self.semantic.setChecked(settings.semantic)
        mform.addRow(self.semantic)
        row = QHBoxLayout()
        self.model_path = QLineEdit(settings.model, model)
        self.model_path.setPlaceholderText("Bundled all-MiniLM-L6-v2")
        browse = QPushButton("Browse…", model)
        browse.clicked.connect(self._browse_model)
        row.addWidget(self.model_path, 1)
        row.addWidget(browse)
        mform.addRow("Model folder", row)
        layout.addWidget(model)

        grammar = QGroupBox("Grammar and spelling (LanguageTool)", self)
        gform = QFormLayout(grammar)
        self.grammar = QComboBox(grammar)
        for mode in GRAMMAR_MODES:
            self.grammar.addItem(_GRAMMAR_HELP.get(mode, mode), mode)
        self.grammar.setCurrentIndex(max(0, self.grammar.findData(settings.grammar)))
        gform.addRow("Mode", self.grammar)
        self.server = QLineEdit(settings.grammar_server, grammar)
        self.server.setPlaceholderText("https://languagetool.example.org")
        gform.addRow("Server URL", self.server)
        self.download = QPushButton("Download LanguageTool…", grammar)
        self.download.setToolTip("Local grammar checking: downloads LanguageTool once (needs Java 17+)")
        self.download.clicked.connect(self.download_languagetool)
        gform.addRow("", self.download)
        self.downloader = None
        self.grammar.currentIndexChanged.connect(self._sync_enabled)
        layout.addWidget(grammar)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self._sync_enabled()

    def download_languagetool(self, *, url: str | None = None, ask: bool = True):
        """Download LanguageTool in the background, after the user confirms."""
        from companion.gui.app.lt_download import confirm_and_download

        self.downloader = confirm_and_download(
            self, url=url, ask=ask, host=self.parentWidget(), installed=self._on_installed
        )
        if self.downloader is not None:
            self.downloader.done.connect(self._downloaded)
        return self.downloader

    def _downloaded(self, _path: str, error: str) -> None:
        """Installed while the dialog is open: OK must not turn grammar checking back off."""
        if not error and self.grammar.currentData() == "off":
            self.grammar.setCurrentIndex(self.grammar.findData("auto"))

    def _sync_enabled(self) -> None:
        self.server.setEnabled(self.grammar.currentData() == "remote")

    def _browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Sentence-transformers model folder")
        if folder:
            self.model_path.setText(folder)

    def settings(self) -> Settings:
        """The store's current settings with this dialog's edits (not yet validated)."""
        s = self.store.current
        removed_rules = set(self.rules_page.removed())
        removed_phrases = set(self.phrases_page.removed())
        removed_words = {w.lower() for w in self.dictionary_page.removed()}
        return dataclasses.replace(
            s,
            profile=self.profile.currentData(),
            debounce_ms=self.debounce.value(),
            disabled_categories=sorted(c for c, box in self.categories.items() if not box.isChecked()),
            semantic=self.semantic.isChecked(),
            model=self.model_path.text().strip(),
            grammar=self.grammar.currentData(),
            grammar_server=self.server.text().strip(),
            ignored_rules=[r for r in s.ignored_rules if r not in removed_rules],
            ignored_phrases=[p for p in s.ignored_phrases if p not in removed_phrases],
            personal_words=[w for w in s.personal_words if w.lower() not in removed_words],
        )

    def accept(self) -> None:
        new = self.settings()
        problem = ""
        if new.grammar == "remote" and not new.grammar_server:
            problem = "Remote grammar checking needs a server URL."
        if not problem:
            try:
                new.validate()
            except ValueError as exc:
                problem = f"The settings could not be saved: {exc}"
        if problem:
            QMessageBox.warning(self, "Settings", problem)
            return
        words = self.dictionary_page.removed()
        forget_words(words)
        try:
            self.store.replace(new)  # in force for this session even if saving fails
        except OSError as exc:
            log.warning("settings not saved: %s", exc)
            QMessageBox.warning(self, "Settings", f"The settings could not be saved: {exc}")
        if words:
            self.words_removed.emit(words)
        self.saved.emit(new)
        super().accept()
