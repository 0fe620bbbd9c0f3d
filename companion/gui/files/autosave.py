"""Autosave of unsaved work, and recovery after a crash.

Every ``Settings.autosave_s`` seconds, when the document is modified and its text (or
path) changed since the last autosave, a snapshot goes to
``user_data_dir()/autosave/<session>.json``: the text, the file's path, kind,
encoding, line ending and BOM, a timestamp and the app's pid. The UI thread only
takes the snapshot (a string); a one-thread executor writes it atomically (temporary
file, fsync, :func:`os.replace`), owner-only (0600), so writes never overlap and a
removal queued after a write happens after it. Temporary files a killed process left
behind are removed at start and after each successful write (:func:`remove_stale_temps`).

The file is removed when the text is saved, on a clean close (the user saved or
discarded) and once its recovery is handled. A file whose process is no longer
running is offered for recovery at the next start (:func:`offer_recovery`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, cast

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from companion.core.documents import (
    DISCARD,
    FORMAT,
    LATER,
    RECOVER,
    AutosaveRecord,
    autosave_dir,
    own_start_time,
    remove_record,
    stale_records,
    write_record,
)


class _Files(Protocol):
    autosave: Autosaver

    def recover(self, record: AutosaveRecord) -> bool: ...


class RecoveryHost(Protocol):
    """What recovery needs of the window: its files, its status bar (and it is the dialogs' parent)."""

    files: _Files

    def statusBar(self) -> QStatusBar: ...


log = logging.getLogger(__name__)

Snapshot = Callable[[], dict]


# --------------------------------------------------------------------------- autosaver


class Autosaver(QObject):
    """Writes ``snapshot()`` every ``interval_s`` seconds while ``document`` is modified.

    ``snapshot`` returns a dict with ``text`` and the document's ``path``, ``kind``,
    ``encoding``, ``newline`` and ``had_bom``; it runs on the UI thread.
    """

    def __init__(
        self,
        document: QTextDocument,
        snapshot: Snapshot,
        interval_s: float = 5,
        *,
        directory: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._snapshot = snapshot
        self.session = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        self.path = (directory or autosave_dir()) / f"{self.session}.json"
        self._started = own_start_time()
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._last: tuple[str, str | None] | None = None  # (text, path) last written
        self._dirty = False
        self._closed = False
        #: The last write's error message, if it failed (the window shows it).
        self.last_error: str | None = None
        #: Seconds the UI thread spent on the last autosave (snapshot and hand-over).
        self.last_ui_seconds = 0.0
        document.contentsChanged.connect(self._mark_dirty)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self.set_interval(interval_s)

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def set_interval(self, seconds: float) -> None:
        """Autosave every ``seconds`` (0 or less turns it off)."""
        if seconds > 0 and not self._closed:
            self._timer.start(max(100, int(seconds * 1000)))
        else:
            self._timer.stop()

    def _mark_dirty(self) -> None:
        self._dirty = True

    def tick(self) -> bool:
        """Autosave if the text changed since the last one; True when a write was queued."""
        if self._closed or not self._dirty:
            return False
        self._dirty = False
        if not self._document.isModified():  # saved, or undone back to the saved text
            if self._last is not None:
                self.clear()
            return False
        return self._submit()

    def save_now(self) -> None:
        """Write the current text at once (if modified) and wait for it."""
        if not self._closed and self._document.isModified():
            self._submit(force=True)
        self.flush()

    def _submit(self, force: bool = False) -> bool:
        t0 = time.perf_counter()
        self._check_previous()
        data = self._snapshot()
        key = (data["text"], data.get("path"))
        if not force and key == self._last:
            return False
        if data.get("path") is None and not data["text"].strip():
            if self._last is not None:
                self.clear()
            return False
        payload = {
            "format": FORMAT,
            **data,
            "saved_at": time.time(),
            "pid": os.getpid(),
            "pid_started": self._started,
            "session": self.session,
        }
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        self._pending = self._executor.submit(write_record, self.path, payload)
        self._last = key
        self.last_ui_seconds = time.perf_counter() - t0
        return True

    def _check_previous(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None or not pending.done():
            self._pending = pending
            return
        exc = pending.exception()
        self.last_error = None if exc is None else str(exc)
        if exc is not None:
            log.warning("autosave to %s failed: %s", self.path, exc)
            self._last = None
            self._dirty = True  # try again at the next tick

    def flush(self) -> None:
        """Wait for the write in flight, if any."""
        if self._pending is not None:
            with contextlib.suppress(Exception):
                self._pending.result()
            self._check_previous()

    def clear(self) -> None:
        """The text is safe (saved or deliberately discarded): remove the autosave file."""
        self.flush()
        self._last = None
        self._dirty = False
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("cannot remove autosave %s: %s", self.path, exc)

    def close(self, *, keep: bool) -> None:
        """Stop. ``keep``: write the latest unsaved text; otherwise remove the file. Idempotent."""
        if self._closed:
            return
        self._timer.stop()
        if keep and self._document.isModified():
            self._submit()  # skipped when the file already holds this text
        else:
            self.clear()
        self._closed = True
        self.flush()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


# --------------------------------------------------------------------------- recovery

Ask = Callable[[QWidget, AutosaveRecord], str]


def ask_recovery(parent: QWidget, record: AutosaveRecord) -> str:
    """Recover / Discard / Later for one autosave; returns RECOVER, DISCARD or LATER."""
    when = time.strftime("%d %b %Y, %H:%M", time.localtime(record.saved_at))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Recover unsaved work")
    box.setText(f"Humanize closed before the changes to {record.name} were saved.")
    info = (
        f"Recover opens the text autosaved at {when}, marked as unsaved: nothing is written "
        "until you save. Discard deletes it. Later asks again next time."
    )
    if record.disk_changed():
        info += f"\n\n{record.name} changed on disk after this autosave: saving would replace that version."
    box.setInformativeText(info)
    box.setDetailedText(record.text[:3000])
    recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(recover)
    box.setEscapeButton(later)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return RECOVER if clicked is recover else DISCARD if clicked is discard else LATER


def offer_recovery(window: RecoveryHost, ask: Ask = ask_recovery) -> bool:
    """Offer each autosave left by a dead process (newest first); True if one was recovered.

    The window holds one text: after a recovery the others wait for the next start.
    """
    records = stale_records(own_session=window.files.autosave.session)
    for i, record in enumerate(records):
        answer = ask(cast(QWidget, window), record)
        if answer == DISCARD:
            remove_record(record)
            continue
        if answer != RECOVER or not window.files.recover(record):
            return False
        remove_record(record)  # the window's own autosave holds the text now
        rest = len(records) - i - 1
        if rest:
            waiting = f"{rest} more unsaved text{'s are' if rest > 1 else ' is'} waiting"
            window.statusBar().showMessage(f"{waiting}: offered at the next start.", 10000)
        return True
    return False
