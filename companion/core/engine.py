"""Assemble the analyzers a front end needs from the user's settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from companion.core.analyzer import Analyzer
from companion.core.checker import Checker
from companion.core.embedder import Embedder
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import Library, load_library
from companion.core.merge import Filters
from companion.core.paths import user_data_dir, user_library_dir
from companion.core.readability import ReadabilityAnalyzer
from companion.core.settings import Settings
from companion.core.style import StyleAnalyzer

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
    analyzers: list[Analyzer] = [LibraryAnalyzer(library), StyleAnalyzer(), ReadabilityAnalyzer()]
    if options.spelling:
        from companion.core.spelling import SpellingAnalyzer

        analyzers.append(SpellingAnalyzer(settings.personal_words, user_data_dir() / "dictionary.txt"))
    use_semantic = settings.semantic if options.semantic is None else options.semantic
    if use_semantic if options.tells is None else options.tells:
        from companion.core.tells import TellAnalyzer

        analyzers.append(TellAnalyzer())
    if use_semantic:
        from companion.core.semantic import SemanticAnalyzer

        embedder = Embedder(settings.model or None, threads=options.embedding_threads)
        analyzers.append(SemanticAnalyzer(library, embedder, threshold=settings.semantic_threshold))
    from companion.core.grammar import GrammarAnalyzer

    mode = options.grammar or settings.grammar
    server = options.grammar_server or settings.grammar_server or None
    # Even "off" is an analyzer: its status tells front ends that grammar is off and why.
    analyzers.append(GrammarAnalyzer(mode=mode, server_url=server, language=settings.language))
    return analyzers


def build_checker(
    settings: Settings, options: EngineOptions | None = None, library: Library | None = None
) -> Checker:
    """A checker wired from ``settings``."""
    return Checker(build_analyzers(settings, options, library), filters_from(settings))
