"""Parsers: one input file (name, decoded text) to documents of clean prose paragraphs."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from human_corpus.text import (
    BOILERPLATE,
    CUTOFF_YEAR,
    PG_SKIP_START,
    Doc,
    blocks,
    is_prose,
    normalize,
    prose_blocks,
    strip_gutenberg,
)


def parse_gutenberg(name: str, text: str) -> Iterable[Doc]:
    """A Gutenberg book as one document of prose paragraphs."""
    body = strip_gutenberg(text.replace("\r\n", "\n"))
    body = re.sub(r"(?<!\w)_([^_]+)_(?!\w)", r"\1", body)  # _italics_
    body = re.sub(r"\[\d+\]", "", body)  # footnote markers
    paragraphs = [
        p for p in prose_blocks(body) if not p.startswith(PG_SKIP_START) and not BOILERPLATE.search(p)
    ]
    yield name, paragraphs


# --------------------------------------------------------------------------- news


def parse_bbc(name: str, text: str) -> Iterable[Doc]:
    """BBC News 2004-05: first line is the headline, then one paragraph per block."""
    lines = text.replace("\r\n", "\n").split("\n", 1)
    yield name, prose_blocks(lines[1] if len(lines) > 1 else "")


_REUTERS_DOC = re.compile(r'<REUTERS[^>]*NEWID="(\d+)"[^>]*>(.*?)</REUTERS>', re.DOTALL)
_REUTERS_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)


def parse_reuters(name: str, text: str) -> Iterable[Doc]:
    """Reuters-21578 SGML: one document per story; indented lines open paragraphs."""
    for match in _REUTERS_DOC.finditer(text):
        body = _REUTERS_BODY.search(match.group(2))
        if not body:
            continue
        story = html.unescape(body.group(1)).replace("\x03", "")
        story = re.sub(r"\s*\bReuter\s*$", "", story.strip("\n"))
        chunks = re.split(r"\n(?=[ \t]+\S)", story)
        paragraphs = [normalize(c) for c in chunks]
        yield f"{name}#{match.group(1)}", [p for p in paragraphs if is_prose(p)]


# --------------------------------------------------------------------------- forums and Q&A

_QUOTE_LINE = re.compile(r"^\s*(?:>|\||:|[A-Za-z]{1,3}>)")
_ATTRIBUTION = re.compile(r"(?:writes|wrote|says|said)\s*:\s*$|^\s*In article\b", re.IGNORECASE)
_PGP = re.compile(r"-----BEGIN PGP.*?-----END PGP[^\n]*", re.DOTALL)


def newsgroup_body(raw: str) -> str:
    """Drop headers, quoted text, attributions, PGP blocks and the signature of a Usenet post."""
    text = raw.replace("\r\n", "\n")
    if "\n" not in text.strip() and "\t" in text:
        text = text.replace("\t", "\n")  # this mirror stores one post per line, tabs for newlines
    _, _, body = text.partition("\n\n")
    body = _PGP.sub("", body)
    kept: list[str] = []
    for line in body.split("\n"):
        if re.match(r"^--\s*$", line):
            break
        if _QUOTE_LINE.match(line) or _ATTRIBUTION.search(line):
            kept.append("")
            continue
        kept.append(line)
    return "\n".join(kept)


def parse_newsgroup(name: str, text: str) -> Iterable[Doc]:
    """A 20 Newsgroups post with only the author's own prose."""
    yield name, prose_blocks(newsgroup_body(text))


