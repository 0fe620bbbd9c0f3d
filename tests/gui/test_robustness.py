"""Robustness: random edits keep text, findings and saves consistent; kill -9 loses nothing.

A hypothesis state machine drives a shown :class:`MainWindow` (synchronous runner, fast
checker, no debounce) with typing, deleting, pasting, undo, redo, applying suggestions and
saving, and keeps a plain-Python model of the text beside it. Each user action is one undo
step: typing and deleting are wrapped in an edit block, as Qt would otherwise merge
adjacent keystrokes into one step (its own behaviour, not ours to test here).

The kill test runs ``tests.gui.autosave_child --loop`` (saves and autosaves of a large
text, back to back) and kills it with SIGKILL at random moments, several times.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from companion.core.clean import edit_for
from companion.core.documents import load_document
from companion.core.settings import Settings
from companion.gui.editor.offsets import from_utf16, to_utf16
from companion.gui.editor.suggestions import offered
from companion.gui.files.autosave import DISCARD, RECOVER, AutosaveRecord, offer_recovery
from companion.gui.files.controller import editor_text
from tests.gui.autosave_child import version_of, version_text
from tests.gui.conftest import wait_checked

log = logging.getLogger(__name__)

#: What a user types, one key event each: accents, combining marks, CJK, emoji (with ZWJ).
TOKENS = (
    "a", "z", "Q", " ", ", ", ". ", "the ", "very ", "utilize ", "leverage ", "delve into ",
    "é", "e\u0301", "n\u0303o", "漢字", "かな", "😀", "👩\u200d💻", "🇫🇷", "ﬁ", "’",
)  # fmt: skip
#: Pasted text adds every kind of line break.
PASTE_TOKENS = (*TOKENS, "\r\n", "\n", "\r", "In today's fast-paced world, ")
START = (
    "In today's fast-paced world, we must leverage synergies.\r\n"
    "It is important to note that we utilize 😀 tools.\r\n\r\n"
    "Café 漢字 e\u0301 very unique results, delve into it."
)

typed = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=5)
pasted = st.lists(st.sampled_from(PASTE_TOKENS), min_size=1, max_size=8).map("".join)


class EditorMachine(RuleBasedStateMachine):
    """The window under test and a model: ``history[k]`` is the text after ``k`` undo steps."""

    window = None  # set by the test before running
    qtbot = None
    folder: Path
    _names = itertools.count()

    @initialize()
    def open_file(self) -> None:
        self.path = self.folder / f"doc{next(self._names)}.txt"
        self.path.write_bytes(START.encode("utf-8"))
        assert self.window.open_file(str(self.path), ask=False)
        self.history = [editor_text(START)]
        self.k = 0
        self.settle()

    # -- helpers ------------------------------------------------------------------------
    @property
    def editor(self):
        return self.window.editor

    @property
    def model(self) -> str:
        return self.history[self.k]

    def settle(self) -> None:
        """Let the synchronous checker and the redraw catch up."""
        wait_checked(self.qtbot, self.window)

    def edited(self, text: str) -> None:
        """One new undo step with ``text``; the redo branch is gone."""
        self.history = [*self.history[: self.k + 1], text]
        self.k += 1

    def place(self, start: int, end: int | None = None) -> None:
        """Put the caret (and selection) at code point offsets of the model text."""
        cursor = self.editor.textCursor()
        cursor.setPosition(to_utf16(self.model, start))
        if end is not None:
            cursor.setPosition(to_utf16(self.model, end), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)

    def one_step(self, action) -> None:
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        action()
        cursor.endEditBlock()

    # -- rules --------------------------------------------------------------------------
    @rule(tokens=typed, where=st.floats(0, 1))
    def type_text(self, tokens: list[str], where: float) -> None:
        pos = round(where * len(self.model))
        self.place(pos)

        def keys() -> None:
            for token in tokens:
                press = QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, token)
                QApplication.sendEvent(self.editor, press)

        self.one_step(keys)
        text = "".join(tokens)
        self.edited(self.model[:pos] + text + self.model[pos:])

    @precondition(lambda self: len(self.model) > 0)
    @rule(a=st.floats(0, 1), b=st.floats(0, 1))
    def delete_range(self, a: float, b: float) -> None:
        start, end = sorted((round(a * len(self.model)), round(b * len(self.model))))
        if start == end:
            end = min(start + 1, len(self.model))
            start = end - 1
        self.place(start, end)
        self.one_step(lambda: QTest.keyClick(self.editor, Qt.Key.Key_Backspace))
        self.edited(self.model[:start] + self.model[end:])

    @rule(text=pasted, where=st.floats(0, 1))
    def paste(self, text: str, where: float) -> None:
        pos = round(where * len(self.model))
        self.place(pos)
        QGuiApplication.clipboard().setText(text)
        self.one_step(lambda: QTest.keySequence(self.editor, QKeySequence.StandardKey.Paste))
        self.edited(self.model[:pos] + editor_text(text) + self.model[pos:])

    @precondition(lambda self: self.k > 0)
    @rule()
    def undo(self) -> None:
        QTest.keySequence(self.editor, QKeySequence.StandardKey.Undo)
        self.k -= 1

    @precondition(lambda self: self.k < len(self.history) - 1)
    @rule()
    def redo(self) -> None:
        self.editor.redo()  # Ctrl+Shift+Z or Ctrl+Y depending on the platform: call it
        self.k += 1

    @rule(pick=st.integers(0, 10_000))
    def apply_first_suggestion(self, pick: int) -> None:
        """The menu's first suggestion it applies (some are refused, shown as "edit by hand")."""
        self.settle()
        refs = [r for r in self.editor.findings() if offered(r.finding)]
        if not refs:
            return
        ref = refs[pick % len(refs)]
        menu = self.editor.menu_for(ref)
        applies = [
            a for a in menu.actions() if isinstance(a.data(), (tuple, list)) and a.data()[0] == "apply"
        ]
        if applies:
            replacement = applies[0].data()[1]
            assert replacement in offered(ref.finding)
            # Offsets count from the paragraph's text: its lead block's start after the indentation.
            edit = edit_for(ref.text, ref.finding, replacement)
            base = from_utf16(self.model, ref.block.position()) + ref.indent
            applies[0].trigger()
            self.edited(self.model[: base + edit.start] + edit.replacement + self.model[base + edit.end :])
        menu.deleteLater()

    @rule()
    def save(self) -> None:
        assert self.window.save()
        assert not self.editor.document().isModified()
        data = self.path.read_bytes()
        assert editor_text(data.decode("utf-8")) == self.model
        assert editor_text(load_document(str(self.path)).text) == self.model

    # -- invariants ---------------------------------------------------------------------
    @invariant()
    def text_matches_model(self) -> None:
        assert self.window.text() == self.model
        document = self.editor.document()
        assert document.isUndoAvailable() == (self.k > 0)
        assert document.isRedoAvailable() == (self.k < len(self.history) - 1)

    @invariant()
    def findings_sit_on_their_text(self) -> None:
        """Checked twice: right after the edit (carried-over findings) and once checked again."""
        for settled in (False, True):
            if settled:
                self.settle()
            whole = self.window.text()
            for ref in self.editor.findings():
                f, text = ref.finding, ref.text  # the paragraph's text (it may run over several lines)
                assert 0 <= f.start < f.end <= len(text), (f, text)
                assert text[f.start : f.end] == f.matched, (f, text)
                start, end = ref.span()
                a, b = from_utf16(whole, start), from_utf16(whole, end)
                assert whole[a:b] == f.matched, (f, whole)


