"""Guards on changes applied without review: protected text and sentences that still read.

A change that ``clean``, Copy cleaned or folder cleaning would apply by itself must
(1) stay clear of text that is not prose (URLs and their slugs, e-mail addresses,
inline and fenced code, YAML front matter), whatever the file type, and (2) leave a
sentence that passes ``sentence_checks`` and has no more grammar errors than before,
according to the grammar engine the app has (Harper when it is installed). A refused
change is left for the writer, with its reason.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from companion.core.sentence_checks import new_problems

log = logging.getLogger(__name__)

_PROTECTED = re.compile(
    r"(?:https?|ftp)://\S+|www\.\S+"  # URLs with their paths and slugs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|```.*?```|~~~.*?~~~"  # fenced code
    r"|`[^`\n]+`"  # inline code
    r"|\b[\w-]+(?:/[\w.-]+)+/?"  # paths and URL slugs without a scheme: blog/2024/ai-tech-trends
    r"|\b\w+(?:-\w+){3,}\b",  # long hyphenated slugs: ai-is-changing-tech-forever
    re.DOTALL,
)
_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+)\n", re.DOTALL)
_SENTENCE_END = ".!?\n"

#: Counts grammar errors in a sentence; None when no grammar engine is available.
GrammarCount = Callable[[str], int]


def protected_ranges(text: str) -> list[tuple[int, int]]:
    """Code-point ranges of ``text`` that cleaning never touches."""
    out = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    front = _FRONT_MATTER.match(text)
    if front:
        out.append((0, front.end()))
    return out


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence holding ``text[start:end]``."""
    left = start
    while left > 0 and text[left - 1] not in _SENTENCE_END:
        left -= 1
    right = end
    while right < len(text) and text[right] not in _SENTENCE_END:
        right += 1
    if right < len(text) and text[right] != "\n":
        right += 1
    return left, right


def refusal(text: str, start: int, end: int, replacement: str, grammar: GrammarCount | None = None) -> str:
    """Why replacing ``text[start:end]`` with ``replacement`` would damage its sentence ("" if not)."""
    left, right = sentence_around(text, start, end)
    before = text[left:right]
    after = before[: start - left] + replacement + before[end - left :]
    reasons = new_problems(before.strip(), after.strip())
    if not reasons and grammar is not None:
        try:
            if grammar(after) > grammar(before):
                reasons.append("the change adds a grammar error")
        except Exception:  # a grammar engine failure must not stop cleaning: refuse instead
            log.exception("grammar check of a change failed")
            reasons.append("the grammar check failed")
    return "; ".join(reasons)


def harper_count(*, only_if_loaded: bool = False) -> GrammarCount | None:
    """A grammar-error counter backed by the offline engine, or None when it is not installed.

    ``only_if_loaded`` returns None while the engine has not been built yet, so a caller
    on the UI thread never waits a second for it.
    """
    try:
        from companion.core.grammar.harper import harper_installed, shared_engine
    except ImportError:
        return None
    if not harper_installed():
        return None
    engine = shared_engine()
    if only_if_loaded and not engine.loaded:
        return None

    def count(sentence: str) -> int:
        return sum(f.category == "grammar" for f in engine.check(sentence))

    return count
