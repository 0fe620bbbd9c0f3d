"""One settings object with typed defaults, stored as TOML in the user's config folder."""

from __future__ import annotations

import logging
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from companion.core import atomic
from companion.core.findings import Level
from companion.core.paths import user_config_dir

log = logging.getLogger(__name__)

#: Grammar checking modes, defined here only (the analyzer, the CLI and the settings dialog import it):
#: auto (LanguageTool if installed or a server is set, else Harper), harper, local, remote, off.
GRAMMAR_MODES = ("auto", "harper", "local", "remote", "off")


@dataclass(slots=True)
class Settings:
    """Everything a user can configure. Passed explicitly; never a global."""

    profile: str = Level.RECOMMENDED.value
    disabled_categories: list[str] = field(default_factory=list)
    ignored_rules: list[str] = field(default_factory=list)
    #: "rule\tphrase" strings (phrase lower-cased); rule "*" ignores the phrase everywhere.
    ignored_phrases: list[str] = field(default_factory=list)
    semantic: bool = True
    #: Empty: the bundled all-MiniLM-L6-v2. Otherwise a path or a locally cached model name.
    model: str = ""
    semantic_threshold: float = 0.68
    grammar: str = "auto"
    grammar_server: str = ""
    language: str = "en-US"
    debounce_ms: int = 250
    theme: str = "system"
    clipboard_watch: bool = False
    autosave_s: int = 5
    personal_words: list[str] = field(default_factory=list)

    def validate(self) -> None:
        """Raise ValueError naming the first bad value."""
        Level.parse(self.profile)
        if self.grammar not in GRAMMAR_MODES:
            raise ValueError(f"grammar must be one of {', '.join(GRAMMAR_MODES)}")
        if not 0.0 < self.semantic_threshold < 1.0:
            raise ValueError("semantic_threshold must be between 0 and 1")
        if not 0 <= self.debounce_ms <= 5000:
            raise ValueError("debounce_ms must be between 0 and 5000")

    @property
    def level(self) -> Level:
        return Level.parse(self.profile)

    def ignored_phrase_pairs(self) -> frozenset[tuple[str, str]]:
        pairs = set()
        for item in self.ignored_phrases:
            rule, _, phrase = item.partition("\t")
            if phrase:
                pairs.add((rule, phrase.lower()))
        return frozenset(pairs)


def settings_path() -> Path:
    return user_config_dir() / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default location); unknown keys and bad values fall back to defaults."""
    path = path or settings_path()
    settings = Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return settings
    known = {f.name: f for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            log.warning("settings: unknown key %r ignored", key)
            continue
        default = getattr(settings, key)
        widening = isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool)
        mismatch = isinstance(default, bool) != isinstance(value, bool) or not isinstance(
            value, type(default)
        )
        if mismatch and not widening:
            log.warning("settings: %s has the wrong type; default kept", key)
            continue
        setattr(settings, key, value)
    try:
        settings.validate()
    except ValueError as exc:
        log.warning("settings: %s; using defaults", exc)
        return Settings()
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write ``settings`` atomically as TOML."""
    settings.validate()
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {_toml(value)}" for key, value in asdict(settings).items()]
    atomic.write_text(path, "\n".join(lines) + "\n")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return (
            '"'
            + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
            + '"'
        )
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
