"""One settings object with typed defaults, stored as TOML in the user's config folder, and the
live store every window shares (:class:`SettingsStore`).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from companion.core import atomic
from companion.core.findings import Level
from companion.core.paths import user_config_dir, user_data_dir

log = logging.getLogger(__name__)

#: Grammar checking modes, defined here only (the analyzer, the CLI and the settings dialog import it):
#: auto (LanguageTool if installed or a server is set, else Harper), harper, local, remote, off.
GRAMMAR_MODES = ("auto", "harper", "local", "remote", "off")

#: Settings the analyzers are built from: a change rebuilds them.
ENGINE_FIELDS = (
    "semantic",
    "model",
    "semantic_threshold",
    "grammar",
    "grammar_server",
    "language",
    "personal_words",
)
#: Settings that decide which findings are shown (``companion.core.engine.filters_from``).
FILTER_FIELDS = ("profile", "disabled_categories", "ignored_rules", "ignored_phrases")


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
        for f in fields(self):
            problem = value_problem(f.name, getattr(self, f.name))
            if problem:
                raise ValueError(problem)

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


def value_problem(key: str, value: object) -> str:
    """Why ``value`` cannot be the setting ``key`` (type and range), or ``""``."""
    default = getattr(_DEFAULTS, key)
    widening = isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool)
    if (
        isinstance(default, bool) != isinstance(value, bool) or not isinstance(value, type(default))
    ) and not widening:
        return f"{key} must be a {type(default).__name__}, not {type(value).__name__}"
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        return f"{key} must be a list of strings"
    if key == "profile":
        try:
            Level.parse(str(value))
        except ValueError as exc:
            return f"profile: {exc}"
    elif key == "grammar" and value not in GRAMMAR_MODES:
        return f"grammar must be one of {', '.join(GRAMMAR_MODES)}"
    elif key == "semantic_threshold" and not 0.0 < float(value) < 1.0:  # type: ignore[arg-type]
        return "semantic_threshold must be between 0 and 1"
    elif key == "debounce_ms" and not 0 <= int(value) <= 5000:  # type: ignore[call-overload]
        return "debounce_ms must be between 0 and 5000"
    return ""


_DEFAULTS = Settings()


@dataclass(slots=True)
class SettingsFile:
    """What a settings file holds: the valid settings, and the keys this version does not know."""

    settings: Settings
    #: Unknown keys, written back unchanged on save (a newer version's settings survive).
    extra: dict[str, object] = field(default_factory=dict)
    #: False when the file exists but could not be read or parsed (see ``raw``).
    readable: bool = True
    #: The unreadable file's bytes, so a save can keep a copy before replacing it.
    raw: bytes = b""


def settings_path() -> Path:
    return user_config_dir() / "settings.toml"


def personal_dictionary_path() -> Path:
    """The personal dictionary: one word a line, in the user data folder."""
    return user_data_dir() / "dictionary.txt"


def read_settings(path: Path | None = None) -> SettingsFile:
    """The settings in ``path`` (default location). A bad value drops only itself (logged)."""
    path = path or settings_path()
    settings = Settings()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return SettingsFile(settings)
    except OSError as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return SettingsFile(settings, readable=False)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return SettingsFile(settings, readable=False, raw=raw)
    known = {f.name for f in fields(Settings)}
    extra: dict[str, object] = {}
    for key, value in data.items():
        if key not in known:
            log.info("settings: unknown key %r kept as is", key)
            extra[key] = value
            continue
        problem = value_problem(key, value)
        if problem:
            log.warning(
                "settings: %s = %r dropped (%s); default %r kept", key, value, problem, getattr(settings, key)
            )
            continue
        setattr(settings, key, float(value) if isinstance(getattr(settings, key), float) else value)
    return SettingsFile(settings, extra)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default location); a bad value falls back to its default alone."""
    return read_settings(path).settings


def save_settings(
    settings: Settings, path: Path | None = None, extra: dict[str, object] | None = None
) -> None:
    """Write ``settings`` (and the unknown keys ``extra``) atomically as TOML. Raises ValueError, OSError."""
    settings.validate()
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {_toml(value)}" for key, value in asdict(settings).items()]
    for key, value in (extra or {}).items():
        try:
            lines.append(f"{_toml_key(key)} = {_toml(value)}")
        except TypeError as exc:
            log.warning("settings: unknown key %r not kept (%s)", key, exc)
    atomic.write_text(path, "\n".join(lines) + "\n")


def _toml_key(key: str) -> str:
    return key if key and all(c.isalnum() or c in "-_" for c in key) else _toml(key)


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
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


# -- the live store ----------------------------------------------------------------------
# The one live settings object every window shares: change it here, everyone hears.
#
# ``SettingsStore`` holds the current :class:`~companion.core.settings.Settings`.
# :meth:`~SettingsStore.update` and :meth:`~SettingsStore.replace` validate the new
# values, make them current, tell every subscriber ``(old, new)`` and save them
# atomically, together with the keys of the file this version does not know. Nobody
# keeps a copy to save later: a window that saved its own stale copy would revert what
# another window had changed. No Qt here; the GUI adapts the callbacks to a signal.

#: Called with the settings before and after a change (copies: mutating them changes nothing).
Subscriber = Callable[[Settings, Settings], None]


class SettingsStore:
    """The current settings, saved to ``path`` (``None``: the default location) on each change."""

    def __init__(
        self,
        settings: Settings | None = None,
        path: Path | None = None,
        *,
        extra: dict[str, object] | None = None,
        unreadable: bytes | None = None,
    ) -> None:
        self._settings = copy.deepcopy(settings) if settings is not None else Settings()
        self._path = path
        self._extra = dict(extra or {})
        self._unreadable = unreadable  # an unparsable file's bytes, kept aside before the first save
        self._subscribers: list[Subscriber] = []

    @classmethod
    def load(cls, path: Path | None = None) -> SettingsStore:
        """The settings in ``path`` (default location); bad values drop only themselves."""
        found = read_settings(path)
        return cls(found.settings, path, extra=found.extra, unreadable=found.raw or None)

    @property
    def path(self) -> Path:
        return self._path or settings_path()

    @property
    def current(self) -> Settings:
        """A copy of the current settings (change them with :meth:`update` or :meth:`replace`)."""
        return copy.deepcopy(self._settings)

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(old, new)`` after each change; returns the function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def update(self, **changes: object) -> Settings:
        """Change some values (``update(profile="picky")``); see :meth:`replace`."""
        return self.replace(dataclasses.replace(self._settings, **changes))

    def replace(self, new: Settings) -> Settings:
        """Make ``new`` current, notify the subscribers, then save; returns a copy of it.

        Raises ValueError (nothing changes) for an invalid value, and OSError when the
        file could not be written (the change stays in force for this session).
        """
        new = copy.deepcopy(new)
        new.validate()
        old, self._settings = self._settings, new
        if old != new:
            for callback in list(self._subscribers):
                try:
                    callback(copy.deepcopy(old), copy.deepcopy(new))
                except Exception:  # one broken window must not stop the others hearing
                    log.exception("settings subscriber %r failed", callback)
        self.save()
        return copy.deepcopy(new)

    def save(self) -> None:
        """Write the current settings and the unknown keys atomically. Raises OSError."""
        path = self.path
        if self._unreadable is not None:
            backup = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
            atomic.write_bytes(backup, self._unreadable)
            log.warning("settings: the unreadable %s was kept as %s", path, backup)
            self._unreadable = None
        save_settings(self._settings, path, self._extra)
