"""Light and dark palettes (System, Light or Dark), underline colours and a WCAG contrast check."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

#: Underline families, in drawing order (later ones are drawn over earlier ones).
FAMILIES = ("readability", "style", "wordy", "robotic", "grammar", "spelling")
#: Robotic score bands (0-100), shared by the side panel and the companion window.
SCORE_HUMAN, SCORE_ROBOTIC = 35, 65


def score_verdict(score: float) -> str:
    """What a robotic score means, in words."""
    if score < SCORE_HUMAN:
        return "reads human"
    return "somewhat robotic" if score < SCORE_ROBOTIC else "robotic"


def score_family(score: float) -> str:
    """The underline family whose colour shows a robotic score."""
    return "grammar" if score < SCORE_HUMAN else "wordy" if score < SCORE_ROBOTIC else "robotic"


@dataclass(frozen=True, slots=True)
class Theme:
    dark: bool
    window: str
    base: str
    text: str
    muted: str
    accent: str
    card: str
    border: str
    families: dict[str, str]
    hard_bg: str
    very_hard_bg: str
    #: Text on the accent colour (selected rows, selected text).
    highlighted_text: str


LIGHT = Theme(
    dark=False,
    window="#f3f2ef",
    base="#fffdf9",
    text="#24231f",
    muted="#6e6a62",
    accent="#6d3fc0",
    card="#ffffff",
    border="#d9d5cc",
    families={
        "robotic": "#8e3fd1",
        "wordy": "#d9730d",
        "readability": "#a3800f",
        "style": "#2f6fbd",
        "grammar": "#2e8b57",
        "spelling": "#d1343b",
    },
    hard_bg="#fbf1c7",
    very_hard_bg="#f8dcc4",
    highlighted_text="#ffffff",
)

DARK = Theme(
    dark=True,
    window="#1f1f23",
    base="#26262b",
    text="#e6e3dc",
    muted="#9c978d",
    accent="#b48cff",
    card="#303036",
    border="#45454d",
    families={
        "robotic": "#c08cff",
        "wordy": "#ffae57",
        "readability": "#d8b84a",
        "style": "#72a7ff",
        "grammar": "#5fcf8f",
        "spelling": "#ff6b6b",
    },
    hard_bg="#3d3824",
    very_hard_bg="#4a3228",
    highlighted_text="#1f1f23",
)


#: The View › Theme choices, in menu order.
THEME_CHOICES = ("system", "light", "dark")


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of ``color`` (any name ``QColor`` accepts)."""
    c = QColor(color)
    linear = [
        v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (c.redF(), c.greenF(), c.blueF())
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21 (4.5 is the minimum for body text)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def current_theme(preference: str = "system") -> Theme:
    if preference == "dark":
        return DARK
    if preference == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def apply_palette(app: QApplication, theme: Theme) -> None:
    """Set the application palette for ``theme`` (Fusion style, so it looks the same everywhere)."""
    pal = QPalette()
    window, base, text = QColor(theme.window), QColor(theme.base), QColor(theme.text)
    muted, accent = QColor(theme.muted), QColor(theme.accent)
    R = QPalette.ColorRole
    for role, color in (
        (R.Window, window),
        (R.WindowText, text),
        (R.Base, base),
        (R.AlternateBase, window),
        (R.Text, text),
        (R.Button, window),
        (R.ButtonText, text),
        (R.ToolTipBase, QColor(theme.card)),
        (R.ToolTipText, text),
        (R.PlaceholderText, muted),
        (R.Highlight, accent),
        (R.HighlightedText, QColor(theme.highlighted_text)),
        (R.Link, accent),
        (R.Mid, QColor(theme.border)),
    ):
        pal.setColor(role, color)
    pal.setColor(QPalette.ColorGroup.Disabled, R.Text, muted)
    pal.setColor(QPalette.ColorGroup.Disabled, R.WindowText, muted)
    pal.setColor(QPalette.ColorGroup.Disabled, R.ButtonText, muted)
    app.setPalette(pal)
