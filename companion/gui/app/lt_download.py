"""Download LanguageTool when the user asks: a background thread with a progress dialog.

Nothing is downloaded unless the user presses the button and confirms; the archive
is verified against the checksum language-tool-python publishes (see
``companion.core.grammar.install``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

log = logging.getLogger(__name__)


class _Download(QObject):
    progressed = Signal(int, int)  # done, total (0: unknown)
    finished = Signal(str, str)  # installed folder, error message

    def __init__(self, url: str | None, dest: Path | None) -> None:
        super().__init__()
        self._url = url
        self._dest = dest

    def run(self) -> None:
        from companion.core.engine import install_languagetool

        try:
            path = install_languagetool(
                self._dest, progress=lambda done, total: self.progressed.emit(done, total or 0), url=self._url
            )
        except Exception as exc:  # GrammarInstallError, OSError: shown to the user as is
            self.finished.emit("", str(exc))
            return
        self.finished.emit(str(path), "")


class LanguageToolDownloader(QObject):
    """Runs one download off the UI thread and reports it in a progress dialog."""

    done = Signal(str, str)  # installed folder, error message

    def __init__(self, parent: QWidget, *, url: str | None = None, dest: Path | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._thread = QThread(self)
        self._job = _Download(url, dest)
        self._job.moveToThread(self._thread)
        self._thread.started.connect(self._job.run)
        self._job.progressed.connect(self._progress)
        self._job.finished.connect(self._finished)
        self.dialog = QProgressDialog("Downloading LanguageTool…", "Hide", 0, 0, parent)
        self.dialog.setWindowTitle("LanguageTool")
        self.dialog.setMinimumDuration(0)

    def start(self) -> None:
        self.dialog.show()
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    def _progress(self, done: int, total: int) -> None:
        if total:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        self.dialog.setLabelText(f"Downloading LanguageTool… {done / 1e6:.0f} MB")

    def _finished(self, path: str, error: str) -> None:
        self._thread.quit()
        self._thread.wait()
        self.dialog.reset()
        self.dialog.hide()
        if error:
            log.warning("LanguageTool download failed: %s", error)
        self.done.emit(path, error)


def confirm_and_download(
    parent: QWidget,
    *,
    url: str | None = None,
    ask: bool = True,
    host: QWidget | None = None,
    installed: Callable[[str], None] | None = None,
) -> LanguageToolDownloader | None:
    """Ask first (size, source), then start the download; None when the user declines.

    The download and its messages belong to ``host`` (default ``parent``), so closing a
    dialog that started it does not stop it; ``installed(folder)`` runs after a success
    (the window rebuilds its grammar checker, which finds LanguageTool then).
    """
    if ask:
        answer = QMessageBox.question(
            parent,
            "Download LanguageTool?",
            "Local grammar checking needs LanguageTool (about 250 MB, downloaded once from "
            "languagetool.org and checked against its published checksum) and Java 17 or newer.\n\n"
            "Download it now?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    owner = host or parent
    downloader = LanguageToolDownloader(owner, url=url)

    def report(path: str, error: str) -> None:
        if error:
            QMessageBox.warning(owner, "LanguageTool", f"LanguageTool was not installed: {error}")
            return
        if installed is not None:
            installed(path)
        QMessageBox.information(
            owner,
            "LanguageTool",
            f"LanguageTool is installed in {path}. Grammar checking uses it from now on"
            " (modes Automatic and Local).",
        )

    downloader.done.connect(report)
    downloader.start()
    return downloader
