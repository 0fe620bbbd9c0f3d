"""The editor's blocks (lines) grouped into the core's paragraphs.

A paragraph is a run of blocks opened by a *lead* block, by the one rule the core
uses (:func:`companion.core.segment.starts_paragraph`): ``humanize check`` and the
editor cut the same text into the same paragraphs. A paragraph's text is its
blocks' texts joined by ``"\\n"``, without the first line's indentation and the
last line's trailing spaces — exactly the slice the core analyses. Its state
(findings, revision) lives on the lead block; findings' offsets are code points
into :attr:`Para.text` (the editor maps them to document positions, across line
breaks, in :mod:`companion.gui.editor.finding_refs`).

Finding a block's paragraph walks back to its lead and forward to its end: the cost
of one paragraph, never of the document.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QTextBlock, QTextDocument

from companion.core.engine import is_blank, paragraph_bounds, starts_paragraph


def is_lead(block: QTextBlock) -> bool:
    """Whether ``block`` opens a paragraph (a blank block never does)."""
    prev = block.previous()
    return starts_paragraph(prev.text() if prev.isValid() else None, block.text())


def lead_of(block: QTextBlock) -> QTextBlock | None:
    """The lead block of the paragraph ``block`` belongs to; ``None`` for a blank block."""
    text = block.text()
    if is_blank(text):
        return None
    while True:
        prev = block.previous()
        prev_text = prev.text() if prev.isValid() else None
        if starts_paragraph(prev_text, text):
            return block
        block, text = prev, prev_text or ""


class Para:
    """One paragraph of the document as it is now: its blocks, its text, offset maps."""

    __slots__ = ("blocks", "full", "indent", "lead", "text")

    def __init__(self, lead: QTextBlock, blocks: list[QTextBlock], texts: list[str]) -> None:
        self.lead = lead
        self.blocks = blocks
        #: The blocks' texts joined by "\n" (what the document holds from the lead's start).
        self.full = "\n".join(texts)
        cut_start, cut_end = paragraph_bounds(texts[0], texts[-1])
        #: Code points of the lead's indentation left out of :attr:`text`.
        self.indent = cut_start
        self.text = self.full[cut_start : len(self.full) - cut_end]

    @property
    def number(self) -> int:
        return self.lead.blockNumber()

    @property
    def last(self) -> QTextBlock:
        return self.blocks[-1]

    def contains(self, block: QTextBlock) -> bool:
        return self.lead.blockNumber() <= block.blockNumber() <= self.blocks[-1].blockNumber()


def paragraph(lead: QTextBlock) -> Para:
    """The paragraph that ``lead`` (a lead block) opens."""
    blocks, texts = [lead], [lead.text()]
    block = lead.next()
    while block.isValid():
        text = block.text()
        if is_blank(text) or starts_paragraph(texts[-1], text):
            break
        blocks.append(block)
        texts.append(text)
        block = block.next()
    return Para(lead, blocks, texts)


def paragraph_at(block: QTextBlock) -> Para | None:
    """The paragraph ``block`` belongs to; ``None`` for a blank or invalid block."""
    if not block.isValid():
        return None
    lead = lead_of(block)
    return paragraph(lead) if lead is not None else None


def leads_from(block: QTextBlock, stop: QTextBlock | None = None) -> Iterator[QTextBlock]:
    """Lead blocks from the paragraph holding ``block`` on, in document order.

    Ends at the end of the document or after the paragraph holding ``stop``.
    """
    if not block.isValid():
        return
    start = lead_of(block)
    if start is None:
        start = block
    stop_number = stop.blockNumber() if stop is not None and stop.isValid() else None
    prev = start.previous()
    prev_text = prev.text() if prev.isValid() else None
    block = start
    while block.isValid():
        text = block.text()
        if starts_paragraph(prev_text, text):
            if stop_number is not None and block.blockNumber() > stop_number:
                return
            yield block
        prev_text = text
        block = block.next()


def all_leads(doc: QTextDocument) -> Iterator[QTextBlock]:
    """Every lead block of ``doc``, in document order."""
    return leads_from(doc.firstBlock())
