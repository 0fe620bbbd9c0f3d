"""Embedding matching: paraphrases of library entries that the exact matcher never listed.

Each library entry contributes *anchors*: the phrases its own ``flag`` examples
match, and the base spelling of its set patterns. Anchors are embedded once and
cached on disk, keyed by model and library version. A text is cut into short
clause windows; a cheap lexical pass keeps only windows that share a content
word with some anchor, and only those are embedded. A window whose cosine to an
anchor clears the threshold becomes a finding carrying that entry's
alternatives, ranked by how close each one sits to the window. Lexical and
semantic evidence together are trusted more: a window that shares a content
word with the anchor it resembles needs a lower cosine than one that does not.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from companion.core.analyzer import Chunk
from companion.core.embedder import Embedder, EmbedderUnavailable
from companion.core.findings import AnalyzerStatus, Finding, Level
from companion.core.library.matcher import LibraryAnalyzer, match_case
from companion.core.library.model import Entry, Library
from companion.core.library.patterns import expand, has_slots, inflections, parse
from companion.core.paths import user_cache_dir

log = logging.getLogger(__name__)

#: Cosine at which a window counts as a paraphrase of an anchor it shares a content word
#: with (tuned on the evaluation texts); without a shared word it needs SHARED_BONUS more.
DEFAULT_THRESHOLD = 0.68
SHARED_BONUS = 0.08
_CLAUSE = re.compile(r"[^,;:()\[\]\"“”—–!?]+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_STOP = frozenset(
    """a an the of to in on at by for with from into onto over under about as and or but nor so
    yet if than then that this these those it its it's is are was were be been being am do does did
    done have has had having will would shall should can could may might must not no i you he she we
    they me him her us them my your his our their what which who whom whose when where why how all
    any each every some such more most much many other another own same very just also only even
    too there here one ones make makes made get gets got way ways thing things new well up out
    like really s t re ve ll d m""".split()
)
#: Categories whose entries are worth paraphrase-matching: set phrases with a meaning of
#: their own. Wordy, hedge and transition entries are about form, and their paraphrases
#: are mostly ordinary prose.
SEMANTIC_CATEGORIES = frozenset({"ai-ism", "cliche", "jargon", "filler"})
MIN_WINDOW_WORDS = 3
MAX_WINDOW_WORDS = 10
SUBWINDOW = 6


@dataclass(frozen=True, slots=True)
class Anchor:
    text: str
    entry: Entry


@dataclass(frozen=True, slots=True)
class Window:
    start: int
    end: int
    text: str


class SemanticAnalyzer:
    """Finds paraphrases of library entries with a sentence-transformers model."""

    name = "semantic"

    def __init__(
        self,
        library: Library,
        embedder: Embedder | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        cache_dir: Path | None = None,
    ) -> None:
        self.library = library
        self.embedder = embedder or Embedder()
        self.threshold = threshold
        self.cache_dir = cache_dir
        self._anchors = _anchors(library)
        self._anchor_words = [_content_words(a.text) for a in self._anchors]
        self._by_word: dict[str, list[int]] = {}
        for i, words in enumerate(self._anchor_words):
            for w in words:
                self._by_word.setdefault(w, []).append(i)
        self._triggers = frozenset(self._by_word)
        self._matrix: np.ndarray | None = None
        self._alt_vecs: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._error = ""

    # -- lifecycle ----------------------------------------------------------
    def load(self) -> None:
        """Load the model and the anchor embeddings (from the disk cache when fresh)."""
        with self._lock:
            if self._matrix is not None:
                return
            try:
                self.embedder.load()
                self._matrix = self._anchor_matrix()
            except EmbedderUnavailable as exc:
                self._error = str(exc)
                raise

    @property
    def ready(self) -> bool:
        return self._matrix is not None

    def status(self) -> AnalyzerStatus:
        if self._error:
            return AnalyzerStatus(False, self._error)
        if not self._anchors:
            return AnalyzerStatus(False, "no library entries to compare against")
        if self._matrix is None and self.embedder.error:
            return AnalyzerStatus(False, self.embedder.error)
        return AnalyzerStatus(True, "" if self.ready else "model loads on first use")

    def _cache_file(self) -> Path:
        folder = self.cache_dir or (user_cache_dir() / "embeddings")
        return folder / f"{self.embedder.model_id}-{self.library.version}.npz"

    def _anchor_matrix(self) -> np.ndarray:
        texts = [a.text for a in self._anchors]
        path = self._cache_file()
        try:
            with np.load(path, allow_pickle=False) as data:
                if list(data["texts"]) == texts:
                    log.debug("anchor embeddings from cache %s", path)
                    return data["vectors"]
        except (OSError, KeyError, ValueError):
            pass
        vectors = self.embedder.encode(texts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, texts=np.array(texts), vectors=vectors)
            tmp.replace(path)
        except OSError as exc:
            log.warning("cannot cache anchor embeddings at %s: %s", path, exc)
        return vectors

    # -- analysis -----------------------------------------------------------
    def windows(self, chunk: Chunk) -> list[Window]:
        """Clause windows of ``chunk`` that share a content word with some anchor."""
        text = chunk.text
        out: list[Window] = []
        for sent in chunk.sentences:
            for clause in _CLAUSE.finditer(text, sent.start, sent.end):
                out.extend(self._clause_windows(text, clause.start(), clause.end()))
        return out

    def _clause_windows(self, text: str, start: int, end: int) -> list[Window]:
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
        if len(spans) < MIN_WINDOW_WORDS:
            return []
        hits = [_lower(text[s:e]) in self._triggers for s, e in spans]
        if not any(hits):
            return []
        if len(spans) <= MAX_WINDOW_WORDS:
            s, e = spans[0][0], spans[-1][1]
            return [Window(s, e, text[s:e])]
        out = []
        for i in range(0, len(spans) - SUBWINDOW + 1, SUBWINDOW // 2):
            if any(hits[i : i + SUBWINDOW]):
                s, e = spans[i][0], spans[i + SUBWINDOW - 1][1]
                out.append(Window(s, e, text[s:e]))
        return out

    def analyze(self, chunk: Chunk) -> list[Finding]:
        return self.analyze_many([chunk])[0]

    def analyze_many(self, chunks: Sequence[Chunk]) -> list[list[Finding]]:
        self.load()
        assert self._matrix is not None
        per_chunk = [self.windows(c) for c in chunks]
        flat = [w for ws in per_chunk for w in ws]
        results: list[list[Finding]] = [[] for _ in chunks]
        if not flat:
            return results
        vecs = self.embedder.encode([w.text for w in flat])
        sims = vecs @ self._matrix.T
        # Handicap anchors that share no content word with the window.
        effective = sims - SHARED_BONUS
        for k, w in enumerate(flat):
            shared = {i for word in _WORD.findall(_lower(w.text)) for i in self._by_word.get(word, ())}
            if shared:
                idx = np.fromiter(shared, dtype=np.int64)
                effective[k, idx] = sims[k, idx]
        best = effective.argmax(axis=1)
        k = 0
        for ci, ws in enumerate(per_chunk):
            for w in ws:
                j = int(best[k])
                if effective[k, j] >= self.threshold:
                    results[ci].append(self._finding(w, self._anchors[j], float(sims[k, j]), vecs[k]))
                k += 1
            results[ci] = _best_per_overlap(results[ci])
        return results

    def _finding(self, w: Window, anchor: Anchor, score: float, vec: np.ndarray) -> Finding:
        entry = anchor.entry
        return Finding(
            start=w.start,
            end=w.end,
            category=entry.category,
            rule=f"semantic.{entry.category}.{entry.id}",
            message=f"Reads like the stock phrase “{anchor.text}”. {entry.explanation}",
            suggestions=self.rank(entry, w.text, vec),
            source="semantic",
            confidence=score,
            level=entry.level if entry.level is not Level.ESSENTIAL else Level.RECOMMENDED,
            matched=w.text,
        )

    def rank(self, entry: Entry, matched: str, vec: np.ndarray) -> tuple[str, ...]:
        """The entry's alternatives that fit a free-form window, closest in meaning first."""
        alts = [_base_form(a) for a in entry.alternatives if "$" not in a]
        alts = [a for a in dict.fromkeys(alts) if a]
        if not alts:
            return ()
        missing = [a for a in alts if a not in self._alt_vecs]
        if missing:
            for a, v in zip(missing, self.embedder.encode(missing), strict=True):
                self._alt_vecs[a] = v
        order = sorted(alts, key=lambda a: -float(self._alt_vecs[a] @ vec))
        return tuple(match_case(a, matched) for a in order)

    def rank_in_context(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        """Library findings with their suggestions re-ordered by fit in context.

        Each suggestion is put in place of the match inside its clause; the one whose
        clause stays closest in meaning to the original comes first. Findings with a
        single suggestion, or from other sources, come back unchanged.
        """
        if not self.ready:
            return list(findings)
        todo = [f for f in findings if f.source == "library" and len(f.suggestions) > 1]
        if not todo:
            return list(findings)
        contexts: list[tuple[str, list[str]]] = []
        for f in todo:
            left, right = _clause_bounds(text, f.start, f.end)
            before, after = text[left : f.start], text[f.end : right]
            original = (before + text[f.start : f.end] + after).strip()
            variants = [" ".join((before + s + after).split()) for s in f.suggestions]
            contexts.append((original, variants))
        vecs = self.embedder.encode([t for o, vs in contexts for t in (o, *vs)])
        ranked: dict[int, Finding] = {}
        k = 0
        for f, (_, variants) in zip(todo, contexts, strict=True):
            base = vecs[k]
            fits = [float(vecs[k + 1 + i] @ base) for i in range(len(variants))]
            k += 1 + len(variants)
            order = sorted(range(len(fits)), key=lambda i: -fits[i])
            ranked[id(f)] = replace(f, suggestions=tuple(f.suggestions[i] for i in order))
        return [ranked.get(id(f), f) for f in findings]


def _base_form(alternative: str) -> str:
    return re.sub(r"\[([^\]]+)\]", r"\1", alternative).strip()


_CONTEXT_WORDS = 6


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end of the clause around ``text[start:end]``, at most a few words each side."""
    left = start
    words = 0
    while left > 0 and text[left - 1] not in ',;:.!?()\n"“”—–':
        left -= 1
        if text[left] == " " and (words := words + 1) > _CONTEXT_WORDS:
            break
    right = end
    words = 0
    while right < len(text) and text[right] not in ',;:.!?()\n"“”—–':
        if text[right] == " " and (words := words + 1) > _CONTEXT_WORDS:
            break
        right += 1
    return left, right


def _best_per_overlap(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: -f.confidence):
        if not any(f.start < o.end and o.start < f.end for o in out):
            out.append(f)
    return sorted(out, key=lambda f: f.start)


def _anchors(library: Library) -> list[Anchor]:
    """Anchor phrases of every entry that allows semantic matching."""
    matcher = LibraryAnalyzer(library)
    anchors: dict[str, Anchor] = {}
    for entry in library.entries:
        if not entry.semantic or entry.category not in SEMANTIC_CATEGORIES:
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
            if len(_WORD.findall(clean)) >= MIN_WINDOW_WORDS - 1 and clean.lower() not in anchors:
                anchors[clean.lower()] = Anchor(clean, entry)
    return list(anchors.values())


def _lower(text: str) -> str:
    return text.lower().replace("’", "'")


#: Words this frequent in English (per pyspellchecker's counts) are too common to
#: single out a window ("through", "said", "time"); about the 300 most common words.
COMMON_WORD_COUNT = 1_000_000


@lru_cache(maxsize=1)
def _frequency() -> Callable[[str], int]:
    try:
        from spellchecker import SpellChecker
    except ImportError:  # the stop list alone still works
        return lambda _word: 0
    counts = SpellChecker().word_frequency
    return lambda word: counts[word]


def _content_words(text: str) -> frozenset[str]:
    """Content words of an anchor in every inflection (windows must share one to be embedded)."""
    words: set[str] = set()
    frequency = _frequency()
    for w in _WORD.findall(_lower(text)):
        if w in _STOP or len(w) < 3 or frequency(w) >= COMMON_WORD_COUNT:
            continue
        words.add(w)
        words.update(inflections(w))
    return frozenset(words)
