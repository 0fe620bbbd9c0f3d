"""Companion mode: a small always-on-top window to check text from other applications.

Paste, drop (text or a text file) or type text; the findings, the robotic score
and the word count appear, and "Copy cleaned" puts the text with its safe
replacements applied (``companion.core.clean``) on the clipboard. With "Check
what I copy" on (``Settings.clipboard_watch``), text copied anywhere is shown and
checked.

Checks run on a worker ``QThread`` that gets snapshots (revision, text), never
widgets: one job in flight, ~300 ms debounce after edits, the latest text wins
and a result whose revision has moved on is dropped. A checker factory is called
on that thread too, on first use, so nothing heavy runs on the UI thread.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QGuiApplication, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QTreeWidgetItem,
    QWidget,
)

from companion.core.documents import DocumentError, load_document
from companion.core.engine import Engine, apply_edits, clean_edits, harper_count
from companion.core.findings import Report
from companion.core.settings import FILTER_FIELDS, Settings, SettingsStore
from companion.gui.app.settings_signal import SettingsSignal, as_store
from companion.gui.app.tray import app_icon, check_clipboard_action
from companion.gui.mini.clipboard import MAX_CHARS, ClipboardWatcher
from companion.gui.mini.layout import CompanionLayout
from companion.gui.mini.report_view import finding_item, select_finding, underlines
from companion.gui.mini.style import plural, style_sheet
from companion.gui.mini.worker import CheckerSource, CheckWorker
from companion.gui.theme import current_theme, score_family

log = logging.getLogger(__name__)

#: Settings the companion's checker is built from: a change has the factory build a new one.
CHECKER_FIELDS = (*FILTER_FIELDS, "personal_words")

DEBOUNCE_MS = 300
#: How long closing waits for a check in progress (an analyzer cannot be interrupted).
SHUTDOWN_WAIT_MS = 15000
#: Findings listed and underlined at most (the score and "Copy cleaned" use all of them).
MAX_LISTED = 500
MESSAGE_MS = 6000
STICKY = Qt.WindowType.WindowStaysOnTopHint


class CompanionWindow(QWidget, CompanionLayout):
    """The companion window. ``checker``: an Engine or a zero-argument factory (the test seam).

    ``settings``: the shared :class:`SettingsStore` (a plain ``Settings`` gets a store of its
    own); the window follows its changes and saves "Check what I copy" through it.
    """

    #: A fresh report for the text now in the box (stale ones are never emitted).
    reportReady = Signal(object)
    #: The window was closed; its worker thread has stopped.
    closed = Signal()
    _submit = Signal(int, str)

    def __init__(
        self,
        checker: CheckerSource,
        settings: Settings | SettingsStore | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        clipboard: QClipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | STICKY)
        self.setObjectName("companionWindow")
        self.setWindowTitle("Humanize companion")
        self.setWindowIcon(app_icon())
        self.settings_store = as_store(settings)
        self._settings_signal = SettingsSignal(self.settings_store, self)
        self._settings_signal.changed.connect(self._on_settings_changed)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        self._theme = current_theme(self.settings.theme)
        self._report: Report | None = None
        self._revision = 0
        self._in_flight: int | None = None
        self._copy_when_ready = False
        self._source = checker
        self._factory = None if isinstance(checker, Engine) else checker
        self._closed = True
        #: Results thrown away because the text changed while they were computed.
        self.dropped = 0
        self._debounce = QTimer(self, singleShot=True, interval=max(0, debounce_ms), timeout=self._dispatch)
        self._hush = QTimer(self, singleShot=True, interval=MESSAGE_MS, timeout=lambda: self.say(""))
        self._build()
        self.watcher = ClipboardWatcher(self._clipboard, parent=self)
        self.watcher.textCopied.connect(self._on_copied)
        self.watcher.textSkipped.connect(self.say)
        self.watch_box.setChecked(self.settings.clipboard_watch)
        self.watch_box.toggled.connect(self.set_watch)
        self.check_action = check_clipboard_action(self, self.check_clipboard)
        app = QCoreApplication.instance()
        if app is not None:  # never leave a running thread behind at exit
            app.aboutToQuit.connect(self.shutdown)
        self._show_report(None)
        self._start()

    def _start(self) -> None:
        """Start the worker thread (again, when a closed window is shown) and the clipboard watch."""
        self._closed = False
        self._thread = QThread(objectName="humanize-companion")
        self._new_worker()
        self._thread.start()
        self.watcher.set_enabled(self.settings.clipboard_watch)

    def _new_worker(self) -> None:
        self._worker = CheckWorker(self._source)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.done.connect(self._on_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.built.connect(self._on_built)
        self._thread.finished.connect(self._worker.deleteLater)

    @property
    def settings(self) -> Settings:
        """A snapshot of the shared settings (change them through ``settings_store``)."""
        return self.settings_store.current

    def _on_settings_changed(self, old: Settings, new: Settings) -> None:
        """Another window (or this one) changed the shared settings: follow them."""
        if old.clipboard_watch != new.clipboard_watch:
            if self._closed:  # showing the window again starts the watch
                with QSignalBlocker(self.watch_box):
                    self.watch_box.setChecked(new.clipboard_watch)
            else:
                self.set_watch(new.clipboard_watch)
        if old.theme != new.theme:
            self._theme = current_theme(new.theme)
            self.setStyleSheet(style_sheet(self._theme))
            self._show_report(self._report)
        if self._factory is not None and any(getattr(old, k) != getattr(new, k) for k in CHECKER_FIELDS):
            self._source = self._factory  # the next check builds a checker from the new settings
            if not self._closed:
                old_worker = self._worker
                self._submit.disconnect(old_worker.run)
                for signal, slot in ((old_worker.done, self._on_done), (old_worker.failed, self._on_failed)):
                    signal.disconnect(slot)
                old_worker.built.disconnect(self._on_built)
                old_worker.deleteLater()  # on its thread, after the check it may be running
                self._in_flight = None  # that check's result is not for these settings
                self._new_worker()
                self._check_now()

    def _build(self) -> None:
        self.setup_ui(self)
        self.pin_button.toggled.connect(self.set_pinned)
        self.text_box.textChanged.connect(self._on_edited)
        self.text_box.fileDropped.connect(self.load_file)
        self.findings_view.itemClicked.connect(self._on_item)
        self.findings_view.itemActivated.connect(self._on_item)
        self.paste_button.clicked.connect(self.paste)
        self.clear_button.clicked.connect(self.clear)
        self.copy_button.clicked.connect(self.copy_cleaned)
        self.setStyleSheet(style_sheet(self._theme))

    # -- public actions ------------------------------------------------------------------
    def text(self) -> str:
        """The box's text, lines joined by "\\n" (offsets match the report's)."""
        return self.text_box.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")

    def set_text(self, text: str) -> bool:
        """Replace the box's text (one undo step) and check it now; False if it is too long."""
        if len(text) > MAX_CHARS:
            self.say(f"Not shown: {len(text):,} characters is over the {MAX_CHARS:,} limit.")
            return False
        cursor = QTextCursor(self.text_box.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        self.text_box.moveCursor(QTextCursor.MoveOperation.Start)
        self._check_now()
        return True

    def paste(self) -> None:
        """Check the clipboard's text (it replaces the box's)."""
        text = self._clipboard.text()
        if text.strip():
            self.set_text(text)
        else:
            self.say("The clipboard has no text.")

    def check_clipboard(self) -> None:
        """Show the window and check the clipboard's text (tray menu, Ctrl+Shift+H)."""
        self.show_and_raise()
        self.paste()

    def clear(self) -> None:
        self.text_box.clear()

    def copy_cleaned(self) -> None:
        """Put the cleaned text on the clipboard (after the check, if the text just changed)."""
        text = self.text()
        if not text.strip():
            self.say("Nothing to copy.")
            return
        if self._report is None or self._report.text != text:
            self._copy_when_ready = True
            self.say("Checking…")
            self._check_now()
            return
        self._copy_when_ready = False
        edits = clean_edits(text, self._report.findings, harper_count())
        cleaned = apply_edits(text, edits)
        self.watcher.mark_own(cleaned)
        self._clipboard.setText(cleaned)
        self.say(
            f"Copied with {plural(len(edits), 'replacement')}." if edits else "Copied (nothing to clean)."
        )

    def load_file(self, path: str) -> None:
        try:
            doc = load_document(path)
        except DocumentError as exc:
            self.say(str(exc))
            return
        self.set_text(doc.text.replace("\r\n", "\n").replace("\r", "\n"))

    def set_watch(self, on: bool) -> None:
        """Turn "Check what I copy" on or off, and save the choice."""
        self.watcher.set_enabled(on)
        self.watch_box.setChecked(on)
        if self.settings.clipboard_watch != on:
            try:
                self.settings_store.update(clipboard_watch=on)
            except (OSError, ValueError) as exc:
                log.warning("settings not saved: %s", exc)
                self.say(f"Setting not saved: {exc}")

    def is_pinned(self) -> bool:
        return bool(self.windowFlags() & STICKY)

    def set_pinned(self, on: bool) -> None:
        """Keep the window above other applications, or not."""
        self.pin_button.setChecked(on)
        if on != self.is_pinned():
            visible = self.isVisible()
            self.setWindowFlag(STICKY, on)  # this hides the window: show it again
            if visible:
                self.show()

    def show_and_raise(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def say(self, message: str) -> None:
        self.status_label.setText(message)
        self.status_label.setToolTip(message)
        if message:
            self._hush.start()

    @property
    def report(self) -> Report | None:
        """The report shown (for the box's text, unless an edit is waiting for its check)."""
        return self._report

    @property
    def busy(self) -> bool:
        return self._in_flight is not None

    @property
    def running(self) -> bool:
        """Whether the worker thread runs (False once the window is closed)."""
        return self._thread.isRunning()

    # -- checking ------------------------------------------------------------------------
    def _on_edited(self) -> None:
        self._revision += 1
        self._copy_when_ready = False  # "Copy cleaned" was for the text before this edit
        if self.text().strip():
            self._debounce.start()
        else:
            self._debounce.stop()
            self._show_report(None)

    def _check_now(self) -> None:
        self._debounce.stop()
        self._dispatch()

    def _dispatch(self) -> None:
        text = self.text()
        if self._closed or self._in_flight is not None or not text.strip():
            return  # with a job in flight, _job_over dispatches again if the text moved on
        if len(text) > MAX_CHARS:
            self._copy_when_ready = False
            self.say(f"Not checked: {len(text):,} characters is over the {MAX_CHARS:,} limit.")
            return
        self._in_flight = self._revision
        self._submit.emit(self._revision, text)

    def _job_over(self, revision: int) -> bool:
        """The job in flight ended; True if its text is still the box's."""
        if revision != self._in_flight:  # a job from before the window was closed
            return False
        self._in_flight = None
        if revision != self._revision and not self._debounce.isActive():
            self._dispatch()
        return revision == self._revision

    def _on_done(self, revision: int, report: Report) -> None:
        if not self._job_over(revision):
            self.dropped += 1
            return
        self._show_report(report)
        self.reportReady.emit(report)
        if self._copy_when_ready:
            self.copy_cleaned()

    def _on_failed(self, revision: int, message: str) -> None:
        if self._job_over(revision):
            self._copy_when_ready = False
            self.say(f"Check failed: {message}")

    def _on_built(self, checker: Engine) -> None:
        self._source = checker  # kept for the next thread, should the window be closed and shown again

    def _on_copied(self, text: str) -> None:
        if not self._closed and text != self.text():
            self.set_text(text)

    # -- showing -------------------------------------------------------------------------
    def _show_report(self, report: Report | None) -> None:
        self._report = report
        self.findings_view.clear()
        self.copy_button.setEnabled(report is not None)
        self.score_label.setVisible(report is not None)
        if report is None:
            self.text_box.setExtraSelections([])
            self.count_label.setText("No text checked yet")
            return
        score, words, n = report.stats.robotic_score, report.stats.words, len(report.findings)
        self.score_label.setText(f"Robotic {score:.0f}")
        self.score_label.setStyleSheet(f"background: {self._theme.families[score_family(score)]};")
        self.score_label.setToolTip("How robotic the text reads, from 0 to 100 (higher is more robotic)")
        self.count_label.setText(f"{plural(words, 'word')} · {plural(n, 'finding')}")
        shown = report.findings[:MAX_LISTED]
        self.findings_view.addTopLevelItems(
            [finding_item(i, f, report.text, self._theme) for i, f in enumerate(shown)]
        )
        if n > MAX_LISTED:
            self.findings_view.addTopLevelItem(QTreeWidgetItem(["", f"… and {n - MAX_LISTED} more", ""]))
        self.text_box.setExtraSelections(
            underlines(self.text_box.document(), report.text, shown, self._theme)
        )

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(index, int):
            self.select_finding(index)

    def select_finding(self, index: int) -> bool:
        """Select finding ``index`` of the shown report in the box; False if its text moved on."""
        return select_finding(self.text_box, self._report, self.text(), index)

    # -- closing -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop watching and checking; waits for the worker thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._in_flight = None  # whatever it returns now is dropped
        self._debounce.stop()
        self.watcher.set_enabled(False)
        self._thread.quit()
        if not self._thread.wait(SHUTDOWN_WAIT_MS):
            log.warning("the companion's check did not finish within %d ms", SHUTDOWN_WAIT_MS)
            # Outlive this window: destroying a running QThread aborts the process.
            self._thread.setParent(QCoreApplication.instance())
            self._thread.finished.connect(self._thread.deleteLater)

    def showEvent(self, event: QShowEvent) -> None:
        if self._closed:  # shown again after being closed
            self._start()
            self._check_now()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
        self.closed.emit()
