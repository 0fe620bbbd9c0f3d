"""What the editor knows about each paragraph: identity, revision, findings.

A paragraph's ``BlockState`` lives on its lead block (see :mod:`.paragraphs`), held by
``BlockData``, the block's ``QTextBlockUserData``; a block that stops opening a
paragraph loses it (:func:`retire`). Findings are kept together with the paragraph
text they were computed for; when the paragraph has changed since,
:func:`carry_over` moves them onto the new text (those in the untouched prefix
and suffix survive, those across the edit are dropped), so underlines do not
flicker while the worker catches up.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from PySide6.QtGui import QTextBlock, QTextBlockUserData

from companion.core.engine import Filters, ParaStats, paragraph_score, phrasing_weight, present
from companion.core.findings import Finding

_keys = itertools.count(1)
#: Suggestions in ranked order, by the (rule, start, end) of their finding.
Orders = dict[tuple[str, int, int], tuple[str, ...]]


@dataclass(slots=True)
class Layer:
    """Findings of one stage (fast or slow) and the text they belong to."""

    text: str = ""
    findings: tuple[Finding, ...] = ()


@dataclass(slots=True)
class BlockState:
    key: int = field(default_factory=lambda: next(_keys))
    #: Bumped on every edit of the block; results for an older revision are dropped.
    revision: int = 0
    #: Revision whose results were applied, per stage.
    done: dict[str, int] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)
    stats: ParaStats | None = None
    #: The paragraph gate and the text it was computed for (by the worker; see density.py).
    gate: tuple[str, float | None] | None = None
    ignored_ranges: tuple[tuple[int, int], ...] = ()
    #: "Ignore once": (rule, matched text) pairs for this paragraph only.
    ignore_once: set[tuple[str, str]] = field(default_factory=set)
    #: Suggestions ranked by fit in context (slow pass): text, (rule, start, end) -> order.
    ranked: tuple[str, Orders] | None = None
    #: Cache of :meth:`shown`: (text, filters id) -> findings.
    shown_key: tuple[str, int] | None = None
    shown_cache: tuple[Finding, ...] = ()
    _figures: tuple[float, float] | None = None

    def needs(self, stage: str) -> bool:
        return self.done.get(stage) != self.revision

    def store(self, stage: str, text: str, findings: tuple[Finding, ...]) -> None:
        self.layers[stage] = Layer(text, findings)
        self.done[stage] = self.revision
        self.shown_key = None
        self._figures = None

    def _figures_now(self) -> tuple[float, float]:
        # Computed when the panel asks, not when results arrive (keeps that path short).
        if self._figures is None:
            # Every level counts, as in the core's score; Markdown code and URLs do not.
            ranges = self.ignored_ranges
            weight = phrasing_weight(
                f
                for layer in self.layers.values()
                for f in layer.findings
                if not any(f.start < e and s < f.end for s, e in ranges)
            )
            self._figures = (weight, paragraph_score(self.stats, weight) if self.stats else 0.0)
        return self._figures

    @property
    def weight(self) -> float:
        """Robotic-phrasing weight of every finding (all levels, unfiltered), for the score."""
        return self._figures_now()[0]

    @property
    def score(self) -> float:
        """This paragraph's robotic score (0-100)."""
        return self._figures_now()[1]

    def shown(self, text: str, filters: Filters, filters_id: int) -> tuple[Finding, ...]:
        """Findings to draw on ``text`` (the paragraph's current text): filtered and merged."""
        key = (text, filters_id)
        if self.shown_key == key:
            return self.shown_cache
        raw: list[Finding] = []
        for layer in self.layers.values():
            if layer.text != text:
                layer.findings = carry_over(layer.text, text, layer.findings)
                layer.text = text
            raw.extend(layer.findings)
        gate = self.gate[1] if self.gate is not None and self.gate[0] == text else None
        kept = present(text, raw, filters, gate=gate, ignored=self.ignored_ranges)
        if self.ignore_once:
            kept = [f for f in kept if (f.rule, f.matched) not in self.ignore_once]
        if self.ranked is not None and self.ranked[0] == text:
            kept = [_in_order(f, self.ranked[1]) for f in kept]
        self.shown_key = key
        self.shown_cache = tuple(kept)
        return self.shown_cache


def _in_order(f: Finding, ranked: Orders) -> Finding:
    order = ranked.get((f.rule, f.start, f.end))
    if order is None or order == f.suggestions or sorted(order) != sorted(f.suggestions):
        return f
    return replace(f, suggestions=order)


def ranking(
    text: str, ranked: tuple[Finding, ...]
) -> tuple[str, dict[tuple[str, int, int], tuple[str, ...]]]:
    """What :attr:`BlockState.ranked` keeps of the slow pass's ranked findings of ``text``."""
    return text, {(f.rule, f.start, f.end): f.suggestions for f in ranked if len(f.suggestions) > 1}


class BlockData(QTextBlockUserData):
    """The Qt handle holding a :class:`BlockState`."""

    def __init__(self, state: BlockState | None) -> None:
        super().__init__()
        self.state = state


def state_of(block: QTextBlock, create: bool = True) -> BlockState | None:
    data = block.userData()
    if isinstance(data, BlockData) and data.state is not None:
        return data.state
    if not create:
        return None
    state = BlockState()
    if isinstance(data, BlockData):
        data.state = state
    else:
        block.setUserData(BlockData(state))
    return state


def retire(block: QTextBlock) -> BlockState | None:
    """Drop the state of ``block`` (it no longer opens a paragraph); returns what it held."""
    data = block.userData()
    if isinstance(data, BlockData) and data.state is not None:
        state, data.state = data.state, None
        return state
    return None


def carry_over(old: str, new: str, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """``findings`` of ``old`` moved onto ``new``: those clear of the changed region survive."""
    if old == new or not findings:
        return findings if old == new else ()
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    changed_end = len(old) - suffix  # the edit replaced old[prefix:changed_end]
    new_end = len(new) - suffix
    delta = len(new) - len(old)
    out = []
    for f in findings:
        if f.end < prefix or (f.end == prefix and not _word_at(old, prefix) and not _word_at(new, prefix)):
            out.append(f)
        elif f.start > changed_end or (
            f.start == changed_end and not _word_at(old, changed_end - 1) and not _word_at(new, new_end - 1)
        ):
            out.append(f.shifted(delta))
    return tuple(out)


def _word_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isalnum()
