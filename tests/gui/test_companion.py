"""Companion mode: the window, the clipboard watch and the tray (offscreen, real fast checker)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from companion.core.engine import Engine
from companion.core.findings import Report
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.readability import ReadabilityAnalyzer
from companion.core.settings import Settings, load_settings
from companion.core.style import StyleAnalyzer
from companion.gui.app.tray import CHECK_CLIPBOARD_KEYS, Tray, app_icon, install_tray, paint_icon
from companion.gui.mini.clipboard import ClipboardWatcher
from companion.gui.mini.host import open_companion
from companion.gui.mini.window import CompanionWindow

ROBOTIC = "In today's fast-paced world, we must leverage synergies to delve into new ideas."
SYNERGY = "We must leverage synergies."


@pytest.fixture(scope="module")
def checker() -> Engine:
    checker = Engine([LibraryAnalyzer(load_library()), StyleAnalyzer(), ReadabilityAnalyzer()])
    checker.check("Warm up the analyzers, it is important to note.")
    return checker


@pytest.fixture
def clipboard():
    board = QApplication.clipboard()
    board.clear()
    yield board
    board.clear()


@pytest.fixture
def make(qtbot, checker, clipboard) -> Iterator[Callable[..., CompanionWindow]]:
    windows: list[CompanionWindow] = []

    def make(source=None, settings: Settings | None = None) -> CompanionWindow:
        window = CompanionWindow(source or checker, settings or load_settings())
        windows.append(window)
        window.show()
        return window

    yield make
    for window in windows:
        window.close()
        assert not window.running
        window.deleteLater()
    qtbot.wait(1)


class GatedChecker:
    """Blocks each check until released; records the thread and the texts it saw."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.started = threading.Event()
        self.release = threading.Event()
        self.texts: list[str] = []
        self.threads: set[threading.Thread] = set()

    def check(self, text: str) -> Report:
        self.texts.append(text)
        self.threads.add(threading.current_thread())
        self.started.set()
        assert self.release.wait(10)
        return self.inner.check(text)


def _phrases(window: CompanionWindow) -> set[str]:
    view = window.findings_view
    return {view.topLevelItem(i).text(1) for i in range(view.topLevelItemCount())}


def _check(qtbot, window: CompanionWindow, text: str) -> Report:
    with qtbot.waitSignal(window.reportReady, timeout=10000) as blocker:
        window.set_text(text)
    return blocker.args[0]


