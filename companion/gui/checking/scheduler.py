"""Decides what to check next: debounce, one job in flight per lane, stale results dropped.

The unit of checking is the core's paragraph (a run of blocks, see :mod:`.paragraphs`),
whose state lives on its lead block (:mod:`.index`). Every edit bumps the revision of
the paragraphs it touched and restarts a single-shot debounce timer. When it fires,
jobs go out in two lanes, each with its own worker thread and one job in flight. The
main lane runs the fast analyzers on the edited paragraphs, then on the visible ones,
then the embedding model (semantic) on the same, then the rest of the document in
small chunks (fast first). The grammar lane runs grammar in the same order on its own
thread, so a slow or hung LanguageTool server never holds up an underline of any
other kind. A result is applied only if its paragraph still has the revision the
snapshot was taken at. Filtering and merging happen per paragraph in ``BlockState``.
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
from companion.gui.checking.blocks import BlockState, ranking
from companion.gui.checking.index import ParagraphIndex
from companion.gui.checking.queue import STAGES, WorkQueues
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

#: An edit touching more paragraphs than this (a paste, a load) is checked in the background order.
BULK_BLOCKS = 12

Runner = ThreadRunner | InlineRunner
#: The stage each slow analyzer runs in.
STAGE_OF = {"semantic": SLOW, "grammar": GRAMMAR}


@dataclass(slots=True)
class Lane:
    """A runner (worker thread) with the stages it runs and its one job in flight."""

    runner: Runner
    stages: tuple[str, ...]
    in_flight: Job | None = None
    urgent: bool = False


class CheckScheduler(QObject):
    """Feeds a runner with snapshots of a ``QTextDocument``'s paragraphs and collects results."""

    #: set[int] of paragraph keys whose findings changed.
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
        self._paras = ParagraphIndex(document)
        self._queues = WorkQueues(self._paras, self._visible)
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
        document.blockCountChanged.connect(self._paras.invalidate)
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
        """Slow analyzers that finished loading; paragraphs get a slow pass."""
        names = frozenset(names) & SLOW_NAMES
        if names == self._slow_names:
            return
        added = {STAGE_OF[name] for name in names - self._slow_names}
        self._slow_names = names
        for stage in added:
            for state in self._paras.states.values():
                state.done.pop(stage, None)
            self._queues.rest[stage] = OrderedDict.fromkeys(self._keys_in_order())
        if added:
            self._kick.start()

    def set_markdown(self, on: bool) -> None:
        if on != self._markdown:
            self._markdown = on
            self.recheck_all()

    def set_debounce(self, ms: int) -> None:
        self._debounce.setInterval(max(0, ms))

    def recheck_all(self) -> None:
        for state in self._paras.states.values():
            state.done.clear()
        keys = list(self._keys_in_order())
        self._queues.rest = {stage: OrderedDict.fromkeys(keys) for stage in STAGES}
        self._kick.start()

    def recheck_fast(self) -> None:
        """The checker gained fast analyzers: every paragraph gets a fast pass again."""
        for state in self._paras.states.values():
            state.done.pop(FAST, None)
        self._queues.rest[FAST] = OrderedDict.fromkeys(self._keys_in_order())
        self._kick.start()

    def shutdown(self) -> None:
        """Stop checking; waits for the worker thread to end."""
        self._closed = True
        self._debounce.stop()
        self._kick.stop()
        for runner in dict.fromkeys(lane.runner for lane in self._lanes):
            runner.shutdown()

    # -- paragraphs ------------------------------------------------------------------------
    def state(self, key: int) -> BlockState | None:
        return self._paras.state(key)

    def block_for(self, key: int) -> QTextBlock | None:
        """The lead block of paragraph ``key``, if it still opens one."""
        return self._paras.block_for(key)

    def paragraphs(self) -> Iterator[tuple[QTextBlock, BlockState]]:
        """Every paragraph's lead block with its state, in document order."""
        return self._paras.leads()

    def _keys_in_order(self) -> Iterator[int]:
        return self._paras.keys_in_order()

    def flagged_numbers(self) -> list[int]:
        """Sorted numbers of the lead blocks of paragraphs holding findings, before filters (F8)."""
        return self._paras.flagged_numbers()

    # -- edits ---------------------------------------------------------------------------
    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        touched, dropped = self._paras.edited(position, added)
        if dropped:
            self.updated.emit(dropped)
        if len(touched) > BULK_BLOCKS:
            for stage in STAGES:
                self._queues.rest[stage].update(OrderedDict.fromkeys(touched))
        else:
            self._queues.urgent.update(OrderedDict.fromkeys(touched))
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
        return any(state.needs(stage) for _, state in self.paragraphs() for stage in stages)

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
                if self._queues.urgent and not lane.urgent:
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
            items = self._queues.take_urgent(stage, self._ready_stages())
            if items:
                return self._job(stage, items), True
            items = self._queues.take_visible(stage)
            if items:
                return self._job(stage, items), True
        for stage in stages:
            items = self._queues.take_rest(stage)
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
            self._md_text = (rev, "\n".join(_block_texts(self._doc)))
        return self._md_text[1]

    # -- results -------------------------------------------------------------------------
    def _on_results(self, batch: list[ParaResult]) -> None:
        changed = set()
        for r in batch:
            state = self._paras.state(r.key)
            if state is None or state.revision != r.revision:
                self.dropped += 1
                continue
            if r.stage == FAST:
                state.stats = r.stats
                state.gate = (r.text, r.gate)
                state.ignored_ranges = r.ignored
            if r.ranked is not None:
                state.ranked = ranking(r.text, r.ranked)
            state.store(r.stage, r.text, r.findings)
            changed.add(r.key)
            if r.findings:
                self._paras.flagged(r.key)
        if changed:
            self.updated.emit(changed)

    def _on_finished(self, job_id: int) -> None:
        lane = next((ln for ln in self._lanes if ln.in_flight and ln.in_flight.id == job_id), None)
        if lane is None or lane.in_flight is None:
            return
        job = lane.in_flight
        lane.in_flight = None
        for item in reversed(job.items):  # preempted or failed items go back to the front
            state = self._paras.state(item.key)
            if state is not None and state.revision == item.revision and state.needs(job.stage):
                queue = self._queues.rest[job.stage]
                queue[item.key] = None
                queue.move_to_end(item.key, last=False)
        if not self._closed:
            self._kick.start()


def _block_texts(doc: QTextDocument) -> Iterator[str]:
    block = doc.firstBlock()
    while block.isValid():
        yield block.text()
        block = block.next()
