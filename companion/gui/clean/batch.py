"""Clean folder…: apply the safe suggestions to every document in a folder, off the UI thread.

:func:`run_batch` is the work itself (pure, no Qt, testable on its own); the
:class:`BatchCleanDialog` runs it on a ``QThread`` with a progress bar and a cancel button.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.checker import Checker
from companion.core.cleaning import changes_between, clean_document_text
from companion.core.documents import DocumentError, load_document, save_document

log = logging.getLogger(__name__)

#: Extensions cleaned (case-insensitive); other files are not listed.
EXTENSIONS = (".txt", ".md", ".markdown", ".docx")

Status = Literal["changed", "unchanged", "skipped"]
#: progress(files done so far, total, file about to be cleaned)
Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    status: Status
    #: Safe edits applied (or, in a dry run, that would be).
    changes: int = 0
    #: Why a file was skipped (a message for the user).
    reason: str = ""
    backup: str | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    folder: Path
    results: tuple[FileResult, ...]
    #: Files found, including those a cancellation left untouched.
    total: int
    dry_run: bool = False
    cancelled: bool = False

    @property
    def files_changed(self) -> int:
        return sum(r.status == "changed" for r in self.results)

    @property
    def changes_applied(self) -> int:
        return sum(r.changes for r in self.results if r.status == "changed")

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "skipped"]

    def describe(self) -> str:
        """A one-paragraph summary for the user."""
        changed, n = self.files_changed, self.changes_applied
        files = f"{changed} of {self.total} file{'s' if self.total != 1 else ''}"
        changes = f"{n} change{'s' if n != 1 else ''}"
        if self.dry_run:
            text = f"Dry run: {files} would change ({changes}); nothing was written."
        else:
            text = f"Cleaned {files}: {changes} applied."
            if changed:
                text += (
                    " Each changed file's original was kept beside it as .bak"
                    " (.1.bak, .2.bak, … beside older backups)."
                )
        if self.skipped:
            text += (
                f" Skipped {len(self.skipped)}: "
                + "; ".join(f"{r.path.name} ({r.reason})" for r in self.skipped)
                + "."
            )
        if self.cancelled:
            text += f" Cancelled: {self.total - len(self.results)} file(s) not looked at."
        return text


def list_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The documents under ``folder``, recursively, sorted; hidden folders and files skipped.

    Symlinked folders are not followed (no loops); Word's ``~$`` lock files are left out.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith((".", "~$")) or not name.lower().endswith(EXTENSIONS):
                continue
            found.append(Path(root, name))
    return found


def clean_file(path: Path, checker: Checker, *, dry_run: bool = False) -> FileResult:
    """Apply the safe edits to one file (saved with a backup); never raises for a bad file."""
    try:
        doc = load_document(path)
        if not doc.text.strip():
            return FileResult(path, "skipped", reason="empty file")
        cleaned = clean_document_text(checker, doc.text, markdown=doc.kind == "markdown")
        if cleaned == doc.text:
            return FileResult(path, "unchanged")
        backup = None if dry_run else save_document(doc, cleaned, backup=True)
        return FileResult(path, "changed", changes_between(doc.text, cleaned), backup=backup)
    except DocumentError as exc:
        return FileResult(path, "skipped", reason=_short(str(exc), path))
    except Exception as exc:  # one broken file must not stop the batch
        log.exception("cleaning %s failed", path)
        return FileResult(path, "skipped", reason=f"failed: {type(exc).__name__}: {exc}")


def _short(message: str, path: Path) -> str:
    """A DocumentError message without the path it starts with (the summary names the file)."""
    for prefix in (f"{path}: ", f"{path.name}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def run_batch(
    folder: str | os.PathLike[str],
    checker: Checker,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BatchSummary:
    """Clean every document under ``folder`` with the SAFE edits only (see :func:`clean.is_safe`).

    A changed file is saved in place with a new backup (unless ``dry_run``): ``name.bak``,
    or ``name.1.bak``, ``name.2.bak``, … so an older backup is never replaced; files
    that cannot be read are reported, never fatal. ``cancelled`` is asked before each file.
    """
    files = list_files(folder)
    results: list[FileResult] = []
    stopped = False
    for i, path in enumerate(files):
        if cancelled():
            stopped = True
            break
        if progress is not None:
            progress(i, len(files), path)
        results.append(clean_file(path, checker, dry_run=dry_run))
    return BatchSummary(Path(folder), tuple(results), len(files), dry_run, stopped)


class _BatchThread(QThread):
    """Runs :func:`run_batch`; its signals are queued to the GUI thread."""

    progressed = Signal(int, int, str)
    done = Signal(object)  # BatchSummary

    def __init__(self, folder: Path, checker: Checker, dry_run: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("humanize-batch")
        self.stop = threading.Event()
        self._args = (folder, checker, dry_run)

    def run(self) -> None:
        folder, checker, dry_run = self._args
        try:
            summary = run_batch(
                folder,
                checker,
                dry_run=dry_run,
                progress=lambda i, n, p: self.progressed.emit(i, n, str(p)),
                cancelled=self.stop.is_set,
            )
        except Exception as exc:  # e.g. the folder vanished: report, don't kill the thread
            log.exception("batch clean of %s failed", folder)
            summary = BatchSummary(folder, (FileResult(folder, "skipped", reason=str(exc)),), 1, dry_run)
        self.done.emit(summary)


class BatchCleanDialog(QDialog):
    """Lists a folder's documents and cleans them in the background."""

    #: The batch ended (also after a cancel), with its summary.
    finished_batch = Signal(object)

    def __init__(self, folder: str | os.PathLike[str], checker: Checker, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("batchCleanDialog")
        self.folder = Path(folder)
        self.checker = checker
        self.summary: BatchSummary | None = None
        self._thread: _BatchThread | None = None
        self.setWindowTitle(f"Clean folder — {self.folder.name or self.folder}")
        self.files = list_files(self.folder)

        intro = QLabel(
            f"<b>{len(self.files)} document{'s' if len(self.files) != 1 else ''}</b> in {self.folder}"
            " (.txt, .md, .docx; hidden folders skipped). Only exact phrase-library matches are"
            " replaced; each changed file keeps a .bak copy of its original (numbered beside older ones).",
            self,
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("batchFiles")
        self.list.setHeaderLabels(["File", "Result", "Changes"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self._rows: dict[Path, QTreeWidgetItem] = {}
        for path in self.files:
            item = QTreeWidgetItem(self.list, [str(path.relative_to(self.folder)), "", ""])
            self._rows[path] = item
        self.progress = QProgressBar(self)
        self.progress.setRange(0, max(1, len(self.files)))
        self.progress.setValue(0)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.dry_run = QCheckBox("Dry run (report only, write nothing)", self)
        self.clean_button = QPushButton("Clean", self)
        self.clean_button.setDefault(True)
        self.clean_button.setEnabled(bool(self.files))
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close", self)
        self.clean_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.dry_run)
        buttons.addStretch(1)
        for button in (self.clean_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(720, 480)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Clean the folder on a background thread (``finished_batch`` tells when done)."""
        if self._thread is not None:
            return
        for item in self._rows.values():
            item.setText(1, "")
            item.setText(2, "")
        self.progress.setValue(0)
        self.status.setText("Starting…")
        self._thread = _BatchThread(self.folder, self.checker, self.dry_run.isChecked(), self)
        self._thread.progressed.connect(self._on_progress)
        self._thread.done.connect(self._on_done)
        self.clean_button.setEnabled(False)
        self.dry_run.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop after the file being cleaned (a file is never left half-written)."""
        if self._thread is not None:
            self._thread.stop.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling after the current file…")

    def _on_progress(self, done: int, total: int, path: str) -> None:
        self.progress.setValue(done)
        try:
            name = str(Path(path).relative_to(self.folder))
        except ValueError:
            name = path
        self.status.setText(f"{'Checking' if self.dry_run.isChecked() else 'Cleaning'} {name}…")

    def _on_done(self, summary: BatchSummary) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.wait()
            thread.deleteLater()
        self.summary = summary
        labels = {"changed": "would change" if summary.dry_run else "changed", "unchanged": "nothing to do"}
        for r in summary.results:
            item = self._rows.get(r.path)
            if item is None:
                continue
            item.setText(1, labels.get(r.status, f"skipped: {r.reason}"))
            item.setToolTip(1, r.reason or (r.backup and f"Backup: {r.backup}") or "")
            item.setText(2, str(r.changes) if r.status == "changed" else "")
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.progress.setValue(len(summary.results))
        self.status.setText(summary.describe())
        self.clean_button.setEnabled(bool(self.files))
        self.clean_button.setText("Clean again")
        self.dry_run.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.finished_batch.emit(summary)

    def shutdown(self) -> None:
        """Cancel a running batch and wait for its thread (the current file is finished)."""
        thread = self._thread
        if thread is not None:
            thread.stop.set()
            thread.wait()

    def reject(self) -> None:
        self.shutdown()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
