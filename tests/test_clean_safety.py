"""Cleaning never damages a sentence: guards, protected text, and clean(clean(x)) == clean(x)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.core.checker import Checker
from companion.core.clean_guard import harper_count, protected_ranges, refusal
from companion.core.cleaning import clean_document_text
from companion.core.engine import EngineOptions, build_analyzers, filters_from
from companion.core.library.model import load_library
from companion.core.segment import sentences
from companion.core.sentence_checks import problems
from companion.core.settings import Settings

LIBRARY = load_library()
ARTICLES = sorted(
    (Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "dev" / "articles").glob("*.txt")
)
GRAMMAR = harper_count()
FAST = EngineOptions(semantic=False, grammar="off", spelling=False)


def checker(profile: str) -> Checker:
    settings = Settings(profile=profile)
    return Checker(build_analyzers(settings, FAST, LIBRARY), filters_from(settings))


CHECKERS = {p: checker(p) for p in ("essential", "recommended", "picky")}


@pytest.mark.parametrize(
    ("sentence", "start_word", "end_word", "replacement"),
    [
        # The reported breakages: each is refused.
        (
            "AI is revolutionizing industries and unlocking new possibilities.",
            "unlocking",
            "possibilities",
            "making the most of",
        ),
        ("Each approach has its own pros and cons.", "has", "cons", ""),
        ("There are several factors involved.", "There", "involved", ""),
        ("We want to leverage the benefits of automation.", "the", "of", "the the benefits of"),
    ],
)
def test_a_change_that_breaks_its_sentence_is_refused(
    sentence: str, start_word: str, end_word: str, replacement: str
) -> None:
    start = sentence.index(start_word)
    end = sentence.index(end_word) + len(end_word)
    assert refusal(sentence, start, end, replacement, GRAMMAR)


def test_a_change_that_reads_well_is_allowed() -> None:
    text = "Moreover, the plan plays a crucial role in our success."
    start = text.index("plays")
    end = text.index(" in our") + len(" in")
    assert refusal(text, start, end, "matters in", GRAMMAR) == ""


@pytest.mark.skipif(GRAMMAR is None, reason="the offline grammar engine is not installed")
def test_a_change_that_adds_a_grammar_error_is_refused() -> None:
    text = "She should have known better."
    start = text.index("have")
    assert "grammar" in refusal(text, start, start + 4, "of", GRAMMAR)


@pytest.mark.parametrize(
    "text",
    [
        "Read https://example.com/blog/how-ai-will-leverage-tech-synergies today.",
        "Write to leverage.synergies@example.org about it.",
        "Run `leverage synergies` in the shell.",
        "---\ntitle: Leverage synergies\n---\nWe wrote this.",
        "See blog/2024/leverage-synergies-in-tech for more.",
    ],
)
def test_urls_emails_code_and_front_matter_are_never_cleaned(text: str) -> None:
    cleaned = clean_document_text(CHECKERS["picky"], text, grammar=GRAMMAR)
    for start, end in protected_ranges(text):
        assert text[start:end] in cleaned


def test_a_sentence_like_happy_reading_is_not_deleted_whole() -> None:
    text = "That is all for today. Happy reading! Here's how. Are you ready to start?"
    cleaned = clean_document_text(CHECKERS["picky"], text, grammar=GRAMMAR)
    for s in sentences(cleaned):
        assert s.text(cleaned).strip()
    assert len(sentences(cleaned)) == len(sentences(text))


@pytest.mark.parametrize("profile", ["essential", "recommended", "picky"])
def test_cleaning_the_benchmark_texts_is_idempotent_and_breaks_no_sentence(profile: str) -> None:
    assert len(ARTICLES) >= 30
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        once = clean_document_text(CHECKERS[profile], text, grammar=GRAMMAR)
        assert clean_document_text(CHECKERS[profile], once, grammar=GRAMMAR) == once, path.name
        before = {s.text(text).strip() for s in sentences(text)}
        for s in sentences(once):
            changed = s.text(once).strip()
            if changed and changed not in before:
                assert not problems(changed) or _had_same_problems(changed, text), (path.name, changed)


def _had_same_problems(changed: str, original: str) -> bool:
    """A changed sentence may keep a problem its original already had (we only refuse new ones)."""
    wanted = set(problems(changed))
    return any(wanted <= set(problems(s.text(original).strip())) for s in sentences(original))


PIECES = [e.flag[0] for e in LIBRARY.entries[::25]] + [
    "🙂",
    "日本語。",
    "e\u0301 ",
    "\n\n",
    " ",
    "- item\n",
    "x.",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8), st.sampled_from(sorted(CHECKERS)))
def test_clean_is_idempotent_on_generated_text(pieces: list[str], profile: str) -> None:
    text = " ".join(pieces)
    once = clean_document_text(CHECKERS[profile], text, grammar=GRAMMAR)
    assert clean_document_text(CHECKERS[profile], once, grammar=GRAMMAR) == once
