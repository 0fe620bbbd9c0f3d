"""Embedding matching with the real bundled all-MiniLM-L6-v2 model."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.core.analyzer import Chunk
from companion.core.checker import Checker
from companion.core.embedder import Embedder
from companion.core.findings import Finding
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.semantic import SemanticAnalyzer

LIBRARY = load_library()


@pytest.fixture(scope="module")
def semantic(tmp_path_factory: pytest.TempPathFactory) -> SemanticAnalyzer:
    analyzer = SemanticAnalyzer(LIBRARY, Embedder(threads=2), cache_dir=tmp_path_factory.mktemp("emb"))
    analyzer.load()
    return analyzer


def test_catches_a_paraphrase_the_library_never_listed(semantic: SemanticAnalyzer) -> None:
    text = "In this fast-moving world, companies must adapt quickly."
    assert not LibraryAnalyzer(LIBRARY).analyze(Chunk.of(text))
    (finding,) = semantic.analyze(Chunk.of(text))
    assert text[finding.start : finding.end] == "In this fast-moving world"
    assert finding.source == "semantic" and finding.category == "ai-ism"
    assert finding.suggestions and all(s[0].isupper() for s in finding.suggestions)
    assert 0.6 < finding.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "I bought apples at the market and walked home in the rain.",
        "The committee meets on Tuesdays in the old library.",
        "Set the oven to 200 degrees and bake the bread for forty minutes.",
    ],
)
def test_ordinary_sentences_stay_clean(semantic: SemanticAnalyzer, text: str) -> None:
    assert semantic.analyze(Chunk.of(text)) == []


def test_anchor_embeddings_are_cached_on_disk(semantic: SemanticAnalyzer, monkeypatch) -> None:
    cache = semantic._cache_file()
    assert cache.exists()
    again = SemanticAnalyzer(LIBRARY, semantic.embedder, cache_dir=cache.parent)
    calls: list[int] = []
    original = semantic.embedder.encode
    monkeypatch.setattr(
        semantic.embedder, "encode", lambda texts, **kw: calls.append(len(texts)) or original(texts)
    )
    again.load()
    assert calls == []  # nothing re-embedded: the matrix came from the cache file


def test_suggestions_are_ranked_by_fit_in_context(semantic: SemanticAnalyzer) -> None:
    text = "Water plays a crucial role in digestion."
    start = text.index("plays")
    end = text.index(" digestion")
    f = Finding(
        start,
        end,
        "ai-ism",
        "library.ai-ism.x",
        "m",
        suggestions=("shapes", "helps with"),
        matched=text[start:end],
    )
    (ranked,) = semantic.rank_in_context(text, [f])
    assert ranked.suggestions == ("helps with", "shapes")


def test_a_missing_model_is_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    broken = SemanticAnalyzer(LIBRARY, Embedder(str(tmp_path / "no-such-model")), cache_dir=tmp_path)
    checker = Checker([LibraryAnalyzer(LIBRARY), broken])
    report = checker.check("We must leverage synergies.")
    assert any(f.source == "library" for f in report.findings)
    status = report.analyzers["semantic"]
    assert not status.available and "no-such-model" in status.reason
