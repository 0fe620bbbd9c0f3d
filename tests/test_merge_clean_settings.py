"""Overlap resolution, filters, edits and settings persistence."""

from __future__ import annotations

from pathlib import Path

from companion.core.clean import Edit, apply_edits, clean_edits, edit_for
from companion.core.findings import Finding, Level
from companion.core.merge import Filters, apply_filters, merge
from companion.core.settings import Settings, load_settings, save_settings


def f(start: int, end: int, source: str = "library", level: Level = Level.RECOMMENDED, **kw) -> Finding:
    kw.setdefault("category", "ai-ism" if source in ("library", "semantic") else source)
    kw.setdefault("rule", f"{source}.{start}-{end}")
    return Finding(start, end, message="m", source=source, level=level, **kw)


def test_longest_library_match_wins_and_library_beats_semantic() -> None:
    got = merge([f(0, 5), f(0, 12), f(3, 20, source="semantic"), f(30, 35, source="semantic")])
    assert [(x.start, x.end, x.source) for x in got] == [(0, 12, "library"), (30, 35, "semantic")]


def test_style_inside_phrase_is_dropped_but_readability_is_kept() -> None:
    got = merge(
        [f(0, 12), f(2, 6, source="style"), f(0, 40, source="readability"), f(20, 24, source="style")]
    )
    assert [(x.start, x.source) for x in got] == [(0, "library"), (0, "readability"), (20, "style")]


def test_spelling_shares_the_grammar_layer() -> None:
    # A misspelling inside a phrase is dropped like a grammar finding; where spelling and
    # grammar overlap, one underline (the longer) is kept; elsewhere each stays.
    phrase = [f(0, 12), f(2, 6, source="spelling")]
    overlap = [f(20, 30, source="grammar"), f(22, 26, source="spelling")]
    got = merge([*phrase, *overlap, f(40, 44, source="spelling")])
    assert [(x.start, x.source) for x in got] == [(0, "library"), (20, "grammar"), (40, "spelling")]


def test_filters_profile_rules_phrases_and_ranges() -> None:
    items = [
        f(0, 4, level=Level.PICKY),
        f(5, 9, rule="library.jargon.leverage", matched="leverage"),
        f(10, 14, rule="r", matched="Synergy"),
        f(20, 24, rule="x"),
    ]
    filters = Filters(
        profile=Level.RECOMMENDED,
        ignored_rules=frozenset({"library.jargon.leverage"}),
        ignored_phrases=frozenset({("r", "synergy")}),
        ignored_ranges=((22, 30),),
    )
    assert apply_filters(items, filters) == []
    assert len(apply_filters(items, Filters(profile=Level.PICKY))) == 4


def test_replacement_edit() -> None:
    text = "We leverage data."
    edit = edit_for(text, f(3, 11), "use")
    assert edit.apply(text) == "We use data."


def test_deleting_an_opener_capitalises_the_next_word() -> None:
    text = "Good. It is important to note that the data is late."
    start = text.index("It is")
    end = text.index(" the data")
    assert edit_for(text, f(start, end), "").apply(text) == "Good. The data is late."


def test_deleting_mid_sentence_tidies_commas_and_spaces() -> None:
    text = "The plan, basically, works."
    start = text.index("basically")
    assert edit_for(text, f(start, start + len("basically")), "").apply(text) == "The plan, works."
    text = "It works basically."
    start = text.index("basically")
    assert edit_for(text, f(start, start + len("basically")), "").apply(text) == "It works."


def test_clean_edits_skip_unsafe_and_overlapping() -> None:
    text = "aaaa bbbb cccc"
    items = [
        f(0, 4, suggestions=("A",), safe=True),
        f(2, 9, suggestions=("X",), safe=True),
        f(10, 14, source="semantic", suggestions=("C",), safe=True),
        f(5, 9, suggestions=("B",)),  # an entry not marked safe: needs a person
    ]
    edits = clean_edits(text, items)
    assert edits == [Edit(0, 4, "A")]
    assert apply_edits(text, edits) == "A bbbb cccc"


def test_settings_round_trip_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    s = Settings(profile="picky", ignored_phrases=['library.x\tsome "quoted" phrase'], debounce_ms=400)
    save_settings(s, path)
    loaded = load_settings(path)
    assert loaded.profile == "picky"
    assert loaded.debounce_ms == 400
    assert loaded.ignored_phrase_pairs() == {("library.x", 'some "quoted" phrase')}
    path.write_text('profile = "extreme"\n', encoding="utf-8")
    assert load_settings(path).profile == "recommended"
    path.write_text("not [toml", encoding="utf-8")
    assert load_settings(path) == Settings()
    path.write_text("debounce_ms = 'soon'\nsemantic = false\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.debounce_ms == 250 and loaded.semantic is False
