"""Hard / very hard sentences and document figures, with the real textstat."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.analyzer import Analyzer, Chunk
from companion.core.findings import Level, Stats
from companion.core.readability import (
    HARD_WORDS,
    MIN_WORDS,
    VERY_HARD_WORDS,
    WORDS_PER_MINUTE,
    ReadabilityAnalyzer,
    document_stats,
    sentence_difficulty,
)
from companion.core.segment import words
from companion.core.segment import words as words_of

ANALYZER = ReadabilityAnalyzer()

SIMPLE = "The cat sat on the mat."
#: 44 words of academic prose.
ACADEMIC = (
    "Notwithstanding the considerable methodological limitations inherent in observational "
    "epidemiological research, the accumulated evidence from multiple longitudinal cohort "
    "investigations conducted across heterogeneous populations consistently demonstrates a "
    "statistically significant association between prolonged occupational exposure to "
    "particulate contaminants and the subsequent development of chronic obstructive pulmonary disease."
)
#: 17 words at about grade 14.6: hard, not very hard.
POLICY = (
    "The new policy requires every regional office to submit a detailed quarterly report "
    "on its operating costs."
)
#: 46 one-syllable words: very hard by length alone.
RAMBLING = (
    "We went to the park and we ran and we sat and we ate and we played and we sang and then "
    "we went home and we slept and the next day we got up and went back to the park to do it all again."
)
#: Plain prose.
STORY = (
    "The cat sat on the mat. It was a warm day. The dog ran to the door and barked. "
    "We all went out to play in the sun.\n\nThen we had lunch."
)


def analyze(text: str):
    return ANALYZER.analyze(Chunk.of(text))


def test_is_an_available_analyzer() -> None:
    assert isinstance(ANALYZER, Analyzer)
    assert ANALYZER.name == "readability"
    assert ANALYZER.status().available


def test_short_simple_sentence_is_not_flagged() -> None:
    assert analyze(SIMPLE) == []
    assert analyze("I like tea. You like coffee. We both like cake.") == []


def test_short_dense_sentence_is_not_flagged() -> None:
    dense = (
        "Organizations increasingly recognize that sustainable competitive advantage depends on innovation."
    )
    assert len(words(dense)) < MIN_WORDS
    assert analyze(dense) == []


def test_academic_sentence_is_very_hard() -> None:
    [f] = analyze(ACADEMIC)
    assert (f.start, f.end) == (0, len(ACADEMIC))
    assert f.rule == "readability.very-hard-sentence"
    assert f.category == f.source == "readability"
    assert f.level is Level.RECOMMENDED
    assert f.suggestions == ()
    assert f.confidence == 1.0
    assert f.matched == ACADEMIC
    assert f.message.startswith("Very hard to read: 44 words at grade ")
    assert f.message.endswith("Split it or cut clauses.")


def test_moderately_dense_sentence_is_hard() -> None:
    [f] = analyze(POLICY)
    assert f.rule == "readability.hard-sentence"
    assert f.level is Level.PICKY
    assert f.message == "Hard to read: 17 words at grade 15. Consider splitting it."


def test_long_plain_sentence_is_very_hard_by_length() -> None:
    d = sentence_difficulty(RAMBLING)
    assert d.words >= VERY_HARD_WORDS and d.grade < 16
    assert d.very_hard and d.hard
    [f] = analyze(RAMBLING)
    assert f.rule == "readability.very-hard-sentence"


def test_thirty_plain_words_are_hard() -> None:
    sentence = " ".join(["we ran to the shop and back"] * 5) + "."
    d = sentence_difficulty(sentence)
    assert d.words == 35 >= HARD_WORDS
    assert d.hard and not d.very_hard


def test_span_is_exact_after_emoji_accents_and_cjk() -> None:
    prefix = "😀 Café naïve 東京タワー. 👍🏽 Zoë said hi. "
    text = prefix + ACADEMIC + "  \n"
    [f] = analyze(text)
    assert f.start == len(prefix)
    assert f.end == len(prefix) + len(ACADEMIC)
    assert text[f.start : f.end] == ACADEMIC == f.matched


def test_only_the_hard_sentences_of_a_paragraph_are_flagged_in_order() -> None:
    text = f"{SIMPLE} {POLICY} {SIMPLE} {ACADEMIC} {SIMPLE}"
    found = analyze(text)
    assert [f.matched for f in found] == [POLICY, ACADEMIC]
    assert [f.rule for f in found] == ["readability.hard-sentence", "readability.very-hard-sentence"]
    assert found == sorted(found, key=lambda f: f.start)
    assert all(text[f.start : f.end] == f.matched for f in found)


def test_chunk_without_sentence_spans_is_segmented() -> None:
    [f] = ANALYZER.analyze(Chunk(ACADEMIC, ()))
    assert (f.start, f.end) == (0, len(ACADEMIC))


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "😀", "😀👍🏽🎉 🇫🇷", "...", "東京", "—"])
def test_degenerate_text_does_not_crash(text: str) -> None:
    assert analyze(text) == []
    stats = document_stats(text)
    assert stats.words == len(words(text))
    assert stats.characters == len(text)
    assert stats.grade >= 0.0
    assert 0.0 <= stats.flesch_reading_ease <= 100.0


def test_empty_text_has_zero_figures() -> None:
    assert document_stats("") == Stats()


def test_document_stats_of_simple_prose() -> None:
    stats = document_stats(STORY)
    assert stats.words == 32
    assert stats.sentences == 5
    assert stats.paragraphs == 2
    assert stats.characters == len(STORY)
    assert stats.flesch_reading_ease > 80
    assert stats.grade < 4
    assert stats.reading_time_s == pytest.approx(32 * 60 / WORDS_PER_MINUTE)
    assert stats.hard_sentences == stats.very_hard_sentences == 0


def test_document_stats_of_academic_prose() -> None:
    stats = document_stats(f"{ACADEMIC}\n\n{POLICY}", paragraphs=7)
    assert stats.words == 44 + 17
    assert stats.sentences == 2
    assert stats.paragraphs == 7  # taken as given
    assert stats.flesch_reading_ease < 30
    assert stats.grade > 16
    assert (stats.hard_sentences, stats.very_hard_sentences) == (1, 1)


def test_document_stats_count_words_exactly() -> None:
    text = "Don't stop — it’s 2024, and café-owners in São Paulo sell 3 cups. Really?"
    assert document_stats(text).words == len(words(text)) == 14


def test_document_stats_is_fast() -> None:
    text = "\n\n".join([f"{STORY} {POLICY} {ACADEMIC}"] * 100)
    assert len(words(text)) > 9000
    document_stats(text)  # fill the syllable cache
    began = time.perf_counter()
    document_stats(text)
    assert time.perf_counter() - began < 0.5


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_findings_lie_inside_any_text(text: str) -> None:
    for f in analyze(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.matched
    document_stats(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([SIMPLE, POLICY, ACADEMIC, "😀", "東京", "\n", "  "]), max_size=8))
def test_findings_lie_inside_mixed_paragraphs(parts: list[str]) -> None:
    text = " ".join(parts)
    found = analyze(text)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert f.matched == f.matched.strip()
    assert found == sorted(found, key=lambda f: (f.start, f.end))


def test_syllable_table_counts_exactly_as_textstat(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    import textstat

    from companion.core import syllable_table

    articles = Path(__file__).parents[1] / "benchmarks" / "data" / "dev" / "articles"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))[:6])
    invented = ["blorptastic", "zwiggle", "unfrobnicated", "don't", "rock'n'roll", "Café"]
    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(tmp_path))
    syllable_table.table.cache_clear()
    try:
        words = sorted(set(words_of(text))) + invented
        assert len(words) > 500
        built = [syllable_table.count(w) for w in words]  # builds and stores the table
        assert list(tmp_path.glob("syllables-cmudict-*.marshal"))
        syllable_table.table.cache_clear()
        cached = [syllable_table.count(w) for w in words]  # read back from the cache
        expected = [textstat.syllable_count(w) for w in words]
        assert built == cached == expected
        (next(tmp_path.glob("syllables-cmudict-*.marshal"))).write_bytes(b"not marshal")
        syllable_table.table.cache_clear()
        assert [syllable_table.count(w) for w in words[:50]] == expected[:50]  # a corrupt cache is rebuilt
    finally:
        syllable_table.table.cache_clear()
