"""Clean commands of the main window: the Clean… review of the document, and folder cleaning."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol, cast

from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar, QWidget

from companion.core.engine import EngineOptions, build_engine
from companion.core.findings import Finding
from companion.core.settings import Settings
from companion.gui.editor.editor import Editor


class CleanHost(Protocol):
    """What the clean commands need of the window (also the parent of their dialogs)."""

    editor: Editor
    settings: Settings

    def text(self) -> str: ...

    def statusBar(self) -> QStatusBar: ...


log = logging.getLogger(__name__)


def document_findings(window: CleanHost) -> tuple[str, list[Finding]]:
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


def clean_document(window: CleanHost) -> bool:
    """Review every proposed replacement in the document and apply the accepted ones (one undo)."""
    from companion.gui.clean.review import ReviewDialog, apply_review

    parent = cast(QWidget, window)
    text, findings = document_findings(window)
    if not any(f.suggestions for f in findings):
        QMessageBox.information(parent, "Clean", "Nothing to clean: no finding has a suggestion.")
        return False
    dialog = ReviewDialog(text, findings, parent)
    if not dialog.exec():
        return False
    count = apply_review(window.editor, dialog.accepted_edits())
    window.statusBar().showMessage(f"Applied {count} change(s); Ctrl+Z undoes them all.", 5000)
    return True


def clean_folder(window: CleanHost, folder: str | None = None) -> None:
    """Clean every text, Markdown and Word file under a folder, with a progress dialog."""
    from companion.gui.clean.batch import BatchCleanDialog

    folder = folder or QFileDialog.getExistingDirectory(cast(QWidget, window), "Clean every file in a folder")
    if not folder:
        return
    # Its own checker: two threads never share analyzers; exact matches need no model.
    checker = build_engine(window.settings, EngineOptions(semantic=False, grammar="off", spelling=False))
    dialog = BatchCleanDialog(folder, checker, cast(QWidget, window))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
