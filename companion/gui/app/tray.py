"""The app icon, the system tray entry and the "Check clipboard" shortcut.

Out-of-app entry points are limited on purpose:

* **No system-wide hotkey.** Qt has no global-shortcut API, and Humanize takes no
  dependency that grabs keys from other applications (they need X11 key grabs,
  accessibility permissions on macOS, or a background hook on Windows). The
  "Check clipboard" shortcut, :data:`CHECK_CLIPBOARD_KEYS`, therefore works only
  while a Humanize window has the focus (see :func:`check_clipboard_action`).
* **The tray menu is the way in from other applications**: "Check clipboard",
  "Show companion" and "Quit" (:func:`install_tray`). Where the desktop has no
  tray (some GNOME setups, headless sessions) no icon is installed and the
  reason is logged.

:func:`app_icon` loads ``resources/icons/humanize.png`` (or ``.svg``) when it exists,
and otherwise paints a rounded square with an "H"; the tray and the windows use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from companion.core.paths import resource_dir

log = logging.getLogger(__name__)

CHECK_CLIPBOARD_KEYS = "Ctrl+Shift+H"
ICON_COLOR = "#6d3fc0"
_ICON_SIZES = (16, 20, 24, 32, 48, 64, 128, 256)
_icon: QIcon | None = None


def paint_icon(size: int, color: str = ICON_COLOR) -> QPixmap:
    """A ``size``×``size`` rounded square in ``color`` with a white "H"."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    inset = max(0.5, size / 32)
    rect = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(rect, size * 0.22, size * 0.22)
    font = QFont()
    font.setFamilies(["DejaVu Sans", "Helvetica Neue", "Segoe UI", "Arial"])
    font.setBold(True)
    font.setPixelSize(max(8, round(size * 0.62)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "H")
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    """Humanize's icon: the bundled file if there is one, else a painted one (built once)."""
    global _icon
    if _icon is None:
        folder = resource_dir() / "icons"
        for name in ("humanize.svg", "humanize.png"):
            if (folder / name).is_file():
                icon = QIcon(str(folder / name))
                if not icon.isNull():
                    _icon = icon
                    break
        else:
            _icon = QIcon()
            for size in _ICON_SIZES:
                _icon.addPixmap(paint_icon(size))
    return _icon


def check_clipboard_action(parent: QWidget, check_clipboard: Callable[[], object]) -> QAction:
    """A "Check clipboard" action on :data:`CHECK_CLIPBOARD_KEYS`, live while ``parent``'s window has focus.

    The action is added to ``parent`` (put it in a menu too if you like). Give each
    top-level window its own: two application-wide actions with the same keys would
    be ambiguous and neither would fire.
    """
    action = QAction("Check clipboard", parent)
    action.setObjectName("check_clipboard")
    action.setShortcut(QKeySequence(CHECK_CLIPBOARD_KEYS))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(f"Check the text on the clipboard ({CHECK_CLIPBOARD_KEYS}, while Humanize has focus)")
    action.triggered.connect(lambda: check_clipboard())
    parent.addAction(action)
    return action


class Tray(QSystemTrayIcon):
    """The tray icon; it owns its menu. A click on the icon shows the companion."""

    def __init__(
        self,
        show_companion: Callable[[], object],
        check_clipboard: Callable[[], object],
        quit: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(app_icon(), parent)
        self.setToolTip("Humanize")
        self.menu = QMenu()
        for name, text, slot in (
            ("check_clipboard", "Check clipboard", check_clipboard),
            ("show_companion", "Show companion", show_companion),
            (None, None, None),
            ("quit", "Quit", quit),
        ):
            if name is None:
                self.menu.addSeparator()
                continue
            action = self.menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        self.setContextMenu(self.menu)
        self._show = show_companion
        self.activated.connect(self._on_activated)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._show()


def install_tray(
    app: QApplication,
    show_companion: Callable[[], object],
    check_clipboard: Callable[[], object],
    quit: Callable[[], object],
) -> QSystemTrayIcon | None:
    """Show Humanize's tray icon with its menu; None (and a log line saying why) without a tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        log.info(
            "no system tray on this desktop (platform %s): the tray icon is not installed; "
            "use the companion window and %s instead",
            QApplication.platformName(),
            CHECK_CLIPBOARD_KEYS,
        )
        return None
    tray = Tray(show_companion, check_clipboard, quit, parent=app)
    tray.show()
    return tray
