"""Tells that cluster: a picky phrase is shown where generated text stacks them.

People write "a key factor" or "moreover" now and then; generated prose stacks five
tells in one paragraph. So a picky finding (a phrase humans use often) is promoted
to recommended, and shown by the default profile, when its paragraph holds at least
``CLUSTER_TELLS`` distinct robotic-phrasing tells of any level, and at least
``CLUSTER_PER_100`` of them per 100 words. Elsewhere picky findings stay for the
picky profile. Semantic (paraphrase) findings are picky too, so they follow the same
rule. Picky fillers, hedges, wordy phrases and transitions ("very", "just",
"I think", "However,") are everyday habits: they neither count as tells nor get
promoted. The robotic score reads the same density through its phrasing signal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from companion.core.findings import Finding, Level

CLUSTER_TELLS = 3
CLUSTER_PER_100 = 2.5
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_NOTE = " Shown because several tells cluster in this paragraph."
#: Categories whose picky entries are human habits, not tells.
HABITS = frozenset({"filler", "hedge", "wordy", "transition"})


def is_tell(f: Finding) -> bool:
    """Whether ``f`` is evidence of generated phrasing (a picky habit is not)."""
    return f.is_robotic and not (f.level is Level.PICKY and f.category in HABITS)


def tell_count(findings: Sequence[Finding]) -> int:
    """Distinct robotic-phrasing tells among ``findings`` (overlapping ones count once)."""
    spans = sorted((f.start, f.end) for f in findings if is_tell(f))
    count, reach = 0, -1
    for start, end in spans:
        if start >= reach:
            count += 1
            reach = end
        else:
            reach = max(reach, end)
    return count


def is_cluster(paragraph: str, findings: Sequence[Finding]) -> bool:
    """Whether ``findings`` (offsets into ``paragraph``) are a cluster of tells."""
    tells = tell_count(findings)
    if tells < CLUSTER_TELLS:
        return False
    words = len(_WORD.findall(paragraph))
    return words > 0 and 100 * tells / words >= CLUSTER_PER_100


def promote_clusters(paragraph: str, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` of one paragraph with picky phrasing promoted where tells cluster."""
    if not is_cluster(paragraph, findings):
        return list(findings)
    return [
        replace(f, level=Level.RECOMMENDED, message=f.message + _NOTE)
        if f.level is Level.PICKY and is_tell(f)
        else f
        for f in findings
    ]
