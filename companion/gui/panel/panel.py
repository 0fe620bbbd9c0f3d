"""The side panel: document figures, the paragraph chart, findings grouped by category."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.engine import document_figures
from companion.core.findings import Finding, Stats
from companion.gui.editor.underlines import family_of
from companion.gui.labels import CATEGORY_LABELS
from companion.gui.panel.chart import ParagraphChart
from companion.gui.theme import LIGHT, Theme, score_family, score_verdict

if TYPE_CHECKING:
    from companion.gui.editor.editor import Editor, FindingRef

#: Findings listed under a category (the count shows them all).
MAX_CHILDREN = 40
#: Blocks counted per event-loop turn during a refresh.
SLICE = 40
#: Bars the chart draws at most; a longer document shows each run of paragraphs as one bar.
MAX_BARS = 400
_ORDER = tuple(CATEGORY_LABELS)
_REF = Qt.ItemDataRole.UserRole


class SidePanel(QWidget):
    """Figures, chart and the findings list; emits where the user wants to go."""

    jump_requested = Signal(object)  # FindingRef
    paragraph_requested = Signal(int)  # block key
    hidden_changed = Signal(object)  # frozenset[str] of hidden categories
    #: A refresh finished (figures, chart and list are up to date).
    refreshed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidePanel")
        self._theme = LIGHT
        self._groups: dict[str, list[FindingRef]] = {}
        self._refs: dict[str, list[FindingRef]] = {}
        self._children_sig: dict[str, tuple] = {}
        self._walk: Iterator[None] | None = None
        self._step = QTimer(self, singleShot=True, interval=0)
        self._step.timeout.connect(self._advance)
        self._para_keys: list[int] = []
        self._hidden: set[str] = set()
        self.figures = Stats()
        self.counts: dict[str, int] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self.score_label = QLabel("–", objectName="scoreValue")
        self.score_caption = QLabel("Robotic score", objectName="scoreCaption")
        layout.addWidget(self.score_caption)
        layout.addWidget(self.score_label)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        self._values: dict[str, QLabel] = {}
        for i, (key, caption) in enumerate(
            (("words", "Words"), ("time", "Reading time"), ("grade", "Grade"), ("ease", "Reading ease"))
        ):
            cap = QLabel(caption, objectName="statCaption")
            val = QLabel("–", objectName="statValue")
            grid.addWidget(cap, (i // 2) * 2, i % 2)
            grid.addWidget(val, (i // 2) * 2 + 1, i % 2)
            self._values[key] = val
        layout.addLayout(grid)
        self.chart = ParagraphChart(self)
        self.chart.paragraph_clicked.connect(self._on_chart_click)
        layout.addWidget(self.chart)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        layout.addWidget(line)
        self.findings_title = QLabel("Findings", objectName="sectionTitle")
        layout.addWidget(self.findings_title)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("findingsTree")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.itemClicked.connect(self._on_item_clicked)
        self.tree.itemActivated.connect(self._on_item_activated)  # Enter / Return
        self.tree.itemExpanded.connect(self._on_expanded)
        layout.addWidget(self.tree, 1)
        self.set_theme(LIGHT)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.chart.set_theme(theme)
        self.setStyleSheet(
            f"""
            QLabel#scoreCaption, QLabel#statCaption {{ color: {theme.muted}; font-size: 11px; }}
            QLabel#scoreValue {{ font-size: 26px; font-weight: 600; }}
            QLabel#statValue {{ font-size: 14px; font-weight: 600; }}
            QLabel#sectionTitle {{ font-weight: 600; }}
            QTreeWidget#findingsTree {{ background: {theme.window}; color: {theme.text}; }}
            QTreeWidget#findingsTree::item:selected {{
                background: {theme.accent}; color: {theme.highlighted_text};
            }}
            """
        )
        for i in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(i).setIcon(0, QIcon())  # recoloured on the next refresh

    @property
    def hidden(self) -> frozenset[str]:
        return frozenset(self._hidden)

    # -- refresh ---------------------------------------------------------------------------
    def refresh(self, editor: Editor) -> None:
        """Recount everything from the editor's cached per-block results (no analysis here).

        The blocks are walked in slices of :data:`SLICE` across event-loop turns so a long
        document never holds the UI thread; a new call restarts the walk.
        """
        self._walk = self._collect(editor)
        self._step.start()

    @property
    def refreshing(self) -> bool:
        return self._walk is not None

    def _advance(self) -> None:
        if self._walk is None:
            return
        try:
            next(self._walk)
        except StopIteration:
            self._walk = None
            self.refreshed.emit()
        else:
            self._step.start()

    def _collect(self, editor: Editor) -> Iterator[None]:
        from companion.gui.editor.editor import FindingRef

        groups: dict[str, list[FindingRef]] = defaultdict(list)
        parts = []
        scores, grades, keys = [], [], []
        for n, (block, state) in enumerate(editor.block_states(), 1):
            for f in editor.shown(block, state):
                groups[f.category].append(FindingRef(state.key, block, f))
            if state.stats is not None and state.stats.words and block.text().strip():
                parts.append((state.stats, state.weight))
                scores.append(state.score)
                grades.append(state.stats.grade)
                keys.append(state.key)
            if n % SLICE == 0:
                yield
        self.figures = document_figures(parts)
        scores, grades, keys = bars(scores, grades, keys)
        self.chart.set_values(scores, grades)
        self._para_keys = keys
        self._show_figures(self.figures)
        self.counts = {c: len(v) for c, v in groups.items()}
        yield
        self._fill_tree(groups)

    def _show_figures(self, fig: Stats) -> None:
        if fig.words == 0:
            self.score_label.setText("–")
            for v in self._values.values():
                v.setText("–")
            return
        score = round(fig.robotic_score)
        color = self._theme.families[score_family(score)]
        self.score_label.setText(
            f"<span style='color:{color}'>{score}</span>"
            f"<span style='font-size:12px; color:{self._theme.muted}'> / 100 · {score_verdict(score)}</span>"
        )
        minutes = fig.reading_time_s / 60
        self._values["words"].setText(f"{fig.words:,}")
        self._values["time"].setText(f"{max(1, round(minutes))} min" if minutes >= 0.5 else "< 1 min")
        self._values["grade"].setText(f"{fig.grade:.1f}")
        self._values["ease"].setText(f"{fig.flesch_reading_ease:.0f}")

    def _fill_tree(self, groups: dict[str, list[FindingRef]]) -> None:
        """Update the category rows in place (stable order); children only for open rows."""
        self._groups = groups
        total = sum(len(v) for v in groups.values())
        title = f"Findings ({total})" if total else "Findings: none"
        if self.findings_title.text() != title:
            self.findings_title.setText(title)
        wanted = [c for c in _ORDER if c in groups or c in self._hidden]
        wanted += sorted(c for c in groups if c not in _ORDER)
        self.tree.blockSignals(True)
        present = {self.tree.topLevelItem(i).data(0, _REF): i for i in range(self.tree.topLevelItemCount())}
        for category in list(present):
            if category not in wanted:
                self.tree.takeTopLevelItem(self._row(category))
        for index, category in enumerate(wanted):
            item = self.category_item(category)
            if item is None:
                item = QTreeWidgetItem()
                item.setData(0, _REF, category)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setToolTip(0, "Untick to hide these underlines")
                item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
                self.tree.insertTopLevelItem(index, item)
            refs = groups.get(category, [])
            label = CATEGORY_LABELS.get(category, category)
            text = f"{label}  ({len(refs)})" if refs else f"{label}  (hidden)"
            if item.text(0) != text:
                item.setText(0, text)
            state = Qt.CheckState.Unchecked if category in self._hidden else Qt.CheckState.Checked
            if item.checkState(0) != state:
                item.setCheckState(0, state)
            if refs and item.icon(0).isNull():
                item.setIcon(0, self._swatch(refs[0].finding))
            if item.isExpanded():
                self._fill_children(item)
        self.tree.blockSignals(False)

    def _row(self, category: str) -> int:
        for i in range(self.tree.topLevelItemCount()):
            if self.tree.topLevelItem(i).data(0, _REF) == category:
                return i
        return -1

    def _fill_children(self, item: QTreeWidgetItem) -> None:
        category = item.data(0, _REF)
        refs = self._groups.get(category, [])[:MAX_CHILDREN]
        signature = tuple((r.key, r.finding.start, r.finding.rule) for r in refs)
        if self._children_sig.get(category) == signature and item.childCount():
            return
        self._children_sig[category] = signature
        self._refs[category] = refs
        item.takeChildren()
        for i, ref in enumerate(refs):
            child = QTreeWidgetItem([_snippet(ref)])
            child.setData(0, _REF, (category, i))
            child.setToolTip(0, ref.finding.message)
            item.addChild(child)
        extra = len(self._groups.get(category, [])) - len(refs)
        if extra > 0:
            more = QTreeWidgetItem([f"… and {extra} more (F8 walks through all)"])
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            item.addChild(more)

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        if item.parent() is None:
            self.tree.blockSignals(True)
            self._fill_children(item)
            self.tree.blockSignals(False)

    def _swatch(self, f: Finding) -> QIcon:
        pix = QPixmap(10, 10)
        pix.fill(QColor(self._theme.families[family_of(f)]))
        return QIcon(pix)

    # -- interaction -----------------------------------------------------------------------
    def category_item(self, category: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, _REF) == category:
                return item
        return None

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.parent() is not None:
            return
        category = item.data(0, _REF)
        if item.checkState(0) == Qt.CheckState.Checked:
            self._hidden.discard(category)
        else:
            self._hidden.add(category)
        self.hidden_changed.emit(frozenset(self._hidden))

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        index = item.data(0, _REF)
        if item.parent() is not None and isinstance(index, tuple):
            category, i = index
            refs = self._refs.get(category, [])
            if 0 <= i < len(refs):
                self.jump_requested.emit(refs[i])

    def _on_item_activated(self, item: QTreeWidgetItem, column: int) -> None:
        """Enter on a finding jumps to it (→ and ← open and close a category)."""
        if item.parent() is not None:
            self._on_item_clicked(item, column)

    def focus_findings(self) -> None:
        """Keyboard route into the list (F6): show the panel, focus the list, select a row."""
        self.show()
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            first = self.tree.topLevelItem(0)
            first.setExpanded(True)
            self.tree.setCurrentItem(first.child(0) if first.childCount() else first)
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_chart_click(self, index: int) -> None:
        if 0 <= index < len(self._para_keys):
            self.paragraph_requested.emit(self._para_keys[index])


def bars(
    scores: list[float], grades: list[float], keys: list[int]
) -> tuple[list[float], list[float], list[int]]:
    """At most :data:`MAX_BARS` bars: runs of paragraphs show their most robotic one (whose
    key a click jumps to) and their mean grade. Thousands of bars would take the chart's
    paint most of a second, and would not fit in its pixels anyway."""
    size = -(-len(scores) // MAX_BARS)
    if size <= 1:
        return scores, grades, keys
    out: tuple[list[float], list[float], list[int]] = ([], [], [])
    for i in range(0, len(scores), size):
        top = max(range(i, min(i + size, len(scores))), key=scores.__getitem__)
        out[0].append(scores[top])
        out[1].append(sum(grades[i : i + size]) / len(grades[i : i + size]))
        out[2].append(keys[top])
    return out


def _snippet(ref: FindingRef, n: int = 44) -> str:
    text = " ".join((ref.finding.matched or ref.text[ref.finding.start : ref.finding.end]).split())
    return text if len(text) <= n else text[: n - 1] + "…"
