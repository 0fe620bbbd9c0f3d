"""Immutable value types shared by every analyzer and front end."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

#: Where a finding came from (the JSON contract's ``source``).
SOURCES = ("library", "semantic", "readability", "style", "grammar", "spelling")

#: Categories that count as robotic phrasing (the score and the detection benchmark use them).
ROBOTIC_CATEGORIES = frozenset(
    {"ai-ism", "jargon", "wordy", "cliche", "hedge", "filler", "transition", "structure"}
)

#: Every category a finding may carry (the JSON contract's ``category``).
CATEGORIES = ROBOTIC_CATEGORIES | {
    "passive",
    "adverb",
    "weasel",
    "readability",
    "grammar",
    "spelling",
    "punctuation",
}


class Level(StrEnum):
    """Profile level of a rule: the profile shows every rule at or below its own level."""

    ESSENTIAL = "essential"
    RECOMMENDED = "recommended"
    PICKY = "picky"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Level:
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown level {value!r} (expected one of {allowed})") from None


_LEVEL_RANK = {Level.ESSENTIAL: 0, Level.RECOMMENDED: 1, Level.PICKY: 2}


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points in some text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing worth the writer's attention.

    ``start``/``end`` are code-point offsets into the analysed text. ``suggestions``
    are replacement strings, best first; an empty string means "delete this".
    """

    start: int
    end: int
    category: str
    rule: str
    message: str
    suggestions: tuple[str, ...] = ()
    source: str = "library"
    confidence: float = 1.0
    level: Level = Level.RECOMMENDED
    #: The matched text, kept so ignores survive edits around it.
    matched: str = ""
    #: Whether the first suggestion may be applied without review (a ``safe`` library entry).
    safe: bool = False

    def shifted(self, delta: int) -> Finding:
        """The same finding moved by ``delta`` code points."""
        if delta == 0:
            return self
        return _replace(self, start=self.start + delta, end=self.end + delta)

    @property
    def is_robotic(self) -> bool:
        return self.category in ROBOTIC_CATEGORIES or self.source in ("library", "semantic")

    def to_json(self, line: int, column: int) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "line": line,
            "column": column,
            "category": self.category,
            "rule": self.rule,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "source": self.source,
            "confidence": round(self.confidence, 3),
            "level": self.level.value,
        }


def _replace(finding: Finding, **changes: object) -> Finding:
    from dataclasses import replace

    return replace(finding, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class AnalyzerStatus:
    """Whether an analyzer can run, and if not, why (shown to the user as is)."""

    available: bool
    reason: str = ""
    mode: str = ""

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"available": self.available, "reason": self.reason}
        if self.mode:
            data["mode"] = self.mode
        return data


@dataclass(frozen=True, slots=True)
class Stats:
    """Document-level figures."""

    words: int = 0
    sentences: int = 0
    paragraphs: int = 0
    characters: int = 0
    flesch_reading_ease: float = 0.0
    grade: float = 0.0
    reading_time_s: float = 0.0
    robotic_score: float = 0.0
    hard_sentences: int = 0
    very_hard_sentences: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "paragraphs": self.paragraphs,
            "characters": self.characters,
            "flesch_reading_ease": round(self.flesch_reading_ease, 1),
            "grade": round(self.grade, 1),
            "reading_time_s": round(self.reading_time_s, 1),
            "robotic_score": round(self.robotic_score, 1),
            "hard_sentences": self.hard_sentences,
            "very_hard_sentences": self.very_hard_sentences,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the core found in one text."""

    text: str
    findings: tuple[Finding, ...]
    stats: Stats
    analyzers: dict[str, AnalyzerStatus] = field(default_factory=dict)
