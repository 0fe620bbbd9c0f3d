"""The Clean… review dialog: which changes apply, categories, suggestions, one undo step."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QTreeWidgetItem

from companion.core.clean import Edit, apply_edits, clean_edits, is_safe
from companion.core.engine import Engine
from companion.core.findings import Finding, Level
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.merge import Filters
from companion.core.readability import ReadabilityAnalyzer
from companion.core.style import StyleAnalyzer
from companion.gui.clean.review import ReviewDialog, apply_review, editor_text, plan_changes

PREFIX = "😀 中文 "  # an astral emoji (two UTF-16 units) and CJK before every change
TEXT = (
    PREFIX + "In today's fast-paced world, we must leverage synergies. "
    "We quickly ran home to delve into the data.\n"
    "Moreover, it is important to note that the team will utilize a robust solution."
)


@pytest.fixture(scope="module")
def checker() -> Engine:
    analyzers = [LibraryAnalyzer(load_library()), StyleAnalyzer(), ReadabilityAnalyzer()]
    return Engine(analyzers, Filters(profile=Level.PICKY))  # picky: adverbs, with a deletion


@pytest.fixture
def findings(checker: Engine) -> list[Finding]:
    return list(checker.check(TEXT).findings)


@pytest.fixture
def dialog(qtbot, findings):
    d = ReviewDialog(TEXT, findings)
    qtbot.addWidget(d)
    return d


def index_of(dialog: ReviewDialog, matched: str) -> int:
    return next(i for i, c in enumerate(dialog.changes) if TEXT[c.finding.start : c.finding.end] == matched)


def item_for(dialog: ReviewDialog, index: int) -> QTreeWidgetItem:
    """The list row of change ``index`` (what the user clicks)."""
    for n in range(dialog.tree.topLevelItemCount()):
        top = dialog.tree.topLevelItem(n)
        for k in range(top.childCount()):
            if top.child(k).data(0, Qt.ItemDataRole.UserRole) == index:
                return top.child(k)
    raise LookupError(index)


def test_defaults_accept_exactly_the_safe_changes(dialog, findings) -> None:
    changes = dialog.changes
    assert changes, "the sample text must produce changes"
    assert [c.accepted for c in changes] == [is_safe(c.finding) for c in changes]
    quickly = changes[index_of(dialog, "quickly")]
    assert quickly.finding.source == "style" and not quickly.accepted  # listed, unchecked
    # With the defaults the dialog agrees with the core's (and the CLI's) clean.
    assert dialog.cleaned_text() == apply_edits(TEXT, clean_edits(TEXT, findings))
    assert dialog.cleaned_view.toPlainText() == dialog.cleaned_text()
    assert dialog.original_view.toPlainText() == TEXT
    edits = dialog.accepted_edits()
    assert edits == sorted(edits, key=lambda e: e.start)
    assert all(a.end <= b.start for a, b in pairwise(edits))


def test_accept_and_reject_single_changes(qtbot, dialog) -> None:
    lev, quick = index_of(dialog, "leverage"), index_of(dialog, "quickly")
    dialog.set_accepted(lev, False)
    dialog.set_accepted(quick, True)
    accepted = [c for c in dialog.changes if c.accepted]
    assert dialog.cleaned_text() == apply_edits(TEXT, [c.edit for c in accepted])
    cleaned = dialog.cleaned_text()
    assert "leverage" in cleaned and "quickly" not in cleaned and "We ran home" in cleaned
    assert cleaned.startswith(PREFIX + "Today, we must leverage ")
    assert dialog.cleaned_view.toPlainText() == cleaned
    # The user ticking a box in the list: the cleaned view follows (coalesced, next event loop turn).
    item_for(dialog, lev).setCheckState(0, Qt.CheckState.Checked)
    assert dialog.changes[lev].accepted
    qtbot.waitUntil(lambda: "leverage" not in dialog.cleaned_view.toPlainText())
    assert dialog.cleaned_view.toPlainText() == dialog.cleaned_text()


def test_whole_category_at_once(qtbot, dialog) -> None:
    jargon = [i for i, c in enumerate(dialog.changes) if c.finding.category == "jargon"]
    assert len(jargon) >= 3
    dialog.set_category_accepted("jargon", False)
    assert not any(dialog.changes[i].accepted for i in jargon)
    cleaned = dialog.cleaned_text()
    for word in ("leverage", "synergies", "utilize", "robust solution"):
        assert word in cleaned
    assert "Today" in cleaned  # other categories untouched
    top = {
        dialog.tree.topLevelItem(k).text(0).split()[0]: dialog.tree.topLevelItem(k)
        for k in range(dialog.tree.topLevelItemCount())
    }
    assert top["Jargon"].checkState(0) == Qt.CheckState.Unchecked
    assert top["Jargon"].text(0).endswith(f"0 of {len(jargon)}")
    # The tri-state box: ticking the category accepts all of its changes.
    top["Jargon"].setCheckState(0, Qt.CheckState.Checked)
    assert all(dialog.changes[i].accepted for i in jargon)
    qtbot.waitUntil(lambda: "synergies" not in dialog.cleaned_view.toPlainText())
    # A mixed category shows a partial check.
    dialog.set_accepted(jargon[0], False)
    assert top["Jargon"].checkState(0) == Qt.CheckState.PartiallyChecked


def test_accept_all_and_reject_all_buttons(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.reject_all, Qt.MouseButton.LeftButton)
    assert dialog.accepted_edits() == [] and dialog.cleaned_text() == TEXT
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.mouseClick(dialog.accept_all, Qt.MouseButton.LeftButton)
    assert all(c.accepted for c in dialog.changes)
    assert ok.isEnabled() and ok.text() == f"Apply {len(dialog.changes)} changes"
    assert "quickly" not in dialog.cleaned_text()


def test_pick_another_suggestion(qtbot, dialog) -> None:
    lev = index_of(dialog, "leverage")
    assert dialog.options(lev)[:2] == ("use", "draw on")
    combo = next(
        w
        for w in dialog.tree.findChildren(QComboBox)
        if [w.itemText(k) for k in range(w.count())] == list(dialog.options(lev))
    )
    combo.setCurrentIndex(1)
    assert dialog.changes[lev].edit.replacement == "draw on"
    # "synergies" is offered but not pre-accepted: its alternative needs an article.
    assert "we must draw on synergies" in dialog.cleaned_text()
    assert dialog.cleaned_view.toPlainText() == dialog.cleaned_text()
    # Picking a suggestion of an unchecked change accepts it; "(delete)" is a deletion.
    more = index_of(dialog, "Moreover, it is important to note that")
    assert dialog.options(more) == ("Also,", "")
    dialog.set_accepted(more, False)
    dialog.set_choice(more, 1)
    assert dialog.changes[more].accepted
    assert "\nThe team will" in dialog.cleaned_text()  # deleted, next word capitalised
    labels = [w.itemText(1) for w in dialog.tree.findChildren(QComboBox) if w.count() == 2]
    assert "(delete)" in labels


def test_overlapping_changes_are_dropped_and_alternatives_kept_clear() -> None:
    text = "Moreover, delve into the basic fundamentals here."
    more = Finding(0, 9, "transition", "t", "m", ("Also,", ""))  # "" would eat the "d" of delve
    delve = Finding(10, 15, "ai-ism", "d", "m", ("dig",))
    longer = Finding(25, 43, "wordy", "w", "m", ("fundamentals",))
    inner = Finding(31, 43, "jargon", "j", "m", ("basics",))  # inside the longer one
    shorter_same_start = Finding(25, 30, "filler", "f", "m", ("",))
    changes = plan_changes(text, [inner, delve, more, shorter_same_start, longer])
    assert [(c.finding.rule, c.options) for c in changes] == [
        ("t", ("Also,",)),
        ("d", ("dig",)),
        ("w", ("fundamentals",)),
    ]


def test_clicking_a_change_scrolls_both_views_to_it(qtbot, checker) -> None:
    filler = "".join(f"Paragraph {n} says something plain and clear.\n" for n in range(80))
    text = filler + "We must leverage synergies."
    d = ReviewDialog(text, checker.check(text).findings)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.original_view.verticalScrollBar().value() == 0
    target = next(i for i, c in enumerate(d.changes) if text[c.finding.start : c.finding.end] == "leverage")
    d.tree.setCurrentItem(item_for(d, target))
    assert d.original_view.textCursor().selectedText() == "leverage"
    assert d.cleaned_view.textCursor().selectedText() == d.changes[target].edit.replacement
    assert d.original_view.verticalScrollBar().value() > 0
    assert d.cleaned_view.verticalScrollBar().value() > 0


def test_apply_review_is_one_undo_step_after_emoji_and_cjk(qtbot, dialog) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(TEXT)
    dialog.set_accepted(index_of(dialog, "quickly"), True)
    edits = dialog.accepted_edits()
    assert apply_review(editor, edits) == len(edits)
    assert editor.toPlainText() == dialog.cleaned_text()
    assert editor.toPlainText().startswith(PREFIX + "Today, we must use synergies.")
    assert editor.document().isUndoAvailable()
    editor.undo()  # one step takes every change back
    assert editor.toPlainText() == TEXT
    assert not editor.document().isUndoAvailable()
    editor.redo()
    assert editor.toPlainText() == dialog.cleaned_text()


def test_apply_review_refuses_bad_edits(qtbot) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText("abc")
    with pytest.raises(ValueError):
        apply_review(editor, [Edit(0, 2, "x"), Edit(1, 3, "y")])
    with pytest.raises(ValueError):
        apply_review(editor, [Edit(2, 9, "x")])
    assert apply_review(editor, []) == 0 and editor.toPlainText() == "abc"


def test_the_main_window_wiring(qtbot, checker) -> None:
    """What Tools > Clean… does: review the editor's text modally, then apply on OK."""
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(TEXT)
    text = editor_text(editor)
    assert text == TEXT
    dialog = ReviewDialog(text, checker.check(text).findings, editor)
    QTimer.singleShot(0, dialog.accept)
    if dialog.exec():
        apply_review(editor, dialog.accepted_edits())
    assert editor.toPlainText() == dialog.cleaned_text() != TEXT
    editor.undo()
    assert editor.toPlainText() == TEXT


def test_crlf_text_highlights_the_right_characters(qtbot, checker) -> None:
    text = "First line.\r\nWe must leverage synergies.\r\n"
    d = ReviewDialog(text, checker.check(text).findings)
    qtbot.addWidget(d)
    lev = next(i for i, c in enumerate(d.changes) if text[c.finding.start : c.finding.end] == "leverage")
    d.show_change(lev)
    assert d.original_view.textCursor().selectedText() == "leverage"
    assert d.cleaned_view.textCursor().selectedText() == "use"
    assert d.cleaned_text() == "First line.\r\nWe must use synergies.\r\n"


def test_nothing_to_clean(qtbot) -> None:
    d = ReviewDialog("Plain words.", [Finding(0, 5, "readability", "r", "hard")])
    qtbot.addWidget(d)
    assert d.changes == [] and d.cleaned_text() == "Plain words."
    assert "Nothing to clean" in d.summary.text()
    assert not d.buttons.button(d.buttons.StandardButton.Ok).isEnabled()
