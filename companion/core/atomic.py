"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``.

Readers see the old contents or the new ones, never half a file, and a failed write
leaves the old file untouched. The temporary file is ``.<name>.<8 hex>.tmp``
(:func:`temp_name_pattern`); one left behind by a killed process is swept by the caller
with :func:`remove_stale_temps` (the editor does after each save). Backups are named
by :func:`next_backup_path` and made by :func:`copy_to_backup`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from pathlib import Path

BACKUP_SUFFIX = ".bak"


def temp_name_pattern(name: str) -> str:
    """A glob matching the temporary files :func:`write_bytes` makes for a file called ``name``."""
    return f".{name}.*.tmp"


#: A temporary file this old is left from a save that was killed, never one in progress.
STALE_TEMP_S = 600.0


def remove_stale_temps(path: str | os.PathLike[str], older_than_s: float = STALE_TEMP_S) -> int:
    """Delete temporary files that killed saves of ``path`` left beside it; returns how many."""
    import time

    target = Path(path)
    removed = 0
    limit = time.time() - older_than_s
    try:
        candidates = list(target.parent.glob(temp_name_pattern(target.name)))
    except OSError:
        return 0
    for tmp in candidates:
        try:
            if tmp.stat().st_mtime < limit:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path``'s contents with ``data`` atomically. Raises OSError.

    A symlink is followed (the file it points to is replaced). ``mode`` given: the file
    ends with exactly those permission bits, and no other process can open the data
    before they are set. Otherwise an existing file's permission bits are kept and a
    new file gets the default ones (umask applies).
    """
    shown = os.fspath(path)
    target = os.path.realpath(shown) if os.path.islink(shown) else shown
    folder = os.path.dirname(os.path.abspath(target))
    if mode is None:
        try:
            mode = os.stat(target).st_mode & 0o7777
        except FileNotFoundError:
            mode = None
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    create = 0o666 if mode is None else mode & 0o600  # widened by the chmod below, after writing
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), create)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically, creating the folder if needed. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, text.encode("utf-8"))


def next_backup_path(path: str | os.PathLike[str]) -> str:
    """Where the next backup of ``path`` goes, never an existing file's name.

    ``essay.md.bak`` first, then one past the highest number in use: ``essay.md.1.bak``,
    ``essay.md.2.bak``, … (so the highest number is always the newest backup).
    """
    shown = os.fspath(path)
    folder, name = os.path.split(shown)
    numbered = re.compile(re.escape(name) + r"\.(\d+)" + re.escape(BACKUP_SUFFIX))
    try:
        names = os.listdir(folder or ".")
    except OSError:
        names = []
    used = [int(m.group(1)) for n in names if (m := numbered.fullmatch(n))]
    if not used and not os.path.lexists(shown + BACKUP_SUFFIX):
        return shown + BACKUP_SUFFIX
    number = max(used, default=0) + 1
    while os.path.lexists(candidate := f"{shown}.{number}{BACKUP_SUFFIX}"):
        number += 1
    return candidate


def copy_to_backup(source: str | os.PathLike[str], path: str | os.PathLike[str] | None = None) -> str:
    """Copy ``source`` (contents, times, permission bits) to :func:`next_backup_path` of ``path``.

    ``path`` defaults to ``source``; pass the name the user knows when ``source`` is a
    symlink's target. The backup is created exclusively: an existing file is never
    overwritten, even one that appears meanwhile. Returns the backup's path; raises OSError.
    """
    named = os.fspath(source if path is None else path)
    for _ in range(100):
        backup = next_backup_path(named)
        try:  # owner-only until copystat gives it the original's bits
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue  # created meanwhile: take the next number
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                shutil.copyfileobj(src, out)
            shutil.copystat(source, backup)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(backup)
            raise
        return backup
    raise FileExistsError(f"no free backup name for {named}")


def _sync_folder(folder: str) -> None:
    """Make the rename durable where the platform allows syncing a directory."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
