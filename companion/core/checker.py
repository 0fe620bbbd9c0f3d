"""Run the analyzers over a text, paragraph by paragraph, with a result cache."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace

from companion.core.analyzer import Analyzer, Chunk, analyze_many
from companion.core.density import ASK, settle_levels
from companion.core.findings import AnalyzerStatus, Finding, Level, Report, Span
from companion.core.lru import LRU
from companion.core.merge import Filters, apply_filters, merge
from companion.core.score import document_stats
from companion.core.segment import paragraphs

log = logging.getLogger(__name__)

#: Analyzers too slow for the typing path; the editor runs them in a second pass.
SLOW = frozenset({"semantic", "grammar"})
#: Analyzers whose work runs mostly outside the GIL (Harper's Rust code, a server's
#: HTTP round trip): they run on a thread beside the others, on a second core.
CONCURRENT = frozenset({"grammar"})


class Checker:
    """Analyzers plus a per-paragraph cache: re-checking unchanged text is a look-up.

    An analyzer that raises is logged and skipped for that call, and its status
    reports the failure; the others go on.
    """

    def __init__(
        self, analyzers: Sequence[Analyzer], filters: Filters | None = None, cache_size: int = 20000
    ):
        self.analyzers = list(analyzers)
        self.filters = filters or Filters()
        self._cache = LRU(cache_size)
        self._chunks = LRU(cache_size)
        self._failures: dict[str, str] = {}

    # -- paragraphs ---------------------------------------------------------
    def chunk(self, text: str) -> Chunk:
        """The paragraph ``text`` with its sentences (cached)."""
        chunk = self._chunks.get(text)
        if chunk is None:
            chunk = Chunk.of(text)
            self._chunks.put(text, chunk)
        return chunk  # type: ignore[return-value]

    def check_paragraphs(
        self, texts: Sequence[str], names: Iterable[str] | None = None
    ) -> list[list[Finding]]:
        """Unfiltered findings of each paragraph (offsets relative to it), cached per analyzer.

        Analyzers named in ``CONCURRENT`` run on a thread of their own beside the rest;
        findings are gathered in analyzer order either way.
        """
        wanted = set(names) if names is not None else None
        chosen = [a for a in self.analyzers if (wanted is None or a.name in wanted) and self._is_available(a)]
        per: dict[int, list[list[Finding]]] = {}
        aside = [a for a in chosen if a.name in CONCURRENT] if len(chosen) > 1 else []
        threads = [
            threading.Thread(
                target=lambda a=a: per.__setitem__(id(a), self._run(a, texts)),
                name=f"check-{a.name}",
                daemon=True,
            )
            for a in aside
        ]
        for thread in threads:
            thread.start()
        for analyzer in chosen:
            if analyzer not in aside:
                per[id(analyzer)] = self._run(analyzer, texts)
        for thread in threads:
            thread.join()
        results: list[list[Finding]] = [[] for _ in texts]
        for analyzer in chosen:
            for i, items in enumerate(per.get(id(analyzer), ())):
                results[i].extend(items)
        return results

    def _run(self, analyzer: Analyzer, texts: Sequence[str]) -> list[list[Finding]]:
        """``analyzer``'s findings for each of ``texts``, from the cache or computed (then cached)."""
        out: list[list[Finding]] = [[] for _ in texts]
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            hit = self._cache.get((analyzer.name, text))
            if hit is None:
                missing.setdefault(text, []).append(i)
            else:
                out[i] = list(hit)  # type: ignore[call-overload]
        if not missing:
            return out
        todo = list(missing)
        try:
            found = analyze_many(analyzer, [self.chunk(t) for t in todo])
        except Exception as exc:  # an analyzer bug must not stop the others
            log.exception("analyzer %s failed", analyzer.name)
            self._failures[analyzer.name] = f"failed: {type(exc).__name__}: {exc}"
            return out
        self._failures.pop(analyzer.name, None)
        for text, items in zip(todo, found, strict=True):
            frozen = tuple(items)
            self._cache.put((analyzer.name, text), frozen)
            for i in missing[text]:
                out[i] = list(frozen)
        return out

    def _is_available(self, analyzer: Analyzer) -> bool:
        try:
            return analyzer.status().available
        except Exception:
            log.exception("analyzer %s: status failed", analyzer.name)
            return False

    # -- whole texts --------------------------------------------------------
    def findings(self, text: str, names: Iterable[str] | None = None) -> list[Finding]:
        """Unfiltered, unmerged findings of ``text`` with absolute offsets."""
        spans = paragraphs(text)
        per = self.check_paragraphs([text[s.start : s.end] for s in spans], names)
        return [f.shifted(span.start) for span, items in zip(spans, per, strict=True) for f in items]

    def check(
        self, text: str, *, ignored_ranges: Sequence[tuple[int, int]] = (), names: Iterable[str] | None = None
    ) -> Report:
        """A full report: filtered, merged findings, document stats and analyzer statuses."""
        spans = paragraphs(text)
        per = self.check_paragraphs([text[s.start : s.end] for s in spans], names)
        raw = [f.shifted(span.start) for span, items in zip(spans, per, strict=True) for f in items]
        filters = self.filters
        if ignored_ranges:
            filters = replace(filters, ignored_ranges=tuple(ignored_ranges))
        shown: list[Finding] = []
        for span, items in zip(spans, per, strict=True):
            para = text[span.start : span.end]
            inside = relative_ranges(ignored_ranges, span.start, span.end)
            shown.extend(f.shifted(span.start) for f in present(para, items, self.filters, ignored=inside))
        shown = self.rank(text, shown, names)
        masked = [
            f for f in raw if not filters.ignored_ranges or apply_filters([f], replace_profile(filters))
        ]
        stats = document_stats(text, masked, paragraph_count=len(spans))
        return Report(text=text, findings=tuple(shown), stats=stats, analyzers=self.statuses())

    def rank(
        self, text: str, findings: Sequence[Finding], names: Iterable[str] | None = None
    ) -> list[Finding]:
        """Re-order suggestions by fit in context when a ranking analyzer is loaded and wanted."""
        for analyzer in self.analyzers:
            rank = getattr(analyzer, "rank_in_context", None)
            if rank is None or (names is not None and analyzer.name not in set(names)):
                continue
            try:
                return list(rank(text, findings))
            except Exception:
                log.exception("ranking suggestions with %s failed", analyzer.name)
        return list(findings)

    def statuses(self) -> dict[str, AnalyzerStatus]:
        out = {}
        for analyzer in self.analyzers:
            try:
                status = analyzer.status()
            except Exception as exc:
                status = AnalyzerStatus(False, f"failed: {exc}")
            if analyzer.name in self._failures:
                status = AnalyzerStatus(False, self._failures[analyzer.name], status.mode)
            out[analyzer.name] = status
        return out

    def clear_cache(self, name: str | None = None) -> None:
        """Forget cached results: of one analyzer (its word lists changed) or of all."""
        if name is None:
            self._cache.clear()
        else:
            self._cache.drop(lambda key: key[0] != name)

    def analyzer(self, name: str) -> Analyzer | None:
        return next((a for a in self.analyzers if a.name == name), None)


