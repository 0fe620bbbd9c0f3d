"""Clean folder…: the dialog that runs :func:`engine.run_batch` on a ``QThread``,
with a progress bar and a cancel button."""

from __future__ import annotations

import logging
import threading
from os import PathLike
from pathlib import Path

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

from companion.core.engine import BatchSummary, Engine, FileResult, list_files, run_batch

log = logging.getLogger(__name__)


class _BatchThread(QThread):
    """Runs :func:`run_batch`; its signals are queued to the GUI thread."""

    progressed = Signal(int, int, str)
    done = Signal(object)  # BatchSummary

    def __init__(self, folder: Path, checker: Engine, dry_run: bool, parent: QWidget) -> None:
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

    def __init__(self, folder: str | PathLike[str], checker: Engine, parent: QWidget | None = None):
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