class ProseHTML(HTMLParser):
    """Collects the text of block elements, skipping code, tables, quotes and navigation."""

    SKIP = frozenset({"pre", "script", "style", "table", "blockquote", "head", "title", "nav"})
    BLOCK = frozenset("p div li dd dt h1 h2 h3 h4 h5 h6 br hr ul ol dl section body td th".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self._skip_depth = 0

    def _flush(self) -> None:
        text = normalize("".join(self._buffer))
        self._buffer = []
        if text:
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip_depth += 1
        elif tag in self.BLOCK and not self._skip_depth:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self.BLOCK and not self._skip_depth:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(markup: str) -> list[str]:
    """Prose paragraphs of an HTML fragment or page."""
    parser = ProseHTML()
    parser.feed(markup)
    parser.close()
    paragraphs = (re.sub(r"\s*\[\d+\]", "", p).strip() for p in parser.paragraphs)
    return [p for p in paragraphs if is_prose(p)]


def parse_html_page(name: str, text: str) -> Iterable[Doc]:
    """An HTML manual page as one document."""
    yield name, html_paragraphs(text)


def parse_stackexchange(name: str, text: str) -> Iterable[Doc]:
    """Stack Exchange Posts.xml: questions and answers created before the cut-off year."""
    root = ET.fromstring(text.lstrip("\ufeff"))
    for row in root.iter("row"):
        created = row.get("CreationDate", "")
        if row.get("PostTypeId") not in {"1", "2"} or not created[:4].isdigit():
            continue
        if int(created[:4]) >= CUTOFF_YEAR:
            continue
        yield f"{name}#{row.get('Id')}", html_paragraphs(row.get("Body", ""))


# --------------------------------------------------------------------------- academic

_SECTION = re.compile(r'<SECTION title="([^"]*)"[^>]*>(.*?)</SECTION>', re.DOTALL)
_ABSTRACT = re.compile(r"<ABSTRACT>(.*?)</ABSTRACT>", re.DOTALL)
_SENTENCE = re.compile(r"<S [^>]*>(.*?)</S>", re.DOTALL)
_SKIP_SECTION = re.compile(r"reference|acknowledg|bibliograph|appendix", re.IGNORECASE)
_ACL_ID = re.compile(r"([A-Z])(\d{2})-\d{4}")


def acl_year(paper_id: str) -> int | None:
    """Publication year from an ACL Anthology identifier such as P05-1013."""
    match = _ACL_ID.match(paper_id)
    if not match:
        return None
    year = int(match.group(2))
    return 1900 + year if year >= 60 else 2000 + year


def group_sentences(sentences: list[str], target: int = 90) -> list[str]:
    """Join consecutive sentences into paragraph-sized chunks of about ``target`` words."""
    chunks: list[str] = []
    current: list[str] = []
    for sentence in sentences:
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= target:
            chunks.append(" ".join(current))
            current = []
    if current:
        chunks.append(" ".join(current))
    return chunks


def section_sentences(markup: str) -> list[str]:
    """Clean sentences of one section; sentences dense with symbols (maths, tables) are dropped."""
    sentences = []
    for raw in _SENTENCE.findall(markup):
        sentence = normalize(html.unescape(html.unescape(raw)))
        if "\ufffd" in sentence or len(sentence.split()) < 4:
            continue
        chars = [c for c in sentence if not c.isspace()]
        if sum(c.isalpha() for c in chars) >= 0.75 * len(chars):
            sentences.append(sentence)
    return sentences


def parse_acl_paper(name: str, text: str) -> Iterable[Doc]:
    """A CL-SciSumm reference paper (sentence-split ACL Anthology XML) before the cut-off year."""
    paper_id = Path(name).stem
    year = acl_year(paper_id)
    if year is None or year >= CUTOFF_YEAR:
        return
    paragraphs: list[str] = []
    abstract = _ABSTRACT.search(text)
    if abstract:
        paragraphs.extend(group_sentences(section_sentences(abstract.group(1)), target=10_000))
    for title, body in _SECTION.findall(text):
        if not _SKIP_SECTION.search(title):
            paragraphs.extend(group_sentences(section_sentences(body)))
    yield paper_id, [p for p in paragraphs if is_prose(p)]


# --------------------------------------------------------------------------- reStructuredText

_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}\s*$")
_DIRECTIVE = re.compile(r"^\s*\.\.\s+([\w:-]+)::")
_KEEP_DIRECTIVES = frozenset(
    "note warning tip important seealso versionadded versionchanged deprecated admonition attention"
    " caution hint topic sidebar rubric".split()
)
_BULLET = re.compile(r"^\s*(?:[*+\-]|#\.|\d+\.|\(\d+\))\s+")
_FIELD = re.compile(r"^\s*:[\w .-]+:(?:\s|$)")
_TABLE = re.compile(r"^\s*(?:\+[-=+]+\+?|\|.*\||=+(?:\s+=+)+)\s*$")
_INLINE = (
    (re.compile(r":[\w:.+-]+:`~?!?([^`<]*?)\s*<[^`>]*>`"), r"\1"),
    (re.compile(r":[\w:.+-]+:`[~!]?(?:[\w.]*\.)?([^`]+)`"), r"\1"),
    (re.compile(r"``([^`]+)``"), r"\1"),
    (re.compile(r"`([^`<]+?)\s*<[^`>]+>`_{1,2}"), r"\1"),
    (re.compile(r"`([^`]+)`_{0,2}"), r"\1"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)\*([^*\s][^*]*)\*(?!\w)"), r"\1"),
    (re.compile(r"\s*\[(?:#|\d+|\*)\w*\]_"), ""),
    (re.compile(r"\|([\w -]+)\|"), r"\1"),
)


def rst_inline(text: str) -> str:
    """Replace inline reST markup with its visible text."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\s*::$", ":", text)
    return text.replace(" ::", "")


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def rst_line(line: str, following: str) -> tuple[str, bool]:
    """What one reST line adds to the prose, and whether the indented block after it is skipped."""
    directive = _DIRECTIVE.match(line)
    if directive:
        return "", directive.group(1) not in _KEEP_DIRECTIVES
    if line.lstrip().startswith(".. "):  # comment or link target
        return "", True
    if any(p.match(line) for p in (_UNDERLINE, _TABLE, _FIELD)) or _UNDERLINE.match(following):
        return "", False
    if line.rstrip().endswith("::"):  # paragraph introducing a literal block
        return line.rstrip()[:-1], True
    return line, False


def rst_lines(text: str) -> Iterator[str]:
    """Drop literal blocks, non-prose directives, comments, tables and titles from reST source."""
    lines = text.replace("\r\n", "\n").split("\n")
    skip_indent: int | None = None
    for index, line in enumerate(lines):
        if skip_indent is not None:
            if not line.strip() or indent_of(line) > skip_indent:
                yield ""
                continue
            skip_indent = None
        prose, skip_block = rst_line(line, lines[index + 1] if index + 1 < len(lines) else "")
        if skip_block:
            skip_indent = indent_of(line)
        yield prose


def parse_rst(name: str, text: str) -> Iterable[Doc]:
    """A reStructuredText documentation page as one document."""
    paragraphs: list[str] = []
    for block in blocks("\n".join(rst_lines(text))):
        items: list[list[str]] = []
        for line in block:
            if _BULLET.match(line) or not items:
                items.append([_BULLET.sub("", line)])
            else:
                items[-1].append(line)
        for item in items:
            paragraph = normalize(rst_inline(" ".join(s.strip() for s in item)))
            if is_prose(paragraph):
                paragraphs.append(paragraph)
    yield name, paragraphs
