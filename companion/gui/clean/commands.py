"""Main-window tools built on the editor: Clean… review, folder cleaning, the companion window."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from companion.core.engine import EngineOptions, build_checker
from companion.core.findings import Finding

if TYPE_CHECKING:
    from companion.gui.app.window import MainWindow
    from companion.gui.mini.window import CompanionWindow

log = logging.getLogger(__name__)


def document_findings(window: MainWindow) -> tuple[str, list[Finding]]:
    """The window's text and every shown finding, in code points into that text."""
    text = window.text()
    bases: dict[int, int] = {}
    base = 0
    block = window.editor.document().begin()
    while block.isValid():
        bases[block.blockNumber()] = base
        base += len(block.text()) + 1
        block = block.next()
    # A finding counts from its paragraph's text: the lead block's start plus its indentation.
    findings = [
        ref.finding.shifted(bases[ref.block.blockNumber()] + ref.indent) for ref in window.editor.findings()
    ]
    findings = [f for f in findings if f.end <= len(text)]
    return text, [replace(f, matched=text[f.start : f.end]) for f in findings]


def clean_document(window: MainWindow) -> bool:
    """Review every proposed replacement in the document and apply the accepted ones (one undo)."""
    from companion.gui.clean.review import ReviewDialog, apply_review

    text, findings = document_findings(window)
    if not any(f.suggestions for f in findings):
        QMessageBox.information(window, "Clean", "Nothing to clean: no finding has a suggestion.")
        return False
    dialog = ReviewDialog(text, findings, window)
    if not dialog.exec():
        return False
    count = apply_review(window.editor, dialog.accepted_edits())
    window.statusBar().showMessage(f"Applied {count} change(s); Ctrl+Z undoes them all.", 5000)
    return True


def clean_folder(window: MainWindow, folder: str | None = None) -> None:
    """Clean every text, Markdown and Word file under a folder, with a progress dialog."""
    from companion.gui.clean.batch import BatchCleanDialog

    folder = folder or QFileDialog.getExistingDirectory(window, "Clean every file in a folder")
    if not folder:
        return
    # Its own checker: two threads never share analyzers; exact matches need no model.
    checker = build_checker(window.settings, EngineOptions(semantic=False, grammar="off", spelling=False))
    dialog = BatchCleanDialog(folder, checker, window)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


class CompanionHost:
    """Owns the main window's companion window (created on first use)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.companion: CompanionWindow | None = None

    def show(self) -> CompanionWindow:
        from companion.gui.mini.window import open_companion

        w = self.window
        if self.companion is None:
            self.companion = open_companion(w.settings_store, w.checker_factory)
            self.companion.closed.connect(self._closed)
        self.companion.show_and_raise()
        w.actions_by_name["toggle_companion"].setChecked(True)
        return self.companion

    def toggle(self, on: bool) -> None:
        if on:
            self.show()
        elif self.companion is not None:
            self.companion.close()

    def check_clipboard(self) -> None:
        self.show().check_clipboard()

    def _closed(self) -> None:
        self.window.actions_by_name["toggle_companion"].setChecked(False)

    def shutdown(self) -> None:
        if self.companion is not None:
            self.companion.shutdown()
            self.companion.close()
