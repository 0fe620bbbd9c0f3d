"""The editor widget: a ``QPlainTextEdit`` whose paragraphs are checked as you type.

It owns a :class:`CheckScheduler` (fed by an injectable runner), which checks the
core's paragraphs (runs of blocks, state on the lead block: see
:mod:`companion.gui.checking.paragraphs`), and draws the findings of the visible
paragraphs as extra selections, rebuilt on a zero-delay
timer after results, scrolling or resizing. Menus, the hover card and "Add to my
library" live in :mod:`companion.gui.editor.suggestions`, F8's walk in :mod:`~.finding_refs`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QMouseEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from companion.core.engine import Filters, edit_for, personal_dictionary
from companion.core.findings import Finding
from companion.gui.checking.blocks import BlockState, state_of
from companion.gui.checking.paragraphs import leads_from, paragraph
from companion.gui.checking.scheduler import CheckScheduler, Runner
from companion.gui.checking.worker import ThreadRunner
from companion.gui.editor.finding_refs import FindingRef, finding_at, jump_target, positions
from companion.gui.editor.suggestions import HoverCard, build_menu
from companion.gui.editor.underlines import BlockSpans, Formats, selections_for
from companion.gui.mini.clipboard import local_files
from companion.gui.theme import LIGHT, Theme

log = logging.getLogger(__name__)

HOVER_DELAY_MS = 250
PANEL_THROTTLE_MS = 300


class Editor(QPlainTextEdit):
    """Plain-text editor with background checking and underlines."""

    #: Emitted (throttled) when the findings of any paragraph changed: panel, status bar.
    findings_changed = Signal()
    #: Emitted after each ``setExtraSelections`` (tests and benchmarks wait on it).
    selections_updated = Signal()
    ignore_rule_requested = Signal(str)
    ignore_phrase_requested = Signal(str, str)
    add_to_library_requested = Signal(object)  # FindingRef
    #: Local files dropped on the editor (the window opens them).
    files_dropped = Signal(list)

    def __init__(self, runner: Runner | None = None, debounce_ms: int = 250, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("editor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self._filters = Filters()
        self._filters_id = 0
        self._hidden_categories: frozenset[str] = frozenset()
        self._formats = Formats(LIGHT)
        self._spans: dict[int, BlockSpans] = {}
        self._visible_keys: set[int] = set()
        self._typing = False
        self.scheduler = CheckScheduler(
            self.document(),
            runner if runner is not None else ThreadRunner(self),
            debounce_ms=debounce_ms,
            visible_blocks=self.visible_blocks,
            parent=self,
        )
        self.scheduler.updated.connect(self._on_updated)

        self._redraw = QTimer(self, singleShot=True, interval=0)
        self._redraw.timeout.connect(self.update_selections)
        self._panel = QTimer(self, singleShot=True, interval=PANEL_THROTTLE_MS)
        self._panel.timeout.connect(self.findings_changed)
        self._hover = QTimer(self, singleShot=True, interval=HOVER_DELAY_MS)
        self._hover.timeout.connect(self._show_hover)
        self._hover_pos = QPoint()
        self.document().contentsChanged.connect(self._redraw.start)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.card = HoverCard(self)

    # -- configuration ---------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self._formats = Formats(theme)
        self.card.set_theme(theme)
        self._redraw.start()

    def set_filters(self, filters: Filters) -> None:
        """The user's profile and ignores (from the settings)."""
        self._filters = filters
        self._filters_id += 1
        self._spans.clear()
        self._redraw.start()
        self._panel.start()

    def set_hidden_categories(self, categories: frozenset[str]) -> None:
        """Categories hidden from the side panel: not underlined, skipped by F8."""
        self._hidden_categories = frozenset(categories)
        self._spans.clear()
        self._redraw.start()

    def is_drawn(self, f: Finding) -> bool:
        return f.category not in self._hidden_categories

    @property
    def filters(self) -> Filters:
        return self._filters

    def shutdown(self) -> None:
        self._redraw.stop()
        self._hover.stop()
        self.card.hide()
        self.scheduler.shutdown()

    # -- findings --------------------------------------------------------------------------
    def shown(self, block: QTextBlock, state: BlockState) -> tuple[Finding, ...]:
        """The shown findings of the paragraph led by ``block`` (offsets into its text)."""
        return state.shown(paragraph(block).text, self._filters, self._filters_id)

    def findings(self) -> Iterator[FindingRef]:
        """Every shown finding in document order."""
        for block, state in self.scheduler.paragraphs():
            for f in self.shown(block, state):
                yield FindingRef(state.key, block, f)

    def block_states(self) -> Iterator[tuple[QTextBlock, BlockState]]:
        """Every paragraph's lead block with its state, in document order."""
        return self.scheduler.paragraphs()

    def finding_at(self, position: int, *, underlined_only: bool = False) -> FindingRef | None:
        """The finding covering document position ``position`` (the most specific one)."""
        return finding_at(self, position, underlined_only=underlined_only)

    def visible_blocks(self) -> list[QTextBlock]:
        block = self.firstVisibleBlock()
        height = self.viewport().height()
        offset = self.contentOffset()
        out = []
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > height:
                break
            if block.isVisible():
                out.append(block)
            block = block.next()
        return out

    # -- drawing ---------------------------------------------------------------------------
    def _on_updated(self, keys: set[int]) -> None:
        if keys & self._visible_keys or not self._visible_keys:
            self._redraw.start()
        if not self._panel.isActive():
            self._panel.start()

    def _on_scrolled(self) -> None:
        self.card.hide()
        self._redraw.start()
        self.scheduler.poke()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._redraw.start()
        self.scheduler.poke()

    def update_selections(self) -> None:
        """Rebuild the extra selections of the visible paragraphs now."""
        pairs = []
        keys = set()
        visible = self.visible_blocks()
        for lead in leads_from(visible[0], visible[-1]) if visible else ():
            state = state_of(lead, create=False)
            if state is None:  # not checked yet
                continue
            keys.add(state.key)
            para = paragraph(lead)
            shown = state.shown(para.text, self._filters, self._filters_id)
            spans = self._spans.get(state.key)
            if spans is None or spans.source is not shown or spans.text != para.full:
                drawn = [f for f in shown if self.is_drawn(f)]
                spans = BlockSpans(para.full, drawn, source=shown, offset=para.indent)
                self._spans[state.key] = spans
            if spans.spans:
                pairs.append((lead, spans))
        if len(self._spans) > 4 * max(len(keys), 50):
            self._spans = {k: v for k, v in self._spans.items() if k in keys}
        self._visible_keys = keys
        hide_at = self.textCursor().position() if self._typing else None
        self.setExtraSelections(selections_for(self.document(), pairs, self._formats, hide_at))
        self.selections_updated.emit()

    # -- typing ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.card.isVisible():
            self.card.hide()
            return
        self.card.hide()
        before = self.document().revision()
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.redo()
        else:
            super().keyPressEvent(event)
        typing = self.document().revision() != before
        if typing != self._typing:
            self._typing = typing
            self._redraw.start()

    def undo(self) -> None:
        self._step_history(super().undo)

    def redo(self) -> None:
        self._step_history(super().redo)

    def _step_history(self, step) -> None:
        """Undo or redo, then put the caret after the text it changed (Qt leaves it at 0)."""
        changes: list[tuple[int, int]] = []

        def note(position: int, _removed: int, added: int) -> None:
            changes.append((position, position + added))

        doc = self.document()
        doc.contentsChange.connect(note)
        try:
            step()
        finally:
            doc.contentsChange.disconnect(note)
        if changes:
            cursor = self.textCursor()
            cursor.setPosition(min(min(changes)[1], doc.characterCount() - 1))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._stop_typing()
        super().mousePressEvent(event)

    def _stop_typing(self) -> None:
        if self._typing:
            self._typing = False
            self._redraw.start()

    def _on_cursor_moved(self) -> None:
        if self._typing:
            self._redraw.start()  # the hidden finding follows the caret

    @property
    def redraw_pending(self) -> bool:
        return self._redraw.isActive()

    @property
    def typing(self) -> bool:
        return self._typing

    # -- drag and drop ---------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            super().dropEvent(event)

    # -- hover card ------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        self._hover_pos = event.position().toPoint()
        ref = self.finding_at(self.cursorForPosition(self._hover_pos).position(), underlined_only=True)
        if ref is None:
            self._hover.stop()
            self.card.hide()
        elif not self.card.showing(ref.finding):
            self._hover.start()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:  # the mouse left the text area
            self._hover.stop()
            self.card.hide()
        return super().viewportEvent(event)

    def focusOutEvent(self, event) -> None:
        self._hover.stop()
        self.card.hide()
        super().focusOutEvent(event)

    def _show_hover(self) -> None:
        ref = self.finding_at(self.cursorForPosition(self._hover_pos).position(), underlined_only=True)
        if ref is not None:
            self.card.show_for(ref.finding, self.viewport().mapToGlobal(self._hover_pos) + QPoint(12, 18))

    # -- menus and actions -----------------------------------------------------------------
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.card.hide()
        ref = self.finding_at(self.cursorForPosition(event.pos()).position())
        menu = self.menu_for(ref)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def menu_for(self, ref: FindingRef | None):
        return build_menu(self, ref)

    def open_menu_at_caret(self) -> None:
        ref = self.finding_at(self.textCursor().position())
        menu = self.menu_for(ref)
        pos = self.viewport().mapToGlobal(self.cursorRect().bottomLeft())
        menu.exec(pos)
        menu.deleteLater()

    def apply_suggestion(self, ref: FindingRef, replacement: str) -> None:
        """Replace the finding with ``replacement``: one undo step."""
        para = ref.para
        edit = edit_for(para.text, ref.finding, replacement)
        start, end = positions(para, edit.start, edit.end)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(edit.replacement)
        cursor.endEditBlock()
        self._typing = False
        self.setTextCursor(cursor)

    def add_to_dictionary(self, ref: FindingRef) -> None:
        """Accept a word from now on: saved in the personal dictionary, every paragraph re-checked."""
        word = ref.finding.matched.strip()
        checker = self.scheduler.checker
        spelling = checker.analyzer("spelling") if checker is not None else None
        if spelling is None:
            from companion.core.paths import user_data_dir

            spelling = personal_dictionary(user_data_dir() / "dictionary.txt")
        spelling.add_word(word)  # type: ignore[attr-defined]
        if ref.finding.source == "grammar" and not ref.finding.rule.startswith("spelling."):
            # LanguageTool does not know the personal dictionary: hide its flag for this word.
            self.ignore_phrase_requested.emit(ref.finding.rule, word.lower())
        if checker is not None:
            checker.clear_cache("spelling")
        self.scheduler.recheck_all()

    def ignore_once(self, ref: FindingRef) -> None:
        state = self.scheduler.state(ref.key)
        if state is not None:
            state.ignore_once.add((ref.finding.rule, ref.finding.matched))
            state.shown_key = None
            self._redraw.start()
            self._panel.start()

    def select(self, ref: FindingRef) -> None:
        start, end = ref.span()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._typing = False
        self.setTextCursor(cursor)
        if not self._on_screen(start):
            self.centerCursor()

    def _on_screen(self, position: int) -> bool:
        rect = self.cursorRect(QTextCursor(self.document().findBlock(position)))
        return rect.top() >= 0 and rect.bottom() <= self.viewport().height()

    def next_finding(self) -> FindingRef | None:
        """Select the next finding (F8) and show its card; Esc closes the card."""
        return self.show_card(self._jump(forward=True))

    def previous_finding(self) -> FindingRef | None:
        return self.show_card(self._jump(forward=False))

    def show_card(self, ref: FindingRef | None) -> FindingRef | None:
        """Show the hover card of ``ref`` just below its start."""
        if ref is not None:
            start = QTextCursor(self.document())
            start.setPosition(ref.span()[0])
            below = self.cursorRect(start).bottomLeft() + QPoint(0, 6)
            self.card.show_for(ref.finding, self.viewport().mapToGlobal(below))
        return ref

    def _jump(self, forward: bool) -> FindingRef | None:
        pick = jump_target(self, forward)
        if pick is not None:
            self.select(pick)
        return pick