def test_pasted_text_shows_findings_and_score(qtbot, make, clipboard):
    window = make()
    clipboard.setText(ROBOTIC)
    with qtbot.waitSignal(window.reportReady, timeout=10000) as blocker:
        qtbot.mouseClick(window.paste_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.text == ROBOTIC == window.text()
    assert window.findings_view.topLevelItemCount() == len(report.findings) >= 3
    phrases = _phrases(window)
    assert {"In today's fast-paced world", "leverage", "synergies"} <= phrases
    assert window.findings_view.topLevelItem(0).text(0) == "ai-ism"
    assert window.findings_view.topLevelItem(0).text(2) == "Today"
    assert window.score_label.text() == f"Robotic {report.stats.robotic_score:.0f}"
    assert report.stats.robotic_score > 50
    assert window.count_label.text().startswith(
        f"{report.stats.words} words · {len(report.findings)} findings"
    )


def test_typing_is_debounced_and_checked_off_the_ui_thread(qtbot, make, checker):
    gated = GatedChecker(checker)
    gated.release.set()
    window = make(gated)
    with qtbot.waitSignal(window.reportReady, timeout=10000):
        qtbot.keyClicks(window.text_box, "We leverage it.")
    assert gated.texts == ["We leverage it."]  # one check after the typing, not one per key
    assert threading.main_thread() not in gated.threads


def test_clicking_a_finding_selects_it(qtbot, make):
    window = make()
    text = "😀 Café. " + SYNERGY  # an emoji: Qt positions are UTF-16 units
    report = _check(qtbot, window, text)
    index = next(i for i, f in enumerate(report.findings) if report.text[f.start : f.end] == "synergies")
    item = window.findings_view.topLevelItem(index)
    rect = window.findings_view.visualItemRect(item)
    qtbot.mouseClick(window.findings_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.text_box.textCursor().selectedText() == "synergies"


def test_copy_cleaned_puts_the_cleaned_text_on_the_clipboard(qtbot, make, clipboard):
    window = make()
    _check(qtbot, window, ROBOTIC)
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    cleaned = clipboard.text()
    assert cleaned.startswith("Today, we must use ")
    assert "fast-paced" not in cleaned and "leverage" not in cleaned and "delve" not in cleaned
    assert window.text() == ROBOTIC  # the box keeps the original
    assert "Copied with" in window.status_label.text()


def test_copy_cleaned_right_after_an_edit_waits_for_the_check(qtbot, make, clipboard):
    window = make()
    _check(qtbot, window, "Plain words here.")
    window.text_box.setPlainText(SYNERGY)
    with qtbot.waitSignal(window.reportReady, timeout=10000):
        window.copy_cleaned()
    assert clipboard.text() == "We must use synergies."


def test_text_over_the_limit_is_not_checked(qtbot, make, monkeypatch):
    monkeypatch.setattr("companion.gui.mini.window.MAX_CHARS", 40)
    window = make()
    with qtbot.assertNotEmitted(window.reportReady, wait=500):
        assert not window.set_text(ROBOTIC)
        assert window.text() == ""
        window.text_box.setPlainText(ROBOTIC)  # typed or pasted into the box
        window.copy_cleaned()
    assert "over the 40 limit" in window.status_label.text()
    assert window.report is None and not window.busy


def test_clipboard_watch_is_off_by_default(qtbot, make, clipboard):
    window = make()
    assert load_settings().clipboard_watch is False
    assert not window.watch_box.isChecked() and not window.watcher.enabled
    with (
        qtbot.assertNotEmitted(window.watcher.textCopied),
        qtbot.assertNotEmitted(window.reportReady, wait=500),
    ):
        clipboard.setText(SYNERGY)
    assert window.text() == ""


def test_clipboard_watch_checks_copied_text_and_is_saved(qtbot, make, clipboard):
    window = make()
    qtbot.mouseClick(window.watch_box, Qt.MouseButton.LeftButton)
    assert window.watcher.enabled
    assert load_settings().clipboard_watch is True
    with qtbot.waitSignal(window.reportReady, timeout=10000) as blocker:
        clipboard.setText(SYNERGY)
    assert blocker.args[0].text == SYNERGY == window.text()
    assert window.findings_view.topLevelItemCount() >= 2

    window.set_watch(False)
    assert load_settings().clipboard_watch is False
    with qtbot.assertNotEmitted(window.watcher.textCopied):
        clipboard.setText("Something else entirely.")
    assert window.text() == SYNERGY


def test_watch_setting_is_restored(qtbot, make, clipboard):
    window = make(settings=Settings(clipboard_watch=True))
    assert window.watch_box.isChecked() and window.watcher.enabled
    with qtbot.waitSignal(window.reportReady, timeout=10000):
        clipboard.setText(SYNERGY)


def test_copy_cleaned_does_not_retrigger_the_watcher(qtbot, make, clipboard):
    window = make()
    window.set_watch(True)
    _check(qtbot, window, ROBOTIC)
    with (
        qtbot.assertNotEmitted(window.watcher.textCopied),
        qtbot.assertNotEmitted(window.reportReady, wait=500),
    ):
        window.copy_cleaned()
    assert clipboard.text() != ROBOTIC and clipboard.text().startswith("Today")
    assert window.text() == ROBOTIC


def test_watcher_skips_blank_and_oversized_text(qtbot, clipboard):
    watcher = ClipboardWatcher(clipboard, enabled=True, max_chars=20)
    try:
        with qtbot.assertNotEmitted(watcher.textCopied):
            clipboard.setText("   \n")
        with qtbot.waitSignal(watcher.textSkipped), qtbot.assertNotEmitted(watcher.textCopied):
            clipboard.setText("x" * 21)
        with qtbot.waitSignal(watcher.textCopied) as blocker:
            clipboard.setText("short enough")
        assert blocker.args == ["short enough"]
    finally:
        watcher.set_enabled(False)


def test_stale_result_is_dropped(qtbot, make, checker):
    gated = GatedChecker(checker)
    window = make(gated)
    seen: list[str] = []
    window.reportReady.connect(lambda report: seen.append(report.text))
    window.set_text(ROBOTIC)
    qtbot.waitUntil(gated.started.is_set, timeout=5000)
    assert window.busy
    window.text_box.setPlainText(SYNERGY)  # edited while the first check runs
    gated.release.set()
    qtbot.waitUntil(lambda: seen == [SYNERGY], timeout=10000)
    qtbot.wait(100)
    assert seen == [SYNERGY]
    assert window.dropped == 1
    assert gated.texts == [ROBOTIC, SYNERGY]
    assert window.report is not None and window.report.text == SYNERGY
    phrases = _phrases(window)
    assert "In today's fast-paced world" not in phrases and "leverage" in phrases


def test_clearing_resets_the_display(qtbot, make):
    window = make()
    _check(qtbot, window, ROBOTIC)
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert window.text() == "" and window.report is None
    assert window.findings_view.topLevelItemCount() == 0
    assert not window.copy_button.isEnabled()


def test_always_on_top_and_pin_toggle(qtbot, make):
    window = make()
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.is_pinned() and window.pin_button.isChecked()
    qtbot.mouseClick(window.pin_button, Qt.MouseButton.LeftButton)
    assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.isVisible()
    qtbot.mouseClick(window.pin_button, Qt.MouseButton.LeftButton)
    assert window.is_pinned() and window.isVisible()


def test_dropping_text_and_a_text_file(qtbot, make, tmp_path):
    window = make()
    path = tmp_path / "essay.txt"
    path.write_text(SYNERGY + "\n", encoding="utf-8")
    file_mime = QMimeData()
    file_mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(window.reportReady, timeout=10000) as blocker:
        _drop(window, file_mime)
    assert blocker.args[0].text == SYNERGY + "\n"

    window.clear()
    text_mime = QMimeData()
    text_mime.setText("It is important to note that this works.")
    with qtbot.waitSignal(window.reportReady, timeout=10000) as blocker:
        _drop(window, text_mime)
    assert blocker.args[0].text == "It is important to note that this works."


def _drop(window: CompanionWindow, mime: QMimeData) -> None:
    """A drag entering the text box, moving over it and dropping ``mime``."""
    viewport = window.text_box.viewport()
    pos = QPointF(10, 10)
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    point = pos.toPoint()  # drag enter/move take QPoint, drop takes QPointF
    for event in (QDragEnterEvent(point, *args), QDragMoveEvent(point, *args), QDropEvent(pos, *args)):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted()


def test_check_clipboard_action(qtbot, make, clipboard):
    window = make()
    assert window.check_action.shortcut().toString() == CHECK_CLIPBOARD_KEYS
    clipboard.setText(SYNERGY)
    with qtbot.waitSignal(window.reportReady, timeout=10000):
        window.check_action.trigger()
    assert window.text() == SYNERGY

    clipboard.setText(ROBOTIC)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.reportReady, timeout=10000):
        qtbot.keyClick(
            window.text_box,
            Qt.Key.Key_H,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert window.text() == ROBOTIC


def test_closing_stops_the_thread_and_showing_restarts_it(qtbot, make, checker):
    gated = GatedChecker(checker)
    window = make(gated)
    window.set_text(ROBOTIC)
    qtbot.waitUntil(gated.started.is_set, timeout=5000)
    with qtbot.waitSignal(window.closed):
        gated.release.set()
        window.close()
    assert not window.running
    qtbot.waitUntil(lambda: window.dropped == 1)  # the result that was on its way
    with qtbot.assertNotEmitted(window.reportReady, wait=100):
        window.set_text(SYNERGY)  # closed: nothing is submitted

    with qtbot.waitSignal(window.reportReady, timeout=10000) as blocker:
        window.show()  # shown again: a new thread checks the text
    assert window.running and blocker.args[0].text == SYNERGY


def test_open_companion_builds_the_checker_on_its_thread(qtbot, checker):
    built: list[threading.Thread] = []

    def factory(settings: Settings) -> Engine:
        built.append(threading.current_thread())
        return checker

    window = open_companion(Settings(), factory)
    try:
        assert window.isVisible() and built == []  # nothing built on the UI thread
        report = _check(qtbot, window, SYNERGY)
        assert report.findings and built and built[0] is not threading.main_thread()
    finally:
        window.close()
    assert not window.running


def test_tray_is_not_installed_offscreen(qtbot, caplog):
    calls: list[str] = []
    with caplog.at_level(logging.INFO, logger="companion.gui.app.tray"):
        tray = install_tray(
            QApplication.instance(),
            lambda: calls.append("show"),
            lambda: calls.append("check"),
            lambda: calls.append("quit"),
        )
    assert tray is None and calls == []
    assert "no system tray" in caplog.text


def test_tray_menu(qtbot):
    calls: list[str] = []
    tray = Tray(lambda: calls.append("show"), lambda: calls.append("check"), lambda: calls.append("quit"))
    try:
        names = [a.objectName() for a in tray.contextMenu().actions() if not a.isSeparator()]
        assert names == ["check_clipboard", "show_companion", "quit"]
        for action in tray.contextMenu().actions():
            action.trigger()
        tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
        assert calls == ["check", "show", "quit", "show"]
        assert not tray.icon().isNull()
    finally:
        tray.deleteLater()


def test_app_icon_is_painted():
    icon = app_icon()
    assert not icon.isNull()
    assert 16 in {size.width() for size in icon.availableSizes()}
    image = paint_icon(64).toImage()
    assert image.pixelColor(32, 2).alpha() > 0 and image.pixelColor(0, 0).alpha() == 0
