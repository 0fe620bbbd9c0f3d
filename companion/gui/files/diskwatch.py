"""Notice when another program changes or deletes the open file.

:class:`DiskWatcher` wraps a :class:`QFileSystemWatcher` on the file (and on its folder
while the file is missing, to see it come back). Events are coalesced, then the file's
fingerprint (inode, size, modification time) is compared with the one we know: the
one read when the file was opened, or written by our own save. So the events caused by
our own atomic save are ignored whatever order they arrive in, and the watch is moved
to the new inode that :func:`os.replace` created.

:class:`DiskBar` is the non-modal notice above the editor: Reload / Keep mine (or
Save / Keep mine when the file is gone).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

log = logging.getLogger(__name__)

#: Editors and sync tools write in bursts; look once things settle.
SETTLE_MS = 150

Fingerprint = tuple[int, int, int]


def fingerprint(path: str) -> Fingerprint | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class DiskWatcher(QObject):
    """Emits ``changed(path)`` / ``removed(path)`` once per change made by someone else."""

    changed = Signal(str)
    removed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fs = QFileSystemWatcher(self)
        self._fs.fileChanged.connect(self._poke)
        self._fs.directoryChanged.connect(self._poke)
        self._timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._timer.timeout.connect(self.check)
        self.path: str | None = None
        self._known: Fingerprint | None = None
        self._reported: Fingerprint | None = None
        self._watched_inode: int | None = None

    def watch(self, path: str) -> None:
        """Watch ``path``; its current state is ours (just opened or saved)."""
        path = os.path.abspath(path)
        if path != self.path:
            self.stop()
            self.path = path
        self.accept()

    def accept(self) -> None:
        """Take the file as it is now as known (after Reload, Keep mine or our own save)."""
        if self.path is None:
            return
        self._known = self._reported = fingerprint(self.path)
        self._rearm(self._known)

    def stop(self) -> None:
        self._timer.stop()
        paths = self._fs.files() + self._fs.directories()
        if paths:
            self._fs.removePaths(paths)
        self.path = None
        self._known = self._reported = self._watched_inode = None

    def _poke(self, _path: str) -> None:
        self._timer.start()

    def check(self) -> None:
        """Compare the file with what we know; emit once per new state."""
        if self.path is None:
            return
        now = fingerprint(self.path)
        self._rearm(now)
        if now == self._known or now == self._reported:
            return
        self._reported = now
        log.debug("%s %s on disk", self.path, "removed" if now is None else "changed")
        (self.removed if now is None else self.changed).emit(self.path)

    def _rearm(self, now: Fingerprint | None) -> None:
        """Watch the file's current inode; while it is missing, its folder."""
        assert self.path is not None
        files, folders = self._fs.files(), self._fs.directories()
        folder = os.path.dirname(self.path)
        if now is not None:
            if self.path in files and self._watched_inode != now[0]:
                self._fs.removePath(self.path)  # still on the old inode, replaced since
                files = []
            if self.path not in files:
                self._fs.addPath(self.path)
            self._watched_inode = now[0]
            if folder in folders:
                self._fs.removePath(folder)
        else:
            if self.path in files:
                self._fs.removePath(self.path)
            self._watched_inode = None
            if folder not in folders and os.path.isdir(folder):
                self._fs.addPath(folder)


class DiskBar(QFrame):
    """ "The file changed on disk": Reload / Keep mine. Non-modal, above the editor."""

    reload_requested = Signal()
    save_requested = Signal()
    keep_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diskBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.mode: str | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setToolTip("Open the version on disk (asks first if you have unsaved changes)")
        self.save_button = QPushButton("&Save")
        self.keep_button = QPushButton("&Keep mine")
        self.keep_button.setToolTip("Keep your text; saving will replace the file on disk")
        self.reload_button.clicked.connect(self.reload_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.keep_button.clicked.connect(self.keep_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(self.label, 1)
        for button in (self.reload_button, self.save_button, self.keep_button):
            row.addWidget(button)
        self.hide()

    def show_changed(self, name: str) -> None:
        self._show("changed", f"“{name}” changed on disk (another program wrote it).")

    def show_removed(self, name: str) -> None:
        self._show("removed", f"“{name}” was deleted or moved on disk. Your text is still here.")

    def _show(self, mode: str, text: str) -> None:
        self.mode = mode
        self.label.setText(text)
        self.setAccessibleName(text)
        self.reload_button.setVisible(mode == "changed")
        self.save_button.setVisible(mode == "removed")
        self.show()

    def dismiss(self) -> None:
        self.mode = None
        self.hide()
