"""What the file controller needs of the window that owns it: a small protocol, so
the files room does not import the main window."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QStatusBar

from companion.core.documents import Document
from companion.core.settings import Settings
from companion.gui.editor.editor import Editor


class FileHost(Protocol):
    """What the file controller needs of its window (also the parent of its dialogs)."""

    doc: Document | None
    editor: Editor
    settings: Settings

    def text(self) -> str: ...

    def statusBar(self) -> QStatusBar: ...

    def setWindowTitle(self, title: str) -> None: ...
