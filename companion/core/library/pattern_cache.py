"""What is slow to learn about a library regex, learned once and kept across runs.

Compiling and analysing some 3,000 library regexes costs seconds at every start.
Two facts depend only on a regex's text and flags (and the Python version): whether
it compiles, and the literals every match must contain (``prefilter``). This cache
keeps both in the user cache folder; the matcher then compiles a regex only the
first time a paragraph contains one of its literals.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from pathlib import Path

from companion.core.atomic import write_text
from companion.core.library.prefilter import required_literals
from companion.core.paths import user_cache_dir

log = logging.getLogger(__name__)

_FORMAT = 1


def _key(pattern: str, flags: int) -> str:
    return f"{flags}\0{pattern}"


class PatternCache:
    """Regex facts by (pattern, flags): "compiles" and "required literals"; saved on demand."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_cache_dir() / "library-patterns.json"
        self._stamp = f"{_FORMAT}:{sys.version_info[:3]}"
        self._needs: dict[str, list[str] | None] = {}
        self._dirty = False
        self._lock = threading.Lock()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("stamp") == self._stamp:
                self._needs = data.get("needs", {})
        except (OSError, ValueError, AttributeError):
            pass

    def needs(self, pattern: str, flags: int) -> frozenset[str] | None:
        """Literals every match of the regex contains (None: unknown), compiling it once to check it."""
        key = _key(pattern, flags)
        with self._lock:
            if key in self._needs:
                found = self._needs[key]
                return None if found is None else frozenset(found)
        re.compile(pattern, flags)  # raises re.error for a bad regex: never cached
        req = required_literals(pattern, flags)
        with self._lock:
            self._needs[key] = None if req is None else sorted(req)
            self._dirty = True
        return req

    def save(self) -> None:
        """Write new facts to disk (atomically); a failure only costs speed."""
        with self._lock:
            if not self._dirty:
                return
            data = json.dumps({"stamp": self._stamp, "needs": self._needs})
            self._dirty = False
        try:
            os.makedirs(self.path.parent, exist_ok=True)
            write_text(self.path, data)
        except OSError as exc:
            log.debug("cannot save %s: %s", self.path, exc)


_shared: PatternCache | None = None
_shared_lock = threading.Lock()


def shared_cache() -> PatternCache:
    """The process's pattern cache (one file read per process)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = PatternCache()
        return _shared
