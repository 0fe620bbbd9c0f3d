"""Paragraph filters and text decoding shared by every parser."""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
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

BOILERPLATE = re.compile(
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
PG_SKIP_START = ("[Footnote", "[Illustration", "[Transcriber", "CHAPTER", "Footnote")


def strip_gutenberg(text: str) -> str:
    """Cut the Project Gutenberg header and licence footer off a plain-text e-book."""
    start = _PG_START.search(text, 0, len(text) // 2)
    body_from = start.end() if start else 0
    end = _PG_END.search(text, max(body_from + 1, len(text) // 2))
    return text[body_from : end.start() if end else len(text)]
