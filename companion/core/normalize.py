"""Matching-friendly views of text that keep a map back to the original offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "‐": "-", "‑": "-"})
_IRREGULAR_WS = re.compile(r"\s{2,}|[^\S ]")
_WS_RUN = re.compile(r"\s+")


def fold_case(text: str) -> str:
    """Lower-case ``text`` without changing its length (``'İ'.lower()`` has two code points)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def capitalise_like(replacement: str, original: str) -> str:
    """``replacement`` with a capital first letter if ``original`` has one ("Teh" -> "The").

    Only the first letter is copied; the rest of ``replacement`` is kept as given, so a
    proper noun stays capitalised. (Library alternatives, which also follow all-capitals
    and lower-case originals, use :func:`companion.core.library.matcher.match_case`.)
    """
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@dataclass(frozen=True, slots=True)
class Folded:
    """``text`` lower-cased, quotes straightened and white-space runs collapsed to one space."""

    text: str
    #: Sorted breakpoints: folded offset -> original offset at that point.
    _folded_at: tuple[int, ...]
    _original_at: tuple[int, ...]

    def original(self, offset: int) -> int:
        """The original offset of folded ``offset``."""
        if not self._folded_at:
            return offset
        i = bisect_right(self._folded_at, offset) - 1
        if i < 0:
            return offset
        return self._original_at[i] + (offset - self._folded_at[i])


def fold(text: str) -> Folded:
    """Fold ``text`` for case- and spacing-insensitive matching."""
    base = fold_case(text.translate(_FOLD))
    if not _IRREGULAR_WS.search(base):
        return Folded(base, (), ())
    pieces: list[str] = []
    folded_at: list[int] = []
    original_at: list[int] = []
    pos = 0
    out = 0
    for m in _WS_RUN.finditer(base):
        pieces.append(base[pos : m.start()])
        out += m.start() - pos
        pieces.append(" ")
        out += 1
        pos = m.end()
        # After this single space, folded offset `out` maps to original `pos`.
        folded_at.append(out)
        original_at.append(pos)
    pieces.append(base[pos:])
    return Folded("".join(pieces), tuple(folded_at), tuple(original_at))
