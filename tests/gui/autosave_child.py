"""A Humanize window in its own process, for test_files.py: it opens FILE, types TEXT and
waits to be killed once its autosave is on disk (printing ``AUTOSAVED <path>``).

Run as ``python -m tests.gui.autosave_child FILE TEXT`` with QT_QPA_PLATFORM=offscreen and
HUMANIZE_DATA_DIR / HUMANIZE_CONFIG_DIR / HUMANIZE_CACHE_DIR pointing at temporary folders.
It uses an empty checker: no model, no analyzers, a quick start.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import companion.gui  # noqa: F401  (the PySide6 guard first)
from companion.core.checker import Checker
from companion.core.settings import Settings
from companion.gui.window import MainWindow
from companion.gui.worker import InlineRunner


def main(path: str, text: str) -> int:
    app = QApplication([sys.argv[0]])
    settings = Settings(autosave_s=1, semantic=False, grammar="off")
    window = MainWindow(settings, runner=InlineRunner(), checker_factory=lambda _s: Checker([]))
    window.show()
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
