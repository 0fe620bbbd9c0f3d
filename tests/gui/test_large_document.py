"""A long document keeps its behaviour: F8 lands on the next finding, Clean… shows every change."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QComboBox

from companion.core.findings import Finding
from companion.core.settings import Settings
from companion.gui.clean.review import EAGER_COMBOS, ReviewDialog
from companion.gui.clean.views import ALL_HIGHLIGHTS
from companion.gui.panel.panel import MAX_BARS, bars
from tests.gui.conftest import wait_checked

PLAIN = "The river ran past the old mill and the children watched the boats go by."
FLAGGED = "We must leverage our strengths."


def big_text(paragraphs: int, flagged_at: set[int]) -> str:
    return "\n\n".join(
        f"{FLAGGED} Part {n}." if n in flagged_at else f"{PLAIN} {n}" for n in range(paragraphs)
    )


def test_f8_on_a_long_document_lands_on_the_next_finding_far_below(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=10))
    flagged = {3, 700, 1400}
    w.editor.setPlainText(big_text(1500, flagged))
    wait_checked(qtbot, w, timeout=60000)
    doc = w.editor.document()
    starts = [doc.findBlockByNumber(2 * n).position() + FLAGGED.index("leverage") for n in sorted(flagged)]
    cursor = w.editor.textCursor()
    cursor.setPosition(starts[0] + 1)  # inside the first finding: the next one is 700 paragraphs on
    w.editor.setTextCursor(cursor)
    landed = []
    for _ in range(3):
        w.actions_by_name["next_finding"].trigger()
        c = w.editor.textCursor()
        landed.append((c.selectionStart(), c.selectedText()))
    assert landed == [(starts[1], "leverage"), (starts[2], "leverage"), (starts[0], "leverage")]  # wraps
    w.actions_by_name["previous_finding"].trigger()  # from the first back to the last
    assert w.editor.textCursor().selectionStart() == starts[2]
    w.editor.moveCursor(QTextCursor.MoveOperation.End)
    w.actions_by_name["previous_finding"].trigger()
    assert w.editor.textCursor().selectionStart() == starts[2]
    # Another text with as many paragraphs (the blocks are new, their count is not).
    w.editor.setPlainText(big_text(1500, {10, 900}))
    wait_checked(qtbot, w, timeout=60000)
    w.editor.moveCursor(QTextCursor.MoveOperation.Start)
    for n in (10, 900):
        w.actions_by_name["next_finding"].trigger()
        assert w.editor.textCursor().blockNumber() == 2 * n


def test_review_of_many_changes_builds_combos_lazily_and_keeps_choices(qtbot) -> None:
    count = EAGER_COMBOS + ALL_HIGHLIGHTS
    text = "\n".join(f"We leverage it {n}." for n in range(count))
    line = len("We leverage it 0.") + 1
    findings, offset = [], 0
    for n in range(count):
        findings.append(Finding(offset + 3, offset + 11, "jargon", "j", "m", ("use", "draw on")))
        offset += line + len(str(n)) - 1
    dialog = ReviewDialog(text, findings)
    qtbot.addWidget(dialog)
    assert len(dialog.changes) == count
    assert len(dialog.tree.findChildren(QComboBox)) < count  # not one widget per change
    last = count - 1
    dialog.set_choice(last, 1)  # far down the list: its combo is made on demand
    assert dialog.changes[last].edit.replacement == "draw on" and dialog.changes[last].accepted
    assert dialog.cleaned_text().endswith(f"We draw on it {last}.")
    # Only the highlights near the visible part are built, yet the visible ones are there.
    assert 0 < len(dialog.original_view.extraSelections()) < count


def test_the_chart_of_a_long_document_shows_runs_of_paragraphs() -> None:
    n = 3 * MAX_BARS + 7
    scores = [float(i % 50) for i in range(n)]
    scores[500] = 99.0
    shown, grades, keys = bars(scores, [8.0] * n, list(range(1000, 1000 + n)))
    assert len(shown) == len(grades) == len(keys) <= MAX_BARS
    assert max(shown) == 99.0 and keys[shown.index(99.0)] == 1500  # a click lands on it
    assert grades == [8.0] * len(grades)
    assert bars([1.0, 2.0], [3.0, 4.0], [5, 6]) == ([1.0, 2.0], [3.0, 4.0], [5, 6])  # short: as is
