"""What Clean… proposes: one change per finding with suggestions, and applying the accepted ones.

No dialog here: :func:`plan_changes` works on the text alone, :func:`apply_review` writes
the accepted edits into an editor as one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from companion.core.engine import Edit, edit_for, is_safe, refusal
from companion.core.findings import Finding
from companion.gui.editor.offsets import Utf16Map


class ProposedChange(NamedTuple):
    finding: Finding
    edit: Edit
    accepted: bool


@dataclass(slots=True)
class _Change:
    finding: Finding
    options: tuple[str, ...]  # suggestions on offer, the default first
    edits: tuple[Edit, ...]  # one per option
    accepted: bool
    choice: int = 0

    @property
    def edit(self) -> Edit:
        return self.edits[self.choice]


def plan_changes(text: str, findings: Sequence[Finding]) -> list[_Change]:
    """One change per finding with suggestions, in text order; none overlap whatever is picked.

    Findings are taken earlier first, then longer first; one whose default edit (first
    suggestion) overlaps a kept change is dropped. Another suggestion is offered only
    when its edit (a deletion also takes the space around it) stays clear of the neighbours.
    """
    kept: list[tuple[Finding, Edit]] = []
    last_end = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if not f.suggestions or f.start < last_end or f.end > len(text):
            continue
        edit = edit_for(text, f, f.suggestions[0])
        if edit.start < last_end or _noop(text, edit):
            continue
        kept.append((f, edit))
        last_end = edit.end
    changes: list[_Change] = []
    lo = 0
    for i, (f, first) in enumerate(kept):
        hi = kept[i + 1][1].start if i + 1 < len(kept) else len(text)
        options, edits = [f.suggestions[0]], [first]
        for s in dict.fromkeys(f.suggestions[1:]):
            e = edit_for(text, f, s)
            if s != options[0] and lo <= e.start and e.end <= hi and not _noop(text, e):
                options.append(s)
                edits.append(e)
        # Pre-accepted only when clean would apply it too: safe, and its sentence survives.
        accepted = is_safe(f) and not refusal(text, first.start, first.end, first.replacement)
        changes.append(_Change(f, tuple(options), tuple(edits), accepted))
        lo = max(e.end for e in edits)
    return changes


def _noop(text: str, edit: Edit) -> bool:
    return text[edit.start : edit.end] == edit.replacement


def editor_text(editor: QPlainTextEdit) -> str:
    """The editor's text with "\\n" line breaks: the same length and offsets as Qt's."""
    return editor.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")


def apply_review(editor: QPlainTextEdit, edits: Sequence[Edit]) -> int:
    """Apply ``edits`` (code-point offsets into :func:`editor_text`) as ONE undo step.

    Applied from the end backwards so earlier offsets stay valid; returns how many.
    """
    if not edits:
        return 0
    text = editor_text(editor)
    ordered = sorted(edits, key=lambda e: e.start, reverse=True)
    if ordered[0].end > len(text) or any(a.start < b.end for a, b in pairwise(ordered)):
        raise ValueError("edits overlap or run past the end of the text")
    m = Utf16Map(text)
    cursor = QTextCursor(editor.document())
    cursor.beginEditBlock()
    for e in ordered:
        cursor.setPosition(m.to_utf16(e.start))
        cursor.setPosition(m.to_utf16(e.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(e.replacement)
    cursor.endEditBlock()
    return len(ordered)
