"""The main window: editor, side panel, status bar, menus, files, settings."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFont, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from companion.core.documents import Document
from companion.core.engine import EngineFactory, LibraryAddError, add_phrase, filters_from
from companion.core.settings import ENGINE_FIELDS, Settings, SettingsStore
from companion.gui.app.settings_pages import forget_words
from companion.gui.app.settings_signal import SettingsSignal, as_store
from companion.gui.app.state import RecentFiles, load_geometry, load_theme_choice, save_geometry
from companion.gui.checking.loader import EngineLoader
from companion.gui.checking.scheduler import Runner
from companion.gui.editor.editor import Editor, FindingRef
from companion.gui.editor.findbar import FindBar
from companion.gui.files.controller import FileController
from companion.gui.panel.panel import SidePanel
from companion.gui.theme import apply_palette, current_theme

log = logging.getLogger(__name__)

PANEL_BUSY_MS = 1500
_EDITOR_FONTS = ["Charter", "Georgia", "Iowan Old Style", "Source Serif Pro", "Noto Serif", "DejaVu Serif"]


class MainWindow(QMainWindow):
    """Settings go through the shared store. Test seams: ``runner``, ``checker_factory``."""

    def __init__(
        self,
        settings: Settings | SettingsStore,
        *,
        runner: Runner | None = None,
        checker_factory: EngineFactory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings_store = as_store(settings)
        settings = self.settings_store.current
        self._settings_signal = SettingsSignal(self.settings_store, self)
        self._settings_signal.changed.connect(self._on_settings_changed)
        self._factory = checker_factory
        self.checker_factory = checker_factory
        self.doc: Document | None = None
        self.recent = RecentFiles()
        self._zoom = 0
        self._closing = False

        self.editor = Editor(runner, settings.debounce_ms)
        font = QFont()
        font.setFamilies(_EDITOR_FONTS)
        font.setPointSizeF(12.5)
        self.editor.setFont(font)
        self.editor.document().setDocumentMargin(28)
        self.editor.document().setModified(False)  # the margin counts as a change
        self.find_bar = FindBar(self.editor)
        self.panel = SidePanel()
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        self.files = FileController(self)
        box.addWidget(self.files.bar)
        box.addWidget(self.editor, 1)
        box.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(central)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([800, 300])
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel("Loading analyzers…")
        self.count_label = QLabel("")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.files.info)
        self.setAcceptDrops(True)

        from companion.gui.app.actions import build_menus
        from companion.gui.mini.host import CompanionHost

        self.companion = CompanionHost(self)

        self.actions_by_name: dict[str, QAction] = build_menus(self)
        # The panel repaints a lot: while a check runs, refresh it at most every PANEL_BUSY_MS.
        self._panel_timer = QTimer(self, singleShot=True, interval=PANEL_BUSY_MS)
        self._panel_timer.timeout.connect(self._refresh_panel)
        self.editor.findings_changed.connect(self._findings_changed)
        self.editor.scheduler.idle.connect(self._refresh_panel)
        self.editor.ignore_rule_requested.connect(self.ignore_rule)
        self.editor.ignore_phrase_requested.connect(self.ignore_phrase)
        self.editor.add_to_library_requested.connect(self.add_to_library)
        self.editor.files_dropped.connect(self._open_dropped)
        self.editor.document().modificationChanged.connect(self.setWindowModified)
        self.editor.scheduler.idle.connect(self._update_status)
        self.panel.refreshed.connect(self._on_panel_refreshed)
        self.panel.jump_requested.connect(self._jump_to)
        self.panel.paragraph_requested.connect(self._jump_to_block)
        self.panel.hidden_changed.connect(self.editor.set_hidden_categories)
        self.editor.set_filters(filters_from(settings))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.apply_theme)
        self.apply_theme()
        self._restore_geometry()
        self.files.update_title()
        self._loader: EngineLoader | None = None
        self.start_engine()

    @property
    def settings(self) -> Settings:
        """A snapshot of the shared settings (change them through ``settings_store``)."""
        return self.settings_store.current

    # -- engine ----------------------------------------------------------------------------
    def start_engine(self) -> None:
        """(Re)build the analyzers in the background; the old checker keeps working meanwhile."""
        old = self._loader
        loader = EngineLoader(self.settings, self._factory)
        loader.checker_ready.connect(self._on_checker_ready)
        loader.analyzers_added.connect(self._on_analyzers_added)
        loader.slow_ready.connect(self._on_slow_ready)
        loader.status_changed.connect(self._update_status)
        loader.failed.connect(self._on_engine_failed)
        self._loader = loader
        loader.start()
        if old is not None:
            old.close()

    @property
    def loader(self) -> EngineLoader | None:
        return self._loader

    def _on_checker_ready(self, checker) -> None:
        if self._loader is not None and checker is self._loader.checker and not self._closing:
            self.editor.scheduler.set_checker(checker)
            self._update_status()

    def _on_analyzers_added(self) -> None:
        loader = self._loader
        if loader is not None and not self._closing and self.editor.scheduler.checker is loader.checker:
            self.editor.scheduler.recheck_fast()

    def _on_slow_ready(self, _name: str) -> None:
        if self._loader is not None and not self._closing:
            self.editor.scheduler.set_slow_ready(self._loader.ready_slow)
            self._update_status()

    def _on_engine_failed(self, message: str) -> None:
        self.status_label.setText(message)

    def _update_status(self) -> None:
        loader = self._loader
        if loader is None or self._closing:
            return
        parts = []
        labels = {
            "analyzers": "analyzers",
            "semantic": "paraphrase model",
            "grammar": "grammar checker",
            "spelling": "spelling",
            "library": "phrase library",
        }
        for name, status in sorted(loader.statuses().items()):
            label = labels.get(name, name)
            if status.mode == "loading":
                parts.append(f"Loading {label}…")
            elif name == "grammar" and not status.available:
                if self.settings.grammar == "auto":  # auto falls back to off: say why, calmly
                    parts.append(f"Grammar off: {status.reason}")
                elif self.settings.grammar != "off":
                    parts.append(f"Grammar checker unavailable: {status.reason}")
            elif not status.available:
                parts.append(f"{label.capitalize()} unavailable: {status.reason}")
        self.status_label.setText("   ·   ".join(parts) if parts else "Ready")
        self.status_label.setToolTip("\n".join(parts))

    # -- panel and navigation --------------------------------------------------------------
    def _findings_changed(self) -> None:
        if not self.editor.scheduler.busy:
            self._refresh_panel()
        elif not self._panel_timer.isActive():
            self._panel_timer.start()

    def _refresh_panel(self) -> None:
        self._panel_timer.stop()
        self.panel.refresh(self.editor)

    def _on_panel_refreshed(self) -> None:
        total = sum(self.panel.counts.values())
        fig = self.panel.figures
        self.count_label.setText(
            f"{total} finding{'s' if total != 1 else ''}   ·   robotic score {fig.robotic_score:.0f}"
            if fig.words
            else ""
        )

    def _jump_to(self, ref: FindingRef) -> None:
        if ref.block.isValid():
            self.editor.select(ref)
            self.editor.setFocus()

    def _jump_to_block(self, key: int) -> None:
        block = self.editor.scheduler.block_for(key)
        if block is not None:
            cursor = QTextCursor(block)
            self.editor.setTextCursor(cursor)
            self.editor.centerCursor()
            self.editor.setFocus()

    # -- ignores, library, settings --------------------------------------------------------
    def ignore_rule(self, rule: str) -> None:
        if rule not in (rules := self.settings.ignored_rules):
            self._change_settings(ignored_rules=[*rules, rule])

    def ignore_phrase(self, rule: str, phrase: str) -> None:
        item = f"{rule}\t{phrase.lower()}"
        if item not in (phrases := self.settings.ignored_phrases):
            self._change_settings(ignored_phrases=[*phrases, item])

    def _change_settings(self, **changes: object) -> None:
        """Change the shared settings; they apply at once even if saving fails."""
        try:
            self.settings_store.update(**changes)
        except (OSError, ValueError) as exc:
            self.statusBar().showMessage(f"Settings not saved: {exc}", 8000)

    def forget_words(self, words: list[str]) -> None:
        """Words left the personal dictionary: flag them again in the open document."""
        forget_words(words, self.editor.scheduler.checker)
        self.editor.scheduler.recheck_all()

    def languagetool_installed(self, path: str) -> None:
        """LanguageTool was just installed: look for it again, turning grammar on if it was off."""
        log.info("LanguageTool installed in %s; rebuilding the grammar checker", path)
        loader = self._loader
        if self.settings.grammar == "off":
            self._change_settings(grammar="auto")  # an engine setting: the engine restarts
        if self._loader is loader:  # the grammar analyzer resolves once: build a new one
            self.start_engine()

    def add_to_library(self, ref: FindingRef) -> None:
        f = ref.finding
        phrase = f.matched or ref.text[f.start : f.end]
        try:
            added = add_phrase(phrase, f.category, f.suggestions, ref.sentence())
        except (LibraryAddError, OSError) as exc:
            QMessageBox.warning(self, "Add to my library", str(exc))
            return
        self.statusBar().showMessage(f"Added “{phrase}” to your library ({added.path})", 8000)
        self.start_engine()

    def open_settings(self):
        from companion.gui.app.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.settings_store, self, on_languagetool_installed=self.languagetool_installed
        )
        dialog.words_removed.connect(self.forget_words)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _on_settings_changed(self, old: Settings, new: Settings) -> None:
        if self._closing:
            return
        self.editor.scheduler.set_debounce(new.debounce_ms)
        self.editor.set_filters(filters_from(new))
        if any(getattr(old, k) != getattr(new, k) for k in ENGINE_FIELDS):
            self.start_engine()
        if old.theme != new.theme:
            self.apply_theme()
        self.files.autosave.set_interval(new.autosave_s)

    def apply_theme(self, *_args: object) -> None:
        theme = current_theme(load_theme_choice(self.settings.theme))  # View › Theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, theme)
        self.editor.set_theme(theme)
        self.panel.set_theme(theme)
        self.editor.setStyleSheet(
            f"QPlainTextEdit#editor {{ background: {theme.base}; color: {theme.text}; border: none;"
            f" selection-background-color: {theme.accent}; }}"
        )
        self.panel.setAutoFillBackground(True)
        self._refresh_panel()

    # -- files (companion/gui/files.py) -----------------------------------------------------
    def new_document(self) -> None:
        self.files.new()

    def open_dialog(self) -> None:
        self.files.open_dialog()

    def open_file(self, path: str, *, ask: bool = True) -> bool:
        """Open ``path``; on failure show why and keep the current document as it was."""
        return self.files.open(path, ask=ask)

    def _open_dropped(self, files: list[str]) -> None:
        if files:
            QTimer.singleShot(0, lambda: self.open_file(files[0]))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from companion.gui.editor.editor import local_files

        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self._open_dropped(files)

    def text(self) -> str:
        """The document's text as saved: blocks joined by "\\n" (no Qt separators)."""
        return self.editor.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")

    def save(self) -> bool:
        return self.files.save()

    def save_as(self) -> bool:
        return self.files.save_as()

    def save_to(self, path: str) -> bool:
        return self.files.save_to(path)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current text (saved, discarded or unmodified)."""
        return self.files.maybe_save()

    # -- zoom ------------------------------------------------------------------------------
    def zoom(self, steps: int) -> None:
        if steps == 0:
            self.editor.zoomOut(self._zoom) if self._zoom > 0 else self.editor.zoomIn(-self._zoom)
            self._zoom = 0
        elif -8 <= self._zoom + steps <= 20:
            self.editor.zoomIn(steps)
            self._zoom += steps

    # -- geometry and closing --------------------------------------------------------------
    def _restore_geometry(self) -> None:
        data = load_geometry()
        geometry = data.get("geometry")
        if not (isinstance(geometry, str) and self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))):
            self.resize(1180, 760)
        splitter = data.get("splitter")
        if isinstance(splitter, str):
            self.splitter.restoreState(QByteArray.fromBase64(splitter.encode()))
        zoom = data.get("zoom")
        if isinstance(zoom, int) and zoom:
            self.zoom(zoom)

    def _save_geometry(self) -> None:
        save_geometry(
            {
                "geometry": bytes(self.saveGeometry().toBase64().data()).decode(),
                "splitter": bytes(self.splitter.saveState().toBase64().data()).decode(),
                "zoom": self._zoom,
            }
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing and not self.maybe_save():
            event.ignore()
            return
        self.files.close(clean=True)  # saved or discarded: the autosave goes
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop the worker thread and the analyzers; idempotent."""
        if self._closing:
            return
        self._closing = True
        self._settings_signal.close()
        self._save_geometry()
        self.files.close(clean=False)  # quitting without the prompt: unsaved text stays autosaved
        self.companion.shutdown()
        self.editor.shutdown()
        if self._loader is not None:
            self._loader.close()
