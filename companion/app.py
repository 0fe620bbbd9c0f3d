"""Start the editor: ``run_app(["essay.md"])`` opens a window (with the file) and runs Qt."""

from __future__ import annotations

import argparse
import logging
import sys

log = logging.getLogger(__name__)

#: Let the UI thread take the GIL back quickly from the checking thread (seconds).
SWITCH_INTERVAL_S = 0.002


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="humanize", description="Open the Humanize editor.")
    parser.add_argument("file", nargs="?", help="a .txt, .md or .docx file to open")
    parser.add_argument("--companion", action="store_true", help="companion mode (not yet available)")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def run_app(argv: list[str]) -> int:
    """Create the application and the main window, open FILE if given, run the event loop."""
    args = _parse(list(argv))
    logging.basicConfig(level=logging.WARNING, format="humanize: %(levelname)s: %(name)s: %(message)s")
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from companion.core.settings import load_settings
    from companion.gui.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "humanize"])
    app.setApplicationName("Humanize")
    app.setOrganizationName("Humanize")
    app.setStyle("Fusion")
    window = MainWindow(load_settings())
    app.aboutToQuit.connect(window.shutdown)  # the worker thread must end before Qt does
    window.show()
    if args.file:
        QTimer.singleShot(0, lambda: window.open_file(args.file, ask=False))
    return app.exec()
