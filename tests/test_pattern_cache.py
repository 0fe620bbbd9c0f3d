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


_USER_ENTRY = """category = "jargon"
[[entry]]
id = "zorble"
patterns = ["{phrase}"]
alternatives = ["plan"]
explanation = "test"
level = "essential"
flag = ["We have a {phrase} here."]
pass = ["We have a plan here."]
"""


def test_the_compiled_library_is_reused_and_rebuilt_when_a_file_changes(tmp_path: Path, monkeypatch) -> None:
    from companion.core.library import compiled_cache
    from companion.core.library.model import load_library

    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(tmp_path / "cache"))
    user = tmp_path / "library"
    user.mkdir()
    (user / "mine.toml").write_text(_USER_ENTRY.format(phrase="zorble plan"), encoding="utf-8")
    first = load_library([user])
    assert (tmp_path / "cache" / "library-compiled.pickle").exists()
    parsed: list[object] = []
    monkeypatch.setattr("companion.core.library.model._parse_file", lambda *a: parsed.append(a) or [])
    again = load_library([user])  # from the cache: nothing parsed
    assert parsed == [] and again == first
    assert again.by_rule["library.jargon.zorble"].patterns == ("zorble plan",)
    monkeypatch.undo()
    monkeypatch.setenv("HUMANIZE_CACHE_DIR", str(tmp_path / "cache"))
    (user / "mine.toml").write_text(_USER_ENTRY.format(phrase="zorble scheme"), encoding="utf-8")
    changed = load_library([user])
    assert changed.by_rule["library.jargon.zorble"].patterns == ("zorble scheme",)
    (tmp_path / "cache" / "library-compiled.pickle").write_bytes(b"\x80garbage")
    assert compiled_cache.load("anything") is None
    assert load_library([user]) == changed  # a broken cache is rebuilt, not fatal
