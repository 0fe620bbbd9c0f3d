"""Cheap pre-checks for regular expressions: literals any match must contain.

Running every structure regex over every paragraph is the library's main cost.
``required_literals`` walks a regex's parse tree and returns strings of which
every match contains at least one; a paragraph that contains none of them cannot
match, so the regex is skipped with a few substring tests.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as sre
from collections.abc import Sequence

MIN_LITERAL = 3

Requirement = frozenset[str] | None


def required_literals(pattern: str, flags: int = 0) -> Requirement:
    """Lower-cased strings, one of which every match of ``pattern`` contains (None: unknown)."""
    try:
        parsed = sre.parse(pattern, flags)
    except re.error:
        return None
    return _seq(list(parsed))


def _better(a: Requirement, b: Requirement) -> Requirement:
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _seq(items: Sequence[tuple[object, object]]) -> Requirement:
    best: Requirement = None
    run: list[str] = []

    def flush() -> None:
        nonlocal best, run
        if len(run) >= MIN_LITERAL:
            best = _better(best, frozenset({"".join(run).lower()}))
        run = []

    for op, arg in items:
        if op is C.LITERAL:
            run.append(chr(arg))  # type: ignore[arg-type]
            continue
        flush()
        best = _better(best, _node(op, arg))
    flush()
    return best


def _node(op: object, arg: object) -> Requirement:
    if op is C.SUBPATTERN:
        return _seq(list(arg[-1]))  # type: ignore[index]
    if op is C.BRANCH:
        options: set[str] = set()
        for branch in arg[1]:  # type: ignore[index]
            req = _seq(list(branch))
            if req is None:
                return None
            options |= req
        return frozenset(options)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, _high, body = arg  # type: ignore[misc]
        return _seq(list(body)) if low >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _seq(list(arg))  # type: ignore[arg-type]
    return None  # character classes, lookarounds, anchors, back-references
