"""End to end with the real embedding model: it loads in the background, fast underlines don't wait."""

from __future__ import annotations

import pytest

from companion.core.engine import Engine, build_analyzers, filters_from
from companion.core.settings import Settings
from tests.gui.conftest import FAST, underline_ranges

PARAPHRASE = "Unlock the true potential of"
TEXT = f"{PARAPHRASE} your marketing team.\n\nWe must leverage synergies."


@pytest.fixture(scope="session")
def embeddings_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("embeddings")


def test_semantic_underlines_arrive_after_the_fast_ones(
    qtbot, make_window, bundled_library, embeddings_cache
):
    pytest.importorskip("sentence_transformers")
    from companion.core.embedder import Embedder, default_model_path
    from companion.core.semantic import SemanticAnalyzer

    if default_model_path() is None:
        pytest.skip("the bundled model package is not installed")

    def factory(settings: Settings) -> Engine:
        analyzers = build_analyzers(settings, FAST, bundled_library)
        semantic = SemanticAnalyzer(bundled_library, Embedder(threads=1), cache_dir=embeddings_cache)
        return Engine([*analyzers, semantic], filters_from(settings))

    w = make_window(runner="thread", settings=Settings(debounce_ms=20, profile="picky"), factory=factory)
    w.editor.setPlainText(TEXT)
    # The fast pass does not wait for the model.
    qtbot.waitUntil(lambda: any(t == "leverage" for _, _, t in underline_ranges(w.editor)), timeout=10000)
    if "semantic" in w.loader.loading():
        assert "paraphrase model" in w.status_label.text()
    qtbot.waitUntil(lambda: any(r.finding.source == "semantic" for r in w.editor.findings()), timeout=120000)
    qtbot.waitUntil(lambda: not w.editor.redraw_pending, timeout=5000)
    ref = next(r for r in w.editor.findings() if r.finding.source == "semantic")
    assert ref.finding.matched == PARAPHRASE and ref.finding.suggestions
    start, end = ref.span()
    assert (start, end, PARAPHRASE) in underline_ranges(w.editor)
    assert "semantic" not in w.loader.loading()
    assert "paraphrase model" not in w.status_label.text()


RANKED = "The merger promised synergies between the two sales teams."


def test_the_editor_ranks_suggestions_as_humanize_check_does(
    qtbot, make_window, bundled_library, embeddings_cache
):
    """Once the model is loaded the editor orders alternatives by fit in context, like the CLI."""
    pytest.importorskip("sentence_transformers")
    from companion.core.embedder import Embedder, default_model_path
    from companion.core.semantic import SemanticAnalyzer

    if default_model_path() is None:
        pytest.skip("the bundled model package is not installed")
    engines: list[Engine] = []

    def factory(settings: Settings) -> Engine:
        analyzers = build_analyzers(settings, FAST, bundled_library)
        semantic = SemanticAnalyzer(bundled_library, Embedder(threads=1), cache_dir=embeddings_cache)
        engines.append(Engine([*analyzers, semantic], filters_from(settings)))
        return engines[-1]

    settings = Settings(debounce_ms=20, profile="picky")
    w = make_window(runner="thread", settings=settings, factory=factory)
    w.editor.setPlainText(RANKED)
    library_order = None

    def synergy():
        return next((r.finding for r in w.editor.findings() if r.finding.rule.endswith(".synergy")), None)

    qtbot.waitUntil(lambda: synergy() is not None, timeout=10000)
    library_order = synergy().suggestions
    qtbot.waitUntil(lambda: "semantic" in w.loader.ready_slow, timeout=120000)
    expected = next(f for f in engines[0].check(RANKED).findings if f.rule.endswith(".synergy")).suggestions
    assert expected != library_order  # the context changes the order: the test can tell
    qtbot.waitUntil(lambda: synergy().suggestions == expected, timeout=60000)
