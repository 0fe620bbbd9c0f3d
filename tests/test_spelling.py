"""SpellingAnalyzer: offline, exact offsets, few false alarms, a personal dictionary."""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.analyzer import Analyzer, Chunk
from companion.core.findings import Level
from companion.core.spelling import RULE, SpellingAnalyzer

log = logging.getLogger(__name__)

SPELLER = SpellingAnalyzer()


def flagged(text: str, analyzer: SpellingAnalyzer = SPELLER) -> list[str]:
    findings = analyzer.analyze(Chunk.of(text))
    assert all(text[f.start : f.end] == f.matched for f in findings)
    return [f.matched for f in findings]


def test_is_an_analyzer() -> None:
    assert isinstance(SPELLER, Analyzer)
    assert SPELLER.name == "spelling"
    assert SPELLER.status().available


def test_misspellings_with_exact_offsets_after_emoji_and_cjk() -> None:
    text = "🙂🙂 I recieve 日本語 mail 👍🏽👨‍👩‍👧 and teh rest."
    recieve, teh = SPELLER.analyze(Chunk.of(text))
    assert (recieve.start, recieve.end) == (5, 12)
    assert text[recieve.start : recieve.end] == recieve.matched == "recieve"
    assert text[teh.start : teh.end] == teh.matched == "teh"
    assert recieve.category == "spelling" and recieve.rule == RULE == "spelling.unknown-word"
    assert recieve.source == "spelling" and recieve.level is Level.ESSENTIAL
    assert recieve.message == "Possible spelling mistake: 'recieve'"
    assert recieve.suggestions[0] == "receive" and len(recieve.suggestions) <= 4
    assert teh.suggestions[0] == "the" and len(teh.suggestions) <= 4


@pytest.mark.parametrize(
    ("word", "best"),
    [
        ("definately", "definitely"),
        ("seperate", "separate"),
        ("occured", "occurred"),
        ("accomodate", "accommodate"),
        ("beleive", "believe"),
        ("dont", "don't"),
        ("embarassment", "embarrassment"),
    ],
)
def test_sensible_first_suggestion(word: str, best: str) -> None:
    (finding,) = SPELLER.analyze(Chunk.of(f"We {word} it."))
    assert finding.suggestions[0] == best


def test_sentence_start_is_checked_and_suggestions_keep_the_capital() -> None:
    (finding,) = SPELLER.analyze(Chunk.of("It works. Recieve it now."))
    assert finding.matched == "Recieve"
    assert finding.suggestions[0] == "Receive"


def test_unknown_part_of_a_hyphenated_compound() -> None:
    text = "A well-knwon and well-known, self-aware, multi-line fact."
    (finding,) = SPELLER.analyze(Chunk.of(text))
    assert (finding.matched, text[finding.start : finding.end]) == ("knwon", "knwon")
    assert finding.suggestions[0] == "known"


@pytest.mark.parametrize(
    "text",
    [
        "Yesterday I met Zelenskyy and Okonkwo in Kyiv.",  # names mid-sentence
        "The NASA and UNESCO teams shipped SDKs.",  # acronyms
        "Call getUserName on the iPhone or the McDonald menu.",  # camelCase, inner capitals
        "Use abc123, 4th, v2beta and 10x tools.",  # digits
        "See https://exmaple.com/recieve?teh=1 and www.exmaple.org/teh today.",  # URLs
        "Write to recieve.teh@exmaple.com today.",  # e-mail
        "Run `recieve --teh` in src/recieve_teh.py or C:\\recieve\\teh now.",  # code, paths
        "Ask @recieve about #teh and exmaple.com and notes.txt today.",  # handles, domains, files
        "It was John's idea and Zelenskyy's plan. Zelenskyy's team agreed.",  # possessives
        "He said xz, qq and zz.",  # one or two letters
        "Привет мир and 日本語のテキスト and Ελληνικά here.",  # other scripts
        "The colour of the centre was analysed; we travelled to the theatre catalogue.",  # British
        "Organisation and defence programmes realise favourite behaviour.",  # British
        "Podcasts, usernames, emojis and smartphones are words.",  # plurals, modern words
        "Don't, won't, they’re, it's, o'clock and rock'n'roll are fine.",  # contractions
        "A naïve café, a well-known self-aware co-operation and a multi-line pre-order.",
        "",
        "   \n  ",
    ],
)
def test_not_flagged(text: str) -> None:
    assert flagged(text) == []


def test_lowercase_possessive_of_a_misspelling_is_flagged() -> None:
    assert flagged("the compny's plan") == ["compny's"]


def test_long_words_are_flagged_without_slow_suggestions() -> None:
    word = "supercalifragilisticexpialidociousness"
    began = time.perf_counter()
    (finding,) = SPELLER.analyze(Chunk.of(f"It was {word} indeed."))
    assert finding.matched == word and finding.suggestions == ()
    assert time.perf_counter() - began < 0.5


