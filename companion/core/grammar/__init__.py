"""Grammar checking: Harper in-process, or LanguageTool (a local server we own, or a remote one).

``GrammarAnalyzer`` is the analyzer; ``install_languagetool`` downloads LanguageTool
when (and only when) it is called. Names load on first use, so importing one module of
this package (``grammar.harper`` to start Harper early) does not import them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "DEFAULT_DROPPED_CATEGORIES": "analyzer",
    "MODES": "analyzer",
    "GrammarAnalyzer": "analyzer",
    "normalize_server_url": "analyzer",
    "GrammarServerError": "errors",
    "default_install_dir": "discover",
    "find_java": "discover",
    "find_languagetool": "discover",
    "GrammarInstallError": "install",
    "install_languagetool": "install",
    "Utf16Index": "offsets",
    "utf16_len": "offsets",
}
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

if TYPE_CHECKING:
    from companion.core.grammar.analyzer import (
        DEFAULT_DROPPED_CATEGORIES,
        MODES,
        GrammarAnalyzer,
        normalize_server_url,
    )
    from companion.core.grammar.discover import default_install_dir, find_java, find_languagetool
    from companion.core.grammar.errors import GrammarServerError
    from companion.core.grammar.install import GrammarInstallError, install_languagetool
    from companion.core.grammar.offsets import Utf16Index, utf16_len


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