def present(
    paragraph: str,
    raw: Iterable[Finding],
    filters: Filters,
    *,
    gate: object = ASK,
    ignored: Sequence[tuple[int, int]] = (),
) -> list[Finding]:
    """What a front end shows of one paragraph's raw findings (offsets relative to it).

    Findings inside ``ignored`` ranges (Markdown code, URLs) go first, then density
    settles the levels (``gate``: the paragraph gate when the caller has it), then the
    profile and the user's ignores filter, and overlapping findings merge. The editor
    and ``humanize check`` both call this, so they show the same thing.
    """
    found = list(raw)
    if ignored:
        filters = replace(filters, ignored_ranges=tuple(ignored))
        found = apply_filters(found, replace_profile(filters))
    return merge(apply_filters(settle_levels(paragraph, found, gate), filters))


def relative_ranges(ranges: Sequence[tuple[int, int]], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """``ranges`` (absolute) clipped to ``[start, end)`` and made relative to ``start``."""
    return tuple((max(s, start) - start, min(e, end) - start) for s, e in ranges if s < end and start < e)


def replace_profile(filters: Filters) -> Filters:
    """Filters that keep only the ignored ranges (for score inputs: every level counts)."""
    return Filters(
        profile=max(Level, key=lambda lv: lv.rank),
        ignored_ranges=filters.ignored_ranges,
    )


__all__ = ["SLOW", "Checker", "Span"]
