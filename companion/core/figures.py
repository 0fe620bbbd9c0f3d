"""Per-paragraph figures and their sum for the whole document, without measuring it again.

The editor measures each paragraph once per text (on its worker) and adds the
paragraphs up after every batch of results; the sum is the document's :class:`Stats`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

from companion.core.analyzer import Chunk
from companion.core.findings import Stats
from companion.core.readability import WORDS_PER_MINUTE, grade_level, reading_ease, syllables
from companion.core.score import Signals, robotic_score, signals
from companion.core.segment import words


@dataclass(frozen=True, slots=True)
class ParaStats:
    """What one paragraph contributes to the document's figures."""

    words: int
    syllables: int
    sentence_lengths: tuple[int, ...]
    #: The score's inputs measured without findings (``phrasing`` is 0).
    base: Signals

    @property
    def sentences(self) -> int:
        return len(self.sentence_lengths)

    @property
    def grade(self) -> float:
        return max(0.0, grade_level(self.words, self.syllables, max(1, self.sentences)))


def paragraph_stats(chunk: Chunk) -> ParaStats:
    text = chunk.text
    toks = words(text)
    lengths = tuple(n for n in (len(words(s.text(text))) for s in chunk.sentences) if n > 0)
    return ParaStats(
        words=len(toks),
        syllables=sum(map(syllables, toks)),
        sentence_lengths=lengths,
        base=signals(text, (), lengths),
    )


def paragraph_score(stats: ParaStats, weight: float) -> float:
    if stats.words == 0:
        return 0.0
    return robotic_score(replace(stats.base, phrasing=100.0 * weight / stats.words))


def document_figures(parts: Sequence[tuple[ParaStats, float]]) -> Stats:
    """Sum paragraphs ``(stats, phrasing weight)`` into document figures.

    The robotic score comes out as the core's ``robotic_score(signals(text, findings))``
    over the whole text would give it, without measuring the text again.
    """
    parts = [(s, w) for s, w in parts if s.words]
    if not parts:
        return Stats()
    n = sum(s.words for s, _ in parts)
    syl = sum(s.syllables for s, _ in parts)
    lengths = [k for s, _ in parts for k in s.sentence_lengths]
    n_sent = len(lengths)
    if len(lengths) >= 3:
        # Integer sums: exact like ``statistics.pstdev`` but without its Fractions, which
        # take a large fraction of a second on a long document's sentences.
        total, squares = sum(lengths), sum(k * k for k in lengths)
        mean = total / n_sent
        spread = math.sqrt(n_sent * squares - total * total) / n_sent
        uniformity = max(0.0, 1.0 - (spread / mean if mean else 0.0))
    else:
        uniformity = 0.5
    # Every other input of the score is a rate or an average per word: weight it by words.
    values: dict[str, float | int] = {
        "words": n,
        "phrasing": 100.0 * sum(w for _, w in parts) / n,
        "uniformity": uniformity,
    }
    for f in fields(Signals):
        if f.name not in values:
            values[f.name] = sum(getattr(s.base, f.name) * s.words for s, _ in parts) / n
    sig = Signals(**values)  # type: ignore[arg-type]
    ease = reading_ease(n, syl, n_sent) if n_sent else 0.0
    return Stats(
        words=n,
        sentences=n_sent,
        paragraphs=len(parts),
        grade=max(0.0, grade_level(n, syl, max(1, n_sent))),
        flesch_reading_ease=min(100.0, max(0.0, ease)),
        reading_time_s=n * 60.0 / WORDS_PER_MINUTE,
        robotic_score=robotic_score(sig),
    )
