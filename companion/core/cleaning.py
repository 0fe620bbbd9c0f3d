"""Clean a whole document the one way every front end does: CLI, folder cleaning, Copy cleaned."""

from __future__ import annotations

from collections.abc import Sequence

from companion.core.checker import Checker
from companion.core.clean import clean_edits, clean_text
from companion.core.clean_guard import GrammarCount, harper_count
from companion.core.findings import Finding


def _ignored(text: str, markdown: bool) -> tuple[tuple[int, int], ...]:
    if not markdown:
        return ()
    from companion.core.markdown import ignored_ranges

    return tuple(ignored_ranges(text))


def clean_document_text(
    checker: Checker, text: str, *, markdown: bool = False, grammar: GrammarCount | None = None
) -> str:
    """``text`` with every safe change applied, to a fixed point (cleaning it again changes nothing).

    ``grammar`` counts grammar errors in a sentence; by default the offline engine does,
    so no change that adds a grammar error is applied.
    """
    guard = grammar if grammar is not None else harper_count()

    def check(t: str) -> Sequence[Finding]:
        return checker.check(t, ignored_ranges=_ignored(t, markdown)).findings

    return clean_text(text, check, guard)


def changes_between(before: str, after: str) -> int:
    """How many separate stretches differ between two texts (for "N changes" summaries)."""
    import difflib

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(1 for op in matcher.get_opcodes() if op[0] != "equal")


__all__ = ["changes_between", "clean_document_text", "clean_edits"]
