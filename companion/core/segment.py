"""Split text into paragraphs and sentences with absolute code-point offsets.

Paragraphs are separated by blank lines; a line that opens a Markdown block
(heading, list item, quote, table row) also starts a paragraph, so list items
and headings never run into the next sentence. Sentences come from blingfire,
a fast, well-tested boundary detector that handles abbreviations ("Dr.", "U.S.",
"p.m.") and returns offsets in code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import blingfire

from companion.core.findings import Span

_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>|\|)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
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


def paragraphs(text: str) -> list[Span]:
    """Spans of the paragraphs of ``text`` (no surrounding blank lines)."""
    spans: list[Span] = []
    start: int | None = None
    end = 0
    prev_heading = False
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        line_start = pos
        pos += len(line)
        if not body.strip():
            if start is not None:
                spans.append(Span(start, end))
                start = None
            continue
        if start is not None and (prev_heading or _BLOCK_START.match(body)):
            spans.append(Span(start, end))
            start = None
        if start is None:
            start = line_start + (len(body) - len(body.lstrip()))
        end = line_start + len(body.rstrip())
        prev_heading = bool(_HEADING.match(body))
    if start is not None:
        spans.append(Span(start, end))
    return spans


def sentences(text: str, span: Span | None = None) -> tuple[Span, ...]:
    """Sentence spans inside ``span`` of ``text`` (the whole text by default)."""
    span = span or Span(0, len(text))
    chunk = text[span.start : span.end]
    if not chunk.strip():
        return ()
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
