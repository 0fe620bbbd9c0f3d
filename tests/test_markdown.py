"""Markdown regions that must never be flagged, with exact code-point offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.markdown import ignored_ranges


def ignored(text: str) -> list[str]:
    return [text[s:e] for s, e in ignored_ranges(text)]


def test_plain_prose_has_nothing_ignored() -> None:
    text = "# A heading\n\nIn today's fast-paced world, *we* leverage synergy.\n\n- a list item\n"
    assert ignored_ranges(text) == []


def test_empty_text() -> None:
    assert ignored_ranges("") == []


def test_yaml_front_matter() -> None:
    text = "---\ntitle: Delve into it\ntags: [x]\n---\n\nBody text.\n"
    assert ignored(text) == ["---\ntitle: Delve into it\ntags: [x]\n---"]


def test_toml_front_matter_with_crlf() -> None:
    text = '+++\r\ntitle = "x"\r\n+++\r\nBody.\r\n'
    assert ignored(text) == ['+++\r\ntitle = "x"\r\n+++']


def test_yaml_front_matter_may_close_with_dots() -> None:
    text = "---\nkey: value\n...\nBody.\n"
    assert ignored(text) == ["---\nkey: value\n..."]


@pytest.mark.parametrize(
    "text",
    [
        "Intro\n---\nkey: value\n---\n",  # not at the start
        "---\n\nA paragraph after a rule.\n\n---\n",  # blank line after the opener
        "---\nnever closed\n",
    ],
)
def test_not_front_matter(text: str) -> None:
    assert not any(t.startswith("---") for t in ignored(text))


def test_fenced_code_blocks() -> None:
    text = "Before.\n\n```python\nleverage = 1\n```\n\n~~~\ndelve\n~~~\n\nAfter.\n"
    assert ignored(text) == ["```python\nleverage = 1\n```", "~~~\ndelve\n~~~"]


def test_unclosed_fence_runs_to_the_end() -> None:
    text = "Prose.\n\n```\ncode\nmore code"
    assert ignored(text) == ["```\ncode\nmore code"]


def test_indented_code_block() -> None:
    text = "Prose here.\n\n    indented = code\n    more\n\nProse again.\n"
    assert ignored(text) == ["    indented = code\n    more"]


def test_fence_inside_list_and_quote() -> None:
    text = "- item\n\n  ```\n  code\n  ```\n\n> quoted `span` text\n"
    assert ignored(text) == ["  ```\n  code\n  ```", "`span`"]


def test_inline_code_spans() -> None:
    text = "Run `make test` or ``a ` tick`` then go.\n"
    assert ignored(text) == ["`make test`", "``a ` tick``"]


@pytest.mark.parametrize("text", ["An ``unmatched` run.\n", "Some \\`escaped\\` ticks.\n"])
def test_unmatched_and_escaped_backticks_are_prose(text: str) -> None:
    assert ignored_ranges(text) == []


def test_code_span_wins_over_link_that_starts_later() -> None:
    text = "[not a `link](/foo`) here\n"
    assert ignored(text) == ["`link](/foo`"]


def test_link_text_is_checked_only_the_url_is_ignored() -> None:
    text = 'See [our robust guide](https://example.com/guide?x=1 "A title") today.\n'
    assert ignored(text) == ["https://example.com/guide?x=1", '"A title"']
    assert "our robust guide" not in "".join(ignored(text))


def test_link_destinations_in_angle_brackets_and_with_parentheses() -> None:
    text = "[a](<my file.md>) and [b](https://en.wikipedia.org/wiki/Foo_(bar)).\n"
    assert ignored(text) == ["<my file.md>", "https://en.wikipedia.org/wiki/Foo_(bar)"]


def test_image_source_is_ignored_alt_text_is_not() -> None:
    text = "![A chart that delves](img/chart.png)\n"
    assert ignored(text) == ["img/chart.png"]


def test_code_span_inside_link_text() -> None:
    text = "[`run()` now](http://x.org)\n"
    assert ignored(text) == ["`run()`", "http://x.org"]


def test_bare_urls_without_trailing_punctuation() -> None:
    text = "Visit https://example.com/path, or www.example.org. (see http://a.b/c)\n"
    assert ignored(text) == ["https://example.com/path", "www.example.org", "http://a.b/c"]


def test_words_containing_www_or_http_are_prose() -> None:
    assert ignored_ranges("The awww.moment and xhttp://nope are odd.\n") == []


def test_autolinks_and_email_autolinks() -> None:
    text = "Mail <me@example.com> or open <https://example.com/a>.\n"
    assert ignored(text) == ["<me@example.com>", "<https://example.com/a>"]


def test_reference_definitions_and_labels() -> None:
    text = 'Read [the docs][docs-ref] now.\n\n[docs-ref]: https://docs.example.com "Docs"\n'
    assert ignored(text) == ["docs-ref", '[docs-ref]: https://docs.example.com "Docs"']


def test_html_tags_and_comments() -> None:
    text = 'Some <span class="x">robust</span> text <!-- a\nnote --> end.\n'
    assert ignored(text) == ['<span class="x">', "</span>", "<!-- a\nnote -->"]


def test_html_block_keeps_its_prose_but_not_its_tags() -> None:
    text = '<div align="center">\nWe delve into it.\n</div>\n'
    assert ignored(text) == ['<div align="center">', "</div>"]


def test_raw_html_blocks_and_block_comments_are_ignored_whole() -> None:
    text = "<script>\nlet robust = 1;\n</script>\n\n<!--\nhidden draft\n-->\n\nProse.\n"
    assert ignored(text) == ["<script>\nlet robust = 1;\n</script>", "<!--\nhidden draft\n-->"]


def test_table_cells() -> None:
    text = "| name | value |\n|---|---|\n| `key` | http://t.co/x |\n"
    assert ignored(text) == ["`key`", "http://t.co/x"]


def test_offsets_are_code_points_after_emoji_and_accents() -> None:
    text = "👍🏽 Café — run `npm install` then see https://ex.com/é 🎉.\n"
    ranges = ignored_ranges(text)
    assert [text[s:e] for s, e in ranges] == ["`npm install`", "https://ex.com/é"]
    assert ranges[0][0] == text.index("`")


def test_offsets_exact_with_crlf_and_emoji() -> None:
    text = "---\r\na: 1\r\n---\r\n🙂 Line one.\r\n\r\n```\r\ncode\r\n```\r\n🙂🙂 `x` and [t](u)\r\n"
    assert ignored(text) == ["---\r\na: 1\r\n---", "```\r\ncode\r\n```", "`x`", "u"]


def test_old_mac_line_endings() -> None:
    text = "Prose.\r\r```\rcode\r```\r\rMore `x`.\r"
    assert ignored(text) == ["```\rcode\r```", "`x`"]


_MARKDOWNISH = st.lists(
    st.sampled_from([*"ab `<>[]()!:/.-*_~#|>\\\"'\n", "\r\n", "    ", "http://", "www.", "```", "😀"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKDOWNISH)
def test_ranges_are_sorted_disjoint_and_in_bounds(text: str) -> None:
    ranges = ignored_ranges(text)
    previous_end = -1
    for start, end in ranges:
        assert 0 <= start < end <= len(text)
        assert start > previous_end
        previous_end = end


@settings(max_examples=300, deadline=None)
@given(_MARKDOWNISH)
def test_crlf_text_ignores_the_same_things(text: str) -> None:
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    crlf = lf.replace("\n", "\r\n")
    assert [t.replace("\r\n", "\n") for t in ignored(crlf)] == ignored(lf)
