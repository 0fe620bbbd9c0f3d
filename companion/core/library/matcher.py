"""Exact, inflection-aware matching of the phrase library, and fitting its alternatives."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from companion.core.analyzer import Chunk
from companion.core.findings import AnalyzerStatus, Finding
from companion.core.library import compiled_cache
from companion.core.library.model import Entry, Library
from companion.core.library.pattern_cache import shared_cache
from companion.core.library.patterns import expand, has_slots, inflect, parse, to_regex
from companion.core.lru import LRU
from companion.core.normalize import Folded, fold
from companion.core.paths import resource_dir

log = logging.getLogger(__name__)

_WORDISH = re.compile(r"[\w'-]")
_DOLLAR = re.compile(r"\$(\d)")
_BRACKET = re.compile(r"\[([^\]]+)\]")


class _Compiled:
    """A structure regex, compiled the first time a paragraph may match it."""

    __slots__ = ("_regex", "entry", "flags", "needs", "pattern", "tag_of")

    def __init__(self, entry: Entry, pattern: str, flags: int, tag_of: dict[str, str | None]) -> None:
        self.entry = entry
        self.pattern = pattern
        self.flags = flags
        self.tag_of = tag_of
        #: Strings one of which every match contains (None: always run the regex).
        self.needs = shared_cache().needs(pattern, flags)
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.pattern, self.flags)
        return self._regex


@dataclass(frozen=True, slots=True)
class Match:
    """A raw library match in original-text offsets."""

    start: int
    end: int
    entry: Entry
    tag: str | None
    groups: tuple[str, ...]


_Plan = tuple[dict[str, list[tuple[int, str | None]]], list[tuple[int, str, int, dict[str, str | None]]]]


def _plan(library: Library) -> _Plan:
    """Literal phrases and structure regexes of the shown entries (by index in ``library.entries``).

    Expanding 2,000 entries' patterns into every inflection (lemminflect) costs about
    0.3 s, so the plan is cached across runs under a key of the library's files,
    which entries are shown, and this code.
    """
    here = Path(__file__).parent
    key = compiled_cache.key_of(
        "plan",
        library.version,
        ((e.rule, e.fingerprint, str(e.hidden), *e.patterns, *e.regex) for e in library.entries),
        (here / "matcher.py", here / "patterns.py", resource_dir() / "wordclasses.toml"),
    )
    cached = compiled_cache.load(key, "library-plan.pickle")
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached  # type: ignore[return-value]
    literals: dict[str, list[tuple[int, str | None]]] = {}
    structures: list[tuple[int, str, int, dict[str, str | None]]] = []
    for i, entry in enumerate(library.entries):
        if entry.hidden:
            continue
        for pattern in entry.patterns:
            tokens = parse(pattern)
            if has_slots(tokens):
                regex, tag_of = to_regex(tokens)
                structures.append((i, regex, 0, tag_of))
                continue
            for lit in expand(tokens):
                literals.setdefault(lit.text, []).append((i, lit.tag))
        for raw in entry.regex:
            structures.append((i, raw, re.IGNORECASE, {}))
    compiled_cache.store(key, (literals, structures), "library-plan.pickle")
    return literals, structures


#: How many paragraphs' raw matches a LibraryAnalyzer remembers.
RECENT_PARAGRAPHS = 2048


class LibraryAnalyzer:
    """Finds every library phrase in a chunk: Aho-Corasick for set phrases, regexes for structures."""

    name = "library"

    def __init__(self, library: Library) -> None:
        self.library = library
        self._automaton = ahocorasick.Automaton()
        self._structures: list[_Compiled] = []
        literal_ids, structure_specs = _plan(library)
        entries = library.entries
        literals = {text: [(entries[i], tag) for i, tag in payload] for text, payload in literal_ids.items()}
        for i, pattern, flags, tag_of in structure_specs:
            self._structures.append(_Compiled(entries[i], pattern, flags, tag_of))
        for key, payload in literals.items():
            self._automaton.add_word(key, (key, tuple(payload)))
        if literals:
            self._automaton.make_automaton()
        self._has_literals = bool(literals)
        # One pass finds which structures' required literals a paragraph contains.
        self._always = [i for i, c in enumerate(self._structures) if not c.needs]
        self._needs = ahocorasick.Automaton()
        by_literal: dict[str, list[int]] = {}
        for i, comp in enumerate(self._structures):
            for lit in comp.needs or ():
                by_literal.setdefault(lit, []).append(i)
        for lit, ids in by_literal.items():
            self._needs.add_word(lit, tuple(ids))
        if by_literal:
            self._needs.make_automaton()
        self._has_needs = bool(by_literal)
        self._recent = LRU(RECENT_PARAGRAPHS)
        shared_cache().save()
        log.debug("library: %d literals, %d structures", len(literals), len(self._structures))

    def status(self) -> AnalyzerStatus:
        if not self.library.entries:
            return AnalyzerStatus(False, "the phrase library has no entries")
        return AnalyzerStatus(True)

    def matches(self, text: str) -> list[Match]:
        """Every raw match in ``text``, in original offsets (overlaps included).

        The last few paragraphs' matches are remembered: the semantic pass asks for the
        same paragraph right after the library analyzer did.
        """
        hit = self._recent.get(text)
        if hit is not None:
            return list(hit)  # type: ignore[call-overload]
        found = self._find(text)
        self._recent.put(text, tuple(found))
        return found

    def _find(self, text: str) -> list[Match]:
        folded = fold(text)
        out: list[Match] = []
        ftext = folded.text
        if self._has_literals:
            for end_idx, (key, payload) in self._automaton.iter(ftext):
                start = end_idx - len(key) + 1
                end = end_idx + 1
                if not _on_boundaries(ftext, start, end):
                    continue
                o_start, o_end = folded.original(start), folded.original(end)
                for entry, tag in payload:
                    out.append(Match(o_start, o_end, entry, tag, ()))
        wanted = set(self._always)
        if self._has_needs:
            for _end, ids in self._needs.iter(ftext):
                wanted.update(ids)
        for index in sorted(wanted):
            comp = self._structures[index]
            for m in comp.regex.finditer(ftext):
                if m.end() == m.start():
                    continue
                out.append(_structure_match(comp, m, folded, text))
        return out

    def analyze(self, chunk: Chunk) -> list[Finding]:
        text = chunk.text
        findings = []
        for m in self.matches(text):
            matched = text[m.start : m.end]
            findings.append(
                Finding(
                    start=m.start,
                    end=m.end,
                    category=m.entry.category,
                    rule=m.entry.rule,
                    message=m.entry.explanation,
                    suggestions=fit_alternatives(m.entry.alternatives, matched, m.tag, m.groups),
                    source="library",
                    confidence=1.0,
                    level=m.entry.level,
                    matched=matched,
                    safe=m.entry.safe,
                )
            )
        return findings


def _on_boundaries(text: str, start: int, end: int) -> bool:
    if _WORDISH.match(text[start]) and start > 0 and _WORDISH.match(text[start - 1]):
        return False
    if end < len(text) and _WORDISH.match(text[end - 1]) and _WORDISH.match(text[end]):
        # "role's" is still "role"; any other word character continues the word.
        if text[end] != "'":
            return False
        rest = text[end + 1 : end + 3]
        return not rest[:1].isalpha() or (rest[:1] == "s" and not rest[1:2].isalnum())
    return True


def _structure_match(comp: _Compiled, m: re.Match[str], folded: Folded, text: str) -> Match:
    names = comp.regex.groupindex
    tag = None
    if "infl" in names and m.group("infl"):
        tag = comp.tag_of.get(m.group("infl"))
    if any(n.startswith("s") for n in names):
        keys: list[str | int] = [f"s{i}" for i in range(1, 10) if f"s{i}" in names]
    else:
        keys = list(range(1, (comp.regex.groups or 0) + 1))
    groups = []
    for key in keys:
        if m.start(key) < 0:
            groups.append("")
            continue
        groups.append(text[folded.original(m.start(key)) : folded.original(m.end(key))])
    return Match(folded.original(m.start()), folded.original(m.end()), comp.entry, tag, tuple(groups))


def fit_alternatives(
    alternatives: tuple[str, ...], matched: str, tag: str | None, groups: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The alternatives made to fit where they land: slots filled, verbs inflected, case matched."""
    out: list[str] = []
    for alt in alternatives:
        text = _DOLLAR.sub(lambda m: _group(groups, int(m.group(1))), alt)
        text = _BRACKET.sub(lambda m: inflect(m.group(1), tag), text)
        text = " ".join(text.split()) if text.strip() else ""
        text = match_case(text, matched)
        if text.lower() != matched.lower() and text not in out:
            out.append(text)
    return tuple(out)


def _group(groups: tuple[str, ...], number: int) -> str:
    return groups[number - 1] if 0 < number <= len(groups) else ""


def match_case(replacement: str, original: str) -> str:
    """Give ``replacement`` the capitalisation pattern of ``original``."""
    if not replacement or not original:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if original[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    if original[0].islower() and replacement[0].isupper() and not _keeps_capital(replacement):
        return replacement[0].lower() + replacement[1:]
    return replacement


def _keeps_capital(text: str) -> bool:
    """Whether the first word is a proper noun or "I" (kept capitalised mid-sentence)."""
    first = text.split()[0]
    return first in {"I", "I'm", "I've", "I'd", "I'll"} or (len(first) > 1 and first[1:].lower() != first[1:])
