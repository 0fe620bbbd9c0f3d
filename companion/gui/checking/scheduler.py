"""Decides what to check next: debounce, one job in flight per lane, stale results dropped.

Every edit bumps the revision of the blocks it touched and restarts a single-shot
debounce timer. When it fires, jobs go out in two lanes, each with its own worker
thread and one job in flight. The main lane runs the fast analyzers on the edited
blocks, then on the visible ones, then the embedding model (semantic) on the same,
then the rest of the document in small chunks (fast first). The grammar lane runs
grammar in the same order on its own thread, so a slow or hung LanguageTool server
never holds up an underline of any other kind. A result is applied only if its
block still has the revision the snapshot was taken at. Filtering and merging
happen per block in ``BlockState``.
"""

from __future__ import annotations

import itertools
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextBlock, QTextDocument

from companion.core.engine import SLOW as SLOW_NAMES
from companion.core.engine import Engine
from companion.gui.checking.blocks import BlockState, state_of
from companion.gui.checking.worker import (
    FAST,
    GRAMMAR,
    SLOW,
    InlineRunner,
    Item,
    Job,
    ParaResult,
    ThreadRunner,
)

log = logging.getLogger(__name__)

#: An edit touching more blocks than this (a paste, a load) is checked in the background order.
BULK_BLOCKS = 12
#: Characters per background job: small, so an edit never waits long behind one.
FAST_BUDGET = 2500
SLOW_BUDGET = 1200

Runner = ThreadRunner | InlineRunner
#: The stage each slow analyzer runs in.
STAGE_OF = {"semantic": SLOW, "grammar": GRAMMAR}
STAGES = (FAST, SLOW, GRAMMAR)


