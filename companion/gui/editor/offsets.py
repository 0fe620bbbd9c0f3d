"""Code points (Python, the core) to UTF-16 units (Qt) and back, for the widgets that draw findings.

The core reports offsets in Unicode code points; ``QTextCursor`` positions and
``QTextBlock.position()`` count UTF-16 code units. They differ only after a
character outside the Basic Multilingual Plane (most emoji, some CJK
extensions), which takes two UTF-16 units. Accents, combining marks and
ordinary CJK are one unit per code point, so most text takes the fast path.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for _ in _ASTRAL.finditer(text))


class Utf16Map:
    """Converts offsets in one string between code points and UTF-16 units.

    Built once per text (a paragraph); each conversion is a binary search over
    the positions of the astral characters, or nothing when there are none.
    """

    __slots__ = ("_astral", "length")

    def __init__(self, text: str) -> None:
        self._astral: list[int] = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self.length = len(text)

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_utf16(self, pos: int) -> int:
        """The UTF-16 offset of code point offset ``pos`` (0 <= pos <= len(text))."""
        if not self._astral:
            return pos
        return pos + bisect_left(self._astral, pos)

    def from_utf16(self, unit: int) -> int:
        """The code point offset of UTF-16 offset ``unit``.

        A unit pointing between the two halves of a surrogate pair maps to the
        character's start.
        """
        if not self._astral:
            return unit
        # The k-th astral character (code point a) fills units [a + k, a + k + 2).
        lo, hi = 0, len(self._astral)
        while lo < hi:  # count the characters that end at or before ``unit``
            mid = (lo + hi) // 2
            if self._astral[mid] + mid + 2 <= unit:
                lo = mid + 1
            else:
                hi = mid
        pos = unit - lo
        if lo < len(self._astral) and self._astral[lo] + lo + 1 == unit:
            pos = self._astral[lo]  # between the halves of a surrogate pair
        return min(pos, self.length)


def to_utf16(text: str, pos: int) -> int:
    """The UTF-16 offset in ``text`` of code point offset ``pos``."""
    return Utf16Map(text).to_utf16(pos)


def from_utf16(text: str, unit: int) -> int:
    """The code point offset in ``text`` of UTF-16 offset ``unit``."""
    return Utf16Map(text).from_utf16(unit)


def span_to_utf16(text: str, start: int, end: int) -> tuple[int, int]:
    """A code point span of ``text`` as a UTF-16 span."""
    m = Utf16Map(text)
    return m.to_utf16(start), m.to_utf16(end)
