"""Underlines, suggestions, stale results and navigation, with the synchronous runner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from companion.core.merge import apply_filters, merge
from companion.core.score import document_stats
from companion.core.settings import Settings
from companion.gui.checking.worker import InlineRunner
from companion.gui.editor.offsets import Utf16Map
from companion.gui.editor.suggestions import find_action
from tests.gui.conftest import underline_ranges, wait_checked

SENTENCE = "In today's fast-paced world, we must leverage synergies."


def expected_underlines(window, text: str, base: int = 0) -> set[tuple[int, int, str]]:
    """The core's own findings for ``text`` (one paragraph), as UTF-16 document ranges."""
    checker = window.editor.scheduler.checker
    raw = checker.check_paragraphs([text])[0]
    shown = merge(apply_filters(raw, window.editor.filters))
    m = Utf16Map(text)
    return {
        (base + m.to_utf16(f.start), base + m.to_utf16(f.end), text[f.start : f.end])
        for f in shown
        if f.source != "readability"
    }


def settings(**kw) -> Settings:
    return Settings(debounce_ms=kw.pop("debounce_ms", 10), **kw)


def test_typing_underlines_exactly_the_core_findings(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setFocus()
    qtbot.keyClicks(w.editor, SENTENCE)
    assert w.editor.toPlainText() == SENTENCE
    wait_checked(qtbot, w)
    got = underline_ranges(w.editor)
    assert got == expected_underlines(w, SENTENCE)
    texts = {t for _, _, t in got}
    assert "In today's fast-paced world" in texts
    assert any("leverage" in t for t in texts) and any("synergies" in t for t in texts)


def test_apply_suggestion_is_one_undo_step(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText(SENTENCE)
    wait_checked(qtbot, w)
    ref = w.editor.finding_at(3)
    assert ref is not None and ref.finding.matched == "In today's fast-paced world"
    menu = w.editor.menu_for(ref)
    action = find_action(menu, "apply", "Today")
    assert action is not None and action.text() == "Today"
    action.trigger()
    assert w.editor.toPlainText() == "Today, we must leverage synergies."
    wait_checked(qtbot, w)
    assert all("today's" not in t for _, _, t in underline_ranges(w.editor))
    w.editor.undo()
    assert w.editor.toPlainText() == SENTENCE
    assert not w.editor.document().isUndoAvailable()


def test_delete_suggestion_shows_as_delete(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText("It is important to note that the plan failed.")
    wait_checked(qtbot, w)
    ref = w.editor.finding_at(2)
    assert ref is not None and "" in ref.finding.suggestions
    action = find_action(w.editor.menu_for(ref), "apply", "")
    assert action.text() == "Delete"
    action.trigger()
    assert w.editor.toPlainText() == "The plan failed."


def test_result_arriving_after_a_further_edit_is_dropped(qtbot, make_window) -> None:
    runner = InlineRunner()
    runner.auto = False
    w = make_window(runner=runner, settings=settings(debounce_ms=0))
    editor, scheduler = w.editor, w.editor.scheduler
    editor.setPlainText(SENTENCE)
    scheduler.flush()
    assert runner.jobs, "a job was sent"
    cursor = QTextCursor(editor.document())
    cursor.insertText("Well. ")  # the user edits while the job is in flight
    dropped = scheduler.dropped
    runner.run_pending()
    assert scheduler.dropped > dropped
    editor.update_selections()
    assert underline_ranges(editor) == set(), "stale findings must not be drawn"
    qtbot.waitUntil(lambda: bool(runner.jobs), timeout=2000)
    runner.run_pending()
    wait_checked(qtbot, w)
    text = editor.toPlainText()
    assert underline_ranges(editor) == expected_underlines(w, text)
    assert "Well. In today's fast-paced world" not in {t for _, _, t in underline_ranges(editor)}


def test_underlines_after_emoji_and_cjk(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    paragraphs = [
        "😀🎉 In today's fast-paced world, we must leverage synergies.",
        "東京で会いましょう。今日は晴れです。 It is important to note that we must leverage synergies.",
        "Cafe\u0301 owners 👩🏽‍💻 delve into the data.",
    ]
    w.editor.setPlainText("\n".join(paragraphs))
    wait_checked(qtbot, w)
    got = underline_ranges(w.editor)
    want = set()
    block = w.editor.document().firstBlock()
    for text in paragraphs:
        want |= expected_underlines(w, text, block.position())
        block = block.next()
    assert got == want
    texts = {t for _, _, t in got}
    assert {"In today's fast-paced world", "It is important to note that"} <= texts
    assert any(t.startswith("delve") for t in texts)


def test_word_being_typed_is_not_underlined_until_the_caret_moves_on(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    editor = w.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "We must leverage synergies")
    wait_checked(qtbot, w)
    assert editor.typing
    texts = {t for _, _, t in underline_ranges(editor)}
    assert "leverage" in texts and "synergies" not in texts  # the caret touches "synergies"
    qtbot.keyClick(editor, Qt.Key.Key_Home)  # the caret moves on
    editor.update_selections()
    assert "synergies" in {t for _, _, t in underline_ranges(editor)}


def test_f8_walks_through_findings(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText(SENTENCE + "\n\nIt is important to note that we delve into it.")
    wait_checked(qtbot, w)
    refs = [r for r in w.editor.findings() if r.finding.source != "readability"]
    assert len(refs) >= 3
    w.editor.moveCursor(QTextCursor.MoveOperation.Start)
    seen = []
    for _ in range(len(refs)):
        w.actions_by_name["next_finding"].trigger()
        seen.append(w.editor.textCursor().selectedText())
    assert seen == [r.block.text()[r.finding.start : r.finding.end] for r in refs]
    w.actions_by_name["next_finding"].trigger()  # wraps to the first
    assert w.editor.textCursor().selectedText() == seen[0]
    w.actions_by_name["previous_finding"].trigger()  # and back to the last
    assert w.editor.textCursor().selectedText() == seen[-1]


def test_hover_card_shows_explanation_and_alternatives(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText(SENTENCE)
    wait_checked(qtbot, w)
    cursor = QTextCursor(w.editor.document())
    cursor.setPosition(5)
    rect = w.editor.cursorRect(cursor)
    qtbot.mouseMove(w.editor.viewport(), QPoint(rect.center().x() + 2, rect.center().y()))
    qtbot.waitUntil(lambda: w.editor.card.isVisible(), timeout=3000)
    html = w.editor.card.text()
    assert "stock opener" in html.lower() and "Today" in html and "These days" in html


def test_ignore_once_survives_edits_around_it(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText(SENTENCE)
    wait_checked(qtbot, w)
    ref = w.editor.finding_at(SENTENCE.index("leverage") + 1)
    find_action(w.editor.menu_for(ref), "ignore-once").trigger()
    wait_checked(qtbot, w)
    assert not any(t == "leverage" for _, _, t in underline_ranges(w.editor))
    cursor = QTextCursor(w.editor.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(" Truly.")
    cursor.setPosition(0)
    cursor.insertText("Yes. ")
    wait_checked(qtbot, w)
    texts = {t for _, _, t in underline_ranges(w.editor)}
    assert "leverage" not in texts and "synergies" in texts


def test_side_panel_groups_counts_hides_and_jumps(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    text = SENTENCE + "\n\nWe delve into the data. We delve deeper into the archive."
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    qtbot.waitUntil(lambda: w.panel.counts.get("ai-ism", 0) >= 3, timeout=3000)
    assert w.panel.counts["jargon"] == 2
    core = document_stats(text, w.editor.scheduler.checker.findings(text))
    fig = w.panel.figures
    assert fig.words == core.words
    assert fig.grade == pytest.approx(core.grade, abs=0.05)
    assert fig.flesch_reading_ease == pytest.approx(core.flesch_reading_ease, abs=0.1)
    assert fig.robotic_score == pytest.approx(core.robotic_score, abs=0.1)
    scores, grades = w.panel.chart.values()
    assert len(scores) == len(grades) == 2 and all(0 <= s <= 100 for s in scores)
    item = w.panel.category_item("jargon")
    item.setExpanded(True)
    child = item.child(0)
    w.panel.tree.itemClicked.emit(child, 0)
    assert w.editor.textCursor().selectedText() == "leverage"
    item.setCheckState(0, Qt.CheckState.Unchecked)
    w.editor.update_selections()
    texts = {t for _, _, t in underline_ranges(w.editor)}
    assert "leverage" not in texts and "synergies" not in texts
    assert "In today's fast-paced world" in texts


def test_editor_settles_levels_like_the_core_with_the_gate_from_its_worker(qtbot, make_window) -> None:
    from companion.core.engine import build_checker
    from companion.gui.checking.blocks import state_of
    from tests.gui.conftest import FAST

    person = "Furthermore, the heater broke again on Friday, so Dad swore at the pilot light for an hour."
    generated = (
        "Furthermore, in the ever-shifting tapestry of modern commerce, teams unlock new avenues for growth."
    )
    text = person + "\n\n" + generated
    w = make_window(settings=Settings(debounce_ms=0))
    w.editor.setPlainText(text)
    qtbot.waitUntil(lambda: not w.editor.scheduler.has_work(), timeout=10000)
    shown = {s for s, _, t in underline_ranges(w.editor) if t.startswith("Furthermore")}
    # The lone tell of the person's paragraph is left for the picky profile, as the core does.
    core = build_checker(Settings(), FAST).check(text).findings
    assert shown == {f.start for f in core if f.matched.startswith("Furthermore")} == {len(person) + 2}
    # The gate came from the worker with the fast results.
    gate = state_of(w.editor.document().firstBlock()).gate
    assert gate is not None and gate[0] == person and gate[1] is not None and gate[1] < 0.1
