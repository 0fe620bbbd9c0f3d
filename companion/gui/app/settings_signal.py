"""The shared settings store seen from Qt: a ``changed(old, new)`` signal per widget."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from companion.core.settings import Settings, SettingsStore

log = logging.getLogger(__name__)


def as_store(settings: Settings | SettingsStore | None) -> SettingsStore:
    """The store to share: ``settings`` itself, or a new store (default file) holding it."""
    if isinstance(settings, SettingsStore):
        return settings
    return SettingsStore(settings)


class SettingsSignal(QObject):
    """Re-emits the store's changes as a signal; stops listening when its parent goes away."""

    changed = Signal(object, object)  # old Settings, new Settings

    def __init__(self, store: SettingsStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        unsubscribe = store.subscribe(self._relay)
        self._unsubscribe = unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())

    def _relay(self, old: Settings, new: Settings) -> None:
        try:
            self.changed.emit(old, new)
        except RuntimeError:  # deleted without ``destroyed`` reaching us
            self._unsubscribe()

    def close(self) -> None:
        """Stop relaying (the window is shutting down)."""
        self._unsubscribe()
