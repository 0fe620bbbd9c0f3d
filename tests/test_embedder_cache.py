"""The embedder's cache is least-recently-used: a text read again outlives older ones."""

from __future__ import annotations

import numpy as np

from companion.core.embedder import Embedder


class _CountingModel:
    """A stand-in for the sentence-transformers model: one fixed vector per text, counted."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], **_: object) -> np.ndarray:
        self.encoded.extend(texts)
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)


def _embedder(cache_size: int) -> tuple[Embedder, _CountingModel]:
    embedder = Embedder(cache_size=cache_size)
    model = _CountingModel()
    embedder._model = model  # load() returns at once: no model is read from disk
    return embedder, model


def test_a_recently_read_text_survives_eviction() -> None:
    embedder, model = _embedder(cache_size=2)
    embedder.encode(["a", "bb"])
    embedder.encode(["a"])  # a hit: "a" is now the most recently used
    model.encoded.clear()
    embedder.encode(["ccc"])  # over the size: the least recently used ("bb") goes
    embedder.encode(["a"])
    assert model.encoded == ["ccc"]  # "a" came from the cache (FIFO would have dropped it)
    embedder.encode(["bb"])
    assert model.encoded == ["ccc", "bb"]


def test_cached_vectors_are_the_encoded_ones() -> None:
    embedder, model = _embedder(cache_size=10)
    first = embedder.encode(["one", "three", "one"])
    again = embedder.encode(["three", "one"])
    assert model.encoded == ["one", "three"]
    np.testing.assert_array_equal(again, first[[1, 0]])
