"""Offline spelling with pyspellchecker's English word list, tuned against false alarms.

Only words that look like ordinary English words are checked. Skipped: words with
digits, ALL-CAPS acronyms, words with a capital after the first letter (camelCase,
iPhone, McDonald), capitalised words inside a sentence (likely names), possessives
of names, words of one or two letters, non-Latin scripts, and anything inside a URL,
an e-mail address, a path, a file name, a handle or inline code. Hyphenated
compounds are checked part by part. British spellings (colour, organise, centre,
travelled, catalogue, defence) and plain plurals of known words are accepted.

Known/unknown is cached per lower-cased word, so ordinary prose runs at several
hundred thousand words a second. Suggestions are computed for unknown words of at
most 15 letters: edit distance 1 by generating the edits (under a millisecond), and
distance 2, for words up to 8 letters with no closer match, by rapidfuzz (a few ms).
They depend on the word alone, never on timing. The word list is cached on disk.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from companion.core import atomic
from companion.core.analyzer import Chunk
from companion.core.disk_cache import marshalled, package_version
from companion.core.findings import AnalyzerStatus, Finding, Level
from companion.core.normalize import capitalise_like
from companion.core.segment import COMPOUND_WORD

log = logging.getLogger(__name__)

RULE = "spelling.unknown-word"
MAX_SUGGESTIONS = 4
#: Longer words get no suggestions; words up to this length also get edit-distance-2 ones.
MAX_SUGGEST_LEN = 15
MAX_DISTANCE2_LEN = 8

_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f'’]+")
#: Spans whose words are not prose: URLs, e-mail, inline code, paths, file and domain names, handles.
_NOT_PROSE = re.compile(
    r"""
      (?:https?|ftp|file)://\S+ | www\.\S+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | `[^`\n]*`
    | [@#]\w+
    | \S*[/\\_]\S*
    | \b[^\W\d_]+(?:\.[^\W\d_]+)+\.?[^\W\s]*   # example.com, file.txt, e.g., U.S.
    """,
    re.VERBOSE,
)
_CONTRACTION_TAILS = frozenset({"s", "t", "d", "m", "ll", "re", "ve", "n"})
#: Prefixes that stand before a hyphen (multi-line, pre-order, non-zero).
_PREFIXES = frozenset(
    """
    anti auto bi co counter cross de dis ex hyper inter intra macro mega meta micro mid mini mono
    multi neo non omni over pan poly post pre pro proto pseudo quasi re self semi sub super trans
    tri ultra un under uni
    """.split()
)
_POSSESSIVE = re.compile(r"['’]s$", re.I)

#: British spellings: each rewrite is tried on an unknown word, whole-word regex first.
_BRITISH = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"our", "or"),  # colour, behaviour, favourite
        (r"is(e|es|ed|ing|er|ers|ation|ations|able)$", r"iz\1"),  # realise, organisation
        (r"ys(e|es|ed|ing|er|ers)$", r"yz\1"),  # analyse
        (r"([tb])re(s|d)?$", r"\1er\2"),  # centre, fibres
        (r"ll(ed|ing|er|ers|or|ors)$", r"l\1"),  # travelled, counsellor
        (r"ogue(s)?$", r"og\1"),  # catalogue
        (r"ence(s)?$", r"ense\1"),  # defence, licence
        (r"amme(s)?$", r"am\1"),  # programme
    )
)

#: Everyday words the bundled frequency list lacks (plurals are accepted by rule).
EXTRA_WORDS = frozenset(
    """
    app emoji email online website blog blogger smartphone wifi podcast webinar login logout signup
    username hashtag selfie chatbot blockchain cryptocurrency workflow dataset timestamp metadata
    json html css url http https api repo github javascript typescript linux unix dropdown checkbox
    tooltip screenshot fullscreen frontend backend startup offline inbox livestream unfollow retweet
    covid smartwatch ebook touchscreen keyboard autocomplete spellcheck proofread proofreading
    etc lookup runtime workaround namespace iterable boolean async plugin config admin todo
    """.split()
)

_LETTERS = "abcdefghijklmnopqrstuvwxyz'"
#: The two-letter words worth suggesting (the word list holds many rarer ones).
_SHORT_WORDS = frozenset(
    "a i am an as at be by do go he if in is it me my no of oh ok on or so to up us we".split()
)


def _load_frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en").word_frequency.dictionary)


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """pyspellchecker's English word frequencies (lower-case word to count), cached on disk."""
    began = time.perf_counter()
    words = marshalled("words-pyspellchecker-en", package_version("pyspellchecker"), _load_frequencies, dict)
    log.debug("loaded %d English words in %.2f s", len(words), time.perf_counter() - began)
    return words


@lru_cache(maxsize=1)
def _by_length() -> dict[int, list[str]]:
    """The dictionary's words grouped by length (the candidates of a distance-2 search)."""
    groups: dict[int, list[str]] = {}
    for word in _dictionary():
        groups.setdefault(len(word), []).append(word)
    return groups


def _within2(word: str) -> set[str]:
    """Dictionary words at most two edits from ``word`` (optimal string alignment distance).

    rapidfuzz compares against the words of nearby lengths in C++, a few milliseconds
    a word, where generating every edit of every edit in Python took ~0.1 s.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    groups = _by_length()
    n = len(word)
    found: set[str] = set()
    for length in range(max(1, n - 2), n + 3):
        choices = groups.get(length)
        if choices:
            found.update(
                m[0] for m in process.extract(word, choices, scorer=OSA.distance, score_cutoff=2, limit=None)
            )
    return found


@lru_cache(maxsize=1 << 17)
def is_known(word: str) -> bool:
    """True if the lower-cased ``word`` is an English word (or a variant we accept)."""
    words = _dictionary()
    if word in words or word in EXTRA_WORDS:
        return True
    if "’" in word:
        return is_known(word.replace("’", "'"))
    if "'" in word:
        head, *tails = word.split("'")
        return is_known(head) and all(t in _CONTRACTION_TAILS or is_known(t) for t in tails)
    plain = _strip_accents(word)
    if plain != word:
        return is_known(plain)
    if len(word) >= 5 and word.endswith("s") and _known_base(word[:-1]):
        return True  # podcasts, usernames
    if len(word) >= 5 and word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return _known_base(word[:-2])  # checkboxes
    return any(_known_base(v) for v in _british_variants(word))


def _known_base(word: str) -> bool:
    return word in _dictionary() or word in EXTRA_WORDS


def _british_variants(word: str) -> list[str]:
    variants = []
    for pattern, repl in _BRITISH:
        variant = pattern.sub(repl, word)
        if variant != word:
            variants.append(variant)
    return variants


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _LETTERS)
    out.update(a + c + b for a, b in splits for c in _LETTERS)
    return out


_full_suggestions: dict[str, tuple[str, ...]] = {}
_suggestions_lock = threading.Lock()


def suggestions_for(word: str) -> tuple[str, ...]:
    """Best corrections for the lower-cased ``word``, most frequent first (at most four).

    Edit distance 1 first; distance 2 only if that finds nothing and ``word`` has at
    most ``MAX_DISTANCE2_LEN`` letters. The result depends on the word alone.
    """
    if len(word) > MAX_SUGGEST_LEN:
        return ()
    with _suggestions_lock:
        found = _full_suggestions.get(word)
    if found is not None:
        return found
    words = _dictionary()
    edits = _edits1(word)
    candidates = {w for w in edits if w in words}
    if not candidates and len(word) <= MAX_DISTANCE2_LEN:
        candidates = _within2(word)
    candidates.discard(word)
    candidates = {w for w in candidates if len(w) > 2 or w in _SHORT_WORDS}  # not "te" for "teh"
    result = tuple(sorted(candidates, key=lambda w: (-words[w], w))[:MAX_SUGGESTIONS])
    with _suggestions_lock:
        if len(_full_suggestions) >= 8192:
            _full_suggestions.clear()
        _full_suggestions[word] = result
    return result


class SpellingAnalyzer:
    """Unknown words, with likely corrections (``name = "spelling"``, source ``spelling``).

    ``personal_words`` and the words in ``personal_dictionary_path`` (one a line) are
    accepted; :meth:`add_word` adds one and rewrites that file atomically.
    """

    name = "spelling"

    def __init__(
        self,
        personal_words: Iterable[str] = (),
        personal_dictionary_path: Path | None = None,
    ) -> None:
        self.personal_dictionary_path = personal_dictionary_path
        self._lock = threading.Lock()
        self._personal: dict[str, str] = {}  # lower-case -> as the user wrote it
        for word in personal_words:
            self._remember(word)
        if personal_dictionary_path is not None:
            for word in _read_words(personal_dictionary_path):
                self._remember(word)

    @property
    def personal_words(self) -> list[str]:
        """The user's own words, sorted."""
        with self._lock:
            return sorted(self._personal.values(), key=str.lower)

    def status(self) -> AnalyzerStatus:
        try:
            import spellchecker  # noqa: F401
        except ImportError:
            return AnalyzerStatus(False, "pyspellchecker is not installed")
        return AnalyzerStatus(True)

    def analyze(self, chunk: Chunk) -> list[Finding]:
        """Unknown words of ``chunk``, with code-point offsets into ``chunk.text``."""
        text = chunk.text
        try:
            _dictionary()
        except ImportError:
            return []
        skipped = [m.span() for m in _NOT_PROSE.finditer(text)]
        starts = sorted({s.start for s in chunk.sentences} | {0})
        findings: list[Finding] = []
        skip_i = start_i = 0
        sentence_start = True
        personal = self._personal
        for match in COMPOUND_WORD.finditer(text):
            begin = match.start()
            while start_i < len(starts) and starts[start_i] <= begin:
                sentence_start = True  # the first word since a sentence began
                start_i += 1
            first_word, sentence_start = sentence_start, False
            token = match.group()
            lower = token.lower()
            if is_known(lower) or lower in personal:
                continue
            while skip_i < len(skipped) and skipped[skip_i][1] <= begin:
                skip_i += 1
            if skip_i < len(skipped) and skipped[skip_i][0] < match.end():
                continue  # inside a URL, code, a path...
            parts = token.split("-") if "-" in token else [token]
            offset = begin
            for i, part in enumerate(parts):
                prefix = i < len(parts) - 1 and part.lower() in _PREFIXES
                if not prefix and self._flag(part, first_word and offset == begin, personal):
                    findings.append(self._finding(part, offset))
                offset += len(part) + 1
        return findings

    def add_word(self, word: str) -> None:
        """Accept ``word`` from now on and save it in the personal dictionary file."""
        word = word.strip()
        if not word or any(c.isspace() for c in word):
            raise ValueError(f"not a single word: {word!r}")
        with self._lock:
            self._remember(word)
            path = self.personal_dictionary_path
            if path is None:
                return
            words = {w.lower(): w for w in _read_words(path)}  # another process may have added some
            words.update(self._personal)
            _write_atomically(path, sorted(words.values(), key=str.lower))

    def remove_word(self, word: str) -> None:
        """Forget ``word`` (any case) and save the personal dictionary file."""
        with self._lock:
            self._personal.pop(word.strip().lower(), None)
            path = self.personal_dictionary_path
            if path is None:
                return
            words = [w for w in _read_words(path) if w.lower() != word.strip().lower()]
            _write_atomically(path, sorted(set(words) | set(self._personal.values()), key=str.lower))

    # -- internals --

    def _remember(self, word: str) -> None:
        word = word.strip()
        if word:
            self._personal[word.lower()] = word

    @staticmethod
    def _flag(word: str, sentence_start: bool, personal: dict[str, str]) -> bool:
        """Whether an unknown-looking ``word`` (a whole token or a hyphen part) is worth flagging."""
        letters = sum(c.isalpha() for c in word)
        if letters <= 2 or any(c.isdigit() for c in word):
            return False
        if not _LATIN_WORD.fullmatch(word):
            return False  # other scripts; stray marks
        if word.isupper() or any(c.isupper() for c in word[1:]):
            return False  # NASA, iPhone, McDonald
        if word[0].isupper() and not sentence_start:
            return False  # a name, most likely
        if _POSSESSIVE.search(word):
            stem = word[:-2]
            if word[0].isupper() or is_known(stem.lower()) or stem.lower() in personal:
                return False
        lower = word.lower()
        return not (is_known(lower) or lower in personal)

    def _finding(self, word: str, start: int) -> Finding:
        lower = word.lower()
        suggestions = suggestions_for(lower)
        return Finding(
            start=start,
            end=start + len(word),
            category="spelling",
            rule=RULE,
            message=f"Possible spelling mistake: '{word}'",
            suggestions=tuple(capitalise_like(s, word) for s in suggestions),
            source="spelling",
            level=Level.ESSENTIAL,
            matched=word,
        )


def _read_words(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("could not read the personal dictionary %s: %s", path, exc)
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _write_atomically(path: Path, words: list[str]) -> None:
    atomic.write_text(path, "".join(f"{w}\n" for w in words))
