"""A static (token-lookup) embedding distilled from all-MiniLM-L6-v2: the semantic first pass.

``scripts/distill_static.py`` builds it with model2vec from the same bundled MiniLM
model and stores it in ``resources/static-minilm/``. Encoding is a tokenizer call and
a mean of token vectors: thousands of windows per second, no torch, a few MB of
memory. Its cosines rank phrases like MiniLM's but are less exact, so it only picks
the candidates that MiniLM then confirms.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from companion.core.paths import resource_dir

log = logging.getLogger(__name__)


def bundled_static_path() -> Path:
    return resource_dir() / "static-minilm"


class StaticEmbedder:
    """Unit vectors from the bundled static model; unavailable (``error`` set) if it cannot load."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or bundled_static_path()
        self._model: Any = None
        self._error = ""
        self._lock = threading.Lock()

    @property
    def error(self) -> str:
        return self._error

    def available(self) -> bool:
        """Load the model if needed; False (with ``error``) when it cannot be loaded."""
        with self._lock:
            if self._model is not None:
                return True
            if self._error:
                return False
            started = time.perf_counter()
            try:
                self._model = load_static_model(self.path)
            except Exception as exc:  # missing package or files, bad files
                self._error = f"cannot load the static embedding at {self.path}: {exc}"
                log.warning("%s", self._error)
                return False
            log.debug("static model loaded in %.2f s", time.perf_counter() - started)
            return True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts`` (rows). Call ``available()`` first."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        vecs = np.asarray(self._model.encode(list(texts), show_progress_bar=False), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vecs / norms


def load_static_model(path: Path) -> Any:
    """The model2vec model in ``path``, read directly (safetensors, tokenizer, config).

    ``StaticModel.from_pretrained`` would do the same after importing the Hugging Face
    hub client and model-card code it needs only for downloads: a fifth of a second at
    every start. A folder in another layout still goes through it.
    """
    from model2vec import StaticModel

    tensors, tokenizer_file, config_file = (
        path / "model.safetensors",
        path / "tokenizer.json",
        path / "config.json",
    )
    if not (tensors.is_file() and tokenizer_file.is_file() and config_file.is_file()):
        return StaticModel.from_pretrained(str(path))
    import json

    import safetensors
    from tokenizers import Tokenizer

    with safetensors.safe_open(str(tensors), framework="numpy") as fh:
        names = set(fh.keys())
        vectors = fh.get_tensor("embeddings")
        weights = fh.get_tensor("weights") if "weights" in names else None
        mapping = fh.get_tensor("mapping") if "mapping" in names else None
    config = json.loads(config_file.read_text(encoding="utf-8"))
    return StaticModel(
        vectors=vectors,
        tokenizer=Tokenizer.from_file(str(tokenizer_file)),
        config=config,
        normalize=bool(config.get("normalize", False)),
        weights=weights,
        token_mapping=mapping,
        max_length=config.get("max_length", 512),
    )


@lru_cache(maxsize=1)
def shared_static() -> StaticEmbedder:
    """The process-wide bundled static model (loaded once, on first use)."""
    return StaticEmbedder()


@lru_cache(maxsize=4096)
def paragraph_vector(text: str) -> np.ndarray | None:
    """The bundled static model's unit vector of ``text`` (cached: the score and the
    learned tells' gate read the same paragraphs), or None without the model."""
    embedder = shared_static()
    if not embedder.available():
        return None
    return embedder.encode([text])[0]


def preload_static() -> threading.Thread:
    """Start loading the shared static model on a daemon thread; returns the thread.

    Front ends call this first: the score's style signal and the paragraph gate (which
    decides whether a lone library phrase is shown) read it, so the first check of a
    paragraph would otherwise wait for its load (about a fifth of a second).
    """
    thread = threading.Thread(target=shared_static().available, name="static-load", daemon=True)
    thread.start()
    return thread