# -- personal dictionary ---------------------------------------------------------------------------------


def test_personal_words_and_dictionary_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dictionary.txt"
    speller = SpellingAnalyzer(["Humanizr"], path)
    assert flagged("the humanizr app and a frobnicator", speller) == ["frobnicator"]

    speller.add_word("frobnicator")
    assert flagged("the humanizr app and a frobnicator", speller) == []
    assert path.read_text(encoding="utf-8") == "frobnicator\nHumanizr\n"
    assert [p.name for p in path.parent.iterdir()] == ["dictionary.txt"]  # no temporary file left

    reloaded = SpellingAnalyzer((), path)
    assert flagged("A Frobnicator frobnicator.", reloaded) == []
    assert reloaded.personal_words == ["frobnicator", "Humanizr"]


def test_add_word_keeps_words_another_process_saved(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.txt"
    speller = SpellingAnalyzer((), path)
    path.write_text("# my words\nglorp\n", encoding="utf-8")  # written elsewhere meanwhile
    speller.add_word("zorblax")
    assert path.read_text(encoding="utf-8").split() == ["glorp", "zorblax"]
    speller.remove_word("ZORBLAX")
    assert path.read_text(encoding="utf-8").split() == ["glorp"]
    assert flagged("a zorblax", speller) == ["zorblax"]


def test_add_word_rejects_non_words(tmp_path: Path) -> None:
    speller = SpellingAnalyzer((), tmp_path / "d.txt")
    for bad in ("", "  ", "two words", "line\nbreak"):
        with pytest.raises(ValueError, match="not a single word"):
            speller.add_word(bad)
    assert not (tmp_path / "d.txt").exists()


def test_unreadable_dictionary_file_is_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "dictionary.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    assert flagged("a recieve", SpellingAnalyzer((), path)) == ["recieve"]


# -- robustness and speed -------------------------------------------------------------------------------

_PROSE_PIECES = st.sampled_from([*"abcdeiorstTR '’-.,@/:_`\n3é日🙂", "👍🏽", "recieve", "Teh", "http://"])


@settings(max_examples=60, deadline=None)  # an unknown word's first suggestions may take ~0.1 s
@given(st.lists(_PROSE_PIECES, max_size=40).map("".join))
def test_any_text_gives_consistent_findings(text: str) -> None:
    for finding in SPELLER.analyze(Chunk.of(text)):
        assert text[finding.start : finding.end] == finding.matched
        assert finding.matched.strip() and len(finding.suggestions) <= 4


@pytest.mark.parametrize(
    ("word", "expected"),
    [("recieeve", "receive"), ("wierdd", "weird"), ("thnkng", "thinking"), ("tomrow", "tomorrow")],
)
def test_two_edits_away_when_nothing_is_one_edit_away(word: str, expected: str) -> None:
    from companion.core.spelling import _dictionary, _edits1, suggestions_for

    assert not any(w in _dictionary() for w in _edits1(word))  # really a distance-2 case
    assert expected in suggestions_for(word)


def test_suggestions_depend_on_the_word_alone() -> None:
    """No time budget: a long list of distance-2 words gets the same suggestions every time."""
    from companion.core import spelling

    words = ["recieeve", "wierdd", "thnkng", "tomrow", "xqzvbnmk", "neccesary", "becuz"] * 3
    text = " ".join(words) + "."
    first = [f.suggestions for f in SpellingAnalyzer().analyze(Chunk.of(text))]
    spelling._full_suggestions.clear()
    second = [f.suggestions for f in SpellingAnalyzer().analyze(Chunk.of(text))]
    assert first == second and first[0] == first[7] and "receive" in first[0]


def test_speed_over_ten_thousand_words() -> None:
    """A sanity check, not a timed assertion: the words/s figure is logged."""
    rng = random.Random(7)
    prose = (
        "the writer said that every paragraph should carry one idea and the reader "
        "would follow it without effort because short sentences help people who read "
        "quickly on small screens while longer ones give room for detail and nuance"
    )
    vocabulary = prose.split()
    words = [rng.choice(vocabulary) for _ in range(10_000)]
    for i in range(0, 10_000, 2_500):
        words[i] = "recieve"
    paragraphs = [" ".join(words[i : i + 100]) + "." for i in range(0, 10_000, 100)]
    chunks = [Chunk.of(p) for p in paragraphs]
    speller = SpellingAnalyzer()
    began = time.perf_counter()
    found = [f.matched for c in chunks for f in speller.analyze(c)]
    elapsed = time.perf_counter() - began
    assert found == ["recieve"] * 4
    log.info("spelling: 10,000 words in %.3f s (%.0f words/s)", elapsed, 10_000 / elapsed)
