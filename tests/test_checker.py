"""The checker end to end on the fast analyzers: offsets, caching, failures, cleaning."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.analyzer import Chunk
from companion.core.checker import Checker
from companion.core.clean import apply_edits, clean_edits
from companion.core.findings import AnalyzerStatus, Finding, Level
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.merge import Filters
from companion.core.readability import ReadabilityAnalyzer
from companion.core.style import StyleAnalyzer

LIBRARY = load_library()


def fast_checker(**filters) -> Checker:
    return Checker([LibraryAnalyzer(LIBRARY), StyleAnalyzer(), ReadabilityAnalyzer()], Filters(**filters))


CHECKER = fast_checker()
PICKY = fast_checker(profile=Level.PICKY)

SEED = (
    "In today's fast-paced world, businesses must leverage synergies to stay ahead. "
    "Moreover, it is important to note that communication plays a crucial role in success. "
    "Let's delve into the key takeaways and unlock the full potential of our team."
)


@pytest.mark.parametrize(
    "prefix", ["", "🙂🙂 ", "Café naïve. ", "日本語の文です。", "e\u0301e\u0301 ", "👩‍👩‍👧 "]
)
def test_offsets_land_on_the_phrase_after_emoji_accents_cjk_and_combining_marks(prefix: str) -> None:
    text = prefix + "We must leverage synergies."
    found = {text[f.start : f.end] for f in CHECKER.check(text).findings}
    assert {"leverage", "synergies"} <= found or "leverage synergies" in found


def test_seed_paragraph_is_flagged_like_a_careful_editor_would() -> None:
    report = CHECKER.check(SEED)
    flagged = {SEED[f.start : f.end].lower() for f in report.findings if f.is_robotic}
    for phrase in ["in today's fast-paced world", "plays a crucial role in", "delve into"]:
        assert any(phrase in f for f in flagged), (phrase, flagged)
    assert all(f.suggestions for f in report.findings if f.source == "library")
    assert report.stats.robotic_score > 70
    human = "I fed the cat, burned the toast, and missed the bus. Again. Tomorrow I'll set two alarms."
    assert CHECKER.check(human).stats.robotic_score < 40


def test_no_two_phrasing_underlines_overlap() -> None:
    report = PICKY.check(SEED * 3)
    phrasing = [f for f in report.findings if f.source in ("library", "semantic")]
    for a, b in itertools.pairwise(phrasing):
        assert a.end <= b.start


def test_profiles_show_more_as_they_get_pickier() -> None:
    counts = [len(fast_checker(profile=lv).check(SEED).findings) for lv in Level]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_ignored_rule_and_phrase() -> None:
    rule = "library.ai-ism.fast-paced-world"
    assert rule not in {f.rule for f in fast_checker(ignored_rules=frozenset({rule})).check(SEED).findings}
    phrase = frozenset({("*", "in today's fast-paced world")})
    assert rule not in {f.rule for f in fast_checker(ignored_phrases=phrase).check(SEED).findings}


class Exploding:
    name = "exploding"

    def status(self) -> AnalyzerStatus:
        return AnalyzerStatus(True)

    def analyze(self, chunk: Chunk) -> list[Finding]:
        raise RuntimeError("boom")


class Counting(LibraryAnalyzer):
    calls = 0

    def analyze(self, chunk: Chunk) -> list[Finding]:
        Counting.calls += 1
        return super().analyze(chunk)


def test_a_crashing_analyzer_does_not_stop_the_others() -> None:
    checker = Checker([Exploding(), LibraryAnalyzer(LIBRARY)])
    report = checker.check(SEED)
    assert any(f.source == "library" for f in report.findings)
    status = report.analyzers["exploding"]
    assert not status.available and "boom" in status.reason


def test_unchanged_paragraphs_are_not_analyzed_again() -> None:
    checker = Checker([Counting(LIBRARY)])
    text = "First paragraph we leverage.\n\nSecond one delves into it."
    checker.check(text)
    assert Counting.calls == 2
    checker.check(text.replace("First", "Changed"))
    assert Counting.calls == 3


def test_clean_is_idempotent_and_removes_what_it_can() -> None:
    once = apply_edits(SEED, clean_edits(SEED, CHECKER.check(SEED).findings))
    twice = apply_edits(once, clean_edits(once, CHECKER.check(once).findings))
    assert once != SEED
    assert "fast-paced" not in once and "Moreover" not in once
    # "Let's delve into" is a structure: rewriting it needs a person, so clean leaves it.
    assert "Let's delve into" in once
    assert twice == once


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([SEED, "🙂", "日本語", "e\u0301", "\n\n", " ", "- item", "# Head\n", "x"]), max_size=8
    ),
    st.text(max_size=80),
)
def test_findings_stay_inside_any_text(pieces: list[str], noise: str) -> None:
    text = noise.join(pieces) + noise
    report = PICKY.check(text)
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.matched == "" or f.matched == text[f.start : f.end]


class SlowGrammar:
    """A stand-in named "grammar" (so it runs on its own thread) that flags every "the"."""

    name = "grammar"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.threads: set[str] = set()

    def status(self) -> AnalyzerStatus:
        return AnalyzerStatus(True)

    def analyze(self, chunk: Chunk) -> list[Finding]:
        import threading

        self.threads.add(threading.current_thread().name)
        if self.fail:
            raise RuntimeError("server fell over")
        return [
            Finding(i, i + 3, "grammar", "grammar.the", "the", (), "grammar", matched="the")
            for i in range(len(chunk.text))
            if chunk.text.startswith("the", i)
        ]


def test_grammar_runs_beside_the_others_with_the_same_findings_in_the_same_order() -> None:
    import threading

    text = "\n\n".join(f"Paragraph {i}: the plan is to leverage the synergy." for i in range(30))
    grammar = SlowGrammar()
    together = Checker([LibraryAnalyzer(LIBRARY), grammar, StyleAnalyzer()]).check_paragraphs(
        text.split("\n\n")
    )
    assert grammar.threads and threading.current_thread().name not in grammar.threads
    alone = [
        a + b + c
        for a, b, c in zip(
            Checker([LibraryAnalyzer(LIBRARY)]).check_paragraphs(text.split("\n\n")),
            Checker([SlowGrammar()]).check_paragraphs(text.split("\n\n")),
            Checker([StyleAnalyzer()]).check_paragraphs(text.split("\n\n")),
            strict=True,
        )
    ]
    assert together == alone and all(any(f.source == "grammar" for f in p) for p in together)


def test_a_failing_grammar_thread_is_reported_and_the_rest_stand() -> None:
    checker = Checker([LibraryAnalyzer(LIBRARY), SlowGrammar(fail=True)])
    report = checker.check(SEED)
    assert any(f.source == "library" for f in report.findings)
    assert "server fell over" in report.analyzers["grammar"].reason
