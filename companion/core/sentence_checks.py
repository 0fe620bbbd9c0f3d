"""Checks that a changed sentence still reads as a sentence.

Used before a change is applied without review (``humanize clean``, Copy cleaned,
folder cleaning) and to review the library's alternatives in their own example
sentences (``scripts/render_alternatives.py``). Each check returns a short reason, or
nothing when the sentence passes. They are cheap heuristics, biased to refuse: a
refused change is still shown for the writer to make by hand.
"""

from __future__ import annotations

import re
from functools import lru_cache

from companion.core import word_classes
from companion.core.segment import WORD

_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
#: Doubled words that English allows ("had had", "that that").
_DOUBLE_OK = frozenset({"had", "that", "is", "do", "very", "bye", "no", "so", "really"})
_ARTICLE = re.compile(r"\b(a|an)\s+([^\W\d_][\w'-]*)", re.IGNORECASE)
#: Words spelled with a vowel letter but sounding a consonant, and the reverse.
_CONSONANT_SOUND = re.compile(r"^(?:uni|use|usu|uti|ure|euro|eu|one|once|ubiq|u[bcfgklmnprstv][aeiou])", re.I)
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir|herb)", re.IGNORECASE)
#: Words a sentence cannot end on (prepositions that often can, "joined in", are left out).
_DANGLING = frozenset(
    """a an the of by from into and or but nor than which whose their its our your my his her""".split()
)
_MODALS = frozenset("can could may might must shall should will would".split())
_CONTRACTION = re.compile(r"['’](?:s|re|ve|ll|d|m)$|n['’]t$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _can_be_verb(word: str) -> bool:
    w = word.lower()
    if w in _MODALS or _CONTRACTION.search(w):
        return True
    return bool(word_classes.classes(w) & (word_classes.VERB | word_classes.AUX))


def doubled_word(sentence: str) -> str:
    for m in _DOUBLED.finditer(sentence):
        if m.group(1).lower() not in _DOUBLE_OK:
            return f"doubled word “{m.group(1)}”"
    return ""


def article_mismatch(sentence: str) -> str:
    for m in _ARTICLE.finditer(sentence):
        article, word = m.group(1).lower(), m.group(2)
        if word.isupper() and len(word) > 1:
            continue  # acronyms: "an FAQ", "a NATO" depend on how they are read
        vowel = word[0].lower() in "aeiou"
        if _CONSONANT_SOUND.match(word):
            vowel = False
        elif _VOWEL_SOUND.match(word):
            vowel = True
        if article == "a" and vowel:
            return f"“a {word}” should be “an {word}”"
        if article == "an" and not vowel:
            return f"“an {word}” should be “a {word}”"
    return ""


def lowercase_start(sentence: str) -> str:
    first = next((c for c in sentence.lstrip("\"“'‘(*_-#> ") if c.isalnum()), "")
    if first and first.islower():
        return "the sentence starts in lower case"
    return ""


def empty_or_verbless(sentence: str) -> str:
    words = WORD.findall(sentence)
    if not words:
        return "nothing is left of the sentence"
    if len(words) >= 3 and not any(_can_be_verb(w) for w in words):
        return "the sentence has no verb left"
    return ""


def dangling_end(sentence: str) -> str:
    words = WORD.findall(sentence.rstrip())
    stripped = sentence.rstrip()
    if words and stripped and stripped[-1] in ".!?" and words[-1].lower() in _DANGLING:
        return f"the sentence ends on “{words[-1]}”"
    return ""


CHECKS = (doubled_word, article_mismatch, lowercase_start, empty_or_verbless, dangling_end)


def problems(sentence: str) -> list[str]:
    """Every reason ``sentence`` does not read as a finished sentence (empty: it does)."""
    return [reason for check in CHECKS if (reason := check(sentence))]


def new_problems(before: str, after: str) -> list[str]:
    """Problems ``after`` has that ``before`` did not: what a change would break."""
    old = set(problems(before))
    out = [p for p in problems(after) if p not in old]
    if len(WORD.findall(after)) < 3 <= len(WORD.findall(before)) - 2:
        out.append("the sentence is cut to a fragment")
    return out
