"""The window's files: open, save, reload, recover, and keeping unsaved work safe.

:class:`FileController` owns what ties the editor to a file on disk: the
:class:`~companion.gui.files.autosave.Autosaver`, the :class:`~companion.gui.files.diskwatch.DiskWatcher`
and its bar, and the status-bar label with the encoding and line endings. A file that
cannot be opened leaves the current document as it was; one whose encoding could not
be determined can be opened in an encoding the user picks.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox, QToolButton, QWidget

from companion.core.atomic import remove_stale_temps
from companion.core.documents import (
    Document,
    DocumentError,
    encode_text,
    kind_for,
    load_document,
    save_document,
)
from companion.gui.files.autosave import Autosaver, AutosaveRecord
from companion.gui.files.diskwatch import DiskBar, DiskWatcher
from companion.gui.files.encodings import (
    ask_encoding,
    chosen_encoding,
    decode_as,
    describe,
    docx_note,
    sniff,
    text_bytes,
)
from companion.gui.files.host import FileHost

log = logging.getLogger(__name__)

FILE_FILTER = "Text files (*.txt *.md *.markdown *.docx);;All files (*)"
SB = QMessageBox.StandardButton

#: ``(parent, path, data, suggested) -> codec or None``; the seam tests replace.
ChooseEncoding = Callable[[QWidget, str, bytes, str], "str | None"]


def editor_text(text: str) -> str:
    """``text`` with every line break as ``"\\n"``, as the editor holds it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class FileController(QObject):
    def __init__(self, window: FileHost) -> None:
        super().__init__(cast(QObject, window))
        self.w = window
        self.owner = cast(QWidget, window)  # the window, as its dialogs' parent
        self.choose_encoding: ChooseEncoding = ask_encoding
        self.autosave = Autosaver(
            window.editor.document(), self._snapshot, window.settings.autosave_s, parent=self
        )
        self.watcher = DiskWatcher(self)
        self.watcher.changed.connect(self._on_changed)
        self.watcher.removed.connect(self._on_removed)
        self.bar = DiskBar()
        self.bar.reload_requested.connect(self.reload)
        self.bar.save_requested.connect(self.save)
        self.bar.keep_requested.connect(self.keep_mine)
        self.info = QToolButton()
        self.info.setObjectName("fileInfo")
        self.info.setAutoRaise(True)
        self.info.clicked.connect(self.reopen_with_encoding)
        self._closed = False
        self.update_info()

    # -- opening -----------------------------------------------------------------------
    def open_dialog(self) -> None:
        doc = self.w.doc
        start = os.path.dirname(doc.path) if doc and doc.path else ""
        path, _ = QFileDialog.getOpenFileName(self.owner, "Open", start, FILE_FILTER)
        if path:
            self.open(path)

    def open(self, path: str, *, ask: bool = True) -> bool:
        """Open ``path``; on failure say why and leave the current document as it was."""
        doc = self.load(path)
        if doc is None or (ask and not self.maybe_save()):
            return False
        self.show(doc)
        return True

    def load(self, path: str) -> Document | None:
        """The file read from disk; an error message (or the encoding dialog) and ``None`` if it can't be."""
        if os.path.exists(path) and not (os.path.isfile(path) or os.path.isdir(path)):
            # A pipe or device: reading it could block the window for ever.
            self._error("Cannot open the file", f"{path}: not a regular file (a pipe, device or socket)")
            return None
        try:
            return load_document(path)
        except DocumentError as exc:
            error = str(exc)
        found = text_bytes(path)  # text whose encoding could not be told? let the user pick
        if found is None:
            self._error("Cannot open the file", error)
            return None
        data, suggested = found
        codec = self.choose_encoding(self.owner, path, data, suggested)
        if codec is None:
            return None
        try:
            return decode_as(data, path, codec)
        except DocumentError as exc:
            self._error("Cannot open the file", str(exc))
            return None

    def show(self, doc: Document, text: str | None = None, *, modified: bool = False) -> None:
        """Put ``doc`` (or ``text`` for it) in the editor; the previous text is saved or dropped."""
        w = self.w
        self.autosave.clear()
        w.doc = doc
        w.editor.scheduler.set_markdown(doc.kind == "markdown")
        self._put_text(editor_text(doc.text if text is None else text), modified=modified)
        w.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self.bar.dismiss()
        if doc.path:
            w.recent.add(doc.path)
            self.watcher.watch(doc.path)
        else:
            self.watcher.stop()
        self.update_title()
        self.update_info()
        notes = list(doc.warnings)
        if doc.kind == "docx":
            notes.append(docx_note(doc))
        if notes:
            w.statusBar().showMessage("; ".join(notes), 15000)

    def new(self) -> None:
        if self.maybe_save():
            self.autosave.clear()
            self.watcher.stop()
            self.bar.dismiss()
            self.w.doc = None
            self._put_text("", modified=False)
            self.w.editor.scheduler.set_markdown(False)
            self.update_title()
            self.update_info()

    def _put_text(self, text: str, *, modified: bool) -> None:
        """Replace the editor's text and set its modified flag, announcing the flag's real state.

        Qt's ``setPlainText("")`` emits ``modificationChanged(True)`` and then clears the
        flag without a signal, so an empty file would show as modified; say it again.
        """
        document = self.w.editor.document()
        self.w.editor.setPlainText(text)
        document.setModified(modified)
        document.modificationChanged.emit(document.isModified())

    def reload(self) -> bool:
        """Read the file again (asks before dropping unsaved changes); keeps the caret's place."""
        doc = self.w.doc
        if doc is None or doc.path is None or not self._may_drop("Reload", "reload it from disk"):
            return False
        # An encoding the user picked is kept: the core would fail (or guess) again.
        chosen = chosen_encoding(doc)
        new = self._decode_again(doc.path, doc.encoding) if chosen else self.load(doc.path)
        if new is None:
            return False
        self._replace_keeping_caret(new)
        self.w.statusBar().showMessage(f"Reloaded {self.name()} from disk", 4000)
        return True

    def reopen_with_encoding(self) -> bool:
        """Read the file again in an encoding the user picks (a wrong guess, say)."""
        doc = self.w.doc
        if doc is None or doc.path is None or doc.kind == "docx":
            return False
        try:
            with open(doc.path, "rb") as f:
                data = f.read()
        except OSError as exc:
            self._error("Cannot open the file", f"{doc.path}: {exc.strerror or exc}")
            return False
        codec = self.choose_encoding(self.owner, doc.path, data, doc.encoding or sniff(data) or "utf-8")
        if codec is None or not self._may_drop("Reopen", f"reopen it as {codec}"):
            return False
        new = self._decode_again(doc.path, codec, data)
        if new is None:
            return False
        self._replace_keeping_caret(new)
        return True

    def _decode_again(self, path: str, codec: str, data: bytes | None = None) -> Document | None:
        try:
            if data is None:
                with open(path, "rb") as f:
                    data = f.read()
            return decode_as(data, path, codec)
        except OSError as exc:
            self._error("Cannot open the file", f"{path}: {exc.strerror or exc}")
        except DocumentError as exc:
            self._error("Cannot open the file", str(exc))
        return None

    def _replace_keeping_caret(self, doc: Document) -> None:
        position = self.w.editor.textCursor().position()
        self.show(doc)
        cursor = self.w.editor.textCursor()
        cursor.setPosition(min(position, self.w.editor.document().characterCount() - 1))
        self.w.editor.setTextCursor(cursor)

    def recover(self, record: AutosaveRecord) -> bool:
        """Open an autosaved text, marked modified; Save writes it to its original path."""
        if not self.maybe_save():
            return False
        doc: Document | None = None
        if record.path:
            try:
                doc = load_document(record.path)  # a .docx needs its package to save into
            except DocumentError as exc:
                log.info("recovering %s without the file on disk: %s", record.path, exc)
        if doc is None:
            kind = record.kind if record.kind in ("text", "markdown") else "text"  # a lost .docx: new one
            doc = Document(record.path, "", kind)  # type: ignore[arg-type]
        if doc.kind != "docx":
            doc = dataclasses.replace(
                doc, encoding=record.encoding, newline=record.newline, had_bom=record.had_bom, warnings=()
            )
        self.show(doc, record.text, modified=True)
        self.autosave.save_now()  # our own copy exists before the old one is removed
        where = f": Save writes it to {record.path}" if record.path else ""
        self.w.statusBar().showMessage(f"Recovered unsaved text, not saved yet{where}", 15000)
        return True

    # -- saving ------------------------------------------------------------------------
    def save(self) -> bool:
        doc = self.w.doc
        if doc is None or doc.path is None:
            return self.save_as()
        return self.save_to(doc.path)

    def save_as(self) -> bool:
        doc = self.w.doc
        start = doc.path if doc and doc.path else "Untitled.txt"
        path, _ = QFileDialog.getSaveFileName(self.owner, "Save as", start, FILE_FILTER)
        return self.save_to(path) if path else False

    def save_to(self, path: str) -> bool:
        """Write the text to ``path`` atomically; on failure the file and the editor stay as they were."""
        w = self.w
        text = w.text()
        doc = w.doc or Document(path=None, text="", kind=kind_for(path))
        doc = self._encodable(doc, text, path)
        if doc is None:
            return False
        # Unchanged text: write what was read (mixed line endings stay byte for byte).
        out = doc.text if editor_text(doc.text) == text else text
        try:
            save_document(doc, out, path)
            if path.lower().endswith(".docx"):
                doc = load_document(path)
            else:
                doc = dataclasses.replace(doc, path=path, text=out, kind=kind_for(path), original=None)
        except (DocumentError, ValueError) as exc:
            self._error("Cannot save the file", str(exc))
            return False
        w.doc = doc
        remove_stale_temps(path)  # left beside the file by a save that was killed
        w.editor.scheduler.set_markdown(doc.kind == "markdown")
        w.editor.document().setModified(False)
        self.watcher.watch(path)  # the inode changed; this state is ours
        self.bar.dismiss()
        self.autosave.clear()
        w.recent.add(path)
        self.update_title()
        self.update_info()
        w.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _encodable(self, doc: Document, text: str, path: str) -> Document | None:
        """``doc``, or a UTF-8 copy if the user agrees when its encoding cannot hold ``text``."""
        if path.lower().endswith(".docx"):
            return doc
        try:
            encode_text(text, encoding=doc.encoding)
            return doc
        except DocumentError as exc:
            answer = QMessageBox.question(
                self.owner,
                "Save",
                f"{exc}.\n\nSave {os.path.basename(path)} as UTF-8 instead?",
                SB.Save | SB.Cancel,
                SB.Cancel,
            )
        if answer != SB.Save:
            return None
        return dataclasses.replace(doc, encoding="utf-8", had_bom=False, warnings=())

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current text (saved, discarded or unmodified)."""
        if not self.w.editor.document().isModified():
            return True
        answer = QMessageBox.question(
            self.owner,
            "Unsaved changes",
            f"Save the changes to {self.name()}?",
            SB.Save | SB.Discard | SB.Cancel,
            SB.Save,
        )
        if answer == SB.Save:
            return self.save()
        return answer == SB.Discard

    def _may_drop(self, title: str, doing: str) -> bool:
        if not self.w.editor.document().isModified():
            return True
        answer = QMessageBox.question(
            self.owner,
            title,
            f"Discard your unsaved changes to {self.name()} and {doing}?",
            SB.Discard | SB.Cancel,
            SB.Cancel,
        )
        return answer == SB.Discard

    # -- changes on disk ---------------------------------------------------------------
    def _on_changed(self, _path: str) -> None:
        self.bar.show_changed(self.name())

    def _on_removed(self, _path: str) -> None:
        self.w.editor.document().setModified(True)  # the text now exists only here
        self.bar.show_removed(self.name())

    def keep_mine(self) -> None:
        """Keep the editor's text; the file on disk, as it is now, no longer prompts."""
        self.watcher.accept()
        if self.bar.mode == "changed":
            self.w.editor.document().setModified(True)  # saving is what makes the disk match
        self.bar.dismiss()

    # -- state -------------------------------------------------------------------------
    def _snapshot(self) -> dict:
        doc = self.w.doc
        return {
            "text": self.w.text(),
            "path": doc.path if doc else None,
            "kind": doc.kind if doc else "text",
            "encoding": doc.encoding if doc else "utf-8",
            "newline": doc.newline if doc else "\n",
            "had_bom": doc.had_bom if doc else False,
        }

    def name(self) -> str:
        doc = self.w.doc
        return os.path.basename(doc.path) if doc and doc.path else "Untitled"

    def update_title(self) -> None:
        self.w.setWindowTitle(f"{self.name()}[*] — Humanize")

    def update_info(self) -> None:
        label, tip = describe(self.w.doc)
        self.info.setText(label)
        self.info.setToolTip(tip)
        doc = self.w.doc
        self.info.setEnabled(bool(doc and doc.path and doc.kind != "docx"))

    def close(self, *, clean: bool) -> None:
        """``clean``: the user saved or discarded, so the autosave goes; otherwise it stays."""
        if self._closed:
            return
        self._closed = True
        self.watcher.stop()
        self.autosave.close(keep=not clean)

    def _error(self, title: str, message: str) -> None:
        log.warning("%s: %s", title, message)
        QMessageBox.warning(self.owner, title, message)
