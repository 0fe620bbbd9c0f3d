"""Word classes in patterns, measured levels, and promotion of clustered tells."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from companion.core.analyzer import Chunk
from companion.core.density import is_cluster, settle_levels, tell_count
from companion.core.findings import Finding, Level
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import (
    Library,
    _parse_entry,
    _with_measured_level,
    bundled_dir,
    load_library,
    measured_levels,
)
from companion.core.library.patterns import PatternError, parse, word_classes


def _entry(patterns: list[str], level: str = "recommended", **extra: object):
    item = {
        "id": "t",
        "patterns": patterns,
        "alternatives": ["x"],
        "explanation": "test",
        "level": level,
        "flag": ["a"],
        "pass": ["b"],
        **extra,
    }
    return _parse_entry(item, "jargon", "test.toml")


def test_word_class_token_matches_every_member_and_inflection() -> None:
    entry = _entry(["<hype-verb> the way {1-2}"])
    analyzer = LibraryAnalyzer(Library((entry,)))
    for text, hit in [
        ("AI is reshaping the way we work.", "reshaping the way we work"),
        ("It revolutionized the way people shop.", "revolutionized the way people shop"),
        ("She knew the way home.", None),
    ]:
        found = [text[m.start : m.end] for m in analyzer.matches(text)]
        assert found == ([hit] if hit else [])


def test_class_combines_with_words_and_optional() -> None:
    entry = _entry(["a|an <inflated-adjective> <frame-noun>"])
    analyzer = LibraryAnalyzer(Library((entry,)))
    assert analyzer.matches("We built a robust framework for it.")
    assert analyzer.matches("They offer an end-to-end solution.")
    assert not analyzer.matches("We built a wooden framework for it.")


def test_unknown_word_class_is_a_pattern_error() -> None:
    with pytest.raises(PatternError, match="unknown word class"):
        parse("<no-such-class> thing")


def test_word_classes_are_not_empty() -> None:
    classes = word_classes()
    assert {"abstract-noun", "inflated-adjective", "frame-noun", "hype-verb"} <= set(classes)
    assert all(len(words) >= 10 for words in classes.values())


def test_measured_level_applies_only_to_the_measured_patterns(tmp_path: Path) -> None:
    entry = _entry(["synergize"], level="recommended")
    path = tmp_path / "measured.json"
    path.write_text(
        json.dumps({"entries": {entry.rule: {"fingerprint": entry.fingerprint, "level": "picky"}}}),
        encoding="utf-8",
    )
    measured = measured_levels(path)
    moved = _with_measured_level(entry, measured)
    assert moved.level is Level.PICKY and moved.authored_level is Level.RECOMMENDED
    changed = _entry(["synergize", "synergise"], level="recommended")
    assert _with_measured_level(changed, measured).level is Level.RECOMMENDED


def test_unreadable_measurements_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "measured.json"
    path.write_text("{not json", encoding="utf-8")
    assert measured_levels(path) == {}


def test_measurements_cover_the_bundled_library() -> None:
    """measured.json is regenerated whenever an entry's patterns change."""
    if not (bundled_dir() / "measured.json").exists():
        pytest.skip("no measurements yet")
    measured = measured_levels()
    library = load_library()
    stale = [e.rule for e in library.entries if measured.get(e.rule, ("",))[0] != e.fingerprint]
    assert len(stale) <= len(library.entries) // 50, f"stale measurements: {stale[:10]}"


def _finding(start: int, end: int, level: Level, category: str = "ai-ism") -> Finding:
    return Finding(start, end, category, f"library.{category}.r{start}", "m", ("x",), "library", 1.0, level)


def test_overlapping_tells_count_once() -> None:
    fs = [_finding(0, 10, Level.PICKY), _finding(5, 12, Level.PICKY), _finding(20, 25, Level.PICKY)]
    assert tell_count(fs) == 2


def test_picky_tells_are_promoted_where_they_cluster() -> None:
    paragraph = " ".join(["word"] * 60)
    stacked = [_finding(i * 10, i * 10 + 4, Level.PICKY) for i in range(4)]
    assert is_cluster(paragraph, stacked)
    promoted = settle_levels(paragraph, stacked)
    assert all(f.level is Level.RECOMMENDED for f in promoted)
    assert "cluster" in promoted[0].message


def test_a_lone_picky_tell_stays_picky() -> None:
    paragraph = " ".join(["word"] * 60)
    one = [_finding(0, 4, Level.PICKY), _finding(10, 14, Level.ESSENTIAL)]
    assert settle_levels(paragraph, one) == one
    long_paragraph = " ".join(["word"] * 400)
    sparse = [_finding(i * 100, i * 100 + 4, Level.PICKY) for i in range(3)]
    assert settle_levels(long_paragraph, sparse) == sparse


def test_non_phrasing_findings_are_never_promoted() -> None:
    paragraph = " ".join(["word"] * 30)
    fs = [_finding(i * 10, i * 10 + 4, Level.PICKY) for i in range(3)]
    style = replace(_finding(40, 44, Level.PICKY), category="passive", source="style")
    out = settle_levels(paragraph, [*fs, style])
    assert out[-1].level is Level.PICKY


def test_checker_shows_clustered_picky_phrasing_at_the_default_profile() -> None:
    from companion.core.checker import Checker
    from companion.core.merge import Filters

    library = load_library()
    picky = [e for e in library.entries if e.level is Level.PICKY and e.flag]
    assert picky, "the library has picky entries"
    analyzer = LibraryAnalyzer(library)
    sentence = picky[0].flag[0]
    lone = Checker([analyzer], Filters()).check(sentence)
    assert not any(f.rule == picky[0].rule for f in lone.findings)
    stacked = " ".join(e.flag[0] for e in picky[:6])
    report = Checker([analyzer], Filters()).check(stacked)
    assert any(f.level is Level.RECOMMENDED and "cluster" in f.message for f in report.findings)
    assert Chunk.of(stacked).text == stacked


def test_a_pattern_that_spells_out_too_much_is_reported_not_fatal(tmp_path: Path) -> None:
    huge = " ".join(["a|b|c|d|e"] * 5)  # 3,125 spellings
    (tmp_path / "jargon.toml").write_text(
        f'[[entry]]\nid = "huge"\npatterns = ["{huge}"]\nalternatives = ["x"]\n'
        'explanation = "e"\nlevel = "picky"\nflag = ["a a a a a"]\npass = ["z"]\n',
        encoding="utf-8",
    )
    library = load_library([tmp_path], bundled=False)
    assert library.entries == ()
    assert "spellings" in library.issues[0].message
    LibraryAnalyzer(library)  # builds without raising


def test_an_entry_measured_as_no_tell_is_never_matched(tmp_path: Path) -> None:
    entry = _entry(["very"], level="picky")
    path = tmp_path / "measured.json"
    path.write_text(
        json.dumps({"entries": {entry.rule: {"fingerprint": entry.fingerprint, "level": "off"}}}),
        encoding="utf-8",
    )
    hidden = _with_measured_level(entry, measured_levels(path))
    assert hidden.hidden
    assert not LibraryAnalyzer(Library((hidden,))).matches("It was very cold.")
    from companion.core.library.model import with_hidden

    assert LibraryAnalyzer(with_hidden(Library((hidden,)))).matches("It was very cold.")
