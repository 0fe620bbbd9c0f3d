"""A Humanize window in its own process, to be killed with SIGKILL by the tests.

``python -m tests.gui.autosave_child FILE TEXT`` (test_files.py) opens FILE, types TEXT
and waits to be killed once its autosave is on disk (printing ``AUTOSAVED <path>``).

``python -m tests.gui.autosave_child --loop FILE FIRST`` (test_robustness.py) reads FILE
and, until killed, alternates as the window would: :func:`version_text` of an even
number saved (``save_document``, then the autosave removed; prints ``SAVED <n>``), the
next odd version autosaved by an ``Autosaver`` and waited for (``AUTOSAVED <n>``).
Versions count up from FIRST (even).

Run with QT_QPA_PLATFORM=offscreen and HUMANIZE_DATA_DIR / HUMANIZE_CONFIG_DIR /
HUMANIZE_CACHE_DIR pointing at temporary folders. It uses an empty checker: no model,
no analyzers, a quick start.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import companion.gui  # noqa: F401  (the PySide6 guard first)
from companion.core.checker import Checker
from companion.core.documents import load_document, save_document
from companion.core.settings import Settings
from companion.gui.app.window import MainWindow
from companion.gui.checking.worker import InlineRunner
from companion.gui.files.autosave import Autosaver

#: Lines per version: about 0.5 MB of text, so a write takes long enough to be interrupted.
LINES = 6000


def version_text(n: int) -> str:
    """Version ``n`` of the looped text: every line carries ``n``, so a mix of two shows."""
    body = "\n".join(
        f"{n:06d} line {i}: café, naïve, 漢字, 😀, e\u0301 — the quick brown fox." for i in range(LINES)
    )
    return f"version {n}\n{body}\nend of version {n}"


def version_of(text: str) -> int | None:
    """The version whose complete text ``text`` is, or None (truncated, mixed, foreign)."""
    head = text.split("\n", 1)[0]
    if not head.startswith("version ") or not head[8:].isdigit():
        return None
    n = int(head[8:])
    return n if text == version_text(n) else None


def _window(autosave_s: float) -> MainWindow:
    settings = Settings(autosave_s=autosave_s, semantic=False, grammar="off")
    window = MainWindow(settings, runner=InlineRunner(), checker_factory=lambda _s: Checker([]))
    window.show()
    return window


def main(path: str, text: str) -> int:
    app = QApplication([sys.argv[0]])
    window = _window(1)
    if not window.open_file(path, ask=False):
        return 2
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(window.editor, text)  # typed, as a user would
    target = window.files.autosave.path

    def announce() -> None:
        if target.exists():
            timer.stop()
            print(f"AUTOSAVED {target}", flush=True)

    timer = QTimer()
    timer.timeout.connect(announce)
    timer.start(50)
    return app.exec()  # until SIGKILL


def loop(path: str, first: int) -> int:
    """The window's save sequence without the editor, so the writes take most of the time."""
    app = QApplication([sys.argv[0]])
    doc = load_document(path)
    document = QTextDocument()
    text = ""

    def snapshot() -> dict:
        kept = {"kind": doc.kind, "encoding": doc.encoding, "newline": doc.newline, "had_bom": doc.had_bom}
        return {"text": text, "path": path, **kept}

    autosave = Autosaver(document, snapshot, 0)  # no timer: save_now() below
    for n in range(first, sys.maxsize):
        text = version_text(n)
        document.setModified(True)
        if n % 2 == 0:  # as FileController.save_to: write the file, then drop the autosave
            save_document(doc, text)
            document.setModified(False)
            autosave.clear()
            print(f"SAVED {n}", flush=True)
        else:
            autosave.save_now()
            if autosave.last_error is not None:
                return 4
            print(f"AUTOSAVED {n}", flush=True)
        app.processEvents()
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--loop":
        sys.exit(loop(sys.argv[2], int(sys.argv[3])))
    sys.exit(main(sys.argv[1], sys.argv[2]))
