"""Window state kept apart from the settings: recent files (cache dir), geometry and theme (data dir)."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from companion.core import atomic
from companion.core.paths import user_cache_dir, user_data_dir
from companion.gui.theme import THEME_CHOICES

log = logging.getLogger(__name__)

MAX_RECENT = 10


def recent_path() -> Path:
    return user_cache_dir() / "recent-files.json"


def geometry_path() -> Path:
    return user_data_dir() / "window.json"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s unreadable (%s); ignored", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict) -> None:
    try:
        atomic.write_text(path, json.dumps(data, indent=1))
    except OSError as exc:
        log.warning("cannot write %s: %s", path, exc)


class RecentFiles:
    """Most recently opened files first, at most :data:`MAX_RECENT`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or recent_path()
        items = _read(self.path).get("files", [])
        self.files: list[str] = [f for f in items if isinstance(f, str)][:MAX_RECENT]

    def add(self, file: str) -> None:
        file = os.path.abspath(file)
        self.files = [file] + [f for f in self.files if f != file]
        del self.files[MAX_RECENT:]
        _write(self.path, {"files": self.files})

    def remove(self, file: str) -> None:
        self.files = [f for f in self.files if f != file]
        _write(self.path, {"files": self.files})

    def clear(self) -> None:
        self.files = []
        _write(self.path, {"files": []})


def load_geometry() -> dict:
    return _read(geometry_path())


def save_geometry(data: dict) -> None:
    """Save the window geometry; other keys of the file (the theme) are kept."""
    _write(geometry_path(), {**_read(geometry_path()), **data})


def load_theme_choice(default: str = "system") -> str:
    """The View › Theme choice ("system", "light" or "dark"); ``default`` until one is made."""
    choice = _read(geometry_path()).get("theme")
    return choice if choice in THEME_CHOICES else default


def save_theme_choice(choice: str) -> None:
    if choice not in THEME_CHOICES:
        raise ValueError(f"unknown theme {choice!r}")
    _write(geometry_path(), {**_read(geometry_path()), "theme": choice})
