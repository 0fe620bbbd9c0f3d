"""The one door between the front ends and the analysis core.

The CLI, the editor, the companion window and folder cleaning all reach the core
through this module (and the data modules :mod:`findings`, :mod:`settings`,
:mod:`documents`, :mod:`paths` and :mod:`atomic`), so they cannot drift apart:

- build: :func:`build_engine` (everything at once) or :class:`StagedEngine`
  (the library first, then the other fast analyzers, then the slow ones);
- analyze: :meth:`Engine.check` for a whole text, :meth:`Engine.check_paragraphs`
  for paragraphs (``names`` picks the fast or the slow analyzers), :func:`present`
  for what a front end shows of one paragraph;
- rank suggestions: :meth:`Engine.rank`; figures: :func:`paragraph_stats`,
  :func:`document_figures`; clean: :meth:`Engine.clean` and the edit helpers.

Modules that import heavy dependencies (the learned tells, Markdown, spelling,
the LanguageTool installer) are imported only when their function is called, so
importing the engine stays cheap for the CLI's start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from companion.core.analyzer import Analyzer
from companion.core.batch import BatchSummary, FileResult, list_files, run_batch
from companion.core.build import (
    EngineOptions,
    StagedBuild,
    Unavailable,
    build_analyzers,
    expected_slow,
    filters_from,
    load_slow,
    loadable,
    warm_up,
)
from companion.core.checker import SLOW, Checker, present, relative_ranges
from companion.core.clean import Edit, apply_edits, clean_edits, edit_for, is_safe
from companion.core.clean_guard import GrammarCount, harper_count, refusal
from companion.core.cleaning import changes_between, clean_document_text
from companion.core.density import needs_gate
from companion.core.figures import ParaStats, document_figures, paragraph_score, paragraph_stats
from companion.core.library.model import Library
from companion.core.library.user import Added, LibraryAddError, add_phrase
from companion.core.merge import Filters
from companion.core.score import phrasing_weight
from companion.core.segment import is_blank, paragraph_bounds, paragraphs, sentences, starts_paragraph
from companion.core.settings import Settings


class Engine(Checker):
    """The analyzers of one configuration, with a per-paragraph result cache."""

    def clean(self, text: str, *, markdown: bool = False, grammar: GrammarCount | None = None) -> str:
        """``text`` with every safe change applied (what ``humanize clean`` writes)."""
        return clean_document_text(self, text, markdown=markdown, grammar=grammar)


def build_engine(
    settings: Settings, options: EngineOptions | None = None, library: Library | None = None
) -> Engine:
    """An engine with every analyzer ``settings`` (and ``options``) ask for."""
    return Engine(build_analyzers(settings, options, library), filters_from(settings))


class StagedEngine(StagedBuild):
    """Builds an engine in steps: calling it gives one with the phrase library alone;
    :meth:`more` and :meth:`slow` give the analyzers that join it later."""

    def __call__(self, settings: Settings) -> Engine:
        return Engine(self.first(settings), filters_from(settings))


EngineFactory = Callable[[Settings], Engine]


def paragraph_gate(text: str) -> float | None:
    """The learned tells' verdict on a paragraph (None when the model is missing)."""
    from companion.core.tells import paragraph_gate as gate

    return gate(text)


def preload_static() -> None:
    """Start loading the static model (the paragraph gate and the score read it) on a thread."""
    from companion.core.static_embed import preload_static as start

    start()


def markdown_ignored(text: str) -> list[tuple[int, int]]:
    """Ranges of Markdown ``text`` that are not prose (code, URLs, front matter)."""
    from companion.core.markdown import ignored_ranges

    return ignored_ranges(text)


def personal_dictionary(path: Path) -> Analyzer:
    """A spelling analyzer over the personal dictionary at ``path`` (to add or remove words)."""
    from companion.core.spelling import SpellingAnalyzer

    return SpellingAnalyzer(personal_dictionary_path=path)


def install_languagetool(
    dest: Path | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    url: str | None = None,
) -> Path:
    """Download LanguageTool (into ``dest``, or the user's data folder); returns where it went."""
    from companion.core.grammar import install_languagetool as install

    return install(dest, progress=progress, url=url)


__all__ = [
    "SLOW",
    "Added",
    "Analyzer",
    "BatchSummary",
    "Edit",
    "Engine",
    "EngineFactory",
    "EngineOptions",
    "FileResult",
    "Filters",
    "LibraryAddError",
    "ParaStats",
    "StagedEngine",
    "Unavailable",
    "add_phrase",
    "apply_edits",
    "build_analyzers",
    "build_engine",
    "changes_between",
    "clean_edits",
    "document_figures",
    "edit_for",
    "expected_slow",
    "filters_from",
    "harper_count",
    "install_languagetool",
    "is_blank",
    "is_safe",
    "list_files",
    "load_slow",
    "loadable",
    "markdown_ignored",
    "needs_gate",
    "paragraph_bounds",
    "paragraph_gate",
    "paragraph_score",
    "paragraph_stats",
    "paragraphs",
    "personal_dictionary",
    "phrasing_weight",
    "present",
    "refusal",
    "relative_ranges",
    "run_batch",
    "sentences",
    "starts_paragraph",
    "warm_up",
]
