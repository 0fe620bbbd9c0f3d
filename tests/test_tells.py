"""Learned tells and the paragraph gate, with the real bundled static model and weights."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from companion.core.analyzer import Chunk
from companion.core.checker import Checker
from companion.core.density import HUMAN_GATE, settle_levels
from companion.core.engine import EngineOptions, build_analyzers, filters_from
from companion.core.findings import Finding, Level
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.settings import Settings
from companion.core.tells import TellAnalyzer, TellModel, load_model, paragraph_gate

GENERATED = (
    "In the ever-shifting tapestry of modern commerce, small businesses stand at a pivotal "
    "crossroads. Harnessing the transformative power of data, they can unlock new avenues for "
    "growth and foster meaningful connections with their customers. This holistic approach "
    "empowers teams to navigate uncertainty with confidence, paving the way for a brighter, "
    "more sustainable future."
)
PERSON = (
    "We drove up to the cabin on Friday night and the heater was broken again, so Dad spent an "
    "hour swearing at the pilot light while Mum and I ate cold pizza in our coats. By Saturday it "
    "was fixed and nobody talked about it."
)


def test_the_bundled_model_loads_and_is_consistent() -> None:
    model = load_model()
    assert isinstance(model, TellModel), model
    assert 0.0 < model.window_threshold < 1.0 and 0.0 < model.gate_threshold < 1.0
    assert {"ai-ism", "cliche", "jargon", "structure"} <= set(model.categories)


def test_the_gate_tells_generated_from_personal_prose() -> None:
    generated, person = paragraph_gate(GENERATED), paragraph_gate(PERSON)
    assert generated is not None and person is not None
    assert generated > 0.9 > 0.1 > person


def test_generated_paragraph_gets_phrase_sized_underlines_on_its_own_text() -> None:
    found = TellAnalyzer().analyze(Chunk.of(GENERATED))
    assert len(found) >= 2
    for f in found:
        assert f.source == "semantic" and f.rule.startswith("semantic.tell.")
        assert GENERATED[f.start : f.end] == f.matched
        assert 3 <= len(f.matched.split()) <= 8
        assert f.suggestions == () and "rewrite" in f.message
    spans = sorted((f.start, f.end) for f in found)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), "underlines overlap"


def test_personal_prose_gets_none() -> None:
    assert TellAnalyzer().analyze(Chunk.of(PERSON)) == []


def test_offsets_survive_emoji_and_accents() -> None:
    text = "🚀 Café owners 🎉 " + GENERATED
    found = TellAnalyzer().analyze(Chunk.of(text))
    assert found and all(text[f.start : f.end] == f.matched for f in found)


def test_a_broken_model_file_disables_the_analyzer_with_a_reason(tmp_path: Path) -> None:
    bad = tmp_path / "tells.json"
    bad.write_text(json.dumps({"window_coef": [1.0, 2.0]}), encoding="utf-8")
    model = load_model.__wrapped__(bad)
    assert isinstance(model, str) and "unreadable" in model
    shapes = json.loads((Path(__file__).parents[1] / "resources" / "tells.json").read_text())
    shapes["gate_coef"] = shapes["gate_coef"][:-1]
    bad.write_text(json.dumps(shapes), encoding="utf-8")
    assert isinstance(load_model.__wrapped__(bad), str)


def test_semantic_switch_governs_tells() -> None:
    names = lambda **kw: [a.name for a in build_analyzers(Settings(), EngineOptions(grammar="off", **kw))]  # noqa: E731
    assert "tells" in names(semantic=False, tells=True, spelling=False)
    assert "tells" not in names(semantic=False, spelling=False)


def _furthermore(paragraph: str) -> list[Finding]:
    analyzer = LibraryAnalyzer(load_library())
    return [f for f in analyzer.analyze(Chunk.of(paragraph)) if f.rule == "library.transition.furthermore"]


def test_recommended_phrase_is_quiet_in_a_persons_paragraph_and_shown_in_a_generated_one() -> None:
    person = "Furthermore, the heater broke again on Friday, so Dad swore at the pilot light for an hour."
    raw = _furthermore(person)
    assert raw and raw[0].level is Level.RECOMMENDED
    gate = paragraph_gate(person)
    assert gate is not None and gate < HUMAN_GATE
    settled = settle_levels(person, raw)
    assert settled[0].level is Level.PICKY and "person" in settled[0].message
    generated = "Furthermore, " + GENERATED
    kept = settle_levels(generated, _furthermore(generated))
    assert kept and kept[0].level is Level.RECOMMENDED


def test_checker_reports_tells_status_and_findings() -> None:
    settings = Settings()
    checker = Checker(
        build_analyzers(settings, EngineOptions(semantic=False, tells=True, grammar="off", spelling=False)),
        filters_from(settings),
    )
    report = checker.check(PERSON + "\n\n" + GENERATED)
    assert report.analyzers["tells"].available
    tells = [f for f in report.findings if f.rule.startswith("semantic.tell.")]
    assert tells and all(f.start > len(PERSON) for f in tells)


@pytest.mark.parametrize("text", ["", "   ", "Short one."])
def test_tiny_paragraphs_are_skipped(text: str) -> None:
    assert TellAnalyzer().analyze(Chunk.of(text)) == []


def test_direct_static_model_load_encodes_as_model2vec_does() -> None:
    import numpy as np
    from model2vec import StaticModel

    from companion.core.static_embed import bundled_static_path, load_static_model

    texts = [PERSON, GENERATED, "x", "🚀 Café"]
    direct = load_static_model(bundled_static_path()).encode(texts)
    reference = StaticModel.from_pretrained(str(bundled_static_path())).encode(texts)
    assert direct.shape == reference.shape and np.array_equal(direct, reference)
