"""Findings as the editor shows them: :class:`FindingRef`, the one under a position, F8's next.

A finding's offsets are code points into its paragraph's text (the core's paragraph,
which may run over several blocks); :class:`FindingRef` turns them into document
positions through the paragraph as it is now.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from PySide6.QtGui import QTextBlock

from companion.core.findings import Finding
from companion.gui.checking.blocks import state_of
from companion.gui.checking.paragraphs import Para, lead_of, paragraph
from companion.gui.editor.host import FindingsHost
from companion.gui.editor.offsets import Utf16Map
from companion.gui.editor.underlines import family_of


@dataclass(frozen=True, slots=True)
class FindingRef:
    """A shown finding (offsets relative to its paragraph's current text) and where it is."""

    key: int
    #: The paragraph's lead block.
    block: QTextBlock
    finding: Finding

    @property
    def para(self) -> Para:
        """The paragraph as it is now."""
        return paragraph(self.block)

    @property
    def text(self) -> str:
        return self.para.text

    @property
    def indent(self) -> int:
        """Code points between the lead block's start and the paragraph text's."""
        return self.para.indent

    def span(self) -> tuple[int, int]:
        """Absolute UTF-16 document positions of the finding."""
        return positions(self.para, self.finding.start, self.finding.end)

    def sentence(self) -> str:
        """The sentence of the paragraph the finding sits in (for library examples)."""
        from companion.core.engine import sentences

        text = self.text
        for s in sentences(text):
            if s.start <= self.finding.start < s.end:
                return text[s.start : s.end].strip()
        return text.strip()


def positions(para: Para, *offsets: int) -> tuple[int, ...]:
    """Document positions (UTF-16) of code-point ``offsets`` into ``para``'s text, across its lines."""
    m = Utf16Map(para.full)
    base = para.lead.position()
    return tuple(base + m.to_utf16(para.indent + o) for o in offsets)


def offset_in(para: Para, position: int) -> int:
    """The code-point offset into ``para``'s text of document ``position`` (clamped to it)."""
    rel = Utf16Map(para.full).from_utf16(max(0, position - para.lead.position())) - para.indent
    return min(max(rel, 0), len(para.text))


def jump_target(editor: FindingsHost, forward: bool) -> FindingRef | None:
    """The next (previous) underlined finding after (before) the caret, wrapping (F8).

    Only the paragraphs the scheduler knows to hold findings are visited, from the
    caret's outwards, so a press on a long document costs a few, not all of them.
    """
    cursor = editor.textCursor()
    selected = cursor.hasSelection()
    here = cursor.selectionStart() if selected else cursor.position()
    doc = editor.document()
    numbers = editor.scheduler.flagged_numbers()
    caret = doc.findBlock(here)
    lead = lead_of(caret) if caret.isValid() else None
    current = (lead or caret).blockNumber()
    if forward:
        first = bisect_left(numbers, current)
        order = itertools.chain(numbers[first:], numbers[:first])
    else:
        last = bisect_right(numbers, current)
        order = itertools.chain(reversed(numbers[:last]), reversed(numbers[last:]))
    wrapped = False
    for number in order:
        block = doc.findBlockByNumber(number)
        refs = _jump_refs(editor, block)
        if not refs:
            continue
        wrapped = wrapped or (number < current if forward else number > current)
        if wrapped:  # nothing beyond the caret: the first (last) finding of the document
            return refs[0] if forward else refs[-1]
        for r in refs if forward else reversed(refs):
            s = r.span()[0]
            if (s > here or (s == here and not selected)) if forward else s < here:
                return r
    # Only the caret's own paragraph has findings, all behind it: wrap within it.
    refs = _jump_refs(editor, doc.findBlockByNumber(current)) if lead is not None else []
    if refs:
        return refs[0] if forward else refs[-1]
    return None


def _jump_refs(editor: FindingsHost, block: QTextBlock) -> list[FindingRef]:
    """The findings of the paragraph led by ``block`` F8 stops at (underlined, not hidden)."""
    state = state_of(block, create=False)
    if state is None:
        return []
    return [
        FindingRef(state.key, block, f)
        for f in editor.shown(block, state)
        if family_of(f) != "readability" and editor.is_drawn(f)
    ]


def finding_at(editor: FindingsHost, position: int, *, underlined_only: bool = False) -> FindingRef | None:
    """The finding covering document position ``position`` (the most specific one)."""
    block = editor.document().findBlock(position)
    lead = lead_of(block) if block.isValid() else None
    if lead is None:
        return None
    state = state_of(lead, create=False)
    if state is None:
        return None
    para = paragraph(lead)
    rel = Utf16Map(para.full).from_utf16(position - lead.position()) - para.indent
    best = None
    for f in editor.shown(lead, state):
        if not editor.is_drawn(f) or (underlined_only and family_of(f) == "readability"):
            continue
        if f.start <= rel <= f.end and (best is None or _rank(f) < _rank(best)):
            best = f
    return FindingRef(state.key, lead, best) if best is not None else None


def _rank(f: Finding) -> tuple[int, int]:
    """Smaller is more specific: underlines before tints, short spans before long ones."""
    return (1 if family_of(f) == "readability" else 0, f.end - f.start)
