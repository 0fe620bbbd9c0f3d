"""Every library entry flags its own 'flag' examples and leaves its 'pass' examples alone."""

from __future__ import annotations

import pytest

from companion.core.analyzer import Chunk
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library, with_hidden

# Entries measured as no tell ("off") are never matched in use; their examples still hold.
LIBRARY = with_hidden(load_library())
ANALYZER = LibraryAnalyzer(LIBRARY)


def test_bundled_library_loads_cleanly() -> None:
    assert LIBRARY.issues == ()


def test_library_is_large_enough_and_covers_every_category() -> None:
    categories = {e.category for e in LIBRARY.entries}
    assert len(LIBRARY.entries) >= 400
    assert {"ai-ism", "jargon", "wordy", "cliche", "hedge", "filler", "transition", "structure"} <= categories


@pytest.mark.parametrize("entry", LIBRARY.entries, ids=lambda e: e.rule)
def test_entry_examples(entry) -> None:
    assert entry.flag and entry.passes, "every entry needs examples"
    for sentence in entry.flag:
        rules = {f.rule for f in ANALYZER.analyze(Chunk.of(sentence))}
        assert entry.rule in rules, f"{entry.rule} should flag: {sentence!r}"
    for sentence in entry.passes:
        hits = [f for f in ANALYZER.analyze(Chunk.of(sentence)) if f.rule == entry.rule]
        assert not hits, f"{entry.rule} should leave alone: {sentence!r} (matched {hits[0].matched!r})"


@pytest.mark.parametrize("entry", LIBRARY.entries, ids=lambda e: e.rule)
def test_entry_alternatives_fit(entry) -> None:
    """Each flag example yields at least one usable, distinct suggestion or a deletion."""
    for sentence in entry.flag:
        found = [f for f in ANALYZER.analyze(Chunk.of(sentence)) if f.rule == entry.rule]
        for finding in found:
            assert finding.suggestions, f"{entry.rule}: no suggestion for {finding.matched!r}"
            for s in finding.suggestions:
                assert "$" not in s and "[" not in s, f"{entry.rule}: unfilled template {s!r}"
