"""Turn findings into text edits: one suggestion, or a whole clean-up pass."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from companion.core.clean_guard import GrammarCount, protected_ranges, refusal
from companion.core.findings import Finding
from companion.core.segment import at_sentence_start

log = logging.getLogger(__name__)

_INLINE_SPACE = " \t\u00a0"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]


def is_safe(finding: Finding) -> bool:
    """Whether ``clean`` may apply the first suggestion without a human looking.

    Only exact matches of library entries marked ``safe`` (their first alternative
    was checked in every example sentence); never semantic guesses, grammar,
    spelling or style.
    """
    return finding.source == "library" and finding.safe and bool(finding.suggestions)


def edit_for(text: str, finding: Finding, replacement: str) -> Edit:
    """The edit that puts ``replacement`` in place of ``finding``, tidying space and case.

    A deletion also removes the space it leaves behind, and capitalises the next
    word when the deleted phrase opened a sentence.
    """
    start, end = finding.start, finding.end
    if replacement:
        return Edit(start, end, replacement)
    opens_sentence = at_sentence_start(text, start)
    while end < len(text) and text[end] in _INLINE_SPACE:
        end += 1
    if end < len(text) and text[end] in ",;:" and not opens_sentence:
        # "X, it is worth noting, Y" -> drop the dangling comma too.
        end += 1
        while end < len(text) and text[end] in _INLINE_SPACE:
            end += 1
    if end == len(text) or text[end] in ".,;:!?)\n":
        while start > 0 and text[start - 1] in _INLINE_SPACE:
            start -= 1
    fix = ""
    if opens_sentence and end < len(text) and text[end].islower():
        fix = text[end].upper()
        end += 1
    return Edit(start, end, fix)


def clean_edits(text: str, findings: Iterable[Finding], grammar: GrammarCount | None = None) -> list[Edit]:
    """Non-overlapping edits applying the first suggestion of each safe finding.

    A finding in protected text (URLs, e-mail addresses, code, front matter) is
    skipped, and so is a change its sentence would not survive (see ``clean_guard``).
    """
    edits: list[Edit] = []
    last_end = -1
    protected = protected_ranges(text)
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if not is_safe(f) or f.start < last_end:
            continue
        if any(f.start < e and s < f.end for s, e in protected):
            continue
        edit = edit_for(text, f, f.suggestions[0])
        if edit.start < last_end:
            continue
        reason = refusal(text, edit.start, edit.end, edit.replacement, grammar)
        if reason:
            log.debug("clean leaves %r for a person: %s", f.matched, reason)
            continue
        edits.append(edit)
        last_end = edit.end
    return edits


def clean_text(
    text: str,
    check: Callable[[str], Sequence[Finding]],
    grammar: GrammarCount | None = None,
    max_passes: int = 4,
) -> str:
    """``text`` cleaned to a fixed point, so that cleaning the result changes nothing.

    ``check`` returns the findings of a text (the front end's checker with its
    ignored ranges). A fix can reveal another safe finding; passes repeat until none
    is left (at most ``max_passes``; a text still changing then is left as it is).
    """
    current = text
    for _ in range(max_passes):
        edits = clean_edits(current, check(current), grammar)
        if not edits:
            return current
        current = apply_edits(current, edits)
    return current


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping ``edits`` (any order) to ``text``."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)
