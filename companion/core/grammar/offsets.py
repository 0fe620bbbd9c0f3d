"""Offsets in UTF-16 code units (what LanguageTool, a Java program, reports) and Python
code points, converted both ways for one text.

The editor converts Qt's UTF-16 positions with its own map,
:mod:`companion.gui.editor.offsets`; this one serves the grammar checkers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

#: Characters outside the Basic Multilingual Plane: two UTF-16 units, one code point.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text) + len(_ASTRAL.findall(text))


class Utf16Index:
    """Converts UTF-16 offsets into code-point offsets of one text.

    Texts with no astral characters (emoji, rare CJK) need no table: both counts
    agree. An offset that falls between the two halves of a surrogate pair snaps
    outwards, so a span never cuts a character in two.
    """

    __slots__ = ("_length", "_units")

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._units: list[int] | None = None
        if _ASTRAL.search(text) is None:
            return
        units: list[int] = []
        unit = 0
        for ch in text:
            units.append(unit)
            unit += 2 if ord(ch) > 0xFFFF else 1
        units.append(unit)
        self._units = units

    def start(self, unit: int) -> int:
        """The code point at UTF-16 offset ``unit`` (the start of a span)."""
        if self._units is None:
            return min(max(unit, 0), self._length)
        return max(bisect_right(self._units, unit) - 1, 0)

    def end(self, unit: int) -> int:
        """The code-point offset of the end of a span ending at UTF-16 offset ``unit``."""
        if self._units is None:
            return min(max(unit, 0), self._length)
        return min(bisect_left(self._units, unit), self._length)

    def to_utf16(self, index: int) -> int:
        """The UTF-16 offset of code point ``index`` (the inverse of :meth:`start`)."""
        if self._units is None:
            return index
        return self._units[min(max(index, 0), self._length)]
