"""Choosing paragraphs: stable order, per-source caps."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from human_corpus.text import Doc

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
