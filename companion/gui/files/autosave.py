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
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox, QWidget

from companion.core import atomic
from companion.core.paths import user_data_dir
from companion.core.processes import pid_alive, process_start_time

if TYPE_CHECKING:
    from companion.gui.app.window import MainWindow

log = logging.getLogger(__name__)

FORMAT = 1
RECOVER, DISCARD, LATER = "recover", "discard", "later"
#: A temporary file older than this is deleted even when its writer cannot be told.
STALE_TMP_S = 3600
#: Temporary files of autosave writes, under every name the code has used: atomic.write_bytes's
#: ``.<session>.json.<hex>.tmp``, and ``.autosave-<random>.tmp`` from tempfile.mkstemp before it.
TEMP_GLOBS = (atomic.temp_name_pattern("*.json"), ".autosave-*.tmp")
#: The writer's pid in a temporary file's name (sessions are ``<date>-<time>-<pid>-<hex>``).
_TEMP_PID = re.compile(r"\.\d{8}-\d{6}-(\d+)-[0-9a-f]+\.json\.")

Snapshot = Callable[[], dict]


def autosave_dir() -> Path:
    return user_data_dir() / "autosave"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class AutosaveRecord:
    """One autosave file, as read back."""

    file: Path
    text: str
    path: str | None
    kind: str
    encoding: str
    newline: str
    had_bom: bool
    saved_at: float
    pid: int
    session: str
    pid_started: float | None = None

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else "Untitled"

    def disk_changed(self) -> bool:
        """The file on disk was modified after this autosave was written."""
        try:
            return self.path is not None and os.stat(self.path).st_mtime > self.saved_at
        except OSError:
            return False

    @classmethod
    def read(cls, file: Path) -> AutosaveRecord | None:
        """The record in ``file``, or ``None`` (logged) when it is not a valid autosave."""
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a Humanize autosave")
            path = data.get("path")
            started = data.get("pid_started")
            return cls(
                file=file,
                text=str(data["text"]),
                path=path if isinstance(path, str) and path else None,
                kind=str(data.get("kind", "text")),
                encoding=str(data.get("encoding", "utf-8")),
                newline=str(data.get("newline", "\n")),
                had_bom=bool(data.get("had_bom", False)),
                saved_at=float(data["saved_at"]),
                pid=int(data["pid"]),
                session=str(data.get("session", file.stem)),
                pid_started=float(started) if isinstance(started, (int, float)) else None,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("autosave %s unreadable (%s); ignored", file, exc)
            return None


def stale_records(directory: Path | None = None, *, own_session: str | None = None) -> list[AutosaveRecord]:
    """Autosaves left by processes that no longer run, newest first."""
    directory = directory or autosave_dir()
    remove_stale_temps(directory, own_session=own_session)
    try:
        files = sorted(directory.glob("*.json"))
    except OSError:
        return []
    records = []
    for file in files:
        record = AutosaveRecord.read(file)
        if record is None or record.session == own_session:
            continue
        # Our own pid in another session's file: a previous process that had this pid.
        if record.pid != os.getpid() and pid_alive(record.pid, record.pid_started):
            continue
        records.append(record)
    records.sort(key=lambda r: r.saved_at, reverse=True)
    return records


def remove_record(record: AutosaveRecord) -> None:
    with contextlib.suppress(FileNotFoundError):
        record.file.unlink()


def remove_stale_temps(directory: Path | None = None, *, own_session: str | None = None) -> int:
    """Delete the autosave temporary files no write can still be using; returns how many.

    Stale: ``own_session``'s (call it when none of that session's writes is in flight),
    those of a session whose process no longer runs or started after the file was
    written (a reused pid), and any older than :data:`STALE_TMP_S`.
    """
    directory = directory or autosave_dir()
    removed = 0
    for pattern in TEMP_GLOBS:
        try:
            temps = list(directory.glob(pattern))
        except OSError:
            return removed
        for tmp in temps:
            try:
                if _temp_is_stale(tmp, own_session):
                    tmp.unlink()
                    removed += 1
            except OSError:  # removed meanwhile, or not ours to remove
                continue
    if removed:
        log.info("removed %d stale autosave temporary file(s) in %s", removed, directory)
    return removed


def _temp_is_stale(tmp: Path, own_session: str | None) -> bool:
    written = tmp.stat().st_mtime
    if time.time() - written > STALE_TMP_S or (own_session and tmp.name.startswith(f".{own_session}.")):
        return True
    found = _TEMP_PID.match(tmp.name)
    if found is None:
        return False
    pid = int(found.group(1))
    if not pid_alive(pid):
        return True
    started = process_start_time(pid)
    return started is not None and started > written + 2.0


def _write(file: Path, payload: dict) -> None:
    """Write ``payload`` to ``file`` atomically, owner-only (runs on the autosave thread)."""
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # ASCII escapes: lone surrogates from Qt survive too.
    atomic.write_bytes(file, json.dumps(payload).encode("ascii"), mode=0o600)
    remove_stale_temps(file.parent, own_session=file.stem)  # no write of ours is in flight now


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
        self._started = process_start_time(os.getpid())
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
        self._pending = self._executor.submit(_write, self.path, payload)
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


def offer_recovery(window: MainWindow, ask: Ask = ask_recovery) -> bool:
    """Offer each autosave left by a dead process (newest first); True if one was recovered.

    The window holds one text: after a recovery the others wait for the next start.
    """
    records = stale_records(own_session=window.files.autosave.session)
    for i, record in enumerate(records):
        answer = ask(window, record)
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
