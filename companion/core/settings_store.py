"""The one live settings object every window shares: change it here, everyone hears.

``SettingsStore`` holds the current :class:`~companion.core.settings.Settings`.
:meth:`~SettingsStore.update` and :meth:`~SettingsStore.replace` validate the new
values, make them current, tell every subscriber ``(old, new)`` and save them
atomically, together with the keys of the file this version does not know. Nobody
keeps a copy to save later: a window that saved its own stale copy would revert what
another window had changed. No Qt here; the GUI adapts the callbacks to a signal.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import time
from collections.abc import Callable
from pathlib import Path

from companion.core import atomic
from companion.core.settings import Settings, read_settings, save_settings, settings_path

log = logging.getLogger(__name__)

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
