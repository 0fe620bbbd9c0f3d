"""Document statistics and the robotic score.

The robotic score (0-100, higher reads more robotic) is a logistic blend of
signals that separate autopilot prose from human writing:

* **phrasing**: weighted robotic-phrasing findings per 100 words (library and
  semantic, every level, whatever the profile shows: essential 3, recommended 2,
  picky 1, times the finding's confidence);
* **uniformity**: how little sentence lengths vary (AI prose keeps a steady
  rhythm; people mix short and long sentences);
* **formality**: few contractions and first-person asides;
* **word length**: long words on average (Latinate vocabulary).

The weights are set by hand (see README) and checked on the labelled
evaluation texts by ``benchmarks/detection.py``.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from companion.core.findings import Finding, Level, Stats
from companion.core.readability import document_stats as readability_stats
from companion.core.segment import sentences, words

_LEVEL_WEIGHT = {Level.ESSENTIAL: 3.0, Level.RECOMMENDED: 2.0, Level.PICKY: 1.0}
_CONTRACTION = re.compile(r"\b\w+['’](?:t|s|re|ve|ll|d|m)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|I'm|I've)\b")


@dataclass(frozen=True, slots=True)
class Signals:
    """The inputs of the robotic score, for display and benchmarking."""

    phrasing: float
    uniformity: float
    informality: float
    word_length: float
    words: int


def signals(text: str, findings: Sequence[Finding], sentence_lengths: Sequence[int] | None = None) -> Signals:
    """Measure the score's inputs for ``text`` (``findings`` unfiltered, every level)."""
    toks = words(text)
    n = len(toks)
    if n == 0:
        return Signals(0.0, 0.0, 0.0, 0.0, 0)
    weight = sum(_LEVEL_WEIGHT[f.level] * f.confidence for f in findings if f.is_robotic)
    if sentence_lengths is None:
        sentence_lengths = [len(words(s.text(text))) for s in sentences(text)]
    lengths = [k for k in sentence_lengths if k > 0]
    if len(lengths) >= 3:
        mean = statistics.fmean(lengths)
        cv = statistics.pstdev(lengths) / mean if mean else 0.0
        uniformity = max(0.0, 1.0 - cv)
    else:
        uniformity = 0.5
    informal = len(_CONTRACTION.findall(text)) + len(_FIRST_PERSON.findall(text))
    return Signals(
        phrasing=100.0 * weight / n,
        uniformity=uniformity,
        informality=100.0 * informal / n,
        word_length=sum(len(t) for t in toks) / n,
        words=n,
    )


#: Hand-set weights of the logistic blend (see the module docstring).
WEIGHTS = {"bias": -4.0, "phrasing": 0.9, "uniformity": 3.0, "informality": -0.8, "word_length": 0.6}


def robotic_score(sig: Signals) -> float:
    """0-100: how robotic the text reads."""
    if sig.words == 0:
        return 0.0
    z = (
        WEIGHTS["bias"]
        + WEIGHTS["phrasing"] * min(sig.phrasing, 8.0)
        + WEIGHTS["uniformity"] * sig.uniformity
        + WEIGHTS["informality"] * min(sig.informality, 4.0)
        + WEIGHTS["word_length"] * (sig.word_length - 4.5) * 2.0
    )
    return 100.0 / (1.0 + math.exp(-z))


def document_stats(text: str, findings: Sequence[Finding], paragraph_count: int | None = None) -> Stats:
    """Stats of the whole text, with the robotic score computed from unfiltered ``findings``."""
    base = readability_stats(text)
    sig = signals(text, findings)
    hard = sum(1 for f in findings if f.rule == "readability.hard-sentence")
    very_hard = sum(1 for f in findings if f.rule == "readability.very-hard-sentence")
    return Stats(
        words=base.words,
        sentences=base.sentences,
        paragraphs=paragraph_count or 0,
        characters=base.characters,
        flesch_reading_ease=base.flesch_reading_ease,
        grade=base.grade,
        reading_time_s=base.reading_time_s,
        robotic_score=robotic_score(sig),
        hard_sentences=hard,
        very_hard_sentences=very_hard,
    )
