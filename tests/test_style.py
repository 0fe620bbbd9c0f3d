"""Passive voice, adverbs and weasel words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.analyzer import Analyzer, Chunk
from companion.core.findings import CATEGORIES, Finding, Level
from companion.core.style import StyleAnalyzer, is_past_participle

ANALYZER = StyleAnalyzer()


def analyze(text: str) -> list[Finding]:
    return ANALYZER.analyze(Chunk.of(text))


def matched(text: str, category: str) -> list[str]:
    return [f.matched for f in analyze(text) if f.category == category]


def test_is_an_available_analyzer() -> None:
    assert isinstance(ANALYZER, Analyzer)
    assert ANALYZER.name == "style"
    assert ANALYZER.status().available


# --- passive voice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The report was written by the committee.", "was written"),
        ("The bridge is being built.", "being built"),
        ("The letter wasn't sent.", "wasn't sent"),
        ("The letter wasn’t sent.", "wasn’t sent"),
        ("Mistakes were clearly made.", "were clearly made"),
        ("The bug was not always noticed.", "was not always noticed"),
        ("The samples have been analyzed.", "been analyzed"),
        ("Results will be published next week.", "be published"),
        ("Applicants are chosen at random.", "are chosen"),
        ("The service is containerized nightly.", "is containerized"),
        ("WAS IT TAKEN? It WAS TAKEN.", "WAS TAKEN"),
    ],
)
def test_passive_voice_is_flagged(text: str, phrase: str) -> None:
    [f] = [f for f in analyze(text) if f.category == "passive"]
    assert f.matched == phrase
    assert (f.start, f.end) == (text.index(phrase), text.index(phrase) + len(phrase))
    assert f.rule == "style.passive"
    assert f.source == "style"
    assert f.level is Level.PICKY
    assert f.suggestions == ()
    assert f.message.startswith("May be passive")


@pytest.mark.parametrize(
    "text",
    [
        "She is interested in art.",
        "I was tired after the race.",
        "We were excited and a little worried.",
        "He used to run every day.",
        "We were used to the noise.",
        "It is supposed to rain.",
        "He was born in 1990.",
        "The sky is red.",
        "He is naked.",
        "She is a teacher.",
        "They are running late.",
        "He is going to win.",
        "The milk is gone.",
        "It was indeed hundred years old.",
        "This is sacred ground.",
        "The launch is set to begin at noon.",
        "Something's been bothering me.",
    ],
)
def test_not_passive(text: str) -> None:
    assert matched(text, "passive") == []


def test_past_participles() -> None:
    assert all(map(is_past_participle, ["written", "taken", "analyzed", "built", "read", "tokenized"]))
    assert not any(map(is_past_participle, ["red", "naked", "sacred", "hundred", "need", "bed", "indeed"]))


# --- adverbs -------------------------------------------------------------------------------


def test_adverb_is_flagged_with_a_delete_suggestion() -> None:
    text = "He quickly ran home."
    [f] = analyze(text)
    assert (f.start, f.end, f.matched) == (3, 10, "quickly")
    assert f.category == "adverb"
    assert f.rule == "style.adverb"
    assert f.level is Level.PICKY
    assert f.suggestions == ("",)
    assert f.message == "Adverb: a stronger verb usually reads better."


def test_adverb_deletion_is_not_offered_where_it_would_leave_debris() -> None:
    [start] = analyze("Quickly, he ran home.")
    assert start.matched == "Quickly" and start.suggestions == ()
    found = analyze("It ran smoothly, quietly.")
    assert [(f.matched, f.suggestions) for f in found] == [("smoothly", ()), ("quietly", ("",))]


@pytest.mark.parametrize(
    "text",
    [
        "My family is friendly and only likely to visit early.",
        "Send a reply and apply for the supply job.",
        "The holy, ugly, lonely, lovely, elderly man.",
        "We visited Italy with Kelly and Emily in July.",
        "It is really very good.",  # fillers belong to the phrase library
        "It actually probably works, basically.",
        "Additionally, it ultimately matters.",
        "She recently moved and currently works daily.",
        "A newly-built house.",
        "The bully ate jelly in the belly of the ship.",
    ],
)
def test_adverb_exclusions(text: str) -> None:
    assert matched(text, "adverb") == []


def test_skip_adverbs_extends_the_exclusions() -> None:
    text = "He quickly and quietly left."
    assert matched(text, "adverb") == ["quickly", "quietly"]
    custom = StyleAnalyzer(skip_adverbs=["Quickly"])
    assert [f.matched for f in custom.analyze(Chunk.of(text))] == ["quietly"]


# --- weasel words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "rule"),
    [
        ("Many people say coffee is healthy.", "Many people say", "people-say"),
        ("Experts agree that sleep matters.", "Experts agree", "experts"),
        ("Studies show that tea helps.", "Studies show", "studies"),
        ("Recent studies have shown a drop.", "Recent studies have shown", "studies"),
        ("It is said that he left.", "It is said", "it-is-said"),
        ("It is widely believed that tea helps.", "It is widely believed", "it-is-said"),
        ("Some would say otherwise.", "Some would say", "some-say"),
        ("Research suggests a link.", "Research suggests", "studies"),
        ("Everyone knows this.", "Everyone knows", "everyone-knows"),
    ],
)
def test_weasel_words_are_flagged(text: str, phrase: str, rule: str) -> None:
    found = analyze(text)
    [f] = [f for f in found if f.category == "weasel"]
    assert f.matched == phrase
    assert (f.start, f.end) == (text.index(phrase), text.index(phrase) + len(phrase))
    assert f.rule == f"style.weasel-{rule}"
    assert f.level is Level.RECOMMENDED
    assert f.suggestions == ()
    assert "source" in f.message or "Name" in f.message or "evidence" in f.message
    # No passive or adverb finding doubles up inside the weasel phrase.
    assert [g for g in found if g is not f and f.start <= g.start and g.end <= f.end] == []


@pytest.mark.parametrize(
    "text",
    [
        "Studies show that coffee helps (Smith, 2020).",
        "Research suggests [3] a link.",
        "Studies show a link (Jones et al.).",
        "Our studies show a link.",
        "These experts agree.",
        "We want some say in the matter.",
        "It is sunny.",
        "People who say so are wrong about it.",
        "According to Smith, studies show a link.",
        "It is known for its beaches.",
        "It was reported by the BBC on Monday.",
    ],
)
def test_not_weasel(text: str) -> None:
    assert matched(text, "weasel") == []


def test_citation_only_counts_in_the_same_sentence() -> None:
    text = "Studies show that tea helps. Smith (2020) disagrees."
    assert matched(text, "weasel") == ["Studies show"]


# --- offsets and robustness ----------------------------------------------------------------


def test_offsets_are_code_points_after_emoji_accents_and_cjk() -> None:
    prefix = "😀👍🏽 Café naïve 東京タワー e\u0301. "
    text = prefix + "Studies show the bridge was quickly built."
    found = analyze(text)
    assert [(f.category, f.matched) for f in found] == [
        ("weasel", "Studies show"),
        ("passive", "was quickly built"),
        ("adverb", "quickly"),
    ]
    for f in found:
        assert text[f.start : f.end] == f.matched
    assert found[0].start == len(prefix)


def test_findings_are_sorted() -> None:
    text = "It quickly ran. The cake was eaten. Experts agree. He slowly left. It was taken."
    found = analyze(text)
    assert len(found) == 5
    assert found == sorted(found, key=lambda f: (f.start, f.end, f.rule))
    assert {f.category for f in found} <= CATEGORIES


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "😀", "😀👍🏽🎉 🇫🇷", "is", "was ly", "東京"])
def test_degenerate_text_does_not_crash(text: str) -> None:
    assert analyze(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_findings_lie_inside_any_text(text: str) -> None:
    for f in analyze(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.matched


_PIECES = [
    "was",
    "is",
    "not",
    "quickly",
    "written",
    "studies",
    "show",
    "many",
    "people",
    "say",
    "😀",
    "é",
    "\n",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.sampled_from([" ", "  ", "\n", " \t"]))
def test_findings_lie_inside_wordy_text(pieces: list[str], sep: str) -> None:
    text = sep.join(pieces)
    found = analyze(text)
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.matched
    assert found == sorted(found, key=lambda f: (f.start, f.end, f.rule))
