"""The contract every analyzer fulfils, and the text unit it works on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from companion.core.findings import AnalyzerStatus, Finding, Span
from companion.core.segment import sentences


@dataclass(frozen=True, slots=True)
class Chunk:
    """A paragraph's text and its sentences; offsets are relative to ``text``."""

    text: str
    sentences: tuple[Span, ...]

    @classmethod
    def of(cls, text: str) -> Chunk:
        return cls(text, sentences(text))


@runtime_checkable
class Analyzer(Protocol):
    """A pure, independent check: a chunk in, findings (relative offsets) out.

    ``status()`` says whether the analyzer can run and, if not, why; an analyzer
    that is unavailable returns no findings and never raises for that reason.
    """

    name: str

    def status(self) -> AnalyzerStatus: ...

    def analyze(self, chunk: Chunk) -> list[Finding]: ...


def analyze_many(analyzer: Analyzer, chunks: Sequence[Chunk]) -> list[list[Finding]]:
    """Run ``analyzer`` over many chunks, batched when it supports it."""
    batch = getattr(analyzer, "analyze_many", None)
    if batch is not None:
        return list(batch(chunks))
    return [analyzer.analyze(c) for c in chunks]