@dataclass(slots=True)
class Lane:
    """A runner (worker thread) with the stages it runs and its one job in flight."""

    runner: Runner
    stages: tuple[str, ...]
    in_flight: Job | None = None
    urgent: bool = False


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
        grammar_runner: Runner | None = None,
        debounce_ms: int = 250,
        visible_blocks: Callable[[], list[QTextBlock]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = document
        self._runner = runner
        if grammar_runner is None:
            # Threads get a grammar thread of their own; the inline test seam shares one runner.
            threaded = isinstance(runner, ThreadRunner)
            grammar_runner = ThreadRunner(self, "humanize-grammar") if threaded else runner
        self._lanes = (Lane(runner, (FAST, SLOW)), Lane(grammar_runner, (GRAMMAR,)))
        self._visible = visible_blocks or (lambda: [])
        self._checker: Engine | None = None
        self._slow_names: frozenset[str] = frozenset()
        self._markdown = False
        self._md_text: tuple[int, str] | None = None
        self._states: dict[int, BlockState] = {}
        self._index: dict[int, int] | None = None
        self._flagged_keys: set[int] = set()  # blocks that received findings (some may have lost them)
        self._flagged: list[int] | None = None  # flagged_numbers(), until results or new blocks
        self._urgent: OrderedDict[int, None] = OrderedDict()
        self._rest: dict[str, OrderedDict[int, None]] = {stage: OrderedDict() for stage in STAGES}
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

        for r in dict.fromkeys(lane.runner for lane in self._lanes):
            r.results.connect(self._on_results)
            r.finished.connect(self._on_finished)
        document.contentsChange.connect(self._on_contents_change)
        document.blockCountChanged.connect(self._invalidate_index)
        self._on_contents_change(0, 0, document.characterCount())

    # -- configuration -------------------------------------------------------------------
    def set_checker(self, checker: Engine | None) -> None:
        """Use ``checker`` from now on; everything is checked again (cheap: results are cached)."""
        self._checker = checker
        self._slow_names = frozenset()
        self.recheck_all()

    @property
    def checker(self) -> Engine | None:
        return self._checker

    def set_slow_ready(self, names: Iterable[str]) -> None:
        """Slow analyzers that finished loading; blocks get a slow pass."""
        names = frozenset(names) & SLOW_NAMES
        if names == self._slow_names:
            return
        added = {STAGE_OF[name] for name in names - self._slow_names}
        self._slow_names = names
        for stage in added:
            for state in self._states.values():
                state.done.pop(stage, None)
            self._rest[stage] = OrderedDict.fromkeys(self._keys_in_order())
        if added:
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
        self._rest = {stage: OrderedDict.fromkeys(keys) for stage in STAGES}
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
        for runner in dict.fromkeys(lane.runner for lane in self._lanes):
            runner.shutdown()

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
            for stage in STAGES:
                self._rest[stage].update(OrderedDict.fromkeys(touched))
        else:
            self._urgent.update(OrderedDict.fromkeys(touched))
        self._was_idle = False
        if self._closed:
            return
        self._debounce.start()
        for lane in self._lanes:
            if lane.in_flight is not None and not lane.urgent:
                lane.runner.preempt()

    # -- dispatch ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """A job is in flight or about to be sent."""
        in_flight = any(lane.in_flight is not None for lane in self._lanes)
        return in_flight or self._debounce.isActive() or self._kick.isActive()

    @property
    def runner(self) -> Runner:
        return self._runner

    @property
    def grammar_runner(self) -> Runner:
        return self._lanes[1].runner

    @property
    def in_flight(self) -> Job | None:
        """The job the main worker is on, if any."""
        return self._lanes[0].in_flight

    @property
    def grammar_in_flight(self) -> Job | None:
        """The job the grammar worker is on, if any."""
        return self._lanes[1].in_flight

    @property
    def slow_ready(self) -> frozenset[str]:
        return self._slow_names

    def has_work(self) -> bool:
        """Whether some block still needs a check (with the analyzers available now)."""
        if self._checker is None:
            return False
        stages = self._ready_stages()
        return any(state.needs(stage) for _, state in self.blocks() for stage in stages)

    def _ready_stages(self, among: Iterable[str] = STAGES) -> list[str]:
        ready = {FAST} | {STAGE_OF[name] for name in self._slow_names}
        return [stage for stage in among if stage in ready]

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
        sent = False
        for lane in self._lanes:
            if lane.in_flight is not None:
                if self._urgent and not lane.urgent:
                    lane.runner.preempt()
                continue
            job, urgent = self._next_job(lane)
            if job is None:
                continue
            lane.in_flight = job
            lane.urgent = urgent
            sent = True
            self._was_idle = False
            lane.runner.submit(job)  # an inline runner finishes it here (and kicks the next dispatch)
            if self._closed:
                return
        if not sent and not self._was_idle and not any(lane.in_flight for lane in self._lanes):
            self._was_idle = True
            self.idle.emit()

    def _next_job(self, lane: Lane) -> tuple[Job | None, bool]:
        stages = self._ready_stages(lane.stages)
        if not stages:
            return None, False
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
        if stage == FAST:
            names = names - SLOW_NAMES
        else:
            names = frozenset(n for n in self._slow_names if STAGE_OF[n] == stage)
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
            if not any(state.needs(s) for s in self._ready_stages()):
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
                state.gate = (r.text, r.gate)
                state.ignored_ranges = r.ignored
            state.store(r.stage, r.text, r.findings)
            changed.add(r.key)
            if r.findings and r.key not in self._flagged_keys:
                self._flagged_keys.add(r.key)
                self._flagged = None
        if changed:
            self.updated.emit(changed)

    def _on_finished(self, job_id: int) -> None:
        lane = next((ln for ln in self._lanes if ln.in_flight and ln.in_flight.id == job_id), None)
        if lane is None or lane.in_flight is None:
            return
        job = lane.in_flight
        lane.in_flight = None
        for item in reversed(job.items):  # preempted or failed items go back to the front
            state = self._states.get(item.key)
            if state is not None and state.revision == item.revision and state.needs(job.stage):
                queue = self._rest[job.stage]
                queue[item.key] = None
                queue.move_to_end(item.key, last=False)
        if not self._closed:
            self._kick.start()
