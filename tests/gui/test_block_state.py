"""A paragraph's state: its score counts what the core's score counts."""

from __future__ import annotations

from companion.core.engine import phrasing_weight
from companion.core.findings import Finding
from companion.gui.checking.blocks import BlockState

TEXT = "We delve into it. `delve into` is code."


def _delve(start: int) -> Finding:
    return Finding(start, start + 10, "ai-ism", "library.ai-ism.delve", "Stock phrase.", ("dig into",))


def test_weight_leaves_out_findings_in_markdown_ignored_ranges() -> None:
    prose, code = _delve(3), _delve(TEXT.index("`") + 1)
    state = BlockState()
    state.store("fast", TEXT, (prose, code))
    both = state.weight
    assert both == phrasing_weight([prose, code]) > 0
    state = BlockState(ignored_ranges=((TEXT.index("`"), TEXT.rindex("`") + 1),))
    state.store("fast", TEXT, (prose, code))
    assert state.weight == phrasing_weight([prose]) < both
