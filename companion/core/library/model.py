"""Phrase-library entries and loading them from TOML data files."""

from __future__ import annotations

import hashlib
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from companion.core.findings import CATEGORIES, Level
from companion.core.library.patterns import PatternError, has_slots, parse
from companion.core.paths import resource_dir

log = logging.getLogger(__name__)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REQUIRED = ("id", "alternatives", "explanation", "level", "flag", "pass")
_KNOWN = frozenset(_REQUIRED) | {"patterns", "regex", "semantic", "note"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One robotic phrasing with its natural alternatives."""

    id: str
    category: str
    patterns: tuple[str, ...]
    regex: tuple[str, ...]
    alternatives: tuple[str, ...]
    explanation: str
    level: Level
    flag: tuple[str, ...]
    passes: tuple[str, ...]
    source: str
    #: Whether semantic matching may look for paraphrases of this entry.
    semantic: bool = True

    @property
    def rule(self) -> str:
        return f"library.{self.category}.{self.id}"

    @property
    def has_structure(self) -> bool:
        """True when a pattern has slots or a raw regex (a structure, not a set phrase)."""
        return bool(self.regex) or any(has_slots(parse(p)) for p in self.patterns)


@dataclass(frozen=True, slots=True)
class LibraryIssue:
    """A problem in a library file: which file, which entry, what is wrong."""

    path: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: entry {self.entry!r}" if self.entry else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Library:
    """All loaded entries, the problems met while loading, and a content version."""

    entries: tuple[Entry, ...]
    issues: tuple[LibraryIssue, ...] = ()
    version: str = ""
    by_rule: dict[str, Entry] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_rule.update({e.rule: e for e in self.entries})


def bundled_dir() -> Path:
    """The folder of the phrase library shipped with Humanize."""
    return resource_dir() / "library"


def load_library(extra_dirs: Iterable[Path] = (), *, bundled: bool = True) -> Library:
    """Load the bundled library and every ``*.toml`` in ``extra_dirs``.

    A malformed file or entry is reported in ``Library.issues`` and skipped; the
    rest loads. Later entries with the same rule id replace earlier ones, so a
    user's entry can override a bundled one.
    """
    dirs = ([bundled_dir()] if bundled else []) + [Path(d) for d in extra_dirs]
    entries: dict[str, Entry] = {}
    issues: list[LibraryIssue] = []
    digest = hashlib.sha256()
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                raw = path.read_bytes()
            except OSError as exc:
                issues.append(LibraryIssue(str(path), "", f"cannot read: {exc.strerror}"))
                continue
            digest.update(path.name.encode() + b"\0" + raw)
            for entry in _parse_file(path, raw, issues):
                entries[entry.rule] = entry
    for issue in issues:
        log.warning("phrase library: %s", issue)
    return Library(tuple(entries.values()), tuple(issues), digest.hexdigest()[:16])


def _parse_file(path: Path, raw: bytes, issues: list[LibraryIssue]) -> list[Entry]:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        issues.append(LibraryIssue(str(path), "", f"not valid TOML: {exc}"))
        return []
    category = data.get("category", path.stem)
    if category not in CATEGORIES:
        issues.append(LibraryIssue(str(path), "", f"unknown category {category!r}"))
        return []
    raw_entries = data.get("entry", [])
    if not isinstance(raw_entries, list):
        issues.append(LibraryIssue(str(path), "", "'entry' must be an array of tables"))
        return []
    out: list[Entry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw_entries, 1):
        name = str(item.get("id", f"#{index}")) if isinstance(item, dict) else f"#{index}"
        try:
            entry = _parse_entry(item, category, str(path))
        except (ValueError, TypeError, PatternError, re.error) as exc:
            issues.append(LibraryIssue(str(path), name, str(exc)))
            continue
        if entry.id in seen:
            issues.append(LibraryIssue(str(path), name, "duplicate id"))
            continue
        seen.add(entry.id)
        out.append(entry)
    return out


def _strings(item: dict[str, object], key: str, *, allow_empty_items: bool = False) -> tuple[str, ...]:
    value = item.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{key!r} must be a list of strings")
    if not allow_empty_items and any(not v.strip() for v in value):
        raise ValueError(f"{key!r} has an empty string")
    return tuple(value)


def _parse_entry(item: object, category: str, source: str) -> Entry:
    if not isinstance(item, dict):
        raise TypeError("an entry must be a table")
    missing = [k for k in _REQUIRED if k not in item]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    unknown = set(item) - _KNOWN
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
    entry_id = item["id"]
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        raise ValueError("id must be lower-case letters, digits and hyphens")
    patterns = _strings(item, "patterns")
    regex = _strings(item, "regex")
    if not patterns and not regex:
        raise ValueError("needs 'patterns' or 'regex'")
    for p in patterns:
        parse(p)
    for r in regex:
        re.compile(r)
    alternatives = _strings(item, "alternatives", allow_empty_items=True)
    if not alternatives:
        raise ValueError("needs at least one alternative")
    flag, passes = _strings(item, "flag"), _strings(item, "pass")
    if not flag or not passes:
        raise ValueError("needs at least one 'flag' and one 'pass' example")
    explanation = item["explanation"]
    if not isinstance(explanation, str) or not explanation.strip():
        raise ValueError("explanation must be a non-empty string")
    return Entry(
        id=entry_id,
        category=category,
        patterns=patterns,
        regex=regex,
        alternatives=alternatives,
        explanation=explanation.strip(),
        level=Level.parse(str(item["level"])),
        flag=flag,
        passes=passes,
        source=source,
        semantic=bool(item.get("semantic", True)),
    )
