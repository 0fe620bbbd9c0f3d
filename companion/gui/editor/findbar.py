"""A simple find / replace bar under the editor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QWidget


class FindBar(QWidget):
    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._editor = editor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.find_edit = QLineEdit(self, placeholderText="Find")
        self.replace_edit = QLineEdit(self, placeholderText="Replace with")
        self.case = QCheckBox("Match case", self)
        self.status = QLabel("", self)
        buttons = []
        for label, slot in (
            ("Previous", self.find_previous),
            ("Next", self.find_next),
            ("Replace", self.replace_one),
            ("Replace all", self.replace_all),
        ):
            b = QPushButton(label, self)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            buttons.append(b)
        close = QPushButton("✕", self)
        close.setFlat(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout.addWidget(self.find_edit, 2)
        layout.addWidget(buttons[0])
        layout.addWidget(buttons[1])
        layout.addWidget(self.replace_edit, 2)
        layout.addWidget(buttons[2])
        layout.addWidget(buttons[3])
        layout.addWidget(self.case)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        self.hide()

    def open(self, replace: bool = False) -> None:
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.show()
        (self.replace_edit if replace and self.find_edit.text() else self.find_edit).setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._editor.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        else:
            super().keyPressEvent(event)

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        return flags

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, backward: bool) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        found = self._editor.find(needle, self._flags(backward))
        if not found:  # wrap around
            cursor = self._editor.textCursor()
            cursor.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            self._editor.setTextCursor(cursor)
            found = self._editor.find(needle, self._flags(backward))
        self.status.setText("" if found else "Not found")
        return found

    def replace_one(self) -> None:
        cursor = self._editor.textCursor()
        needle = self.find_edit.text()
        sensitive = self.case.isChecked()
        if cursor.hasSelection() and (
            cursor.selectedText() == needle if sensitive else cursor.selectedText().lower() == needle.lower()
        ):
            cursor.insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        needle = self.find_edit.text()
        if not needle:
            return 0
        doc = self._editor.document()
        cursor = QTextCursor(doc)
        count = 0
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        while True:
            cursor = doc.find(needle, cursor, self._flags())
            if cursor.isNull():
                break
            cursor.insertText(self.replace_edit.text())
            count += 1
        edit.endEditBlock()
        self.status.setText(f"{count} replaced")
        return count
