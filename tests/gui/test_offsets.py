"""Code points <-> UTF-16: the one conversion, checked against Qt itself."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from companion.gui.editor.offsets import Utf16Map, from_utf16, span_to_utf16, to_utf16, utf16_len

SAMPLES = [
    "plain ascii text",
    "café naïve résumé",  # precomposed accents: one unit each
    "cafe\u0301 and n\u0303",  # combining marks: separate code points, one unit each
    "東京で会いましょう。今日は晴れ。",  # CJK (BMP): one unit each
    "😀 smile 👍🏽 ok",  # emoji and a skin-tone modifier: two units each
    "𠀋𠀌 rare CJK (plane 2) then 😀",
    "👨‍👩‍👧 family (ZWJ sequence)",
    "",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_round_trip_every_offset(text: str) -> None:
    m = Utf16Map(text)
    for cp in range(len(text) + 1):
        unit = m.to_utf16(cp)
        assert unit == len(text[:cp].encode("utf-16-le")) // 2
        assert m.from_utf16(unit) == cp
    assert utf16_len(text) == len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("text", SAMPLES)
def test_matches_qt_cursor_positions(qapp, text: str) -> None:
    doc = QTextDocument(text)
    assert doc.characterCount() - 1 == utf16_len(text)
    for cp in range(len(text) + 1):
        for end in range(cp, len(text) + 1):
            s16, e16 = span_to_utf16(text, cp, end)
            cursor = QTextCursor(doc)
            cursor.setPosition(s16)
            cursor.setPosition(e16, QTextCursor.MoveMode.KeepAnchor)
            assert cursor.selectedText() == text[cp:end]


def test_inside_a_surrogate_pair_maps_to_the_character() -> None:
    text = "a😀b"
    assert from_utf16(text, 2) == 1  # between the two halves of the emoji
    assert from_utf16(text, 3) == 2
    assert to_utf16(text, 2) == 3


def test_phrase_after_emoji_and_cjk() -> None:
    text = "😀😀 今日は。 leverage synergies"
    start = text.index("leverage")
    s16, e16 = span_to_utf16(text, start, start + len("leverage"))
    assert (s16, e16) == (start + 2, start + 2 + len("leverage"))
