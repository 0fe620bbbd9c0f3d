"""The parsed phrase library, kept across runs so start-up does not parse 2,000 entries again.

Parsing the TOML files and their patterns costs about 0.3 s per start, expanding the
patterns into the matcher's phrases as much again. Both results (the
:class:`~companion.core.library.model.Library`, the matcher's plan) are pickled into
the user cache folder under a key that covers every library file's bytes, the measured levels, the
word classes and the parsing code itself, so any change (a user's own entry
included) rebuilds it. A missing, stale or unreadable cache is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from companion.core.atomic import write_bytes
from companion.core.paths import user_cache_dir

log = logging.getLogger(__name__)
_FORMAT = 1


def key_of(kind: str, version: str, rows: Iterable[Sequence[str]], files: Iterable[Path]) -> str:
    """A key over ``version``, one row of strings per entry, and the bytes of ``files`` (the
    code and data the cached object is derived from: a change to any rebuilds it)."""
    h = hashlib.sha256(version.encode())
    for row in rows:
        h.update("\0".join(row).encode() + b"\1")
    for path in files:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"missing")
    return f"{kind}:{h.hexdigest()}"


def _path(name: str) -> Path:
    return user_cache_dir() / name


def _stamp(key: str) -> str:
    return f"{_FORMAT}:{sys.version_info[:2]}:{key}"


def load(key: str, name: str = "library-compiled.pickle") -> object | None:
    """The object stored under ``key`` in cache file ``name``, or None."""
    try:
        with _path(name).open("rb") as fh:
            stamp, payload = pickle.load(fh)
        return payload if stamp == _stamp(key) else None
    except FileNotFoundError:
        return None
    except Exception as exc:  # truncated or foreign file, a class that moved: rebuild
        log.info("ignoring the compiled library cache: %s", exc)
        return None


def store(key: str, obj: object, name: str = "library-compiled.pickle") -> None:
    """Keep ``obj`` under ``key`` in cache file ``name`` (one entry: the last run's)."""
    try:
        path = _path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, pickle.dumps((_stamp(key), obj), protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError) as exc:
        log.warning("cannot cache the compiled library: %s", exc)
