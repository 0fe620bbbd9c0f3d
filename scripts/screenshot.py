"""Render the editor with a sample AI-style document to docs/screenshot.png (offscreen).

    python scripts/screenshot.py [--out docs/screenshot.png] [--no-semantic] [--dark]

Waits until every analyzer has loaded (the embedding model too) and every paragraph is
checked, hovers an underline so the suggestion card shows, and saves ``QWidget.grab()``
of the window with the card painted where it floats. Settings and user data live in a
temporary folder; the model's anchor embeddings are cached in ``$TMPDIR``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_TMP = tempfile.mkdtemp(prefix="humanize-shot-")
os.environ["HUMANIZE_CONFIG_DIR"] = os.path.join(_TMP, "config")
os.environ["HUMANIZE_DATA_DIR"] = os.path.join(_TMP, "data")
os.environ.setdefault("HUMANIZE_CACHE_DIR", os.path.join(tempfile.gettempdir(), "humanize-shot-cache"))

SAMPLE = """\
# Remote work: the road ahead

In today's fast-paced world, remote work has become a game-changer for companies of all sizes. \
It is important to note that organizations must leverage cutting-edge tools to unlock their full \
potential and navigate the ever-evolving landscape of modern business.

Moreover, embracing a hybrid model plays a crucial role in fostering collaboration. Teams can \
seamlessly delve into complex projects, and managers are able to streamline workflows in order to \
drive synergies across departments.

In this quickly changing modern world, it could be argued that flexibility is not only a perk but \
also a necessity. The decision was made by leadership to empower employees, which arguably \
represents a paradigm shift in how we think about productivity, engagement and the very nature of \
the workplace itself in a world where boundaries between home and office continue to blur.

That said, I still miss the office coffee. Last Tuesday my laptop died halfway through a call, and \
nobody noticed for ten minutes.

Furthermore, it is worth noting that a robust communication strategy is essential. Leaders should \
foster a culture of trust and transparency, ensuring that every voice is heard and valued.

In conclusion, by harnessing the power of remote work, businesses can thrive in the digital age. \
At the end of the day, success is a journey, not a destination.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description="Render docs/screenshot.png")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--hover", default="game-changer", help="the underlined text to hover")
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QPoint, QTimer
    from PySide6.QtGui import QPainter, QTextCursor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import companion.gui  # noqa: F401  (the PySide6 6.12 guard)
    from companion.core.settings import Settings
    from companion.gui.app.window import MainWindow

    app = QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    settings = Settings(grammar="off", semantic=not args.no_semantic, theme="dark" if args.dark else "light")
    window = MainWindow(settings)
    window.resize(1280, 760)
    window.show()
    QTest.qWaitForWindowExposed(window)
    path = Path(_TMP) / "remote-work.md"
    path.write_text(SAMPLE, encoding="utf-8")
    window.open_file(str(path), ask=False)
    editor, scheduler = window.editor, window.editor.scheduler

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        wait(100)
        if not window.loader.loading() and not scheduler.busy and not scheduler.has_work():
            break
    wait(2000)  # the panel's last refresh and a repaint

    text = editor.toPlainText()
    at = text.find(args.hover)
    if at >= 0:
        cursor = QTextCursor(editor.document())
        cursor.setPosition(at + 2)
        editor.setTextCursor(QTextCursor(editor.document()))  # caret away from the findings
        rect = editor.cursorRect(cursor)
        QTest.mouseMove(editor.viewport(), QPoint(rect.center().x(), rect.center().y()))
        wait(600)
    image = window.grab()
    card = editor.card
    if card.isVisible():
        painter = QPainter(image)
        painter.drawPixmap(window.mapFromGlobal(card.pos()), card.grab())
        painter.end()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out)
    print(f"{args.out}: {image.width()}x{image.height()}, status: {window.status_label.text()}")
    editor.document().setModified(False)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
