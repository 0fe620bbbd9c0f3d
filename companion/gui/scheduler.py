"""Decides what to check next: debounce, one job in flight, stale results dropped.

Every edit bumps the revision of the blocks it touched and restarts a single-shot
debounce timer. When it fires, jobs go out one at a time in this order: fast
analyzers on the edited blocks, then on the visible ones, then the slow analyzers
(semantic, grammar) on the same, then the rest of the document in small chunks
(fast first). A result is applied only if its block still has the revision the
snapshot was taken at. Filtering and merging happen per block in ``BlockState``.
"""

from __future__ import annotations

import itertools
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextBlock, QTextDocument

from companion.core.checker import SLOW as SLOW_NAMES
from companion.core.checker import Checker
from companion.gui.blocks import BlockState, state_of
from companion.gui.worker import FAST, SLOW, InlineRunner, Item, Job, ParaResult, ThreadRunner

log = logging.getLogger(__name__)

#: An edit touching more blocks than this (a paste, a load) is checked in the background order.
BULK_BLOCKS = 12
#: Characters per background job: small, so an edit never waits long behind one.
FAST_BUDGET = 2500
SLOW_BUDGET = 1200

Runner = ThreadRunner | InlineRunner


class CheckScheduler(QObject):
    """Feeds a runner with snapshots of a ``QTextDocument``'s blocks and collects results."""

    #: set[int] of block keys whose findings changed.
    updated = Signal(object)
    #: Nothing left to check.
    idle = Signal()

    def __init__(
        self,
        document: QTextDocument,
        runner: Runner,
        *,
        debounce_ms: int = 250,
        visible_blocks: Callable[[], list[QTextBlock]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = document
        self._runner = runner
        self._visible = visible_blocks or (lambda: [])
        self._checker: Checker | None = None
        self._slow_names: frozenset[str] = frozenset()
        self._markdown = False
        self._md_text: tuple[int, str] | None = None
        self._states: dict[int, BlockState] = {}
        self._index: dict[int, int] | None = None
        self._flagged_keys: set[int] = set()  # blocks that received findings (some may have lost them)
        self._flagged: list[int] | None = None  # flagged_numbers(), until results or new blocks
        self._urgent: OrderedDict[int, None] = OrderedDict()
        self._rest: dict[str, OrderedDict[int, None]] = {FAST: OrderedDict(), SLOW: OrderedDict()}
        self._in_flight: Job | None = None
        self._in_flight_urgent = False
        self._ids = itertools.count(1)
        self._closed = False
        self._was_idle = True
        self.dropped = 0

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._dispatch)
        self._kick = QTimer(self)
        self._kick.setSingleShot(True)
        self._kick.setInterval(0)
        self._kick.timeout.connect(self._dispatch)

        runner.results.connect(self._on_results)
        runner.finished.connect(self._on_finished)
        document.contentsChange.connect(self._on_contents_change)
        document.blockCountChanged.connect(self._invalidate_index)
        self._on_contents_change(0, 0, document.characterCount())

    # -- configuration -------------------------------------------------------------------
    def set_checker(self, checker: Checker | None) -> None:
        """Use ``checker`` from now on; everything is checked again (cheap: results are cached)."""
        self._checker = checker
        self._slow_names = frozenset()
        self.recheck_all()

    @property
    def checker(self) -> Checker | None:
        return self._checker

    def set_slow_ready(self, names: Iterable[str]) -> None:
        """Slow analyzers that finished loading; blocks get a slow pass."""
        names = frozenset(names) & SLOW_NAMES
        if names == self._slow_names:
            return
        added = names - self._slow_names
        self._slow_names = names
        if added:
            for state in self._states.values():
                state.done.pop(SLOW, None)
            self._rest[SLOW] = OrderedDict.fromkeys(self._keys_in_order())
            self._kick.start()

    def set_markdown(self, on: bool) -> None:
        if on != self._markdown:
            self._markdown = on
            self.recheck_all()

    def set_debounce(self, ms: int) -> None:
        self._debounce.setInterval(max(0, ms))

    def recheck_all(self) -> None:
        for state in self._states.values():
            state.done.clear()
        keys = list(self._keys_in_order())
        self._rest = {FAST: OrderedDict.fromkeys(keys), SLOW: OrderedDict.fromkeys(keys)}
        self._kick.start()

    def recheck_fast(self) -> None:
        """The checker gained fast analyzers: every block gets a fast pass again."""
        for state in self._states.values():
            state.done.pop(FAST, None)
        self._rest[FAST] = OrderedDict.fromkeys(self._keys_in_order())
        self._kick.start()

    def shutdown(self) -> None:
        """Stop checking; waits for the worker thread to end."""
        self._closed = True
        self._debounce.stop()
        self._kick.stop()
        self._runner.shutdown()

    # -- blocks --------------------------------------------------------------------------
    def state(self, key: int) -> BlockState | None:
        return self._states.get(key)

    def block_for(self, key: int) -> QTextBlock | None:
        state = self._states.get(key)
        if state is None:
            return None
        for attempt in range(2):
            if self._index is None:
                self._rebuild_index()
            assert self._index is not None
            number = self._index.get(key)
            if number is not None:
                block = self._doc.findBlockByNumber(number)
                if block.isValid() and state_of(block, create=False) is state:
                    return block
            if attempt == 0:
                self._invalidate_index()
        return None

    def blocks(self) -> Iterator[tuple[QTextBlock, BlockState]]:
        """Every block with its state, in document order."""
        block = self._doc.firstBlock()
        while block.isValid():
            state = state_of(block)
            assert state is not None
            if state.key not in self._states:
                self._states[state.key] = state
            yield block, state
            block = block.next()

    def _keys_in_order(self) -> Iterator[int]:
        return (state.key for _, state in self.blocks())

    def _rebuild_index(self) -> None:
        states = [state for _, state in self.blocks()]
        self._index = {state.key: n for n, state in enumerate(states)}
        self._states = {state.key: state for state in states}

    def _invalidate_index(self, _count: int = 0) -> None:
        self._index = self._flagged = None

    def flagged_numbers(self) -> list[int]:
        """Sorted numbers of the blocks holding findings, before filters (F8 walks these)."""
        if self._flagged is None:
            if self._index is None or not self._flagged_keys <= self._index.keys():  # blocks came or went
                self._rebuild_index()
                self._flagged_keys &= self._states.keys()
            self._flagged = sorted(map((self._index or {}).__getitem__, self._flagged_keys))
        return self._flagged

    # -- edits ---------------------------------------------------------------------------
    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        block = self._doc.findBlock(position)
        end = position + added
        touched = []
        while block.isValid():
            state = state_of(block)
            assert state is not None
            state.revision += 1
            self._states[state.key] = state
            touched.append(state.key)
            if block.position() + block.length() > end:
                break
            block = block.next()
        if len(touched) > BULK_BLOCKS:
            for stage in (FAST, SLOW):
                self._rest[stage].update(OrderedDict.fromkeys(touched))
        else:
            self._urgent.update(OrderedDict.fromkeys(touched))
        self._was_idle = False
        if self._closed:
            return
        self._debounce.start()
        if self._in_flight is not None and not self._in_flight_urgent:
            self._runner.preempt()

    # -- dispatch ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A job is in flight or about to be sent."""
        return self._in_flight is not None or self._debounce.isActive() or self._kick.isActive()

    @property
    def runner(self) -> Runner:
        return self._runner

    @property
    def in_flight(self) -> Job | None:
        """The job the worker is on, if any."""
        return self._in_flight

    @property
    def slow_ready(self) -> frozenset[str]:
        return self._slow_names

    def has_work(self) -> bool:
        """Whether some block still needs a check (with the analyzers available now)."""
        if self._checker is None:
            return False
        stages = [FAST, SLOW] if self._slow_names else [FAST]
        return any(state.needs(stage) for _, state in self.blocks() for stage in stages)

    def poke(self) -> None:
        """Look for work soon (after scrolling: new blocks may be visible)."""
        if not self._closed:
            self._kick.start()

    def flush(self) -> None:
        """Skip the debounce: dispatch now."""
        self._debounce.stop()
        self._dispatch()

    def _dispatch(self) -> None:
        if self._closed or self._checker is None or self._debounce.isActive():
            return
        if self._in_flight is not None:
            if self._urgent and not self._in_flight_urgent:
                self._runner.preempt()
            return
        job, urgent = self._next_job()
        if job is None:
            if not self._was_idle:
                self._was_idle = True
                self.idle.emit()
            return
        self._in_flight = job
        self._in_flight_urgent = urgent
        self._was_idle = False
        self._runner.submit(job)

    def _next_job(self) -> tuple[Job | None, bool]:
        stages = [FAST, SLOW] if self._slow_names else [FAST]
        for stage in stages:
            items = self._take_urgent(stage)
            if items:
                return self._job(stage, items), True
            items = self._take_visible(stage)
            if items:
                return self._job(stage, items), True
        for stage in stages:
            items = self._take_rest(stage)
            if items:
                return self._job(stage, items), False
        return None, False

    def _job(self, stage: str, items: list[Item]) -> Job:
        assert self._checker is not None
        names = frozenset(a.name for a in self._checker.analyzers)
        names = names - SLOW_NAMES if stage == FAST else self._slow_names
        return Job(next(self._ids), stage, names, tuple(items), self._checker, self._markdown_text())

    def _markdown_text(self) -> str | None:
        if not self._markdown:
            return None
        rev = self._doc.revision()
        if self._md_text is None or self._md_text[0] != rev:
            self._md_text = (rev, "\n".join(b.text() for b, _ in self.blocks()))
        return self._md_text[1]

    def _item(self, block: QTextBlock, state: BlockState) -> Item:
        return Item(state.key, state.revision, block.text(), block.blockNumber())

    def _settle_blank(self, block: QTextBlock, state: BlockState, stage: str) -> bool:
        """A blank block needs no analysis: mark it checked here. True if it was blank."""
        text = block.text()
        if text.strip():
            return False
        had = bool(state.layers.get(stage, None) and state.layers[stage].findings) or state.stats is not None
        state.stats = None
        state.store(stage, text, ())
        if had:
            self.updated.emit({state.key})
        return True

    def _take_urgent(self, stage: str) -> list[Item]:
        items: list[Item] = []
        chars = 0
        budget = FAST_BUDGET if stage == FAST else SLOW_BUDGET
        for key in list(self._urgent):
            block = self.block_for(key)
            state = self._states.get(key)
            if block is None or state is None:
                del self._urgent[key]
                continue
            if not state.needs(FAST) and (not self._slow_names or not state.needs(SLOW)):
                del self._urgent[key]
                continue
            if state.needs(stage) and chars < budget and not self._settle_blank(block, state, stage):
                item = self._item(block, state)
                items.append(item)
                chars += len(item.text)
        return items

    def _take_visible(self, stage: str) -> list[Item]:
        items = []
        for block in self._visible():
            state = state_of(block)
            assert state is not None
            self._states.setdefault(state.key, state)
            if state.needs(stage) and not self._settle_blank(block, state, stage):
                items.append(self._item(block, state))
        return items

    def _take_rest(self, stage: str) -> list[Item]:
        queue = self._rest[stage]
        items: list[Item] = []
        chars = 0
        budget = FAST_BUDGET if stage == FAST else SLOW_BUDGET
        while queue and chars < budget:
            key, _ = queue.popitem(last=False)
            state = self._states.get(key)
            if state is None or not state.needs(stage):
                continue
            block = self.block_for(key)
            if block is None or self._settle_blank(block, state, stage):
                continue
            item = self._item(block, state)
            items.append(item)
            chars += len(item.text)
        return items

    # -- results -------------------------------------------------------------------------
    def _on_results(self, batch: list[ParaResult]) -> None:
        changed = set()
        for r in batch:
            state = self._states.get(r.key)
            if state is None or state.revision != r.revision:
                self.dropped += 1
                continue
            if r.stage == FAST:
                state.stats = r.stats
                state.ignored_ranges = r.ignored
            state.store(r.stage, r.text, r.findings)
            changed.add(r.key)
            if r.findings and r.key not in self._flagged_keys:
                self._flagged_keys.add(r.key)
                self._flagged = None
        if changed:
            self.updated.emit(changed)

    def _on_finished(self, job_id: int) -> None:
        job = self._in_flight
        if job is None or job.id != job_id:
            return
        self._in_flight = None
        for item in reversed(job.items):  # preempted or failed items go back to the front
            state = self._states.get(item.key)
            if state is not None and state.revision == item.revision and state.needs(job.stage):
                queue = self._rest[job.stage]
                queue[item.key] = None
                queue.move_to_end(item.key, last=False)
        if not self._closed:
            self._kick.start()
