"""A small per-paragraph chart: robotic score as bars, grade level as a line (plain QPainter)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from companion.gui.theme import LIGHT, Theme

MAX_GRADE = 20.0


class ParagraphChart(QWidget):
    """Bars: robotic score (0-100) of each paragraph. Line: its grade level (0-20)."""

    paragraph_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paragraphChart")
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._scores: list[float] = []
        self._grades: list[float] = []
        self._theme = LIGHT
        self.setToolTip("Each bar is a paragraph: its robotic score (0-100).\nThe line is its grade level.")

    def sizeHint(self) -> QSize:
        return QSize(260, 120)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_values(self, scores: Sequence[float], grades: Sequence[float]) -> None:
        scores, grades = list(scores), list(grades)
        if scores != self._scores or grades != self._grades:
            self._scores, self._grades = scores, grades
            self.update()

    def values(self) -> tuple[list[float], list[float]]:
        return list(self._scores), list(self._grades)

    def _plot_rect(self) -> QRectF:
        return QRectF(self.rect()).adjusted(4, 6, -4, -16)

    def paintEvent(self, event) -> None:
        theme = self._theme
        p = QPainter(self)
        area = self._plot_rect()
        p.setPen(QPen(QColor(theme.border), 1))
        for frac in (0.0, 0.5, 1.0):
            y = area.bottom() - frac * area.height()
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        n = len(self._scores)
        muted = QColor(theme.muted)
        p.setPen(muted)
        font = p.font()
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        p.setFont(font)
        if n == 0:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "No paragraphs checked yet")
            p.end()
            return
        step = area.width() / n
        gap = min(2.0, step * 0.25)
        robotic = QColor(theme.families["robotic"])
        buckets: dict[int, list[QRectF]] = {}  # one drawRects call per shade
        width = max(1.0, step - gap)
        for i, score in enumerate(self._scores):
            h = max(1.0, area.height() * score / 100.0)
            rect = QRectF(area.left() + i * step + gap / 2, area.bottom() - h, width, h)
            buckets.setdefault(min(4, int(score // 20)), []).append(rect)
        p.setPen(Qt.PenStyle.NoPen)
        for bucket, rects in buckets.items():
            color = QColor(robotic)
            color.setAlphaF(0.3 + 0.175 * bucket)
            p.setBrush(color)
            p.drawRects(rects)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if self._grades:
            line = QPolygonF(
                [
                    QPointF(
                        area.left() + (i + 0.5) * step,
                        area.bottom() - area.height() * min(g, MAX_GRADE) / MAX_GRADE,
                    )
                    for i, g in enumerate(self._grades)
                ]
            )
            # A 1-pixel pen takes Qt's fast path; wider antialiased polylines cost milliseconds.
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(QColor(theme.families["style"]), 1.0))
            p.drawPolyline(line)
        legend = QRectF(area.left(), area.bottom() + 2, area.width(), 14)
        p.setPen(robotic)
        p.drawText(legend, Qt.AlignmentFlag.AlignLeft, "■ robotic score")
        p.setPen(QColor(theme.families["style"]))
        p.drawText(legend, Qt.AlignmentFlag.AlignRight, "— grade level")
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        area = self._plot_rect()
        if self._scores and area.width() > 0:
            i = int((event.position().x() - area.left()) / (area.width() / len(self._scores)))
            if 0 <= i < len(self._scores):
                self.paragraph_clicked.emit(i)
        super().mousePressEvent(event)
