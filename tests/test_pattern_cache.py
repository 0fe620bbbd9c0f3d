"""Regex facts learned once and kept across runs: same answers, bad regexes never cached."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from companion.core.library.pattern_cache import PatternCache
from companion.core.library.prefilter import required_literals


def test_needs_match_the_prefilter_and_survive_a_restart(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "patterns.json"
    pattern = r"\bmy (?:training data|knowledge cut-?off)\b"
    first = PatternCache(path)
    assert first.needs(pattern, re.IGNORECASE) == required_literals(pattern, re.IGNORECASE)
    first.save()
    assert path.exists()
    second = PatternCache(path)
    calls: list[str] = []
    monkeypatch.setattr(re, "compile", lambda *a, **k: calls.append(a[0]))  # must not be needed
    assert second.needs(pattern, re.IGNORECASE) == required_literals(pattern, re.IGNORECASE)
    assert calls == []


def test_a_bad_regex_raises_every_time_and_is_never_cached(tmp_path: Path) -> None:
    cache = PatternCache(tmp_path / "patterns.json")
    for _ in range(2):
        with pytest.raises(re.error):
            cache.needs(r"\b(unclosed", 0)
    cache.save()
    assert not (tmp_path / "patterns.json").exists()


def test_an_unreadable_cache_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "patterns.json"
    path.write_text("{not json", encoding="utf-8")
    assert PatternCache(path).needs("plain words", 0) == frozenset({"plain words"})
