"""Opening the companion window: on its own (``humanize --companion``) or from the
main window, created on first use and kept in step with View › Companion window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction

from companion.core.engine import EngineFactory
from companion.core.settings import Settings, SettingsStore
from companion.gui.app.settings_signal import as_store
from companion.gui.mini.window import CompanionWindow
from companion.gui.mini.worker import companion_checker


class MiniHost(Protocol):
    """What the companion window needs of the main window."""

    settings_store: SettingsStore
    checker_factory: EngineFactory | None
    actions_by_name: dict[str, QAction]


class CompanionHost:
    """Owns the main window's companion window (created on first use)."""

    def __init__(self, window: MiniHost) -> None:
        self.window = window
        self.companion: CompanionWindow | None = None

    def show(self) -> CompanionWindow:
        w = self.window
        if self.companion is None:
            self.companion = open_companion(w.settings_store, w.checker_factory)
            self.companion.closed.connect(self._closed)
        self.companion.show_and_raise()
        w.actions_by_name["toggle_companion"].setChecked(True)
        return self.companion

    def toggle(self, on: bool) -> None:
        if on:
            self.show()
        elif self.companion is not None:
            self.companion.close()

    def check_clipboard(self) -> None:
        self.show().check_clipboard()

    def _closed(self) -> None:
        self.window.actions_by_name["toggle_companion"].setChecked(False)

    def shutdown(self) -> None:
        if self.companion is not None:
            self.companion.shutdown()
            self.companion.close()


def open_companion(
    settings: Settings | SettingsStore, checker_factory: EngineFactory | None = None
) -> CompanionWindow:
    """Create and show a companion window; ``checker_factory(settings)`` runs on its worker thread.

    Pass the main window's ``SettingsStore``: both windows then share one settings object.
    """
    factory = checker_factory or companion_checker
    store = as_store(settings)
    window = CompanionWindow(lambda: factory(store.current), store)
    window.show_and_raise()
    return window