def test_random_edits_keep_text_findings_and_saves_consistent(qtbot, make_window, tmp_path) -> None:
    window = make_window(settings=Settings(debounce_ms=0, semantic=False, grammar="off"))
    EditorMachine.window, EditorMachine.qtbot, EditorMachine.folder = window, qtbot, tmp_path
    try:
        run_state_machine_as_test(
            EditorMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=20,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        EditorMachine.window = EditorMachine.qtbot = None


# --------------------------------------------------------------------------- kill -9

ROOT = Path(__file__).resolve().parents[2]
KILLS = 8


def _run_and_kill(path: Path, first: int, delay: float) -> list[int]:
    """Start the save/autosave loop on ``path``; SIGKILL it ``delay`` s after its first step.

    Returns the versions it announced as written (saved or autosaved) before it died.
    """
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.autosave_child", "--loop", str(path), str(first)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    announced: list[int] = []
    started = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            announced.append(int(line.split()[1]))
            started.set()
        started.set()  # the child ended: do not wait for ever

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(30), "the child never saved"
        assert proc.poll() is None, f"the child stopped by itself (exit {proc.returncode})"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)  # no close event, no cleanup, no flush
    finally:
        proc.kill()
        proc.wait(10)
        reader.join(10)
        if proc.stdout:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    return announced


def test_kill_9_during_saves_and_autosaves_loses_nothing(qtbot, make_window, tmp_path) -> None:
    """Each kill leaves the file complete (old or new) and recovery offering a complete text."""
    path = tmp_path / "essay.txt"
    path.write_bytes(b"Before the loop.\r\n")
    folder = Path(os.environ["HUMANIZE_DATA_DIR"]) / "autosave"
    window = make_window()
    delays = random.Random(20261203)
    for round_ in range(KILLS):
        last = round_ == KILLS - 1
        announced = _run_and_kill(path, 1000 * (round_ + 1), delays.uniform(0.0, 0.6))
        assert announced, "killed before the first write"

        data = path.read_bytes()  # complete, never truncated or a mix of two versions
        on_disk = version_of(editor_text(data.decode("utf-8")))
        assert on_disk is not None, f"round {round_}: the file is not one complete version"
        assert data == version_text(on_disk).replace("\n", "\r\n").encode("utf-8")  # line endings kept
        assert on_disk >= max(n for n in announced if n % 2 == 0)

        files = sorted(folder.glob("*.json"))
        records = [AutosaveRecord.read(file) for file in files]
        assert None not in records, f"round {round_}: an autosave file is unreadable"
        autosaved = [version_of(r.text) for r in records if r is not None]
        assert None not in autosaved, f"round {round_}: an autosave holds an incomplete text"
        assert len(autosaved) <= 1
        newest = max([on_disk, *autosaved])  # type: ignore[list-item]
        assert newest >= announced[-1], f"round {round_}: version {announced[-1]} was lost"

        offered: list[AutosaveRecord] = []

        def ask(_parent, record: AutosaveRecord, last: bool = last, offered: list = offered) -> str:
            offered.append(record)
            return RECOVER if last else DISCARD

        recovered = offer_recovery(window, ask=ask)
        assert [version_of(r.text) for r in offered] == autosaved
        assert not list(folder.glob(".*.tmp")), "the dead writer's temporary files were not swept"
        for record in offered:
            assert record.path == str(path)
            if version_of(record.text) < on_disk:  # type: ignore[operator]
                assert record.disk_changed()  # the dialog says the file is newer
        if last and autosaved:
            assert recovered and window.text() == version_text(autosaved[0])
            assert window.doc is not None and window.doc.path == str(path)
    leftovers = list(tmp_path.glob(".essay.txt.*.tmp"))
    log.info("%d interrupted save(s) left a temporary file beside the document", len(leftovers))
