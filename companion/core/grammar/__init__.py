"""Grammar checking: Harper in-process, or LanguageTool (a local server we own, or a remote one).

``GrammarAnalyzer`` is the analyzer; ``install_languagetool`` downloads LanguageTool
when (and only when) it is called.
"""

from __future__ import annotations

from companion.core.grammar.analyzer import (
    DEFAULT_DROPPED_CATEGORIES,
    MODES,
    GrammarAnalyzer,
    normalize_server_url,
)
from companion.core.grammar.client import GrammarServerError
from companion.core.grammar.discover import default_install_dir, find_java, find_languagetool
from companion.core.grammar.install import GrammarInstallError, install_languagetool
from companion.core.grammar.offsets import Utf16Index, utf16_len

__all__ = [
    "DEFAULT_DROPPED_CATEGORIES",
    "MODES",
    "GrammarAnalyzer",
    "GrammarInstallError",
    "GrammarServerError",
    "Utf16Index",
    "default_install_dir",
    "find_java",
    "find_languagetool",
    "install_languagetool",
    "normalize_server_url",
    "utf16_len",
]
