"""Which paragraphs a document has and where: states by key, lead blocks by number, edits.

The scheduler's bookkeeping of paragraphs (see :mod:`.paragraphs`): every paragraph's
:class:`BlockState` by key, a key -> block number index rebuilt when blocks come or go,
the paragraphs holding findings (F8 walks them), and what an edit did — which
paragraphs it touched (their revision goes up) and which blocks stopped opening one
(their state is dropped, so late results for them are too).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtGui import QTextBlock, QTextDocument

from companion.core.engine import starts_paragraph
from companion.gui.checking.blocks import BlockState, retire, state_of
from companion.gui.checking.paragraphs import all_leads, is_lead, leads_from


class ParagraphIndex:
    """The paragraphs of a ``QTextDocument`` with their states."""

    def __init__(self, document: QTextDocument) -> None:
        self._doc = document
        self.states: dict[int, BlockState] = {}
        self._index: dict[int, int] | None = None
        self._flagged_keys: set[int] = set()  # paragraphs that received findings (some may have lost them)
        self._flagged: list[int] | None = None  # flagged_numbers(), until results or new paragraphs

    def state(self, key: int) -> BlockState | None:
        return self.states.get(key)

    def block_for(self, key: int) -> QTextBlock | None:
        """The lead block of paragraph ``key`` (None once it is gone)."""
        state = self.states.get(key)
        if state is None:
            return None
        for attempt in range(2):
            if self._index is None:
                self._rebuild()
            assert self._index is not None
            number = self._index.get(key)
            if number is not None:
                block = self._doc.findBlockByNumber(number)
                if block.isValid() and state_of(block, create=False) is state:
                    return block
            if attempt == 0:
                self.invalidate()
        return None

    def leads(self) -> Iterator[tuple[QTextBlock, BlockState]]:
        """Every paragraph's lead block with its state, in document order."""
        for block in all_leads(self._doc):
            yield block, self.adopt(block)

    def adopt(self, lead: QTextBlock) -> BlockState:
        """The state of lead block ``lead`` (made if new), known by key from now on."""
        state = state_of(lead)
        assert state is not None
        if state.key not in self.states:
            self.states[state.key] = state
            self._index = self._flagged = None
        return state

    def keys_in_order(self) -> Iterator[int]:
        return (state.key for _, state in self.leads())

    def _rebuild(self) -> None:
        pairs = list(self.leads())
        self._index = {state.key: block.blockNumber() for block, state in pairs}
        self.states = {state.key: state for _, state in pairs}

    def invalidate(self, _count: int = 0) -> None:
        self._index = self._flagged = None

    def flagged(self, key: int) -> None:
        """Paragraph ``key`` received findings."""
        if key not in self._flagged_keys:
            self._flagged_keys.add(key)
            self._flagged = None

    def flagged_numbers(self) -> list[int]:
        """Sorted numbers of the lead blocks of paragraphs holding findings, before filters."""
        if self._flagged is None:
            if self._index is None or not self._flagged_keys <= self._index.keys():  # paragraphs came or went
                self._rebuild()
                self._flagged_keys &= self.states.keys()
            self._flagged = sorted(map((self._index or {}).__getitem__, self._flagged_keys))
        return self._flagged

    def still_lead(self, block: QTextBlock) -> bool:
        """Whether ``block`` still opens a paragraph; if not, its state is dropped."""
        if is_lead(block):
            return True
        self.drop(block)
        return False

    def drop(self, block: QTextBlock) -> int | None:
        """Forget the state on ``block`` (no longer a lead); returns its key."""
        state = retire(block)
        if state is None:
            return None
        state.revision += 1  # results in flight for it are stale
        self.states.pop(state.key, None)
        self._flagged_keys.discard(state.key)
        self._index = self._flagged = None
        return state.key

    def edited(self, position: int, added: int) -> tuple[list[int], set[int]]:
        """An edit put ``added`` characters at ``position``: bump the paragraphs it touched.

        Returns the keys of the paragraphs to check again and the keys dropped from
        blocks that no longer open a paragraph. Besides the paragraphs holding the
        changed blocks, the one just before may have lost lines (the first changed
        block opens a paragraph it did not open before) and the one just after may
        be new (its lead opened none before).
        """
        doc = self._doc
        first = doc.findBlock(position)
        if not first.isValid():
            first = doc.lastBlock()
        last = doc.findBlock(min(position + added, doc.characterCount() - 1))
        if not last.isValid() or last.blockNumber() < first.blockNumber():
            last = first
        before, after = first.previous(), last.next()
        stop = after if after.isValid() else last
        known_first = state_of(first, create=False) is not None and is_lead(first)
        dropped: set[int] = set()
        prev_text = before.text() if before.isValid() else None
        block = first
        while block.isValid():
            text = block.text()
            if not starts_paragraph(prev_text, text):
                key = self.drop(block)
                if key is not None:
                    dropped.add(key)
            if block.blockNumber() >= stop.blockNumber():
                break
            prev_text = text
            block = block.next()
        skip = None  # a paragraph after the edit that is still the same
        if after.isValid() and state_of(after, create=False) is not None and is_lead(after):
            skip = after.blockNumber()
        keys = []
        start = first if known_first or not before.isValid() else before
        for lead in leads_from(start, stop):
            if lead.blockNumber() == skip:
                continue
            state = self.adopt(lead)
            state.revision += 1
            keys.append(state.key)
        return keys, dropped
