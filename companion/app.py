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
    parser.add_argument("--companion", action="store_true", help="open the compact companion window")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def run_app(argv: list[str]) -> int:
    """Create the application and the main window, open FILE if given, run the event loop."""
    args = _parse(list(argv))
    logging.basicConfig(level=logging.WARNING, format="humanize: %(levelname)s: %(name)s: %(message)s")
    sys.setswitchinterval(SWITCH_INTERVAL_S)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from companion.core.settings import SettingsStore
    from companion.gui.app.window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "humanize"])
    app.setApplicationName("Humanize")
    app.setOrganizationName("Humanize")
    app.setStyle("Fusion")
    from companion.gui.app.tray import app_icon, install_tray

    app.setWindowIcon(app_icon())
    settings = SettingsStore.load()  # one settings object, shared by every window
    if args.companion:
        from companion.gui.mini.host import open_companion

        companion = open_companion(settings)
        app.aboutToQuit.connect(companion.shutdown)
        tray = install_tray(app, companion.show_and_raise, companion.check_clipboard, app.quit)
        if tray is not None:
            app.setQuitOnLastWindowClosed(False)  # closing the window keeps the tray icon
        if args.file:
            QTimer.singleShot(0, lambda: companion.load_file(args.file))
        return app.exec()
    window = MainWindow(settings)
    app.aboutToQuit.connect(window.shutdown)  # the worker thread must end before Qt does
    window.show()
    # Keep a reference: the tray icon lives as long as this frame (until app.exec returns).
    tray = install_tray(app, window.companion.show, window.companion.check_clipboard, window.close)
    if args.file:
        QTimer.singleShot(0, lambda: window.open_file(args.file, ask=False))
    from companion.gui.files.autosave import offer_recovery

    # After the file above: unsaved text left by a crashed or killed session comes back on request.
    QTimer.singleShot(0, lambda: offer_recovery(window))
    return app.exec()
