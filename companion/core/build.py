"""Assemble the analyzers a front end needs from the user's settings.

:func:`build_analyzers` builds them all at once (the CLI); :class:`StagedBuild`
builds them in three steps, most useful first, so the editor can underline while
the rest loads. Front ends reach both through :mod:`companion.core.engine`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.analyzer import Analyzer, Chunk
from companion.core.checker import SLOW
from companion.core.findings import AnalyzerStatus
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import Library, load_library
from companion.core.merge import Filters
from companion.core.paths import user_data_dir, user_library_dir
from companion.core.readability import ReadabilityAnalyzer
from companion.core.settings import Settings
from companion.core.style import StyleAnalyzer

if TYPE_CHECKING:
    from companion.core.embedder import Embedder

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """Per-run overrides of the settings (command-line flags)."""

    semantic: bool | None = None
    grammar: str | None = None
    grammar_server: str | None = None
    spelling: bool = True
    embedding_threads: int | None = None
    #: Learned tells (static model, no torch); None follows ``semantic``.
    tells: bool | None = None


def filters_from(settings: Settings) -> Filters:
    return Filters(
        profile=settings.level,
        disabled_categories=frozenset(settings.disabled_categories),
        ignored_rules=frozenset(settings.ignored_rules),
        ignored_phrases=settings.ignored_phrase_pairs(),
    )


def build_analyzers(
    settings: Settings, options: EngineOptions | None = None, library: Library | None = None
) -> list[Analyzer]:
    """Every analyzer the settings ask for, in the order they run (fast ones first)."""
    options = options or EngineOptions()
    library = library if library is not None else load_library([user_library_dir()])
    matcher = LibraryAnalyzer(library)
    analyzers: list[Analyzer] = [matcher, StyleAnalyzer(), ReadabilityAnalyzer()]
    if options.spelling:
        from companion.core.spelling import SpellingAnalyzer

        analyzers.append(SpellingAnalyzer(settings.personal_words, user_data_dir() / "dictionary.txt"))
    use_semantic = settings.semantic if options.semantic is None else options.semantic
    if use_semantic if options.tells is None else options.tells:
        from companion.core.tells import TellAnalyzer

        analyzers.append(TellAnalyzer())
    if use_semantic:
        from companion.core.semantic import SemanticAnalyzer

        embedder = _embedder(settings.model or None, options.embedding_threads)
        analyzers.append(
            SemanticAnalyzer(library, embedder, threshold=settings.semantic_threshold, matcher=matcher)
        )
    from companion.core.grammar import GrammarAnalyzer

    mode = options.grammar or settings.grammar
    server = options.grammar_server or settings.grammar_server or None
    # Even "off" is an analyzer: its status tells front ends that grammar is off and why.
    analyzers.append(GrammarAnalyzer(mode=mode, server_url=server, language=settings.language))
    return analyzers


#: Threads the embedding model may use in the editor: one leaves a core to the UI.
EMBEDDING_THREADS = 1


def _embedder(model: str | None, threads: int | None) -> Embedder:
    """The model in the shared model host where the platform allows, else in this process."""
    from companion.core.embedder import Embedder
    from companion.core.model_host.client import HostedEmbedder, enabled

    return HostedEmbedder(model, threads=threads) if enabled() else Embedder(model, threads=threads)


class Unavailable:
    """Stands in for an analyzer whose module could not be imported, so its status shows why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def status(self) -> AnalyzerStatus:
        return AnalyzerStatus(False, self._reason)

    def analyze(self, chunk: object) -> list:
        return []


def loadable(analyzer: object) -> bool:
    """False for an :class:`Unavailable` stand-in."""
    return not isinstance(analyzer, Unavailable)


class StagedBuild:
    """Builds the analyzers from the settings in three steps, most useful first.

    :meth:`first` is the phrase library alone (the first underlines need nothing
    else); :meth:`more` gives the other fast analyzers; :meth:`slow` builds the
    embedding and grammar analyzers on the same library, not loaded yet (see
    :func:`load_slow`). A module that fails to import becomes an :class:`Unavailable`.
    """

    def __init__(self) -> None:
        self._library: Library | None = None

    def first(self, settings: Settings) -> list[Analyzer]:
        """The phrase library matcher."""
        self._library = load_library([user_library_dir()])
        return [LibraryAnalyzer(self._library)]

    def more(self, settings: Settings) -> list[Analyzer]:
        """The other fast analyzers (style, readability, spelling, learned tells)."""
        # build_analyzers always builds a library matcher; ours came first, so give it an
        # empty library (compiling the real one again costs half a second).
        nothing = Library(())
        # Learned tells need no torch: they come with the fast pass when semantic is on.
        fast = EngineOptions(semantic=False, grammar="off", tells=settings.semantic)
        try:
            analyzers = build_analyzers(settings, fast, nothing)
        except ImportError as exc:  # the spelling module
            log.warning("spelling unavailable: %s", exc)
            fast = EngineOptions(semantic=False, grammar="off", spelling=False, tells=settings.semantic)
            analyzers = [*build_analyzers(settings, fast, nothing), Unavailable("spelling", str(exc))]
        # Grammar, when on, comes with the slow analyzers; "off" stays for its status.
        drop = {"library", "grammar"} if settings.grammar != "off" else {"library"}
        return [a for a in analyzers if a.name not in drop]

    def slow(self, settings: Settings) -> list[Analyzer]:
        """The slow analyzers the settings ask for (not loaded yet)."""
        out: list[Analyzer] = []
        semantic = EngineOptions(
            semantic=True, grammar="off", spelling=False, embedding_threads=EMBEDDING_THREADS, tells=False
        )
        for name, options, library in (
            ("semantic", semantic, self._library),  # paraphrases of the real library's entries
            ("grammar", EngineOptions(semantic=False, spelling=False), Library(())),
        ):
            if name not in expected_slow(settings):
                continue
            try:
                built = build_analyzers(settings, options, library)
            except Exception as exc:  # ImportError, or a bad setting (remote mode without a URL)
                log.warning("%s unavailable: %s", name, exc)
                out.append(Unavailable(name, str(exc)))
                continue
            out.extend(a for a in built if a.name == name)
        return out


def expected_slow(settings: Settings) -> set[str]:
    """The slow analyzers ``settings`` ask for."""
    return ({"semantic"} if settings.semantic else set()) | (
        {"grammar"} if settings.grammar != "off" else set()
    )


def load_slow(analyzer: Analyzer) -> bool:
    """Load a slow analyzer (the model, the grammar server); True when it is available.

    Raises what loading raised, for the caller to report.
    """
    if analyzer.name == "semantic":
        analyzer.load()  # type: ignore[attr-defined]
    else:
        start = getattr(analyzer, "start", None)
        if start is not None:
            start()
    return analyzer.status().available


def warm_up(analyzers: list[Analyzer]) -> None:
    """Load what the fast analyzers load on first use (dictionaries), off the UI thread."""
    for analyzer in analyzers:
        if analyzer.name in SLOW or not loadable(analyzer):
            continue
        t = time.perf_counter()
        try:
            warm = getattr(analyzer, "warm_up", None)
            if warm is not None:
                warm()
            else:
                analyzer.analyze(Chunk.of("Warm up the analyzers."))
        except Exception:
            log.exception("warming up %s failed", analyzer.name)
        log.debug("%s warmed up in %.2f s", analyzer.name, time.perf_counter() - t)
