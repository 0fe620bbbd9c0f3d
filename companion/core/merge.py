"""Resolve overlapping findings and apply the user's profile and ignores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from companion.core.findings import Finding, Level

#: Findings are merged within a layer; layers are drawn independently.
_LAYER = {"library": 0, "semantic": 0, "style": 1, "readability": 2, "grammar": 3, "spelling": 3}
#: Within the phrasing layer an exact library match beats a semantic guess.
_SOURCE_RANK = {"library": 0, "grammar": 0, "spelling": 0, "style": 1, "semantic": 2, "readability": 3}


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user asked to see: profile, categories, and ignores."""

    profile: Level = Level.RECOMMENDED
    disabled_categories: frozenset[str] = frozenset()
    ignored_rules: frozenset[str] = frozenset()
    #: (rule, phrase) pairs, phrase lower-cased; ``"*"`` as rule ignores the phrase for every rule.
    ignored_phrases: frozenset[tuple[str, str]] = frozenset()
    #: Code-point ranges never to flag (Markdown code, URLs, front matter).
    ignored_ranges: tuple[tuple[int, int], ...] = field(default=())

    def keeps(self, f: Finding) -> bool:
        if f.level.rank > self.profile.rank or f.category in self.disabled_categories:
            return False
        if f.rule in self.ignored_rules:
            return False
        if self.ignored_phrases:
            phrase = f.matched.lower()
            if (f.rule, phrase) in self.ignored_phrases or ("*", phrase) in self.ignored_phrases:
                return False
        return True


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Resolve overlaps: in each layer the most specific finding wins, no duplicate underlines.

    Within a layer, overlapping findings compete: an exact source beats a guessed
    one, then the longer span wins, then the more essential rule. A style or
    spelling finding that lies inside a phrasing finding is dropped too (one
    underline per phrase is enough).
    """
    by_layer: dict[int, list[Finding]] = {}
    for f in findings:
        by_layer.setdefault(_LAYER.get(f.source, 9), []).append(f)
    kept: list[Finding] = []
    for layer, items in by_layer.items():
        if layer == 2:  # readability: one finding per sentence, never competing
            kept.extend(_dedupe(items))
            continue
        kept.extend(_resolve(items))
    phrasing = sorted((f for f in kept if _LAYER.get(f.source) == 0), key=lambda f: f.start)
    if phrasing:
        kept = [f for f in kept if _LAYER.get(f.source) in (0, 2) or not _inside_any(f, phrasing)]
    kept.sort(key=lambda f: (f.start, f.end, f.rule))
    return kept


def _priority(f: Finding) -> tuple[int, int, int, int, float]:
    # A learned tell (no suggestion) yields to a paraphrase match, which has alternatives.
    learned = int(f.rule.startswith("semantic.tell."))
    return (_SOURCE_RANK.get(f.source, 9), learned, -(f.end - f.start), f.level.rank, -f.confidence)


def _resolve(items: Sequence[Finding]) -> list[Finding]:
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(items, key=_priority):
        if any(f.start < e and s < f.end for s, e in taken):
            continue
        chosen.append(f)
        taken.append((f.start, f.end))
    return chosen


def _dedupe(items: Sequence[Finding]) -> list[Finding]:
    seen: dict[tuple[int, int], Finding] = {}
    for f in sorted(items, key=lambda f: f.level.rank):
        seen.setdefault((f.start, f.end), f)
    return list(seen.values())


def _inside_any(f: Finding, spans: Sequence[Finding]) -> bool:
    return any(p.start <= f.start and f.end <= p.end for p in spans)


def apply_filters(findings: Iterable[Finding], filters: Filters) -> list[Finding]:
    """Findings the user wants to see, outside ignored ranges."""
    ranges = filters.ignored_ranges
    out = []
    for f in findings:
        if not filters.keeps(f):
            continue
        if ranges and any(f.start < e and s < f.end for s, e in ranges):
            continue
        out.append(f)
    return out
