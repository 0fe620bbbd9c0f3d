"""Split text into paragraphs and sentences with absolute code-point offsets.

Paragraphs are separated by blank lines; a line that opens a Markdown block
(heading, list item, quote, table row) also starts a paragraph, so list items
and headings never run into the next sentence. :func:`starts_paragraph` is that
rule for one line given the line before it: :func:`paragraphs` is built on it, and
the editor (whose blocks are lines) uses it to group its lines into the same
paragraphs. Lines end at ``"\r\n"``, ``"\r"``, ``"\n"`` or U+2029, exactly where a
Qt text document starts a new block (not at every break ``str.splitlines`` knows:
a form feed or U+2028 stays inside its line there too). Sentences come from blingfire,
a fast, well-tested boundary detector that handles abbreviations ("Dr.", "U.S.",
"p.m.") and returns offsets in code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.core.findings import Span

_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\|)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_LINE = re.compile(r"[^\r\n\u2029]*(?:\r\n|[\r\n\u2029]|$)")
#: A word: letters and digits, with inner apostrophes ("don't", "writer’s").
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: A word that may also hold inner hyphens ("well-known"), counted as one.
COMPOUND_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
#: Characters after which a new sentence starts.
SENTENCE_END = ".!?\n\r"
# What may stand between a sentence's start and its first word: spaces, opening
# quotes and brackets, Markdown marks (emphasis, list bullets, quote marks) and dashes.
_OPENERS = " \t\u00a0\"'“‘([*_>-–—"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph and its sentences, all with absolute offsets."""

    span: Span
    sentences: tuple[Span, ...]


def is_blank(line: str) -> bool:
    """Whether ``line`` (without its line break) is blank: it belongs to no paragraph."""
    return not line.strip()


def starts_paragraph(prev: str | None, line: str) -> bool:
    """Whether ``line`` opens a paragraph, given the line before it (``None`` at the start).

    A blank line never does (it belongs to none). A non-blank one does after the
    start, a blank line or a heading, and when it opens a Markdown block itself.
    Lines are given without their line breaks.
    """
    if is_blank(line):
        return False
    if prev is None or is_blank(prev):
        return True
    return bool(_HEADING.match(prev) or _BLOCK_START.match(line))


def paragraph_bounds(first: str, last: str) -> tuple[int, int]:
    """How much of a paragraph's first and last lines to leave out: (leading, trailing).

    A paragraph's span starts after the first line's indentation and ends before the
    last line's trailing spaces; the lines between are kept whole.
    """
    return len(first) - len(first.lstrip()), len(last) - len(last.rstrip())


def lines(text: str) -> list[tuple[int, str]]:
    """(start, line without its break) for each line of ``text``."""
    out = []
    for m in _LINE.finditer(text):
        start, end = m.span()
        if start == end:  # the empty match at the very end
            break
        out.append((start, m.group().rstrip("\r\n\u2029")))
    return out


def paragraphs(text: str) -> list[Span]:
    """Spans of the paragraphs of ``text`` (no surrounding blank lines)."""
    spans: list[Span] = []
    start: int | None = None
    end = 0
    prev: str | None = None
    for line_start, body in lines(text):
        if start is not None and (is_blank(body) or starts_paragraph(prev, body)):
            spans.append(Span(start, end))
            start = None
        if not is_blank(body):
            lead, trail = paragraph_bounds(body, body)
            if start is None:
                start = line_start + lead
            end = line_start + len(body) - trail
        prev = body
    if start is not None:
        spans.append(Span(start, end))
    return spans


def sentences(text: str, span: Span | None = None) -> tuple[Span, ...]:
    """Sentence spans inside ``span`` of ``text`` (the whole text by default)."""
    span = span or Span(0, len(text))
    chunk = text[span.start : span.end]
    if not chunk.strip():
        return ()
    import blingfire  # with numpy, a tenth of a second: loaded on the first split, not at import

    _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
    base = span.start
    return tuple(Span(base + a, base + b) for a, b in offsets if b > a)


def segment(text: str) -> list[Paragraph]:
    """Paragraphs of ``text`` with their sentences."""
    return [Paragraph(p, sentences(text, p)) for p in paragraphs(text)]


def words(text: str) -> list[str]:
    """Words of ``text`` (letters and digits, with inner apostrophes)."""
    return WORD.findall(text)


def at_sentence_start(text: str, pos: int, ends: str = SENTENCE_END) -> bool:
    """Whether ``pos`` starts a sentence of ``text``.

    True at the start of the text or when only spaces, opening quotes, brackets,
    Markdown marks or dashes separate ``pos`` from one of ``ends`` (by default the end
    of a sentence or a line; pass ``SENTENCE_END + ":;"`` to count clauses too).
    """
    i = pos
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    return i == 0 or text[i - 1] in ends
