"""Which parts of speech a word can be, from lemminflect's tables, compiled once and cached.

The style and sentence checks ask three questions of a word while the user types: can it
be a verb, an adverb, a past participle? lemminflect answers them from two gzip CSV
tables that it parses at first use: about a third of a second and 50 MB of Python
objects at every start. Here its answers are computed once for every lower-case word
it knows, stored as one small integer per word (:mod:`companion.core.disk_cache`,
keyed by lemminflect's version), and loaded in a few hundredths of a second.

Words lemminflect does not know map to 0, as ``getAllLemmas`` returns nothing for them.
"""

from __future__ import annotations

import logging
import threading

from companion.core.disk_cache import marshalled, package_version

log = logging.getLogger(__name__)

NOUN, VERB, ADJ, ADV, AUX, PROPN = 1, 2, 4, 8, 16, 32
#: The word is the past participle (VBN) of one of its verb lemmas.
PARTICIPLE = 64
_BITS = {"NOUN": NOUN, "VERB": VERB, "ADJ": ADJ, "ADV": ADV, "AUX": AUX, "PROPN": PROPN}
#: Bump when what a table holds changes, so old caches are not read.
_FORMAT = 1

_table: dict[str, int] | None = None
_lock = threading.Lock()


class Unavailable(RuntimeError):
    """lemminflect is not installed (the callers fall back to word lists)."""


def classes(word: str) -> int:
    """The part-of-speech bits of ``word`` (case-insensitive); 0 when lemminflect does not know it."""
    return table().get(word.lower(), 0)


def known(word: str) -> bool:
    """Whether lemminflect knows ``word`` at all."""
    return classes(word) != 0


def table() -> dict[str, int]:
    """The whole table, loaded (or built and cached) on first use; raises :class:`Unavailable`."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                version = package_version("lemminflect")
                if version == "unknown":
                    raise Unavailable("lemminflect is not installed")
                _table = marshalled("word-classes", f"{version}-{_FORMAT}", build, expect=dict)
    return _table


def available() -> bool:
    """Whether the table can be had (lemminflect installed)."""
    try:
        table()
    except Unavailable:
        return False
    return True


def build() -> dict[str, int]:
    """Ask lemminflect about every lower-case word in its lemma table (about a second)."""
    import lemminflect
    from lemminflect.core.Lemmatizer import Lemmatizer

    lemmatizer = Lemmatizer()
    words = set(lemmatizer._getLemmaDict()) | set(lemmatizer._getOverridesDict())
    out: dict[str, int] = {}
    for word in words:
        if word != word.lower():
            continue  # getAllLemmas lower-cases what it is asked: capitalised keys are unreachable
        lemmas = lemminflect.getAllLemmas(word)
        bits = 0
        for upos in lemmas:
            bits |= _BITS.get(upos, 0)
        if (
            bits & VERB
            and word.endswith("ed")
            and any(word in (lemminflect.getInflection(lemma, "VBN") or ()) for lemma in lemmas["VERB"])
        ):
            bits |= PARTICIPLE
        if bits:
            out[word] = bits
    log.info("word classes of %d words compiled from lemminflect", len(out))
    return out
