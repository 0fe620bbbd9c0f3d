"""The small things a user meets: theme switch, undo caret, menus, F8 card, keyboard routes, review combos."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox

from companion.core.engine import Engine
from companion.core.findings import Finding, Level
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.merge import Filters
from companion.core.readability import ReadabilityAnalyzer
from companion.core.settings import Settings
from companion.core.style import StyleAnalyzer
from companion.gui.app.state import load_theme_choice
from companion.gui.clean.review import ReviewDialog
from companion.gui.editor.editor import FindingRef
from companion.gui.editor.suggestions import build_menu, find_action
from companion.gui.editor.underlines import family_of
from companion.gui.theme import DARK, LIGHT, contrast_ratio
from tests.gui.conftest import wait_checked

OPENER = "In today's fast-paced world, we must leverage synergies."
FILLER = "The committee met on Tuesday and the minutes were short."


def settings(**kw) -> Settings:
    return Settings(debounce_ms=10, **kw)


def ref_where(w, predicate) -> FindingRef:
    return next(r for r in w.editor.findings() if predicate(r))


def labels(menu) -> list[str]:
    return [a.text().replace("&", "").split("\t")[0] for a in menu.actions() if not a.isSeparator()]


# -- 1. theme ---------------------------------------------------------------------------------
def panel_colours(w) -> tuple[str, str]:
    """The findings list as drawn: background pixel, text colour."""
    tree = w.panel.tree
    image = tree.viewport().grab().toImage()
    background = image.pixelColor(image.width() - 3, image.height() - 3).name()
    return background, tree.palette().color(QPalette.ColorRole.Text).name()


def card_colours(w) -> tuple[str, str]:
    card = w.editor.card
    card.show_for(Finding(0, 3, "wordy", "r", "Too long."), w.editor.mapToGlobal(QPoint(10, 10)))
    image = card.grab().toImage()
    background = image.pixelColor(image.width() // 2, image.height() - 4).name()
    card.hide()
    return background, card.palette().color(QPalette.ColorRole.WindowText).name()


@pytest.mark.parametrize("choice", ["dark", "light"])
def test_theme_menu_applies_live_readably_and_is_remembered(qtbot, make_window, choice) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText(OPENER)
    wait_checked(qtbot, w)
    w.actions_by_name[f"theme_{choice}"].trigger()
    theme = DARK if choice == "dark" else LIGHT
    background, text = panel_colours(w)
    assert background == theme.window
    assert contrast_ratio(background, text) >= 4.5, (background, text)
    background, text = card_colours(w)
    assert contrast_ratio(background, text) >= 4.5, (background, text)
    assert w.editor.styleSheet().count(theme.base) == 1
    assert load_theme_choice() == choice
    again = make_window(settings=settings())  # a new window starts with the remembered theme
    assert again.actions_by_name[f"theme_{choice}"].isChecked()
    assert panel_colours(again)[0] == theme.window


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_theme_colours_are_readable(theme) -> None:
    assert contrast_ratio(theme.text, theme.base) >= 4.5
    assert contrast_ratio(theme.text, theme.window) >= 4.5
    assert contrast_ratio(theme.muted, theme.window) >= 4.5
    assert contrast_ratio(theme.text, theme.card) >= 4.5  # the hover card
    assert contrast_ratio(theme.muted, theme.card) >= 4.5  # its "Right-click or Ctrl+." line
    assert contrast_ratio(theme.highlighted_text, theme.accent) >= 4.5  # selected rows
    assert contrast_ratio(theme.text, theme.hard_bg) >= 4.5  # tinted sentences
    assert contrast_ratio(theme.text, theme.very_hard_bg) >= 4.5
    for family, colour in theme.families.items():  # underlines and swatches: graphics, 3:1
        assert contrast_ratio(colour, theme.base) >= 3.0, family


# -- 2. undo caret ----------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["action", "keys"])
def test_undo_and_redo_put_the_caret_at_the_change(qtbot, make_window, how) -> None:
    w = make_window(settings=settings())
    text = "\n\n".join([FILLER] * 12 + [OPENER] + [FILLER] * 12)
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    start = text.index(OPENER)
    ref = ref_where(w, lambda r: r.finding.matched == "In today's fast-paced world")
    w.editor.apply_suggestion(ref, "Today")
    w.editor.moveCursor(QTextCursor.MoveOperation.End)
    if how == "action":
        w.actions_by_name["undo"].trigger()
    else:
        w.editor.setFocus()
        qtbot.keyClick(w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.editor.toPlainText() == text
    assert w.editor.textCursor().position() == start + len("In today's fast-paced world")
    w.editor.moveCursor(QTextCursor.MoveOperation.Start)
    if how == "action":
        w.actions_by_name["redo"].trigger()
    else:
        qtbot.keyClick(
            w.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
    assert w.editor.toPlainText().count("Today, we must") == 1
    assert w.editor.textCursor().position() == start + len("Today")


# -- 3. the suggestion menu -------------------------------------------------------------------
def test_add_to_my_library_only_for_paraphrases(qtbot, make_window) -> None:
    w = make_window(settings=settings(profile="picky"))
    w.editor.setPlainText(OPENER + " The report was written quickly by the team.")
    wait_checked(qtbot, w)
    library = ref_where(w, lambda r: r.finding.source == "library")
    style = ref_where(w, lambda r: family_of(r.finding) == "style")
    for ref in (library, style):
        assert find_action(w.editor.menu_for(ref), "add-to-library") is None, ref.finding
    semantic = Finding(
        library.finding.start, library.finding.end, "ai-ism", "semantic.x", "Sounds like a stock phrase.",
        ("Today",), source="semantic", matched=library.finding.matched,
    )  # fmt: skip
    menu = build_menu(w.editor, FindingRef(library.key, library.block, semantic))
    assert find_action(menu, "add-to-library") is not None


def test_a_selected_finding_offers_delete_once(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText("It is important to note that the plan failed.")
    wait_checked(qtbot, w)
    w.editor.moveCursor(QTextCursor.MoveOperation.Start)
    ref = w.editor.next_finding()  # F8 selects it, so the standard menu would add its own Delete
    assert ref is not None and "" in ref.finding.suggestions and w.editor.textCursor().hasSelection()
    menu = w.editor.menu_for(w.editor.finding_at(w.editor.textCursor().position()))
    assert labels(menu).count("Delete") == 1
    assert "Copy" in labels(menu)
    find_action(menu, "apply", "").trigger()
    assert w.editor.toPlainText() == "The plan failed."


# -- 4. F8 shows the card ---------------------------------------------------------------------
def test_f8_shows_the_card_next_to_the_finding_and_esc_closes_it(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    w.editor.setPlainText(OPENER)
    wait_checked(qtbot, w)
    w.editor.setFocus()
    w.editor.moveCursor(QTextCursor.MoveOperation.End)
    w.actions_by_name["next_finding"].trigger()
    selected = w.editor.textCursor()
    ref = w.editor.finding_at(selected.selectionStart())
    assert w.editor.card.isVisible()
    assert ref is not None and w.editor.card.showing(ref.finding)
    assert "Today" in w.editor.card.text()
    start = QTextCursor(w.editor.document())
    start.setPosition(selected.selectionStart())
    anchor = w.editor.viewport().mapToGlobal(w.editor.cursorRect(start).bottomLeft())
    top_left = w.editor.card.geometry().topLeft()
    assert 0 <= top_left.y() - anchor.y() <= 30 and abs(top_left.x() - anchor.x()) <= 30
    qtbot.keyClick(w.editor, Qt.Key.Key_Escape)
    assert not w.editor.card.isVisible()
    assert w.editor.textCursor().hasSelection()  # Esc only closed the card
    w.actions_by_name["previous_finding"].trigger()
    assert w.editor.card.isVisible()


# -- 5. keyboard route into the findings panel ------------------------------------------------
def test_f6_focuses_the_findings_list_and_enter_jumps(qtbot, make_window) -> None:
    w = make_window(settings=settings())
    text = FILLER + "\n\nIt is important to note that we delve into it.\n\n" + OPENER
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    # The panel refreshes in slices on the UI thread, as it does for a user.
    qtbot.waitUntil(lambda: not w.panel.refreshing and w.panel.tree.topLevelItemCount() > 0, timeout=10000)
    w.activateWindow()
    w.editor.setFocus()
    qtbot.waitUntil(w.editor.hasFocus)
    w.actions_by_name["toggle_panel"].trigger()  # hidden: F6 brings it back
    assert not w.panel.isVisible()
    qtbot.keyClick(w.editor, Qt.Key.Key_F6)
    tree = w.panel.tree
    qtbot.waitUntil(tree.hasFocus)
    assert w.panel.isVisible() and w.actions_by_name["toggle_panel"].isChecked()
    first = tree.currentItem()
    assert first is not None and first.parent() is not None  # on a finding, ready for Enter
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    second = tree.currentItem()
    assert second is not first
    expected = second.text(0) if second.parent() is not None else first.text(0)
    if second.parent() is None:
        qtbot.keyClick(tree, Qt.Key.Key_Up)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    qtbot.waitUntil(w.editor.hasFocus)
    assert w.editor.textCursor().selectedText().startswith(expected.rstrip("…"))


# -- 6. review dialog combos ------------------------------------------------------------------
@pytest.fixture
def review(qtbot):
    checker = Engine(
        [LibraryAnalyzer(load_library()), StyleAnalyzer(), ReadabilityAnalyzer()],
        Filters(profile=Level.PICKY),
    )
    text = " ".join(["We quickly ran home. It is important to note that we must leverage synergies."] * 15)
    dialog = ReviewDialog(text, list(checker.check(text).findings))
    qtbot.addWidget(dialog)
    dialog.resize(700, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def combos(dialog: ReviewDialog) -> list[QComboBox]:
    return dialog.tree.viewport().findChildren(QComboBox)


def wheel(widget, dy: int) -> None:
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(
        pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, dy),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_wheel_over_a_replacement_scrolls_the_list(qtbot, review) -> None:
    visible = [c for c in combos(review) if c.isVisible() and c.count() > 1]
    assert visible
    combo = visible[0]
    bar = review.tree.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    wheel(combo, -120)
    assert combo.currentIndex() == 0
    assert bar.value() > 0
    combo.setFocus()  # clicked: now the wheel is for the combo
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo, -120)
    assert combo.currentIndex() == 1


def test_tab_never_lands_on_a_replacement(qtbot, review) -> None:
    assert all(not (c.focusPolicy() & Qt.FocusPolicy.TabFocus) for c in combos(review))
    review.activateWindow()
    review.tree.setFocus()
    qtbot.waitUntil(review.tree.hasFocus)
    before = [c.currentIndex() for c in combos(review)]
    for _ in range(12):
        focused = QApplication.focusWidget()
        assert not isinstance(focused, QComboBox)
        qtbot.keyClick(focused, Qt.Key.Key_Down)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert [c.currentIndex() for c in combos(review)] == before
