"""What the semantic matcher compares: anchor phrases of the library and short text windows.

Anchors are the phrases each entry's own ``flag`` examples match, plus the base
spelling of its set patterns. Windows are phrase-sized: 3, 5 and 7 words around each
content word of a clause (never across clause punctuation), so that a stock phrase
sits in some window almost alone ("a real cornerstone of how businesses work").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from companion.core.analyzer import Chunk
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import Entry, Library
from companion.core.library.patterns import expand, has_slots, inflections, parse
from companion.core.segment import COMPOUND_WORD

CLAUSE = re.compile(r"[^,;:()\[\]\"“”—–!?]+")
STOP = frozenset(
    """a an the of to in on at by for with from into onto over under about as and or but nor so
    yet if than then that this these those it its it's is are was were be been being am do does did
    done have has had having will would shall should can could may might must not no i you he she we
    they me him her us them my your his our their what which who whom whose when where why how all
    any each every some such more most much many other another own same very just also only even
    too there here one ones make makes made get gets got way ways thing things new well up out
    like really s t re ve ll d m""".split()
)
MIN_WINDOW_WORDS = 3
#: Window shapes around a content word at position i: (words before, words after).
SHAPES = ((1, 1), (1, 3), (2, 4), (3, 1), (0, 2))
#: Words this frequent in English (pyspellchecker's counts) are too common to anchor a window.
COMMON_WORD_COUNT = 1_000_000


@dataclass(frozen=True, slots=True)
class Anchor:
    text: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class Window:
    start: int
    end: int
    text: str


def lower(text: str) -> str:
    return text.lower().replace("’", "'")


@lru_cache(maxsize=1)
def _frequency() -> Callable[[str], int]:
    try:
        from companion.core.spelling import _dictionary

        counts = _dictionary()
    except ImportError:  # the stop list alone still works
        return lambda _word: 0
    return lambda word: counts.get(word, 0)


def is_content(word: str) -> bool:
    """A word that can anchor a window: not a stop word, not among the most common words."""
    return word not in STOP and len(word) >= 3 and _frequency()(word) < COMMON_WORD_COUNT


def content_words(text: str) -> frozenset[str]:
    """Content words of an anchor in every inflection."""
    words: set[str] = set()
    for w in COMPOUND_WORD.findall(lower(text)):
        if is_content(w):
            words.add(w)
            words.update(inflections(w))
    return frozenset(words)


def anchors(library: Library, matcher: LibraryAnalyzer | None = None) -> list[Anchor]:
    """Anchor phrases of every entry that allows semantic matching (``matcher``: reuse one)."""
    matcher = matcher or LibraryAnalyzer(library)
    out: dict[str, Anchor] = {}
    for entry in library.entries:
        if not entry.semantic or entry.hidden:
            continue
        phrases: list[str] = []
        for pattern in entry.patterns:
            tokens = parse(pattern)
            if not has_slots(tokens):
                phrases.append(expand(tokens)[0].text)
        for example in entry.flag:
            phrases.extend(m.matched for m in matcher.analyze(Chunk.of(example)) if m.rule == entry.rule)
        for phrase in phrases:
            clean = " ".join(phrase.strip(" ,.;:").split())
            n = len(COMPOUND_WORD.findall(clean))
            if MIN_WINDOW_WORDS - 1 <= n <= 10 and clean.lower() not in out:
                out[clean.lower()] = Anchor(clean, entry)
    return list(out.values())


def anchor_table(
    library: Library, matcher: LibraryAnalyzer | None = None
) -> list[tuple[Anchor, frozenset[str]]]:
    """``anchors`` with their ``content_words``, kept across runs (about 2 s to compute).

    Stored in the user cache under a key of the entries, the word classes and the code
    that derives them, so a changed entry (a user's own included) recomputes it.
    """
    from companion.core.library import compiled_cache
    from companion.core.paths import resource_dir

    lib = Path(__file__).parent / "library"
    key = compiled_cache.key_of(
        "anchors",
        library.version,
        (
            (e.rule, e.fingerprint, str(e.hidden), str(e.semantic), *e.patterns, *e.flag)
            for e in library.entries
        ),
        (Path(__file__), lib / "matcher.py", lib / "patterns.py", resource_dir() / "wordclasses.toml"),
    )
    index = {id(e): i for i, e in enumerate(library.entries)}
    cached = compiled_cache.load(key, "semantic-anchors.pickle")
    if isinstance(cached, list):
        try:
            return [(Anchor(text, library.entries[i]), frozenset(words)) for i, text, words in cached]
        except (IndexError, TypeError, ValueError):
            pass
    table = [(a, content_words(a.text)) for a in anchors(library, matcher)]
    compiled_cache.store(
        key, [(index[id(a.entry)], a.text, sorted(w)) for a, w in table], "semantic-anchors.pickle"
    )
    return table


def windows(chunk: Chunk, skip: list[tuple[int, int]] | None = None) -> list[Window]:
    """Phrase windows of ``chunk`` around its content words, none overlapping a ``skip`` span."""
    text = chunk.text
    seen: set[tuple[int, int]] = set()
    out: list[Window] = []
    skip = skip or []
    for sent in chunk.sentences:
        for clause in CLAUSE.finditer(text, sent.start, sent.end):
            spans = [(m.start(), m.end()) for m in COMPOUND_WORD.finditer(text, clause.start(), clause.end())]
            if len(spans) < MIN_WINDOW_WORDS:
                continue
            for i, (s, e) in enumerate(spans):
                if not is_content(lower(text[s:e])):
                    continue
                for before, after in SHAPES:
                    lo, hi = max(0, i - before), min(len(spans), i + after + 1)
                    if hi - lo < MIN_WINDOW_WORDS:
                        continue
                    key = (spans[lo][0], spans[hi - 1][1])
                    if key in seen or any(key[0] < b and a < key[1] for a, b in skip):
                        continue
                    seen.add(key)
                    out.append(Window(key[0], key[1], text[key[0] : key[1]]))
    return out
