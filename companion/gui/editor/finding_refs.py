"""Findings as the editor shows them: :class:`FindingRef`, the one under a position, F8's next."""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextBlock

from companion.core.findings import Finding
from companion.gui.checking.blocks import state_of
from companion.gui.editor.offsets import Utf16Map
from companion.gui.editor.underlines import family_of

if TYPE_CHECKING:
    from companion.gui.editor.editor import Editor


@dataclass(frozen=True, slots=True)
class FindingRef:
    """A shown finding (offsets relative to its block's current text) and where it is."""

    key: int
    block: QTextBlock
    finding: Finding

    @property
    def text(self) -> str:
        return self.block.text()

    def span(self) -> tuple[int, int]:
        """Absolute UTF-16 document positions of the finding."""
        m = Utf16Map(self.block.text())
        base = self.block.position()
        return base + m.to_utf16(self.finding.start), base + m.to_utf16(self.finding.end)

    def sentence(self) -> str:
        """The sentence of the block the finding sits in (for library examples)."""
        from companion.core.engine import sentences

        text = self.block.text()
        for s in sentences(text):
            if s.start <= self.finding.start < s.end:
                return text[s.start : s.end].strip()
        return text.strip()


def jump_target(editor: Editor, forward: bool) -> FindingRef | None:
    """The next (previous) underlined finding after (before) the caret, wrapping (F8).

    Only the blocks the scheduler knows to hold findings are visited, from the caret's
    outwards, so a press on a long document costs a few blocks, not all of them.
    """
    cursor = editor.textCursor()
    selected = cursor.hasSelection()
    here = cursor.selectionStart() if selected else cursor.position()
    doc = editor.document()
    numbers = editor.scheduler.flagged_numbers()
    current = doc.findBlock(here).blockNumber()
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
    # Only the caret's own block has findings, all behind it: wrap within it.
    refs = _jump_refs(editor, doc.findBlockByNumber(current))
    if refs:
        return refs[0] if forward else refs[-1]
    return None


def _jump_refs(editor: Editor, block: QTextBlock) -> list[FindingRef]:
    """The findings of ``block`` F8 stops at (underlined, not hidden), in list order."""
    state = state_of(block)
    assert state is not None
    return [
        FindingRef(state.key, block, f)
        for f in editor.shown(block, state)
        if family_of(f) != "readability" and editor.is_drawn(f)
    ]


def finding_at(editor: Editor, position: int, *, underlined_only: bool = False) -> FindingRef | None:
    """The finding covering document position ``position`` (the most specific one)."""
    block = editor.document().findBlock(position)
    if not block.isValid():
        return None
    state = state_of(block)
    assert state is not None
    rel = Utf16Map(block.text()).from_utf16(position - block.position())
    best = None
    for f in editor.shown(block, state):
        if not editor.is_drawn(f) or (underlined_only and family_of(f) == "readability"):
            continue
        if f.start <= rel <= f.end and (best is None or _rank(f) < _rank(best)):
            best = f
    return FindingRef(state.key, block, best) if best is not None else None


def _rank(f: Finding) -> tuple[int, int]:
    """Smaller is more specific: underlines before tints, short spans before long ones."""
    return (1 if family_of(f) == "readability" else 0, f.end - f.start)
