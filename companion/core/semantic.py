"""Embedding matching: paraphrases of library entries that the exact matcher never listed.

Each library entry contributes *anchors* (``semantic_windows.anchors``). A paragraph
is cut into phrase windows of 3 to 7 words around its content words; windows that
overlap an exact library match are skipped. A static embedding distilled from the
same MiniLM model (``static_embed``) compares every window with every anchor in
microseconds and keeps the few that come close; MiniLM then embeds only those, and
a window whose cosine to an anchor clears that anchor's category threshold becomes
a finding carrying the entry's alternatives, ranked by how close each sits to the
window. A window that shares a content word with the anchor it resembles needs a
lower cosine than one that does not (``SHARED_BONUS``). The thresholds are set per
category by ``scripts/tune_semantic.py`` and stored in ``resources/semantic.json``.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from companion.core.analyzer import Chunk
from companion.core.embedder import Embedder, EmbedderUnavailable
from companion.core.findings import AnalyzerStatus, Finding, Level
from companion.core.library.matcher import LibraryAnalyzer, match_case
from companion.core.library.model import Entry, Library
from companion.core.paths import resource_dir, user_cache_dir
from companion.core.segment import COMPOUND_WORD
from companion.core.semantic_windows import Anchor, Window, anchor_table, lower, windows
from companion.core.static_embed import StaticEmbedder, shared_static

log = logging.getLogger(__name__)

#: The settings' default sensitivity; a user's other value shifts every category threshold.
DEFAULT_THRESHOLD = 0.68
SHARED_BONUS = 0.08
#: Fallbacks when resources/semantic.json is missing or lacks a category.
FALLBACK_CATEGORY_THRESHOLD = 0.72
FALLBACK_STATIC_CUT = 0.55
#: At most one MiniLM candidate per this many windows of a paragraph (about one per 30
#: words): bounds the slow model's work on any text, however many windows come close.
WINDOWS_PER_CANDIDATE = 40


@dataclass(frozen=True, slots=True)
class Tuning:
    """Per-category MiniLM thresholds and the static pass's cut-off."""

    thresholds: dict[str, float]
    static_cut: float

    @classmethod
    def load(cls, path: Path | None = None) -> Tuning:
        path = path or resource_dir() / "semantic.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls({str(k): float(v) for k, v in data["thresholds"].items()}, float(data["static_cut"]))
        except FileNotFoundError:
            return cls({}, FALLBACK_STATIC_CUT)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)
            return cls({}, FALLBACK_STATIC_CUT)

    def threshold(self, category: str) -> float:
        return self.thresholds.get(category, FALLBACK_CATEGORY_THRESHOLD)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A window, its closest anchor by MiniLM and the (handicapped) cosine to it."""

    window: Window
    anchor: Anchor
    cosine: float
    effective: float
    vector: np.ndarray
    static: float = 1.0


class SemanticAnalyzer:
    """Finds paraphrases of library entries with a sentence-transformers model."""

    name = "semantic"

    def __init__(
        self,
        library: Library,
        embedder: Embedder | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        cache_dir: Path | None = None,
        static: StaticEmbedder | None = None,
        tuning: Tuning | None = None,
        matcher: LibraryAnalyzer | None = None,
    ) -> None:
        self.library = library
        self.embedder = embedder or Embedder()
        self.static = static or shared_static()
        self.tuning = tuning or Tuning.load()
        self.shift = threshold - DEFAULT_THRESHOLD
        self.cache_dir = cache_dir
        #: The exact matcher of ``library`` (a caller that built one already passes it).
        self._matcher = (
            matcher if matcher is not None and matcher.library is library else LibraryAnalyzer(library)
        )
        table = anchor_table(library, self._matcher)
        self._anchors = [a for a, _ in table]
        self._anchor_words = [words for _, words in table]
        self._by_word: dict[str, list[int]] = {}
        for i, words in enumerate(self._anchor_words):
            for w in words:
                self._by_word.setdefault(w, []).append(i)
        self._thresholds = np.array(
            [self.tuning.threshold(a.entry.category) + self.shift for a in self._anchors], dtype=np.float32
        )
        self._matrix: np.ndarray | None = None
        self._static_matrix: np.ndarray | None = None
        self._alt_vecs: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._error = ""

    # -- lifecycle ----------------------------------------------------------
    def load(self) -> None:
        """Load the anchor embeddings and MiniLM now (the editor, ahead of use)."""
        self.prepare()
        try:
            self.embedder.load()
        except EmbedderUnavailable as exc:
            self._error = str(exc)
            raise

    def prepare(self) -> None:
        """Load the anchor embeddings: MiniLM's from the disk cache when fresh, so a check
        whose first pass leaves nothing for MiniLM never waits for the model (or its host)."""
        with self._lock:
            if self._matrix is not None:
                return
            try:
                self.embedder.resolve()
                self._matrix = self._anchor_matrix()
            except EmbedderUnavailable as exc:
                self._error = str(exc)
                raise
            if self._anchors and self.static.available():
                self._static_matrix = self.static.encode([a.text for a in self._anchors])

    @property
    def ready(self) -> bool:
        return self._matrix is not None and self.embedder.loaded

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
        """Phrase windows of ``chunk`` that no exact library match covers."""
        skip = [(m.start, m.end) for m in self._matcher.matches(chunk.text)]
        return windows(chunk, skip)

    def _shared(self, text: str) -> set[int]:
        return {i for word in COMPOUND_WORD.findall(lower(text)) for i in self._by_word.get(word, ())}

    def _first_pass(self, flat: list[Window]) -> list[tuple[Window, float]]:
        """Windows worth MiniLM's time, with their best static cosine.

        The static model keeps windows close to some anchor; of overlapping windows only
        the closest goes on (one MiniLM call per phrase), and a paragraph sends at most one
        window per ``WINDOWS_PER_CANDIDATE`` of its windows, the closest first. Without the static model, the
        windows that share a content word with an anchor go on.
        """
        if self._static_matrix is None:
            return [(w, 1.0) for w in flat if self._shared(w.text)]
        scored: list[tuple[float, Window]] = []
        cut = self.tuning.static_cut
        budget = max(1, len(flat) // WINDOWS_PER_CANDIDATE)
        for lo in range(0, len(flat), 2048):
            part = flat[lo : lo + 2048]
            best = (self.static.encode([w.text for w in part]) @ self._static_matrix.T).max(axis=1)
            scored.extend((float(b), w) for w, b in zip(part, best, strict=True) if b >= cut)
        keep: list[tuple[Window, float]] = []
        taken: list[tuple[int, int]] = []
        for score, w in sorted(scored, key=lambda sw: -sw[0]):
            if len(keep) >= budget:
                break
            if not any(w.start < e and s < w.end for s, e in taken):
                keep.append((w, score))
                taken.append((w.start, w.end))
        return sorted(keep, key=lambda ws: ws[0].start)

    def candidates(self, chunks: Sequence[Chunk]) -> list[list[Candidate]]:
        """Each chunk's windows that pass the first pass, with their closest anchor by MiniLM."""
        self.prepare()
        assert self._matrix is not None
        per_chunk = [self._first_pass(self.windows(c)) for c in chunks]
        flat = [w for ws in per_chunk for w, _ in ws]
        out: list[list[Candidate]] = [[] for _ in chunks]
        if not flat:
            return out
        vecs = self.embedder.encode([w.text for w in flat])
        sims = vecs @ self._matrix.T
        effective = sims - SHARED_BONUS
        for k, w in enumerate(flat):
            shared = self._shared(w.text)
            if shared:
                idx = np.fromiter(shared, dtype=np.int64)
                effective[k, idx] = sims[k, idx]
        best = (effective - self._thresholds).argmax(axis=1)
        k = 0
        for ci, ws in enumerate(per_chunk):
            for w, static in ws:
                j = int(best[k])
                cos, eff = float(sims[k, j]), float(effective[k, j])
                out[ci].append(Candidate(w, self._anchors[j], cos, eff, vecs[k], static))
                k += 1
        return out

    def analyze(self, chunk: Chunk) -> list[Finding]:
        return self.analyze_many([chunk])[0]

    def analyze_many(self, chunks: Sequence[Chunk]) -> list[list[Finding]]:
        results: list[list[Finding]] = []
        for cands in self.candidates(chunks):
            found = [
                self._finding(c.window, c.anchor, c.cosine, c.vector)
                for c in cands
                if c.effective >= self.tuning.threshold(c.anchor.entry.category) + self.shift
            ]
            results.append(_best_per_overlap(found))
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
            # A paraphrase is a guess: picky, so the default profile shows it where tells
            # cluster (density.py). On human prose shown guesses cost 0.5 false flags per 1k.
            level=Level.PICKY,
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
        # A safe finding keeps its checked first alternative first (clean applies it).
        todo = [f for f in findings if f.source == "library" and not f.safe and len(f.suggestions) > 1]
        if not todo:
            return list(findings)
        try:
            self.load()
        except EmbedderUnavailable:
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
