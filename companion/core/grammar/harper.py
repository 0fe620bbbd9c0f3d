"""Harper (harper-py) as an in-process grammar engine: no Java, no server, nothing leaves the machine.

``HarperEngine`` builds one ``harper.Linter`` lazily on first use (about a second
and 150-300 MB), sets its rules, and turns Harper's lints into findings. A
``Linter`` is not thread-safe, so every call holds a lock. Harper's spans are code
points of the Python ``str`` (checked by the tests with emoji, accents and CJK), the
same unit as our findings.

Which of Harper's rules run, and why, is in :mod:`companion.core.grammar.harper_rules`;
:mod:`companion.core.grammar.supplement` adds a few patterns Harper lacks.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

from companion.core.findings import Finding, Level
from companion.core.grammar.harper_rules import KINDS_OFF, lint_config, misfire
from companion.core.grammar.supplement import supplementary_findings

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 5
#: What joins paragraphs linted in one call: a blank line, a paragraph break to Harper.
_JOINT = "\n\n"

_SPELLING_KINDS = frozenset({"Spelling", "Typo"})
_PUNCTUATION_KINDS = frozenset({"Punctuation", "Formatting"})
#: Kinds shown from the recommended profile up; the rest are essential.
_RECOMMENDED_KINDS = frozenset({"Usage", "WordChoice", "Enhancement", "Nonstandard"})

_DIALECTS = {
    "en-US": "AMERICAN",
    "en-GB": "BRITISH",
    "en-AU": "AUSTRALIAN",
    "en-CA": "CANADIAN",
    "en-IN": "INDIAN",
}


def harper_installed() -> bool:
    """True when the ``harper`` module (harper-py) can be imported; imports nothing heavy."""
    import importlib.util

    return importlib.util.find_spec("harper") is not None


def supports_language(language: str) -> bool:
    """Harper checks English only."""
    return language.split("-")[0].lower() == "en"


def category_of(kind: str) -> str:
    """Our category for a Harper lint kind: spelling, punctuation or grammar."""
    if kind in _SPELLING_KINDS:
        return "spelling"
    if kind in _PUNCTUATION_KINDS:
        return "punctuation"
    return "grammar"


class HarperEngine:
    """One lazily built Harper linter with our rule choices; calls are serialised by a lock."""

    def __init__(self, language: str = "en-US", *, supplement: bool = True) -> None:
        self.language = language
        self.supplement = supplement
        self.load_s: float | None = None
        self._linter: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the linter is built."""
        return self._linter is not None

    def load(self) -> None:
        """Build the linter now (about a second); later calls return at once."""
        with self._lock:
            self._build()

    def check(self, text: str) -> list[Finding]:
        """Findings for ``text`` (one paragraph), sorted, offsets in code points."""
        return self.check_many([text])[0]

    def check_many(self, texts: Sequence[str]) -> list[list[Finding]]:
        """Findings for each paragraph of ``texts``, linted in one call.

        The paragraphs are joined by blank lines, which Harper treats as paragraph
        breaks (the results equal one call per paragraph: checked on 750 paragraphs),
        so Harper's Rust runs once outside the GIL instead of reacquiring it per
        paragraph while other threads hold it.
        """
        out: list[list[Finding]] = [[] for _ in texts]
        live = [i for i, t in enumerate(texts) if t.strip()]
        if not live:
            return out
        starts: list[int] = []
        pos = 0
        for i in live:
            starts.append(pos)
            pos += len(texts[i]) + len(_JOINT)
        joined = _JOINT.join(texts[i] for i in live)
        with self._lock:
            linter = self._build()
            organized = linter.organized_lints(joined, language="plaintext")
        for rule, lints in organized.items():
            for lint in lints:
                start = int(lint.span.start)
                k = bisect.bisect_right(starts, start) - 1
                if k < 0:
                    continue
                i, base = live[k], starts[k]
                finding = self._finding(texts[i], rule, lint, base)
                if finding is not None:
                    out[i].append(finding)
        for i in live:
            findings = out[i]
            if self.supplement:
                taken = [(f.start, f.end) for f in findings]
                findings.extend(
                    f
                    for f in supplementary_findings(texts[i])
                    if not any(f.start < e and s < f.end for s, e in taken)
                )
            findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return out

    def close(self) -> None:
        """Drop the linter (it is rebuilt if the engine is used again)."""
        with self._lock:
            self._linter = None

    # -- internals --

    def _build(self) -> Any:
        """The linter, built on first use; the caller holds the lock."""
        if self._linter is None:
            import harper

            started = time.perf_counter()
            dialect = getattr(harper.Dialect, _DIALECTS.get(self.language, "AMERICAN"))
            linter = harper.Linter(dialect)
            linter.set_lint_config(lint_config(linter))
            self._linter = linter
            self.load_s = time.perf_counter() - started
            log.info("Harper linter built in %.2f s (%s)", self.load_s, self.language)
        return self._linter

    def _finding(self, text: str, rule: str, lint: Any, base: int = 0) -> Finding | None:
        """Our finding for ``lint`` in ``text``, which starts at ``base`` of the linted string."""
        kind = str(lint.lint_kind)
        if kind in KINDS_OFF:
            return None
        start, end = int(lint.span.start) - base, int(lint.span.end) - base
        if not 0 <= start < end <= len(text):
            log.debug("Harper lint %s outside the text: %d..%d", rule, start, end)
            return None
        if misfire(rule, text, start, end):
            return None
        matched = text[start:end]
        category = category_of(kind)
        level = Level.RECOMMENDED if kind in _RECOMMENDED_KINDS else Level.ESSENTIAL
        return Finding(
            start=start,
            end=end,
            category=category,
            rule=f"grammar.harper.{rule}",
            message=clean_message(str(lint.message)) or "Possible grammar mistake.",
            suggestions=replacements(matched, lint.suggestions),
            source="grammar",
            level=level,
            matched=matched,
        )


_shared: dict[str, HarperEngine] = {}
_shared_lock = threading.Lock()


def shared_engine(language: str = "en-US") -> HarperEngine:
    """The process's engine for ``language``, loaded on first use: one linter, not one per analyzer."""
    with _shared_lock:
        engine = _shared.get(language)
        if engine is None:
            engine = _shared[language] = HarperEngine(language)
        return engine


def prebuild(language: str = "en-US") -> None:
    """Start building the shared engine's linter for ``language`` on a thread; returns at once.

    The build takes about half a second, mostly in Rust outside the GIL, so a front end
    that will probably check English calls this first and the build overlaps its own
    imports and set-up. Nothing happens for other languages or without harper-py.
    """
    if not supports_language(language) or not harper_installed():
        return
    engine = shared_engine(language)
    if not engine.loaded:
        threading.Thread(target=engine.load, name="harper-prebuild", daemon=True).start()


def replacements(matched: str, suggestions: Iterable[Any]) -> tuple[str, ...]:
    """Harper's suggestions as replacement texts of the whole span (deduplicated, best first)."""
    out: list[str] = []
    for suggestion in suggestions:
        kind = int(suggestion.kind)
        text = str(suggestion.replacement_text)
        if kind == 1:  # REMOVE
            replacement = ""
        elif kind == 2:  # INSERT_AFTER
            replacement = matched + text
        else:  # REPLACE
            replacement = text
        if replacement != matched and replacement not in out:
            out.append(replacement)
    return tuple(out[:MAX_SUGGESTIONS])


_BACKTICKED = re.compile(r"`([^`]*)`")


def clean_message(message: str) -> str:
    """Harper's Markdown message as plain text: `word` becomes “word”."""
    return _BACKTICKED.sub(r"“\1”", message).strip()
