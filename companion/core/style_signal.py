"""The score's learned inputs: a style logit over the static embedding, and the blend weights.

``scripts/train_score.py`` fits both on labelled AI and human paragraphs (never the
held-out ones) and stores them in ``resources/score.json``: a linear model over the
static MiniLM embedding of a paragraph (standardised to mean 0, spread 1 on the
training data), and the logistic weights that blend it with phrasing density,
punctuation and rhythm. Without that file or the static model, the style input is 0
and the hand-set fallback weights below apply.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

import numpy as np

from companion.core.paths import resource_dir
from companion.core.static_embed import StaticEmbedder, paragraph_vector, shared_static

log = logging.getLogger(__name__)

FALLBACK_WEIGHTS = {"bias": -2.2, "phrasing": 0.85, "punctuation": -0.18, "uniformity": 2.4}


@lru_cache(maxsize=1)
def _trained() -> dict[str, object]:
    path = resource_dir() / "score.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return {}


def score_weights() -> dict[str, float]:
    """The logistic blend's weights (trained when ``resources/score.json`` has them)."""
    weights = _trained().get("weights")
    if isinstance(weights, dict) and "bias" in weights:
        try:
            return {str(k): float(v) for k, v in weights.items()}
        except (TypeError, ValueError):
            log.warning("ignoring malformed score weights")
    return FALLBACK_WEIGHTS


@lru_cache(maxsize=1)
def _style_model() -> tuple[StaticEmbedder, np.ndarray, float, float, float] | None:
    style = _trained().get("style")
    if not isinstance(style, dict):
        return None
    embedder = shared_static()
    if not embedder.available():
        return None
    coef = np.asarray(style["coef"], dtype=np.float32)
    return embedder, coef, float(style["intercept"]), float(style["mean"]), float(style["scale"]) or 1.0


@lru_cache(maxsize=4096)
def style_logit(text: str) -> float:
    """How generated ``text`` reads to the style model (standardised logit; 0 if unavailable)."""
    model = _style_model()
    if model is None or not text.strip():
        return 0.0
    _, coef, intercept, mean, scale = model
    vec = paragraph_vector(text)
    if vec is None:
        return 0.0
    return float((vec @ coef + intercept - mean) / scale)
