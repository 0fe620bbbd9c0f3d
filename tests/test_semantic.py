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
    text = "Unlock the true potential of your marketing team."
    assert not LibraryAnalyzer(LIBRARY).analyze(Chunk.of(text))
    (finding,) = semantic.analyze(Chunk.of(text))
    assert text[finding.start : finding.end].startswith("Unlock the true potential")
    assert finding.source == "semantic" and finding.category == "ai-ism"
    assert finding.suggestions
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


def test_windows_are_phrase_sized_and_stay_inside_a_clause(semantic: SemanticAnalyzer) -> None:
    text = "Honestly, our vendor offers a truly remarkable cornerstone of modern retail, they say."
    chunk = Chunk.of(text)
    ws = semantic.windows(chunk)
    assert ws, "content words give windows"
    for w in ws:
        assert 3 <= len(w.text.split()) <= 7
        assert "," not in w.text and text[w.start : w.end] == w.text


def test_windows_skip_what_the_library_already_matches(semantic: SemanticAnalyzer) -> None:
    text = "We must delve into the data before the meeting."
    exact = [(m.start, m.end) for m in LibraryAnalyzer(LIBRARY).matches(text)]
    assert exact
    for w in semantic.windows(Chunk.of(text)):
        assert not any(w.start < e and s < w.end for s, e in exact)


def test_the_static_first_pass_loads_and_gives_unit_vectors() -> None:
    from companion.core.static_embed import StaticEmbedder

    static = StaticEmbedder()
    assert static.available(), static.error
    vecs = static.encode(["a beacon of hope", "a shining beacon of hope", "bake the bread for an hour"])
    assert vecs.shape[0] == 3
    assert abs(float((vecs[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.2


def test_a_missing_static_model_falls_back_to_shared_words(tmp_path: Path) -> None:
    from companion.core.static_embed import StaticEmbedder

    static = StaticEmbedder(tmp_path / "nowhere")
    assert not static.available() and "cannot load" in static.error


def test_the_real_cornerstone_example_is_caught(semantic: SemanticAnalyzer) -> None:
    """The issue's own example: the library and the semantic pass together flag it."""
    text = "Customer trust is a real cornerstone of how businesses work."
    checker = Checker([LibraryAnalyzer(LIBRARY), semantic])
    report = checker.check(text)
    start = text.index("cornerstone")
    assert any(f.is_robotic and f.start <= start < f.end for f in report.findings)


def test_a_text_with_nothing_for_minilm_never_loads_the_model(semantic: SemanticAnalyzer) -> None:
    """With the anchors cached, a check whose first pass keeps no window needs no model (or host)."""
    fresh = Embedder(threads=1)
    lazy = SemanticAnalyzer(LIBRARY, fresh, cache_dir=semantic._cache_file().parent)
    assert lazy.analyze(Chunk.of("The cat sat on the mat.")) == []
    assert not fresh.loaded and not lazy.ready
    assert lazy.status().available and "first use" in lazy.status().reason
    # A window worth MiniLM's time loads it then, and finds what the loaded analyzer finds.
    text = "Unlock the true potential of your marketing team."
    found = lazy.analyze(Chunk.of(text))
    loaded = semantic.analyze(Chunk.of(text))
    assert found and [(f.start, f.end, f.rule) for f in found] == [(f.start, f.end, f.rule) for f in loaded]
    assert found[0].confidence == pytest.approx(loaded[0].confidence, abs=1e-4)
    assert fresh.loaded


def test_a_missing_model_is_reported_before_any_window_needs_it(tmp_path: Path) -> None:
    broken = SemanticAnalyzer(LIBRARY, Embedder("/nonexistent/model"), cache_dir=tmp_path)
    broken.embedder._error = "cannot load embedding model '/nonexistent/model'"
    with pytest.raises(Exception, match="nonexistent"):
        broken.analyze(Chunk.of("The cat sat on the mat."))
    assert not broken.status().available
