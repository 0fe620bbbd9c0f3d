"""The settings dialog: profile, categories, debounce, model, grammar. Saves with ``save_settings``."""

from __future__ import annotations

import copy
import logging

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
    QVBoxLayout,
    QWidget,
)

from companion.core.findings import CATEGORIES, Level
from companion.core.settings import GRAMMAR_MODES, Settings, save_settings
from companion.gui.panel import CATEGORY_LABELS

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
    """Edits a copy of the settings; on OK validates, saves and emits ``saved``."""

    saved = Signal(object)  # Settings

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self._original = settings
        layout = QVBoxLayout(self)

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
        layout.addWidget(buttons)
        self._sync_enabled()

    def download_languagetool(self, *, url: str | None = None, ask: bool = True):
        """Download LanguageTool in the background, after the user confirms."""
        from companion.gui.lt_download import confirm_and_download

        self.downloader = confirm_and_download(self, url=url, ask=ask)
        return self.downloader

    def _sync_enabled(self) -> None:
        self.server.setEnabled(self.grammar.currentData() == "remote")

    def _browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Sentence-transformers model folder")
        if folder:
            self.model_path.setText(folder)

    def settings(self) -> Settings:
        """The settings as edited (not yet validated)."""
        s = copy.deepcopy(self._original)
        s.profile = self.profile.currentData()
        s.debounce_ms = self.debounce.value()
        s.disabled_categories = sorted(c for c, box in self.categories.items() if not box.isChecked())
        s.semantic = self.semantic.isChecked()
        s.model = self.model_path.text().strip()
        s.grammar = self.grammar.currentData()
        s.grammar_server = self.server.text().strip()
        return s

    def accept(self) -> None:
        new = self.settings()
        problem = ""
        if new.grammar == "remote" and not new.grammar_server:
            problem = "Remote grammar checking needs a server URL."
        if not problem:
            try:
                save_settings(new)
            except (ValueError, OSError) as exc:
                problem = f"The settings could not be saved: {exc}"
        if problem:
            QMessageBox.warning(self, "Settings", problem)
            return
        self.saved.emit(new)
        super().accept()
