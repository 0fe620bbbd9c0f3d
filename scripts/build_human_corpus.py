#!/usr/bin/env python3
"""Rebuild the human-written reference corpus used to measure false flags.

Every text in the corpus was written before 2020. The corpus is never committed: this script
rebuilds it from pinned public sources into ``<out>/<genre>/<source-slug>.txt`` (plain prose
paragraphs of at least 25 words, separated by blank lines) and writes ``<out>/manifest.json``.

Inputs:

* GitHub repositories are read from snapshot mirrors (bare git directories) under
  ``--mirror-root`` (default ``/work/.mirror``), as ``<owner>+<name>/repo``; each source is
  pinned to a commit. Missing mirrors are reported by name and the build goes on without them.
* Debian packages are fetched with ``apt-get download`` and unpacked with ``dpkg-deb -x``.
* PyPI source distributions are fetched with ``pip download --no-deps --no-binary :all:``.

Only the standard library is used; git, apt-get, dpkg-deb and pip are called as tools.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import logging
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

LOG = logging.getLogger("build_human_corpus")

DEFAULT_OUT = Path.home() / ".cache" / "humanize-eval" / "human"
DEFAULT_MIRROR_ROOT = Path("/work/.mirror")
MIN_WORDS = 25
MAX_WORDS = 800
CUTOFF_YEAR = 2020
PIP_DOWNLOAD = (sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--quiet")

Doc = tuple[str, list[str]]
"""A document: an identifier and its cleaned paragraphs."""

Parser = Callable[[str, str], Iterable[Doc]]
"""Turns one input file (name, decoded text) into documents."""


# --------------------------------------------------------------------------- paragraph filters

_BOILERPLATE = re.compile(
    r"gutenberg|e-?book|e-?text|small print|this header|donation|copyright laws", re.IGNORECASE
)
_CODE_CHARS = set("{}[]<>=;$\\|#@~^`")


def normalize(text: str) -> str:
    """Collapse whitespace and normalise Unicode to NFC."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def is_prose(paragraph: str) -> bool:
    """Keep paragraphs of running prose: long enough, mostly letters, not shouting, not code."""
    words = paragraph.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return False
    chars = [c for c in paragraph if not c.isspace()]
    letters = sum(c.isalpha() for c in chars)
    if letters < 0.72 * len(chars):
        return False
    if sum(c.isupper() for c in chars) > 0.4 * letters:
        return False
    return sum(c in _CODE_CHARS for c in chars) <= 0.02 * len(chars)


def looks_like_verse(lines: list[str]) -> bool:
    """Short-line blocks (verse, lists, tables, signatures) are not prose paragraphs."""
    lines = [ln for ln in lines if ln.strip()]
    if len(lines) < 3:
        return False
    return sum(len(ln.strip()) for ln in lines) / len(lines) < 42


def blocks(text: str) -> list[list[str]]:
    """Split text into blocks of lines separated by blank lines."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def prose_blocks(text: str) -> list[str]:
    """Blank-line separated blocks that pass the prose filters."""
    paragraphs = []
    for block in blocks(text):
        if looks_like_verse(block):
            continue
        paragraph = normalize(" ".join(block))
        if is_prose(paragraph):
            paragraphs.append(paragraph)
    return paragraphs


def decode(data: bytes) -> str:
    """Decode UTF-8, falling back to Latin-1 for the older data sets."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# --------------------------------------------------------------------------- Project Gutenberg

_PG_START = re.compile(
    r"^\*{3} ?START OF (?:THIS|THE) PROJECT GUTENBERG.*$|^\*END\*THE SMALL PRINT.*$",
    re.IGNORECASE | re.MULTILINE,
)
_PG_END = re.compile(
    r"^\*{3} ?END OF (?:THIS|THE) PROJECT GUTENBERG|^End of (?:the )?Project Gutenberg"
    r"|^The Project Gutenberg Etext of",
    re.IGNORECASE | re.MULTILINE,
)
_PG_SKIP_START = ("[Footnote", "[Illustration", "[Transcriber", "CHAPTER", "Footnote")


