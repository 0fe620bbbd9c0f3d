"""Where bundled resources and the user's own data live."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "Humanize"
APP_AUTHOR = "Humanize"


def resource_dir() -> Path:
    """The bundled ``resources/`` folder, installed (as ``companion.resources``) or in a checkout."""
    try:
        path = Path(str(resources.files("companion.resources")))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "resources"


def _override(var: str) -> Path | None:
    value = os.environ.get(var)
    return Path(value) if value else None


def user_data_dir() -> Path:
    """The user's data folder (own library entries, ignores, autosaves).

    ``HUMANIZE_DATA_DIR`` overrides it (tests point it at a temporary folder).
    """
    return _override("HUMANIZE_DATA_DIR") or Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_config_dir() -> Path:
    """The user's settings folder; ``HUMANIZE_CONFIG_DIR`` overrides it."""
    return _override("HUMANIZE_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def user_cache_dir() -> Path:
    """The cache folder (library embeddings); ``HUMANIZE_CACHE_DIR`` overrides it."""
    return _override("HUMANIZE_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def user_library_dir() -> Path:
    """Where the user's own phrase-library files live (same format as the bundled ones)."""
    return user_data_dir() / "library"
