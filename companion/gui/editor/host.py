"""What the editor's helpers need of the editor: a structural type, so they need not import it.

:mod:`.finding_refs` (F8, the finding under the mouse) and :mod:`.suggestions` (the
menu) are given the editor; typing their parameter with these protocols instead of
the ``Editor`` class keeps the import graph one-way: ``editor`` imports them, never
the reverse.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu

from companion.core.findings import Finding
from companion.gui.checking.blocks import BlockState

#: A :class:`~.finding_refs.FindingRef` (not imported: finding_refs imports this module).
Ref = Any


class Flagged(Protocol):
    def flagged_numbers(self) -> list[int]: ...


class FindingsHost(Protocol):
    """The editor as :mod:`.finding_refs` sees it."""

    @property
    def scheduler(self) -> Flagged: ...

    def document(self) -> QTextDocument: ...

    def textCursor(self) -> QTextCursor: ...

    def shown(self, block: QTextBlock, state: BlockState) -> tuple[Finding, ...]: ...

    def is_drawn(self, f: Finding) -> bool: ...


class MenuHost(Protocol):
    """The editor as :mod:`.suggestions` sees it (it is also the menu's parent widget)."""

    ignore_rule_requested: SignalInstance
    ignore_phrase_requested: SignalInstance
    add_to_library_requested: SignalInstance

    def createStandardContextMenu(self) -> QMenu: ...

    def apply_suggestion(self, ref: Ref, replacement: str) -> None: ...

    def ignore_once(self, ref: Ref) -> None: ...

    def add_to_dictionary(self, ref: Ref) -> None: ...
