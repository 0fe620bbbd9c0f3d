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

The other way round, a recommended library phrase ("furthermore", "individuals",
"enhance") that people do use now and then is demoted to picky when it is the only
tell of a paragraph that reads written by a person: the learned paragraph gate of
``tells.py`` below ``HUMAN_GATE``. A second tell beside it is evidence enough to show
both (the gate reads little into a one-line paragraph). Essential phrases (people almost never write
them) are shown everywhere. On the human reference corpus this halves the default
profile's false flags; on generated text it loses about one marked span in a hundred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from companion.core.findings import Finding, Level
from companion.core.segment import COMPOUND_WORD

CLUSTER_TELLS = 3
CLUSTER_PER_100 = 2.5
#: Below this paragraph-gate probability a paragraph reads written by a person.
HUMAN_GATE = 0.1
_NOTE = " Shown because several tells cluster in this paragraph."
_QUIET = " Left for the picky profile: the rest of this paragraph reads like a person's."
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
    words = len(COMPOUND_WORD.findall(paragraph))
    return words > 0 and 100 * tells / words >= CLUSTER_PER_100


#: ``settle_levels``'s default: compute the paragraph gate when it is needed.
ASK = object()


def needs_gate(findings: Sequence[Finding]) -> bool:
    """Whether settling ``findings`` may need the paragraph gate (a demotable library phrase)."""
    return any(_demotable(f) for f in findings)


def settle_levels(paragraph: str, findings: Sequence[Finding], gate: object = ASK) -> list[Finding]:
    """``findings`` of one paragraph with levels settled by density and the paragraph gate.

    ``gate`` is the paragraph's gate probability when the caller has it (the editor
    computes it on its worker, never on the UI thread), None for unknown (nothing is
    demoted); by default it is computed here when needed.
    """
    if is_cluster(paragraph, findings):
        return [
            replace(f, level=Level.RECOMMENDED, message=f.message + _NOTE)
            if f.level is Level.PICKY and is_tell(f)
            else f
            for f in findings
        ]
    if tell_count(findings) != 1 or not needs_gate(findings):
        return list(findings)
    if gate is ASK:
        from companion.core.tells import paragraph_gate

        gate = paragraph_gate(paragraph)
    if not isinstance(gate, float) or gate >= HUMAN_GATE:
        return list(findings)
    return [
        replace(f, level=Level.PICKY, message=f.message + _QUIET) if _demotable(f) else f for f in findings
    ]


def _demotable(f: Finding) -> bool:
    return f.source == "library" and f.level is Level.RECOMMENDED and f.is_robotic
