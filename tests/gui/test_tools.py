"""The main window's tools: Clean… with a review, and the companion window from the View menu."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from companion.core.settings import Settings
from companion.gui.clean.commands import document_findings
from companion.gui.clean.review import ReviewDialog
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


def test_add_to_dictionary_persists_and_removes_the_underline(qtbot, make_window) -> None:
    from companion.core.checker import Checker
    from companion.core.engine import EngineOptions, build_analyzers
    from companion.core.library.model import Library
    from companion.core.paths import user_data_dir
    from companion.gui.editor.suggestions import find_action
    from tests.gui.conftest import underline_ranges

    def with_spelling(settings: Settings) -> Checker:
        return Checker(build_analyzers(settings, EngineOptions(semantic=False, grammar="off"), Library(())))

    w = make_window(settings=Settings(debounce_ms=0), factory=with_spelling)
    text = "We zorblatt the mail daily."
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    assert any(t == "zorblatt" for _, _, t in underline_ranges(w.editor))
    ref = w.editor.finding_at(text.index("zorblatt") + 1)
    assert ref is not None and ref.finding.category == "spelling"
    find_action(w.editor.menu_for(ref), "add-to-dictionary").trigger()
    wait_checked(qtbot, w)
    assert not any(t == "zorblatt" for _, _, t in underline_ranges(w.editor))
    assert "zorblatt" in (user_data_dir() / "dictionary.txt").read_text(encoding="utf-8").split()


def test_languagetool_download_failure_is_reported_without_blocking(qtbot, monkeypatch) -> None:
    import socket

    from PySide6.QtWidgets import QMessageBox

    from companion.gui.app.settings_dialog import SettingsDialog

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    downloader = dialog.download_languagetool(url=f"http://127.0.0.1:{port}/LanguageTool.zip", ask=False)
    with qtbot.waitSignal(downloader.done, timeout=20000) as blocker:
        pass
    path, error = blocker.args
    assert path == "" and error
    assert warnings and "not installed" in warnings[0]
    assert not downloader.running
