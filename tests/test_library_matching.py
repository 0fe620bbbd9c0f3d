"""The pattern language, the matcher and how alternatives are fitted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.analyzer import Chunk
from companion.core.library.matcher import LibraryAnalyzer, fit_alternatives, match_case
from companion.core.library.model import load_library
from companion.core.library.patterns import PatternError, expand, parse, to_regex

ENTRY = """
category = "{category}"
[[entry]]
id = "{id}"
patterns = {patterns}
alternatives = {alternatives}
explanation = "Test entry."
level = "essential"
flag = ["x"]
pass = ["y"]
"""


def make_library(tmp_path: Path, **entries: tuple[list[str], list[str]]):
    body = ""
    for i, (name, (patterns, alts)) in enumerate(entries.items()):
        body += ENTRY.format(
            category="ai-ism", id=name, patterns=json.dumps(patterns), alternatives=json.dumps(alts)
        ).replace('category = "ai-ism"\n', "" if i else 'category = "ai-ism"\n')
    (tmp_path / "ai-ism.toml").write_text(body, encoding="utf-8")
    return load_library([tmp_path], bundled=False)


def findings(lib, text: str):
    return [(text[f.start : f.end], f.suggestions) for f in LibraryAnalyzer(lib).analyze(Chunk.of(text))]


def test_inflected_pattern_and_inflected_alternative(tmp_path: Path) -> None:
    lib = make_library(tmp_path, delve=(["[delve] into"], ["[dig] into"]))
    got = findings(lib, "We delve into it. She delves into it. They delved into it. Delving into it.")
    assert got == [
        ("delve into", ("dig into",)),
        ("delves into", ("digs into",)),
        ("delved into", ("dug into",)),
        ("Delving into", ("Digging into",)),
    ]


def test_slots_fill_alternatives(tmp_path: Path) -> None:
    lib = make_library(tmp_path, notonly=(["not only {1-3} but also {1-3}"], ["$1 and $2"]))
    assert findings(lib, "It is not only fast but also very cheap.") == [
        ("not only fast but also very cheap", ("fast and very cheap",))
    ]


def test_optional_and_alternation_tokens(tmp_path: Path) -> None:
    lib = make_library(tmp_path, role=(["[play] a|an crucial? role in"], ["[matter] in"]))
    got = findings(lib, "It plays a role in this. It played a crucial role in that.")
    assert [g[0] for g in got] == ["plays a role in", "played a crucial role in"]
    assert got[1][1] == ("mattered in",)


def test_word_boundaries_are_respected(tmp_path: Path) -> None:
    lib = make_library(tmp_path, synergy=(["synergy"], ["teamwork"]))
    assert findings(lib, "Synergy. synergyx. asynergy. The synergy's cost.") == [
        ("Synergy", ("Teamwork",)),
        ("synergy", ("teamwork",)),
    ]


def test_matching_ignores_case_curly_quotes_and_line_breaks(tmp_path: Path) -> None:
    lib = make_library(tmp_path, world=(["in today's fast-paced world"], ["today"]))
    text = "IN TODAY’S\nfast-paced   world"
    assert findings(lib, text) == [(text, ("Today",))]


def test_match_case() -> None:
    assert match_case("these days", "In today's world") == "These days"
    assert match_case("Today", "in today's world") == "today"
    assert match_case("use", "LEVERAGE") == "USE"
    assert match_case("I think", "we believe") == "I think"


def test_fit_alternatives_drops_no_op_and_duplicates() -> None:
    assert fit_alternatives(("use", "Use", "leverage"), "leverage", None) == ("use",)


def test_bad_patterns_are_rejected() -> None:
    for bad in ["", "[delve", "{0}", "a? b?", "{1-20}"]:
        with pytest.raises(PatternError):
            parse(bad)


def test_expansion_and_regex_agree_on_a_simple_pattern() -> None:
    tokens = parse("[leverage] the power of")
    literals = {lit.text for lit in expand(tokens)}
    assert {"leverage the power of", "leveraging the power of", "leveraged the power of"} <= literals


def test_regex_optional_last_token() -> None:
    import re

    regex, _ = to_regex(parse("as {1-3} continues to evolve further?"))
    assert re.search(regex, "as ai continues to evolve, we")
    assert re.search(regex, "as ai continues to evolve further now").group(0).endswith("further")


def test_malformed_library_file_names_file_and_entry_and_loads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "jargon.toml").write_text(
        'category = "jargon"\n'
        '[[entry]]\nid = "good"\npatterns = ["circle back"]\nalternatives = ["follow up"]\n'
        'explanation = "x"\nlevel = "essential"\nflag = ["a"]\npass = ["b"]\n'
        '[[entry]]\nid = "bad"\npatterns = ["[oops"]\nalternatives = ["x"]\n'
        'explanation = "x"\nlevel = "essential"\nflag = ["a"]\npass = ["b"]\n'
        '[[entry]]\nid = "nolevel"\npatterns = ["x y"]\nalternatives = ["x"]\n'
        'explanation = "x"\nflag = ["a"]\npass = ["b"]\n',
        encoding="utf-8",
    )
    (tmp_path / "cliche.toml").write_text("this is [not toml", encoding="utf-8")
    lib = load_library([tmp_path], bundled=False)
    assert [e.id for e in lib.entries] == ["good"]
    messages = [str(i) for i in lib.issues]
    assert any("cliche.toml" in m and "not valid TOML" in m for m in messages)
    assert any("jargon.toml: entry 'bad'" in m and "unbalanced bracket" in m for m in messages)
    assert any("entry 'nolevel'" in m and "missing level" in m for m in messages)


def test_user_entry_overrides_bundled_one(tmp_path: Path) -> None:
    (tmp_path / "ai-ism.toml").write_text(
        'category = "ai-ism"\n[[entry]]\nid = "delve"\npatterns = ["delve into"]\n'
        'alternatives = ["mine"]\nexplanation = "Mine."\nlevel = "picky"\nflag = ["a"]\npass = ["b"]\n',
        encoding="utf-8",
    )
    lib = load_library([tmp_path])
    entry = lib.by_rule["library.ai-ism.delve"]
    assert entry.alternatives == ("mine",)
    assert not [i for i in lib.issues if str(tmp_path) in i.path]


BUNDLED = LibraryAnalyzer(load_library())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_findings_stay_inside_arbitrary_text(text: str) -> None:
    for f in BUNDLED.analyze(Chunk.of(text)):
        assert 0 <= f.start < f.end <= len(text)
        assert f.matched == text[f.start : f.end]
