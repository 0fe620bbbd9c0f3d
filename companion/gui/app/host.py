"""What the menus need of the main window: a protocol, so building them does not
import the window that calls them."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenuBar

from companion.core.settings import Settings
from companion.gui.app.state import RecentFiles
from companion.gui.clean.commands import CleanHost
from companion.gui.editor.findbar import FindBar
from companion.gui.files.controller import FileController
from companion.gui.mini.host import CompanionHost
from companion.gui.panel.panel import SidePanel


class MenuHost(CleanHost, Protocol):
    """The window the menu bar belongs to (also the parent of its actions)."""

    settings: Settings
    files: FileController
    find_bar: FindBar
    panel: SidePanel
    recent: RecentFiles
    companion: CompanionHost

    def menuBar(self) -> QMenuBar: ...

    def close(self) -> bool: ...

    def new_document(self) -> None: ...

    def open_dialog(self) -> None: ...

    def open_file(self, path: str, *, ask: bool = True) -> bool: ...

    def open_settings(self) -> None: ...

    def save(self) -> bool: ...

    def save_as(self) -> bool: ...

    def zoom(self, steps: int) -> None: ...

    def apply_theme(self, *_args: object) -> None: ...