def strip_gutenberg(text: str) -> str:
    """Cut the Project Gutenberg header and licence footer off a plain-text e-book."""
    start = _PG_START.search(text, 0, len(text) // 2)
    body_from = start.end() if start else 0
    end = _PG_END.search(text, max(body_from + 1, len(text) // 2))
    return text[body_from : end.start() if end else len(text)]


def parse_gutenberg(name: str, text: str) -> Iterable[Doc]:
    """A Gutenberg book as one document of prose paragraphs."""
    body = strip_gutenberg(text.replace("\r\n", "\n"))
    body = re.sub(r"(?<!\w)_([^_]+)_(?!\w)", r"\1", body)  # _italics_
    body = re.sub(r"\[\d+\]", "", body)  # footnote markers
    paragraphs = [
        p for p in prose_blocks(body) if not p.startswith(_PG_SKIP_START) and not _BOILERPLATE.search(p)
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


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class GitInput:
    """Files at a pinned commit of a GitHub repository, read from its local mirror."""

    repo: str
    commit: str
    paths: tuple[str, ...]
    """Exact file paths, or folder prefixes ending in '/'."""
    pattern: str = r".*"
    """Regular expression a file path must match (applied to prefix listings)."""

    def mirror_name(self) -> str:
        return self.repo.replace("/", "+")


@dataclass(frozen=True)
class DebianInput:
    """Files inside a Debian binary package."""

    package: str
    version: str
    pattern: str


@dataclass(frozen=True)
class PypiInput:
    """Files inside a PyPI source distribution."""

    project: str
    version: str
    pattern: str


@dataclass(frozen=True)
class Source:
    slug: str
    genre: str
    description: str
    licence: str
    years: str
    cap: int
    """Most words taken from this source."""
    inputs: GitInput | DebianInput | PypiInput
    parser: Parser


@dataclass(frozen=True)
class Book:
    """A Project Gutenberg e-text kept in a GITenberg repository."""

    slug: str
    genre: str
    title: str
    years: str
    repo: str
    commit: str
    path: str

    def source(self) -> Source:
        return Source(
            slug=self.slug,
            genre=self.genre,
            description=f"{self.title} (Project Gutenberg e-text via GITenberg)",
            licence="Public domain in the USA (Project Gutenberg licence boilerplate stripped)",
            years=self.years,
            cap=BOOK_CAPS[self.genre],
            inputs=GitInput(f"GITenberg/{self.repo}", self.commit, (self.path,)),
            parser=parse_gutenberg,
        )


BOOK_CAPS = {"fiction": 40_000, "essays_letters": 50_000}

# fmt: off
BOOKS: tuple[Book, ...] = (
    # slug, genre, title, years, GITenberg repository, commit, file
    Book("austen-pride-and-prejudice", "fiction",
         "Jane Austen, Pride and Prejudice", "1813",
         "Pride-and-Prejudice_1342",
         "81db45c9c48c592f0b77f01fc59e677ad0a5634e", "1342-0.txt"),
    Book("melville-moby-dick", "fiction",
         "Herman Melville, Moby-Dick", "1851",
         "Moby-Dick--Or-The-Whale_2701",
         "bdf1948e6cd00963730971e5624e764a35f238c3", "2701-0.txt"),
    Book("eliot-middlemarch", "fiction",
         "George Eliot, Middlemarch", "1871-1872",
         "Middlemarch_145",
         "39add53d31f10ba5cecdcbe8c095f90b25fd4b3f", "145.txt"),
    Book("london-call-of-the-wild", "fiction",
         "Jack London, The Call of the Wild", "1903",
         "The-Call-of-the-Wild_215",
         "c1fcf9ec7af90edd09a7a2d3b6f1354b153494d0", "215-0.txt"),
    Book("wharton-house-of-mirth", "fiction",
         "Edith Wharton, The House of Mirth", "1905",
         "The-House-of-Mirth_284",
         "d7d6c9a3af8bb46224293854c97d8d0c927ea111", "284.txt"),
    Book("forster-room-with-a-view", "fiction",
         "E. M. Forster, A Room with a View", "1908",
         "A-Room-with-a-View_2641",
         "90bad31bed449399805e2362384131a48cf52826", "2641-0.txt"),
    Book("joyce-dubliners", "fiction",
         "James Joyce, Dubliners", "1914",
         "Dubliners_2814",
         "05bf50571cba48fc1db1f1c0fe0f663269cb241b", "2814-0.txt"),
    Book("wharton-age-of-innocence", "fiction",
         "Edith Wharton, The Age of Innocence", "1920",
         "The-Age-of-Innocence_541",
         "28e8179a3fc40a92d4eadbaf33a45aa6ec2c895c", "541.txt"),
    Book("lewis-main-street", "fiction",
         "Sinclair Lewis, Main Street", "1920",
         "Main-Street_543",
         "c09303360dde2c0bcf4c183670ced35a20f1bcc1", "543-0.txt"),
    Book("crevecoeur-letters-american-farmer", "essays_letters",
         "Crevecoeur, Letters from an American Farmer (intro. by W. B. Blake)", "1782, 1912",
         "Letters-from-an-American-Farmer_4666",
         "a4d859608c4af2fb615a4f52596175300c72a0a3", "4666.txt"),
    Book("thoreau-walden", "essays_letters",
         "Henry David Thoreau, Walden and Civil Disobedience", "1849-1854",
         "Walden-and-On-The-Duty-Of-Civil-Disobedience_205",
         "0efbef2325160440b0a7ca7e5130ef566a969985", "205-0.txt"),
    Book("beethoven-letters-vol2", "essays_letters",
         "Beethoven's Letters 1790-1826, vol. 2 (tr. Lady Wallace)", "1790-1826, tr. 1866",
         "Beethoven-s-Letters-1790-1826-Volume-2_13272",
         "3484c039b1416cf01897f8b517ab0228bb642fae", "13272.txt"),
    Book("stevenson-virginibus-puerisque", "essays_letters",
         "Robert Louis Stevenson, Virginibus Puerisque and Other Papers", "1881",
         "Virginibus-Puerisque-and-Other-Papers_386",
         "74d04fc405d623dd1cff550ea8ddae120ed314d8", "386-0.txt"),
    Book("dubois-souls-of-black-folk", "essays_letters",
         "W. E. B. Du Bois, The Souls of Black Folk", "1903",
         "The-Souls-of-Black-Folk_408",
         "3cea9665d80cf2b395bb7ed79e76d06459628aa0", "408.txt"),
    Book("chesterton-heretics", "essays_letters",
         "G. K. Chesterton, Heretics", "1905",
         "Heretics_470",
         "ff64f0a524719381d7bb216646c296774631b8db", "470.txt"),
    Book("chesterton-orthodoxy", "essays_letters",
         "G. K. Chesterton, Orthodoxy", "1908",
         "Orthodoxy_130",
         "5cace3ff86c29787cbd9a15c73200c9e2184b8b5", "130.txt"),
    Book("russell-proposed-roads-to-freedom", "essays_letters",
         "Bertrand Russell, Proposed Roads to Freedom", "1918",
         "Proposed-Roads-to-Freedom_690",
         "54cd377d91c2cf74659bb0c88ec0ef9d1a1cce13", "690.txt"),
)
# fmt: on

SOURCES: tuple[Source, ...] = (
    *(book.source() for book in BOOKS),
    # journalism
    Source(
        slug="bbc-news-2004-2005",
        genre="news",
        description="BBC News articles, 5 topics (Greene & Cunningham, ICML 2006)",
        licence="Copyright BBC; distributed by UCD for research use",
        years="2004-2005",
        cap=220_000,
        inputs=GitInput(
            "dejanbatanjac/bbc-article-classify-bert",
            "8265dc84e88b82b87ce7f5b2df5bbbb1159ae922",
            ("bbc/",),
            r"bbc/\w+/\d+\.txt$",
        ),
        parser=parse_bbc,
    ),
    Source(
        slug="reuters-21578",
        genre="news",
        description="Reuters-21578 newswire stories (Lewis, Distribution 1.0)",
        licence="Copyright Reuters Ltd.; free distribution for research purposes only",
        years="1987",
        cap=120_000,
        inputs=GitInput(
            "loki86/ksr_zadanie1V2",
            "d16457fd9d6d2b623fffc163746092b89a6e2fef",
            ("",),
            r"reut2-0(?:0[0-24-9]|1\d|20)\.sgm$",
        ),
        parser=parse_reuters,
    ),
    # technical documentation
    Source(
        slug="django-2.2-docs",
        genre="technical",
        description="Django 2.2 documentation (reST sources in the sdist, release notes excluded)",
        licence="BSD-3-Clause (Django Software Foundation)",
        years="2005-2019",
        cap=180_000,
        inputs=PypiInput("Django", "2.2", r"^[^/]+/docs/(?!releases/|man/)[\w/.-]+\.txt$"),
        parser=parse_rst,
    ),
    Source(
        slug="flask-1.0.2-docs",
        genre="technical",
        description="Flask 1.0.2 documentation (reST sources in the sdist)",
        licence="BSD-3-Clause (Pallets)",
        years="2010-2018",
        cap=60_000,
        inputs=PypiInput("Flask", "1.0.2", r"^[^/]+/docs/[\w/.-]+\.rst$"),
        parser=parse_rst,
    ),
    Source(
        slug="securing-debian-manual",
        genre="technical",
        description="Securing Debian Manual 3.19 (harden-doc, English HTML)",
        licence="GPL-2+ (Javier Fernández-Sanguino Peña et al.)",
        years="2001-2018",
        cap=90_000,
        inputs=DebianInput("harden-doc", "3.19+nmu1", r"html/en-US/(?!changelog)[\w.-]+\.html$"),
        parser=parse_html_page,
    ),
    Source(
        slug="lua-5.1-reference-manual",
        genre="technical",
        description="Lua 5.1 Reference Manual (lua5.1-doc)",
        licence="MIT (Lua.org, PUC-Rio)",
        years="2006-2012",
        cap=30_000,
        inputs=DebianInput("lua5.1-doc", "5.1.5-9", r"doc/(?:manual|readme)\.html$"),
        parser=parse_html_page,
    ),
    # forums and Q&A
    Source(
        slug="20-newsgroups-bydate",
        genre="forum_qa",
        description="20 Newsgroups, bydate version (Usenet posts; headers, quotes, signatures removed)",
        licence="No explicit licence; posts by their authors; widely redistributed for research use",
        years="1993",
        cap=250_000,
        inputs=GitInput(
            "spoddutur/spark-ml-dashboard",
            "d95a19293f4cca408ae9c889921b91287f1514ba",
            ("data/",),
            r"data/20news-bydate-(?:train|test)/[\w.-]+/\d+$",
        ),
        parser=parse_newsgroup,
    ),
    Source(
        slug="beer-stackexchange",
        genre="forum_qa",
        description="Beer, Wine & Spirits Stack Exchange questions and answers (2017 data dump, Posts.xml)",
        licence="CC BY-SA 3.0 (Stack Exchange user contributions)",
        years="2014-2017",
        cap=80_000,
        inputs=GitInput(
            "kevswanberg/beer_tentrr", "9573647bff33c61bdce2f07a9000a4098fd3074d", ("Posts.xml",)
        ),
        parser=parse_stackexchange,
    ),
    Source(
        slug="coffee-stackexchange",
        genre="forum_qa",
        description="Coffee Stack Exchange questions and answers (2015 data dump, Posts.xml)",
        licence="CC BY-SA 3.0 (Stack Exchange user contributions)",
        years="2015",
        cap=30_000,
        inputs=GitInput(
            "Yoav-Shafir/Elasticsearch-Coffee-Search-Engine-JS",
            "97e93c92aaa379fed6d0ee9be94b2024371d6aba",
            ("Posts.xml",),
        ),
        parser=parse_stackexchange,
    ),
    Source(
        slug="datascience-stackexchange",
        genre="forum_qa",
        description="Data Science Stack Exchange meta posts (2017 data dump, Posts.xml)",
        licence="CC BY-SA 3.0 (Stack Exchange user contributions)",
        years="2014-2017",
        cap=20_000,
        inputs=GitInput(
            "stat4decision/python-avr2017", "52f505dc61b5dcba3234045b9a194119e19b883a", ("Posts.xml",)
        ),
        parser=parse_stackexchange,
    ),
    # academic
    Source(
        slug="acl-anthology-scisummnet",
        genre="academic",
        description="ACL Anthology papers, full text (CL-SciSumm 2019 / ScisummNet reference papers)",
        licence="CC BY 4.0 (CL-SciSumm corpus); papers © ACL, ACL Anthology terms",
        years="1980-2013",
        cap=340_000,
        inputs=GitInput(
            "WING-NUS/scisumm-corpus",
            "1dd68e44df5c94cc767cc301cd04e61c52e4bf68",
            ("data/Training-Set-2019/Task1/",),
            r"/Reference_XML/[A-Z]\d{2}-\d{4}\.xml$",
        ),
        parser=parse_acl_paper,
    ),
)


# --------------------------------------------------------------------------- fetching inputs


class MissingSource(Exception):
    """An input that is not available on this machine."""


def run(cmd: list[str], cwd: Path | None = None, data: bytes | None = None) -> bytes:
    """Run a command and return its standard output, raising MissingSource on failure."""
    LOG.debug("running %s", " ".join(cmd))
    try:
        result = subprocess.run(cmd, cwd=cwd, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise MissingSource(f"cannot run {cmd[0]}: {exc}") from exc
    if result.returncode:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise MissingSource(f"{' '.join(cmd[:3])} failed: {message[-1] if message else result.returncode}")
    return result.stdout


def resolve_commit(git_dir: Path, commit: str) -> str:
    git = ["git", f"--git-dir={git_dir}", "rev-parse", "--verify"]
    try:
        return run([*git, f"{commit}^{{commit}}"]).decode().strip()
    except MissingSource:
        head = run([*git, "HEAD"]).decode().strip()
        LOG.warning("%s: pinned commit %s absent; using the snapshot's HEAD %s", git_dir, commit, head)
        return head


@dataclass(frozen=True)
class GitMirror:
    """A bare git directory brought by the snapshot tool."""

    git_dir: Path
    commit: str

    @classmethod
    def open(cls, root: Path, spec: GitInput) -> GitMirror:
        """The mirror of ``spec.repo`` at its pinned commit (or, if that is absent, the snapshot's HEAD)."""
        base = root / spec.mirror_name()
        for candidate in (base / "repo" / ".git", base / "repo", base):
            if (candidate / "objects").is_dir():
                return cls(candidate, resolve_commit(candidate, spec.commit))
        raise MissingSource(
            f"no mirror of github:{spec.repo} at {base} (fetch it; pinned commit {spec.commit})"
        )

    def git(self, *args: str, data: bytes | None = None) -> bytes:
        return run(["git", f"--git-dir={self.git_dir}", *args], data=data)

    def list_files(self, prefix: str) -> list[str]:
        args = ["ls-tree", "-r", "--name-only", self.commit]
        return self.git(*args, *([prefix] if prefix else [])).decode().splitlines()

    def read_many(self, paths: list[str]) -> Iterator[tuple[str, bytes]]:
        """Read blobs in one ``git cat-file --batch`` call; absent blobs are skipped with a warning."""
        request = "".join(f"{self.commit}:{p}\n" for p in paths).encode()
        out = self.git("cat-file", "--batch", data=request)
        pos = 0
        for path in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode()
            pos = end + 1
            if header.endswith("missing"):
                LOG.warning("%s: %s is not in the snapshot", self.git_dir, path)
                continue
            size = int(header.split()[2])
            yield path, out[pos : pos + size]
            pos += size + 1


def git_files(root: Path, spec: GitInput) -> tuple[str, Iterator[tuple[str, bytes]]]:
    """Origin string and file contents for a GitHub input."""
    mirror = GitMirror.open(root, spec)
    wanted: list[str] = []
    pattern = re.compile(spec.pattern)
    for path in spec.paths:
        if path and not path.endswith("/"):
            wanted.append(path)
        else:
            wanted.extend(p for p in mirror.list_files(path) if pattern.search(p))
    if not wanted:
        raise MissingSource(f"github:{spec.repo}@{mirror.commit} has no files matching {spec.paths}")
    origin = f"github:{spec.repo}@{mirror.commit}:{','.join(spec.paths)}"
    if spec.pattern != GitInput.pattern:
        origin += f" ~ /{spec.pattern}/"
    return origin, mirror.read_many(sorted(wanted))


def debian_files(spec: DebianInput, workdir: Path) -> tuple[str, Iterator[tuple[str, bytes]]]:
    """Download a Debian package, unpack it, and return the matching files."""
    target = workdir / spec.package
    target.mkdir(parents=True, exist_ok=True)
    try:
        run(["apt-get", "download", f"{spec.package}={spec.version}"], cwd=target)
    except MissingSource:
        LOG.warning(
            "%s=%s unavailable (run apt-get update?); trying the candidate version",
            spec.package,
            spec.version,
        )
        run(["apt-get", "download", spec.package], cwd=target)
    deb = next(target.glob("*.deb"))
    version = run(["dpkg-deb", "-f", str(deb), "Version"]).decode().strip()
    run(["dpkg-deb", "-x", str(deb), str(target / "root")])
    pattern = re.compile(spec.pattern)
    files = sorted(p for p in (target / "root").rglob("*") if p.is_file() and pattern.search(p.as_posix()))
    origin = f"debian:{spec.package}={version}"
    return origin, ((p.relative_to(target / "root").as_posix(), p.read_bytes()) for p in files)


def pypi_files(spec: PypiInput, workdir: Path) -> tuple[str, Iterator[tuple[str, bytes]]]:
    """Download a PyPI source distribution and return the matching members."""
    target = workdir / spec.project
    target.mkdir(parents=True, exist_ok=True)
    run([*PIP_DOWNLOAD, "-d", str(target), f"{spec.project}=={spec.version}"])
    archive = next(target.glob("*.tar.gz"))
    pattern = re.compile(spec.pattern)

    def members() -> Iterator[tuple[str, bytes]]:
        with tarfile.open(archive) as tar:
            for member in sorted(tar.getmembers(), key=lambda m: m.name):
                handle = tar.extractfile(member) if member.isfile() and pattern.search(member.name) else None
                if handle is not None:
                    yield member.name, handle.read()

    return f"pypi:{spec.project}=={spec.version}", members()


def load_inputs(source: Source, mirror_root: Path, workdir: Path) -> tuple[str, Iterator[tuple[str, bytes]]]:
    spec = source.inputs
    if isinstance(spec, GitInput):
        return git_files(mirror_root, spec)
    if isinstance(spec, DebianInput):
        return debian_files(spec, workdir)
    return pypi_files(spec, workdir)


# --------------------------------------------------------------------------- selection and output


def stable_key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def count_words(paragraphs: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def thin(paragraphs: list[str], cap: int) -> list[str]:
    """Evenly spaced paragraphs of a single long document, up to ``cap`` words."""
    total = count_words(paragraphs)
    if total <= cap:
        return paragraphs
    rate = cap / total
    chosen: list[str] = []
    words = 0
    credit = 0.0
    for paragraph in paragraphs:
        credit += rate
        size = len(paragraph.split())
        if credit >= 1 and words + size <= cap:
            chosen.append(paragraph)
            words += size
            credit -= 1
    return chosen


def select(docs: list[Doc], cap: int) -> list[str]:
    """Whole documents in a stable pseudo-random order until ``cap`` words; duplicates dropped."""
    docs = [d for d in docs if d[1]]
    if len(docs) == 1:
        return thin(docs[0][1], cap)
    seen: set[str] = set()
    chosen: list[str] = []
    words = 0
    for _, paragraphs in sorted(docs, key=lambda d: stable_key(d[0])):
        fresh = [p for p in paragraphs if p not in seen]
        size = count_words(fresh)
        if not fresh or words + size > cap:
            continue
        seen.update(fresh)
        chosen.extend(fresh)
        words += size
    return chosen


@dataclass(frozen=True)
class Built:
    """A source written to the corpus, as recorded in the manifest."""

    slug: str
    genre: str
    description: str
    origin: str
    licence: str
    years: str
    words: int
    paragraphs: int
    file: str


def build_source(source: Source, mirror_root: Path, workdir: Path, out: Path) -> Built:
    """Extract, select and write one source."""
    origin, files = load_inputs(source, mirror_root, workdir)
    docs: list[Doc] = []
    for name, data in files:
        docs.extend(source.parser(name, decode(data)))
    paragraphs = select(docs, source.cap)
    target = out / source.genre / f"{source.slug}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    built = Built(
        slug=source.slug,
        genre=source.genre,
        description=source.description,
        origin=origin,
        licence=source.licence,
        years=source.years,
        words=count_words(paragraphs),
        paragraphs=len(paragraphs),
        file=target.relative_to(out).as_posix(),
    )
    LOG.info("%-36s %-15s %8d words from %d documents", built.slug, built.genre, built.words, len(docs))
    return built


def genre_totals(built: list[Built]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for item in built:
        totals[item.genre] = totals.get(item.genre, 0) + item.words
    return dict(sorted(totals.items()))


def check_balance(genres: dict[str, int]) -> list[str]:
    """Problems with the corpus against its targets: size, number of genres, share of each genre."""
    total = sum(genres.values())
    problems = []
    if total < 1_000_000:
        problems.append(f"only {total} words (target 1,000,000)")
    if len(genres) < 5:
        problems.append(f"only {len(genres)} genres (target 5)")
    problems.extend(
        f"genre {genre} is {words / total:.0%} of the corpus (limit 35%)"
        for genre, words in genres.items()
        if words > 0.35 * total
    )
    return problems


def write_manifest(out: Path, built: list[Built], missing: dict[str, str], problems: list[str]) -> None:
    genres = genre_totals(built)
    manifest = {
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "builder": "scripts/build_human_corpus.py",
        "written_before": CUTOFF_YEAR,
        "min_paragraph_words": MIN_WORDS,
        "total_words": sum(genres.values()),
        "genres": genres,
        "sources": [asdict(item) for item in built],
        "missing": missing,
        "problems": problems,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--mirror-root", type=Path, default=DEFAULT_MIRROR_ROOT, help="folder holding <owner>+<name>/repo"
    )
    parser.add_argument("--only", nargs="*", metavar="SLUG", help="build only these sources")
    parser.add_argument("--list", action="store_true", help="list the sources and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every command run")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s"
    )
    if args.list:
        for source in SOURCES:
            print(f"{source.genre:15} {source.slug:36} {source.years}")
        return 0
    chosen = [s for s in SOURCES if not args.only or s.slug in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    built: list[Built] = []
    missing: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="human-corpus-") as tmp:
        for source in chosen:
            try:
                built.append(build_source(source, args.mirror_root, Path(tmp), args.out))
            except MissingSource as exc:
                LOG.error("MISSING %s: %s", source.slug, exc)
                missing[source.slug] = str(exc)
    genres = genre_totals(built)
    problems = check_balance(genres) if not args.only else []
    for problem in problems:
        LOG.warning("corpus check: %s", problem)
    write_manifest(args.out, built, missing, problems)
    print(
        f"{sum(genres.values())} words in {len(genres)} genres from {len(built)} sources, "
        f"{len(missing)} missing{': ' + ', '.join(missing) if missing else ''} -> {args.out}"
    )
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
