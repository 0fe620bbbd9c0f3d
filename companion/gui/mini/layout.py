"""The companion window's widgets and layout, built the way ``pyside6-uic`` builds a
form: :meth:`CompanionLayout.setup_ui` creates them as attributes; the window
connects them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from companion.gui.mini.clipboard import DropTextBox
from companion.gui.mini.style import row_of


class CompanionLayout:
    """The widgets of the companion window."""

    score_label: QLabel
    count_label: QLabel
    pin_button: QToolButton
    text_box: DropTextBox
    findings_view: QTreeWidget
    paste_button: QPushButton
    clear_button: QPushButton
    copy_button: QPushButton
    watch_box: QCheckBox
    status_label: QLabel

    def setup_ui(self, window: QWidget) -> None:
        """Create the widgets and lay them out in ``window``."""
        self.score_label = QLabel(objectName="score")
        self.count_label = QLabel(objectName="counts")
        self.pin_button = QToolButton(text="Keep on top", checkable=True, checked=True)
        self.pin_button.setToolTip("Keep this window above other applications")
        self.text_box = DropTextBox(objectName="companionText", tabChangesFocus=True)
        self.text_box.setPlaceholderText("Paste, drop or type text to check…")
        view = self.findings_view = QTreeWidget(objectName="companionFindings")
        view.setHeaderLabels(["Kind", "Phrase", "Try instead"])
        view.setRootIsDecorated(False)
        view.setUniformRowHeights(True)
        view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        view.header().resizeSection(1, 150)
        self.paste_button = QPushButton("Paste", toolTip="Check the text on the clipboard")
        self.clear_button = QPushButton("Clear")
        self.copy_button = QPushButton("Copy cleaned", objectName="copyCleaned")
        self.copy_button.setToolTip("Copy the text with the safe replacements applied")
        self.watch_box = QCheckBox("Check what I copy")
        self.watch_box.setToolTip("Show and check any text you copy in another application")
        self.status_label = QLabel(objectName="status", alignment=Qt.AlignmentFlag.AlignRight)
        # Long messages never widen the window; the tooltip has the whole text.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        box = QVBoxLayout(window)
        box.setContentsMargins(10, 10, 10, 8)
        box.setSpacing(8)
        box.addLayout(row_of(self.score_label, self.count_label, 1, self.pin_button))
        box.addWidget(self.text_box, 5)
        box.addWidget(self.findings_view, 4)
        box.addLayout(row_of(self.paste_button, self.clear_button, 1, self.copy_button))
        box.addLayout(row_of(self.watch_box, self.status_label))
        window.resize(400, 560)
        window.setMinimumSize(300, 380)
