"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``.

Readers see the old contents or the new ones, never half a file, and a failed write
leaves the old file untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path``'s contents with ``data`` atomically. Raises OSError.

    A symlink is followed (the file it points to is replaced); an existing file's
    permission bits are kept; a new file gets the default ones (umask applies).
    """
    shown = os.fspath(path)
    target = os.path.realpath(shown) if os.path.islink(shown) else shown
    folder = os.path.dirname(os.path.abspath(target))
    try:
        mode: int | None = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
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
