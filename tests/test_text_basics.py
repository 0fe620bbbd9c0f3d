"""Offsets, segmentation and folding: the ground every finding stands on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from companion.core.normalize import capitalise_like, fold, fold_case
from companion.core.segment import (
    COMPOUND_WORD,
    SENTENCE_END,
    WORD,
    at_sentence_start,
    lines,
    paragraphs,
    segment,
    sentences,
    starts_paragraph,
)


def test_fold_collapses_space_and_maps_back() -> None:
    text = "In  today’s\n\tfast-paced   WORLD."
    folded = fold(text)
    assert folded.text == "in today's fast-paced world."
    start = folded.text.index("today's")
    end = folded.text.index(" world") + len(" world")
    assert text[folded.original(start) : folded.original(end)] == "today’s\n\tfast-paced   WORLD"


def test_fold_case_keeps_length_for_dotted_capital_i() -> None:
    text = "İstanbul İs big"
    assert len(fold_case(text)) == len(text)
    assert fold_case(text).endswith("big")


@given(st.text())
def test_fold_maps_every_offset_into_the_text(text: str) -> None:
    folded = fold(text)
    prev = 0
    for i in range(len(folded.text) + 1):
        o = folded.original(i)
        assert 0 <= o <= len(text)
        assert o >= prev
        prev = o


def test_paragraphs_split_on_blank_lines_headings_and_list_items() -> None:
    text = "# Title\nFirst para line one\nline two.\n\n- item one\n- item two\n\nLast."
    got = [text[s.start : s.end] for s in paragraphs(text)]
    assert got == ["# Title", "First para line one\nline two.", "- item one", "- item two", "Last."]


def test_starts_paragraph_is_the_rule_paragraphs_follows() -> None:
    assert starts_paragraph(None, "Text")
    assert starts_paragraph("   ", "Text")
    assert not starts_paragraph("Line one", "line two")
    assert starts_paragraph("# Title", "Body")
    assert starts_paragraph("Body", "- item")
    assert not starts_paragraph("Body", "  ")
    assert not starts_paragraph(None, "")


@given(st.lists(st.sampled_from(["a b", "  c ", "# h", "- x", "1. y", "> q", "", " ", "é😀"]), max_size=12))
def test_paragraphs_are_the_runs_starts_paragraph_draws(rows: list[str]) -> None:
    text = "\r\n".join(rows)
    expected, prev, current = [], None, None
    for row in rows:
        if starts_paragraph(prev, row) or not row.strip():
            current = None
        if row.strip():
            if current is None:
                current = []
                expected.append(current)
            current.append(row)
        prev = row
    got = [text[s.start : s.end] for s in paragraphs(text)]
    assert got == ["\r\n".join(rows).strip() for rows in expected]


def test_lines_break_where_a_qt_document_starts_a_block() -> None:
    # A form feed and U+2028 stay inside their line, as they do in a QTextDocument block.
    assert [body for _, body in lines("a\r\nb\rc\u2029d\x0ce\u2028f\n")] == ["a", "b", "c", "d\x0ce\u2028f"]
    assert len(paragraphs("one\x0c\x0ctwo")) == 1


def test_sentences_have_code_point_offsets_after_emoji_cjk_and_accents() -> None:
    text = "🙂🙂 Café naïve. 日本語の文です。 Dr. Smith left at 3 p.m. today. Done!"
    got = [text[s.start : s.end] for s in sentences(text)]
    assert got[0] == "🙂🙂 Café naïve."
    assert "Dr. Smith left at 3 p.m. today." in got
    assert got[-1] == "Done!"


def test_segment_offsets_are_absolute() -> None:
    text = "One. Two.\n\nThree here. Four."
    paras = segment(text)
    assert [text[s.start : s.end] for s in paras[1].sentences] == ["Three here.", "Four."]


@given(st.text())
def test_segments_stay_inside_text(text: str) -> None:
    for para in segment(text):
        assert 0 <= para.span.start <= para.span.end <= len(text)
        for s in para.sentences:
            assert para.span.start <= s.start < s.end <= para.span.end


def test_words_and_compound_words() -> None:
    text = "A well-known writer’s don't_stop"
    assert WORD.findall(text) == ["A", "well", "known", "writer’s", "don't", "stop"]
    assert COMPOUND_WORD.findall(text) == ["A", "well-known", "writer’s", "don't", "stop"]


def test_at_sentence_start() -> None:
    text = 'Done. "(*Next* one): then'
    assert at_sentence_start(text, 0)
    assert at_sentence_start(text, text.index("Next"))
    assert not at_sentence_start(text, text.index("one"))
    assert not at_sentence_start(text, text.index("then"))
    assert at_sentence_start(text, text.index("then"), SENTENCE_END + ":;")
    assert at_sentence_start("one\n- two", 6)


def test_capitalise_like() -> None:
    assert capitalise_like("the", "Teh") == "The"
    assert capitalise_like("the", "teh") == "the"
    assert capitalise_like("Paris", "paris") == "Paris"
    assert capitalise_like("", "X") == ""
