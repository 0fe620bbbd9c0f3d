"""Autosave files on disk, with no Qt: reading them back, finding those left by a
process that died, and removing temporary files no write still uses.

The editor's :class:`~companion.gui.files.autosave.Autosaver` writes them;
recovery at start reads them through :mod:`companion.core.documents`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from companion.core import atomic
from companion.core.paths import user_data_dir
from companion.core.processes import pid_alive, process_start_time

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


def write_record(file: Path, payload: dict) -> None:
    """Write ``payload`` to ``file`` atomically, owner-only (runs on the autosave thread)."""
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # ASCII escapes: lone surrogates from Qt survive too.
    atomic.write_bytes(file, json.dumps(payload).encode("ascii"), mode=0o600)
    remove_stale_temps(file.parent, own_session=file.stem)  # no write of ours is in flight now


def own_start_time() -> float | None:
    """When this process started (recorded in its autosaves, so a reused pid is told apart)."""
    return process_start_time(os.getpid())
