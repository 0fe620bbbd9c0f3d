"""Autosave files on disk: owner-only permissions, and temporary files a killed write left behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from PySide6.QtGui import QTextCursor

from companion.core.recovery import STALE_TMP_S, autosave_dir, stale_records

posix_only = pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")


def _type(w, text: str) -> None:
    cursor = QTextCursor(w.editor.document().lastBlock())
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText(text)


def _autosave(w) -> None:
    assert w.files.autosave.tick()
    w.files.autosave.flush()
    assert w.files.autosave.last_error is None


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _temp(name: str, age_s: float = 0) -> Path:
    folder = autosave_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b'{"format": 1, "text": "half a wr')
    when = time.time() - age_s
    os.utime(path, (when, when))
    return path


def _session(pid: int) -> str:
    return f"20260101-120000-{pid}-a1b2c3"


@posix_only
def test_autosave_is_owner_only_even_over_an_older_readable_one(make_window) -> None:
    old_umask = os.umask(0o022)
    try:
        w = make_window()
        path = w.files.autosave.path
        _type(w, "Private draft")
        _autosave(w)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        path.chmod(0o644)  # as versions before this fix left it
        _type(w, ", more of it")
        _autosave(w)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "more of it" in path.read_text(encoding="utf-8")
    finally:
        os.umask(old_umask)


def test_stale_temporary_files_are_removed_at_start_and_after_each_autosave(make_window) -> None:
    dead = _dead_pid()
    ours_started = psutil.Process(os.getpid()).create_time()
    stale = [
        _temp(f".{_session(dead)}.json.deadbeef.tmp"),  # its writer was killed
        _temp(".autosave-k3j4h5.tmp", age_s=STALE_TMP_S + 60),  # the old mkstemp name, long dead
        # Our pid, written before this process started: an earlier process had the pid.
        _temp(f".{_session(os.getpid())}.json.0a0b0c0d.tmp", age_s=time.time() - ours_started + 600),
    ]
    kept = [
        _temp(f".{_session(os.getppid())}.json.12345678.tmp"),  # a live process may be mid-write
        _temp(".autosave-fresh1.tmp"),  # writer unknown, too recent to tell
        _temp("notes.json.tmp"),  # not an autosave temporary file
    ]
    stale_records()  # what offer_recovery does at start
    assert [p.exists() for p in stale] == [False] * 3
    assert all(p.exists() for p in kept)

    w = make_window()
    again = _temp(f".{_session(dead)}.json.feedface.tmp")
    ours = _temp(f".{w.files.autosave.session}.json.0badc0de.tmp")  # our own killed write
    _type(w, "A draft worth keeping")
    _autosave(w)
    assert not again.exists() and not ours.exists()
    assert all(p.exists() for p in kept) and w.files.autosave.exists


def test_a_failed_autosave_removes_nothing(make_window, monkeypatch) -> None:
    from companion.core import atomic

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    dead_temp = _temp(f".{_session(_dead_pid())}.json.deadbeef.tmp")
    w = make_window()
    monkeypatch.setattr(atomic, "write_bytes", fail)
    _type(w, "Unsaved")
    assert w.files.autosave.tick()
    w.files.autosave.flush()
    assert w.files.autosave.last_error and dead_temp.exists()
