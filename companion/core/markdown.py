"""Parts of a Markdown text that are not prose and must never be flagged.

Block structure (fenced and indented code, HTML blocks, reference definitions, the
lines of each paragraph, heading and table row) comes from markdown-it-py, whose
tokens carry source line numbers. Inside those lines a small left-to-right scanner
finds inline code, autolinks, HTML and link destinations with CommonMark's
precedence (a code span that starts first wins over a link, and vice versa).
Front matter is found by hand, as CommonMark has no notion of it.

Every offset is a code point in the original text: markdown-it only rewrites line
endings, which we map back through our own table of line starts.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from markdown_it import MarkdownIt

log = logging.getLogger(__name__)

_MD = (
    MarkdownIt("commonmark", options_update={"inline_definitions": True})
    .enable("table")
    .disable("inline")  # block structure is all we need; inline tokens keep their line maps
)

_NEWLINE = re.compile(r"\r\n|\r|\n")
_FRONT_MATTER_OPEN = re.compile(r"\ufeff?(---|\+\+\+)[ \t]*$")
_FRONT_MATTER_CLOSE = {"---": ("---", "..."), "+++": ("+++",)}

# Inline scanner: the first of these at the leftmost position decides what comes next.
_INLINE = re.compile(
    r"""
      (?P<esc>\\[!-/:-@\[-`{-~])
    | (?P<ticks>`+)
    | (?P<lt><)
    | (?P<dest>\]\()
    | (?P<ref>\]\[)
    | (?P<url>(?<![^\s*_~(\["'])(?:(?:https?|ftp)://|www\.)[^\s<>]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Inside HTML blocks only tags, comments and bare URLs mean anything.
_HTML_BLOCK_SCAN = re.compile(
    r"(?P<lt><)|(?P<url>(?<![^\s*_~(\[\"'=])(?:(?:https?|ftp)://|www\.)[^\s<>\"']+)", re.IGNORECASE
)
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_HTML = re.compile(
    r"""<(?:
        !--[\s\S]*?--> | !-->  | !--->
      | \?[\s\S]*?\?>
      | !\[CDATA\[[\s\S]*?\]\]>
      | ![A-Za-z][^>]*>
      | /[A-Za-z][A-Za-z0-9-]*\s*>
      | [A-Za-z][A-Za-z0-9-]*
        (?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*
        \s*/?>
    )""",
    re.VERBOSE,
)
_EOL = r"[ \t]*(?:\r\n|\r|\n)?[ \t]*"
# What follows "](": destination, optional title, closing parenthesis.
_LINK_TAIL = re.compile(
    _EOL
    + r"""(?P<dest><(?:[^<>\r\n\\]|\\.)*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""
    + r"(?:"
    + _EOL
    + r"""(?P<title>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?"""
    + _EOL
    + r"\)",
    re.DOTALL,
)
_REF_LABEL = re.compile(r"(?:[^\[\]\\]|\\.){1,999}\]", re.DOTALL)
_REF_DEFINITION = re.compile(r"\[(?:[^\[\]\\]|\\.){1,999}\]:", re.DOTALL)
_RAW_HTML_BLOCK = re.compile(
    r"[ \t]*(?:<(?:script|pre|style|textarea)(?:[\s>]|$)|<\?|<![A-Za-z\[]|<!--)", re.I
)
_URL_TRAILING = "?!.,:*_~'\""


def ignored_ranges(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``(start, end)`` code-point ranges of ``text`` that aren't prose.

    Covered: front matter (``---``/``+++``), fenced and indented code, inline code,
    autolinks, bare ``http(s)://``/``ftp://``/``www.`` URLs, link and image
    destinations and titles (their text stays checked), reference labels and
    definitions, HTML tags, comments and raw ``<script>``/``<style>``/``<pre>`` blocks.
    """
    lines = _lines(text)
    ranges: list[tuple[int, int]] = []
    front = _front_matter(text, lines)
    source = text
    if front:
        ranges.append((lines[0][0], lines[front - 1][1]))
        source = "\n" * front + text[lines[front][0] :] if front < len(lines) else "\n" * front
    seen_inline: set[tuple[int, int]] = set()
    for token in _MD.parse(source):
        if token.map is None:
            continue
        first, last = token.map
        if last <= first or first >= len(lines):
            continue
        start, end = lines[first][0], lines[min(last, len(lines)) - 1][1]
        if token.type in ("fence", "code_block"):
            ranges.append((start, end))
        elif token.type == "html_block":
            if _RAW_HTML_BLOCK.match(text, start, end):
                ranges.append((start, end))
            else:
                ranges.extend(_scan(text, start, end, _HTML_BLOCK_SCAN))
        elif token.type == "definition":
            match = _REF_DEFINITION.search(text, start, end)
            if match:
                ranges.append((match.start(), end))
        elif token.type == "inline" and (first, last) not in seen_inline:
            seen_inline.add((first, last))
            ranges.extend(_scan(text, start, end, _INLINE))
    return _merge(ranges)


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line, line break excluded, split the way markdown-it does."""
    spans = []
    pos = 0
    for match in _NEWLINE.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return spans


def _front_matter(text: str, lines: list[tuple[int, int]]) -> int:
    """How many lines the front matter takes (0 if there is none)."""
    opening = _FRONT_MATTER_OPEN.match(text, *lines[0])
    if not opening or len(lines) < 3 or not text[slice(*lines[1])].strip():
        return 0
    closers = _FRONT_MATTER_CLOSE[opening.group(1)]
    for i in range(1, len(lines)):
        if text[slice(*lines[i])].rstrip(" \t") in closers:
            return i + 1
    return 0


def _scan(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Non-prose ranges inside ``text[start:end]``, scanning left to right."""
    found: list[tuple[int, int]] = []
    pos = start
    while (match := pattern.search(text, pos, end)) is not None:
        kind = match.lastgroup
        at = match.start()
        pos = match.end()
        if kind == "ticks":
            closing = _closing_ticks(len(match.group())).search(text, pos, end)
            if closing:
                found.append((at, closing.end()))
                pos = closing.end()
        elif kind == "lt":
            tag = _AUTOLINK.match(text, at, end) or _HTML.match(text, at, end)
            if tag:
                found.append((at, tag.end()))
                pos = tag.end()
        elif kind == "dest":
            tail = _LINK_TAIL.match(text, pos, end)
            if tail:
                for group in ("dest", "title"):
                    if tail.group(group):
                        found.append(tail.span(group))
                pos = tail.end()
            else:
                pos = at + 1
        elif kind == "ref":
            label = _REF_LABEL.match(text, pos, end)
            if label:
                found.append((pos, label.end() - 1))
                pos = label.end()
            else:
                pos = at + 1
        elif kind == "url":
            url_end = at + _trim_url(match.group())
            if url_end > at + 4:
                found.append((at, url_end))
            pos = max(url_end, at + 1)
    return found


@lru_cache(maxsize=32)
def _closing_ticks(count: int) -> re.Pattern[str]:
    return re.compile(rf"(?<!`)`{{{count}}}(?!`)")


def _trim_url(url: str) -> int:
    """Length of ``url`` without the trailing punctuation GFM leaves out of bare links."""
    end = len(url)
    while end:
        last = url[end - 1]
        unbalanced = last == ")" and url.count(")", 0, end) > url.count("(", 0, end)
        if last in _URL_TRAILING or unbalanced:
            end -= 1
        elif last == ";" and (entity := re.search(r"&[A-Za-z0-9]+;$", url[:end])):
            end = entity.start()
        else:
            break
    return end


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
