"""Document statistics and the robotic score.

The robotic score (0-100, higher reads more robotic) is a logistic blend of signals
that separate autopilot prose from human writing:

* **phrasing**: robotic-phrasing findings per 100 words, whatever the profile shows:
  essential 3, recommended 2, picky 1 (picky fillers, hedges and wordy phrases 0:
  people use "just" and "in order to" as much as models do), times confidence;
* **plain punctuation**: few parentheses, quotes, dashes, colons, semicolons,
  question and exclamation marks per 100 words (people punctuate more variously);
* **uniformity**: how little sentence lengths vary (generated prose keeps a steady
  rhythm; people mix short and long sentences);
* **lexical habits** (``lexical.py``): contractions, first-person words, commas, word
  length and vocabulary variety;
* **style**: a linear model over the static embedding (``style_signal.py``).

The weights are fitted by ``scripts/train_score.py`` on labelled paragraphs and stored
in ``resources/score.json`` with the AUROC they reach on paragraphs held out of the fit.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace

from companion.core.findings import Finding, Level, Stats
from companion.core.lexical import lexical
from companion.core.readability import document_stats as readability_stats
from companion.core.segment import paragraphs, sentences, words

_LEVEL_WEIGHT = {Level.ESSENTIAL: 3.0, Level.RECOMMENDED: 2.0, Level.PICKY: 1.0}
#: Picky findings in these categories are everyday human habits, not tells.
_HUMAN_HABITS = frozenset({"filler", "hedge", "wordy"})
_VARIED_PUNCTUATION = re.compile(r"[()\"“”;:!?—–]|(?<=\s)-(?=\s)")


@dataclass(frozen=True, slots=True)
class Signals:
    """The inputs of the robotic score, for display and benchmarking."""

    phrasing: float
    punctuation: float
    uniformity: float
    words: int
    #: How much the wording reads like generated prose to a linear model over the static
    #: embedding (a standardised logit; 0 when that model is unavailable).
    style: float = 0.0
    contractions: float = 0.0
    first_person: float = 0.0
    word_length: float = 0.0
    variety: float = 0.0
    commas: float = 0.0


def signals(
    text: str,
    findings: Sequence[Finding],
    sentence_lengths: Sequence[int] | None = None,
    style: float | None = None,
) -> Signals:
    """Measure the score's inputs for ``text`` (``findings`` unfiltered, every level).

    ``style`` is given when the caller measured it already (per paragraph).
    """
    toks = words(text)
    n = len(toks)
    if n == 0:
        return Signals(0.0, 0.0, 0.0, 0)
    weight = phrasing_weight(findings)
    if style is None:
        from companion.core.style_signal import style_logit  # numpy: loaded on first use

        style = style_logit(text)
    if sentence_lengths is None:
        sentence_lengths = [len(words(s.text(text))) for s in sentences(text)]
    lengths = [k for k in sentence_lengths if k > 0]
    if len(lengths) >= 3:
        mean = statistics.fmean(lengths)
        cv = statistics.pstdev(lengths) / mean if mean else 0.0
        uniformity = max(0.0, 1.0 - cv)
    else:
        uniformity = 0.5
    return Signals(
        phrasing=100.0 * weight / n,
        punctuation=100.0 * len(_VARIED_PUNCTUATION.findall(text)) / n,
        uniformity=uniformity,
        words=n,
        style=style,
        **asdict(lexical(text, toks)),
    )


def phrasing_weight(findings: Iterable[Finding]) -> float:
    """The robotic-phrasing weight of ``findings`` (the numerator of the phrasing signal)."""
    return sum(_weight(f) for f in findings if f.is_robotic)


def _weight(f: Finding) -> float:
    if f.level is Level.PICKY and f.category in _HUMAN_HABITS:
        return 0.0
    return _LEVEL_WEIGHT[f.level] * f.confidence


def robotic_score(sig: Signals) -> float:
    """0-100: how robotic the text reads."""
    if sig.words == 0:
        return 0.0
    from companion.core.style_signal import score_weights

    w = score_weights()
    z = w["bias"] + sum(w.get(name, 0.0) * value for name, value in score_inputs(sig).items())
    return 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def score_inputs(sig: Signals) -> dict[str, float]:
    """The score's inputs by name, clipped as the weights were fitted."""
    return {
        "phrasing": min(sig.phrasing, 8.0),
        "punctuation": min(sig.punctuation, 15.0),
        "uniformity": sig.uniformity,
        "contractions": min(sig.contractions, 10.0),
        "first_person": min(sig.first_person, 15.0),
        "word_length": sig.word_length,
        "variety": sig.variety,
        "commas": min(sig.commas, 15.0),
        "style": sig.style,
    }


def document_stats(text: str, findings: Sequence[Finding], paragraph_count: int | None = None) -> Stats:
    """Stats of the whole text, with the robotic score computed from unfiltered ``findings``."""
    base = readability_stats(text)
    parts = [text[p.start : p.end] for p in paragraphs(text)]
    style = None  # one paragraph: read from the whole text, as signals() does by itself
    if len(parts) > 1:  # style is read per paragraph and weighted by words, as the editor does
        sizes = [len(words(p)) for p in parts]
        from companion.core.style_signal import style_logit

        styles = [style_logit(p) for p in parts]
        style = sum(a * b for a, b in zip(sizes, styles, strict=True)) / max(sum(sizes), 1)
    sig = signals(text, findings, style=style)
    return replace(
        base,
        paragraphs=paragraph_count if paragraph_count is not None else base.paragraphs,
        robotic_score=robotic_score(sig),
    )
