"""Cheap lexical habits that differ between people and generated prose (score inputs).

Rates per 100 words, so a paragraph and a whole document are measured alike:
contractions ("don't", "it's"), first-person words, commas, the mean word length, and
vocabulary variety as a moving-average type-token ratio over 50-word windows (plain
TTR falls as a text grows; the moving average does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours"})
_WINDOW = 50


@dataclass(frozen=True, slots=True)
class Lexical:
    contractions: float = 0.0
    first_person: float = 0.0
    word_length: float = 0.0
    variety: float = 0.0
    commas: float = 0.0


def lexical(text: str, tokens: Sequence[str]) -> Lexical:
    """The lexical habits of ``text`` given its word ``tokens``."""
    n = len(tokens)
    if n == 0:
        return Lexical()
    lower = [t.lower() for t in tokens]
    contractions = sum(("'" in t or "’" in t) for t in lower)
    first = sum(t in _FIRST_PERSON for t in lower)
    return Lexical(
        contractions=100.0 * contractions / n,
        first_person=100.0 * first / n,
        word_length=sum(map(len, tokens)) / n,
        variety=_mattr(lower),
        commas=100.0 * text.count(",") / n,
    )


def _mattr(words: Sequence[str]) -> float:
    if len(words) <= _WINDOW:
        return len(set(words)) / len(words)
    step = max(1, (len(words) - _WINDOW) // 40)  # at most ~40 windows: cheap on long texts
    ratios = [len(set(words[i : i + _WINDOW])) / _WINDOW for i in range(0, len(words) - _WINDOW + 1, step)]
    return sum(ratios) / len(ratios)
