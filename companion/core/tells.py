"""Learned tells: phrases that read generated although the library never listed them.

The library finds what someone wrote down; a model finds its neighbours. Two linear
models over the static MiniLM embedding (``static_embed.py``), fitted by
``scripts/train_tells.py`` on hand-marked spans of the development set against the
human reference corpus, are stored in ``resources/tells.json``:

* a **paragraph gate**: how generated the whole paragraph reads. People do write
  "a beacon of hope" now and then; the gate keeps those alone, because a phrase is
  only judged inside a paragraph that reads generated as a whole (the same idea as
  density: tells cluster);
* a **window model** over the 3-7-word phrase windows of ``semantic_windows.py``;
  the likeliest windows above its threshold are underlined (none overlapping another),
  and a third model names the category (cliché, AI-ism, jargon, ...).

The thresholds are chosen on the development split and the training part of the
human corpus only (the rule and the figures are in the JSON). Findings come from
source ``semantic`` (an embedding guess, not a library match) and carry no
suggestion: the fix is a rewrite, which the card says.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from companion.core.analyzer import Chunk
from companion.core.findings import AnalyzerStatus, Finding, Level
from companion.core.paths import resource_dir
from companion.core.semantic_windows import Window, windows
from companion.core.static_embed import StaticEmbedder, paragraph_vector, shared_static

log = logging.getLogger(__name__)

#: What each category's learned finding says (the library entries say more specific things).
MESSAGES = {
    "ai-ism": "Reads like generated prose: a grand word or phrase where a plain one would do.",
    "cliche": "Reads like a stock image that generated text leans on: say the plain thing.",
    "jargon": "Reads like marketing or corporate stock phrasing: say what it means.",
    "structure": "Reads like a generated sentence template: vary it, or say it directly.",
    "wordy": "Reads wordy: fewer words would say the same.",
    "hedge": "Reads like a generated hedge: commit, or cut it.",
    "filler": "Reads like filler: cut it, or say something specific.",
    "transition": "Reads like a stock transition: cut it, or connect the ideas directly.",
}
_REWRITE = " No one-click fix: rewrite it in your own words."


def tells_path() -> Path:
    return resource_dir() / "tells.json"


@dataclass(frozen=True, slots=True)
class TellModel:
    """The fitted models and thresholds of ``resources/tells.json``."""

    window_coef: np.ndarray
    window_bias: float
    gate_coef: np.ndarray
    gate_bias: float
    category_coef: np.ndarray  # (categories, dim)
    category_bias: np.ndarray
    categories: tuple[str, ...]
    window_threshold: float
    gate_threshold: float

    @classmethod
    def from_json(cls, data: dict[str, object]) -> TellModel:
        def arr(key: str) -> np.ndarray:
            return np.asarray(data[key], dtype=np.float32)

        model = cls(
            window_coef=arr("window_coef"),
            window_bias=float(data["window_bias"]),  # type: ignore[arg-type]
            gate_coef=arr("gate_coef"),
            gate_bias=float(data["gate_bias"]),  # type: ignore[arg-type]
            category_coef=arr("category_coef"),
            category_bias=arr("category_bias"),
            categories=tuple(str(c) for c in data["categories"]),  # type: ignore[attr-defined]
            window_threshold=float(data["window_threshold"]),  # type: ignore[arg-type]
            gate_threshold=float(data["gate_threshold"]),  # type: ignore[arg-type]
        )
        dim = model.window_coef.shape[0]
        if model.gate_coef.shape != (dim,) or model.category_coef.shape != (len(model.categories), dim):
            raise ValueError("model shapes disagree")
        return model

    def gate(self, vecs: np.ndarray) -> np.ndarray:
        return _sigmoid(vecs @ self.gate_coef + self.gate_bias)

    def window(self, vecs: np.ndarray) -> np.ndarray:
        return _sigmoid(vecs @ self.window_coef + self.window_bias)

    def category(self, vec: np.ndarray) -> str:
        return self.categories[int(np.argmax(self.category_coef @ vec + self.category_bias))]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@lru_cache(maxsize=1)
def load_model(path: Path | None = None) -> TellModel | str:
    """The bundled model, or why it cannot be used."""
    path = path or tells_path()
    try:
        return TellModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return f"{path.name} is missing"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return f"{path.name} is unreadable: {exc}"


@lru_cache(maxsize=2048)
def paragraph_gate(text: str) -> float | None:
    """How generated ``text`` reads as a whole (0-1), or None without the model."""
    model = load_model()
    if isinstance(model, str) or not text.strip():
        return None
    vec = paragraph_vector(text)
    return None if vec is None else float(model.gate(vec[None, :])[0])


class TellAnalyzer:
    """Underlines phrase windows the learned model reads as generated, in generated-reading paragraphs."""

    name = "tells"

    def __init__(self, embedder: StaticEmbedder | None = None, model: TellModel | None = None) -> None:
        self._embedder = embedder
        self._model = model

    def _ready(self) -> tuple[StaticEmbedder, TellModel] | str:
        model = self._model if self._model is not None else load_model()
        if isinstance(model, str):
            return model
        embedder = self._embedder or shared_static()
        if not embedder.available():
            return embedder.error
        return embedder, model

    def status(self) -> AnalyzerStatus:
        ready = self._ready()
        return AnalyzerStatus(True) if not isinstance(ready, str) else AnalyzerStatus(False, ready)

    def analyze(self, chunk: Chunk) -> list[Finding]:
        return self.analyze_many([chunk])[0]

    def analyze_many(self, chunks: Sequence[Chunk]) -> list[list[Finding]]:
        ready = self._ready()
        if isinstance(ready, str):
            return [[] for _ in chunks]
        embedder, model = ready
        out: list[list[Finding]] = [[] for _ in chunks]
        texts = [c.text for c in chunks]
        live = [i for i, t in enumerate(texts) if len(t.split()) >= 8]
        if not live:
            return out
        if self._model is None and self._embedder is None:  # the bundled pair: its gates are cached
            gates = [paragraph_gate(texts[i]) or 0.0 for i in live]
        else:
            gates = list(model.gate(embedder.encode([texts[i] for i in live])))
        todo = [i for i, g in zip(live, gates, strict=True) if g >= model.gate_threshold]
        per = {i: windows(chunks[i]) for i in todo}
        flat = [w for i in todo for w in per[i]]
        if not flat:
            return out
        vecs = embedder.encode([w.text for w in flat])
        probs = model.window(vecs)
        k = 0
        for i in todo:
            n = len(per[i])
            hits = [
                (w, float(p), vecs[k + j])
                for j, (w, p) in enumerate(zip(per[i], probs[k : k + n], strict=True))
            ]
            k += n
            out[i] = _findings(chunks[i].text, [h for h in hits if h[1] >= model.window_threshold], model)
        return out


def _findings(text: str, hits: list[tuple[Window, float, np.ndarray]], model: TellModel) -> list[Finding]:
    """The likeliest windows above the threshold, none overlapping another.

    Small, separate underlines rather than one per run: an exact library match that
    overlaps one of them then replaces only that one (``merge.py``).
    """
    chosen: list[tuple[Window, float, np.ndarray]] = []
    for hit in sorted(hits, key=lambda h: -h[1]):
        if not any(hit[0].start < w.end and w.start < hit[0].end for w, _, _ in chosen):
            chosen.append(hit)
    found = []
    for w, p, vec in sorted(chosen, key=lambda h: h[0].start):
        category = model.category(vec)
        found.append(
            Finding(
                start=w.start,
                end=w.end,
                category=category,
                rule=f"semantic.tell.{category}",
                message=MESSAGES.get(category, MESSAGES["ai-ism"]) + _REWRITE,
                source="semantic",
                confidence=round(p, 3),
                level=Level.RECOMMENDED,
                matched=text[w.start : w.end],
            )
        )
    return found
