"""The main window's tools: Clean… with a review, and the companion window from the View menu."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from companion.core.settings import Settings
from companion.gui.review import ReviewDialog
from companion.gui.tools import document_findings
from tests.gui.conftest import wait_checked

TEXT = "🙂 First line stays.\n\nIn today's fast-paced world, we must leverage synergies."


def _accept_review_when_shown(qtbot) -> list[ReviewDialog]:
    seen: list[ReviewDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ReviewDialog):
            seen.append(dialog)
            dialog.accept()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return seen


def test_document_findings_are_code_points_into_the_whole_text(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=0))
    w.editor.setPlainText(TEXT)
    wait_checked(qtbot, w)
    text, findings = document_findings(w)
    assert text == TEXT
    assert {text[f.start : f.end] for f in findings} >= {
        "In today's fast-paced world",
        "leverage",
        "synergies",
    }


def test_clean_applies_the_reviewed_changes_as_one_undo_step(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=0))
    w.editor.setPlainText(TEXT)
    wait_checked(qtbot, w)
    seen = _accept_review_when_shown(qtbot)
    w.actions_by_name["clean"].trigger()
    assert seen and seen[0].result() == QDialog.DialogCode.Accepted
    cleaned = w.text()
    assert cleaned.startswith("🙂 First line stays.\n\n")
    assert "fast-paced" not in cleaned and "leverage" not in cleaned
    w.editor.undo()
    assert w.text() == TEXT


def test_companion_window_toggles_from_the_view_menu(qtbot, make_window) -> None:
    w = make_window()
    action = w.actions_by_name["toggle_companion"]
    action.trigger()
    companion = w.companion.companion
    assert companion is not None and companion.isVisible() and action.isChecked()
    action.trigger()
    assert not companion.isVisible() and not action.isChecked()
