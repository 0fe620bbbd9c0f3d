"""What waits to be checked, per stage: edited paragraphs first, then the visible, then the rest.

Each ``take_*`` returns the next items of one kind for a stage (a few thousand
characters at most, so an edit never waits long behind a job), snapshotting each
paragraph's text and revision; a paragraph whose lead block stopped opening one is
dropped on the way.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtGui import QTextBlock

from companion.gui.checking.blocks import BlockState
from companion.gui.checking.index import ParagraphIndex
from companion.gui.checking.paragraphs import lead_of, paragraph
from companion.gui.checking.worker import FAST, GRAMMAR, SLOW, Item

STAGES = (FAST, SLOW, GRAMMAR)
#: Characters per background job: small, so an edit never waits long behind one.
FAST_BUDGET = 2500
SLOW_BUDGET = 1200


class WorkQueues:
    """The urgent queue (edited paragraphs) and, per stage, the background one."""

    def __init__(self, paras: ParagraphIndex, visible: Callable[[], list[QTextBlock]]) -> None:
        self._paras = paras
        self._visible = visible
        self.urgent: OrderedDict[int, None] = OrderedDict()
        self.rest: dict[str, OrderedDict[int, None]] = {stage: OrderedDict() for stage in STAGES}

    def _item(self, lead: QTextBlock, state: BlockState) -> Item:
        para = paragraph(lead)
        return Item(state.key, state.revision, para.text, lead.blockNumber(), para.indent)

    def take_urgent(self, stage: str, ready: list[str]) -> list[Item]:
        """Edited paragraphs needing ``stage`` (those needing no ``ready`` stage leave the queue)."""
        items: list[Item] = []
        chars = 0
        budget = FAST_BUDGET if stage == FAST else SLOW_BUDGET
        for key in list(self.urgent):
            block = self._paras.block_for(key)
            state = self._paras.state(key)
            if block is None or state is None or not self._paras.still_lead(block):
                del self.urgent[key]
                continue
            if not any(state.needs(s) for s in ready):
                del self.urgent[key]
                continue
            if state.needs(stage) and chars < budget:
                item = self._item(block, state)
                items.append(item)
                chars += len(item.text)
        return items

    def take_visible(self, stage: str) -> list[Item]:
        items = []
        seen = set()
        for block in self._visible():
            lead = lead_of(block)
            if lead is None or lead.blockNumber() in seen:
                continue
            seen.add(lead.blockNumber())
            state = self._paras.adopt(lead)
            if state.needs(stage):
                items.append(self._item(lead, state))
        return items

    def take_rest(self, stage: str) -> list[Item]:
        queue = self.rest[stage]
        items: list[Item] = []
        chars = 0
        budget = FAST_BUDGET if stage == FAST else SLOW_BUDGET
        while queue and chars < budget:
            key, _ = queue.popitem(last=False)
            state = self._paras.state(key)
            if state is None or not state.needs(stage):
                continue
            block = self._paras.block_for(key)
            if block is None or not self._paras.still_lead(block):
                continue
            item = self._item(block, state)
            items.append(item)
            chars += len(item.text)
        return items
