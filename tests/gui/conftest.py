"""GUI test fixtures: offscreen Qt, isolated settings folders, Qt warnings fail the test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

import companion.gui  # noqa: F401  (guards against the PySide6 6.12 refcount bug first)
from companion.core.engine import Engine, EngineOptions, build_analyzers, filters_from
from companion.core.library.model import Library, load_library
from companion.core.paths import user_library_dir
from companion.core.settings import Settings, load_settings

#: Qt messages that are platform noise, not bugs: the offscreen plugin cannot do these.
ALLOWED_QT_WARNINGS = (
    "This plugin does not support propagateSizeHints()",
    "This plugin does not support raise()",
)

FAST = EngineOptions(semantic=False, grammar="off", spelling=False)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, user data and caches live in the test's own temporary folder."""
    for var, name in (
        ("HUMANIZE_CONFIG_DIR", "config"),
        ("HUMANIZE_DATA_DIR", "data"),
        ("HUMANIZE_CACHE_DIR", "cache"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        monkeypatch.setenv(var, str(folder))
    return tmp_path


@pytest.fixture(autouse=True)
def qt_warnings_fail() -> Iterator[list[str]]:
    """Any Qt warning (or worse) during the test fails it, qutebrowser-style."""
    recorded: list[str] = []

    def handler(mode: QtMsgType, context: object, message: str) -> None:
        serious = mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if serious and not any(message.startswith(allowed) for allowed in ALLOWED_QT_WARNINGS):
            recorded.append(message)
        if previous is not None:
            previous(mode, context, message)

    previous = qInstallMessageHandler(handler)
    yield recorded
    qInstallMessageHandler(previous)
    if recorded:
        pytest.fail("Qt warnings:\n" + "\n".join(recorded), pytrace=False)


@pytest.fixture(scope="session")
def bundled_library() -> Library:
    return load_library([])


@pytest.fixture(scope="session")
def fast_factory(bundled_library: Library) -> Callable[[Settings], Engine]:
    """Builds a checker with only the fast analyzers (library, style, readability).

    The analyzers are built once per session; with entries in the user's library
    folder (a test added one) a fresh library is loaded.
    """
    shared: dict[str, Engine] = {}

    def factory(settings: Settings) -> Engine:
        if any(user_library_dir().glob("*.toml")):
            library = load_library([user_library_dir()])
            return Engine(build_analyzers(settings, FAST, library), filters_from(settings))
        if "checker" not in shared:
            checker = Engine(build_analyzers(settings, FAST, bundled_library))
            for analyzer in checker.analyzers:
                getattr(analyzer, "warm_up", lambda: None)()
            shared["checker"] = checker
        return shared["checker"]

    return factory


@pytest.fixture
def make_window(qtbot, fast_factory):
    """``make_window(runner=None, settings=None, factory=None)``: a shown window whose checker is ready.

    Defaults: the synchronous runner and the fast checker; ``runner="thread"`` uses the real thread.
    """
    from companion.gui.app.window import MainWindow
    from companion.gui.checking.worker import InlineRunner

    windows: list[MainWindow] = []

    def make(
        runner: object = None,
        settings: Settings | None = None,
        factory=None,
        wait: bool = True,
        size: tuple[int, int] | None = (1000, 700),
    ):
        settings = settings or load_settings()
        if runner is None:
            runner = InlineRunner()
        elif runner == "thread":
            runner = None
        window = MainWindow(settings, runner=runner, checker_factory=factory or fast_factory)
        windows.append(window)  # closed below, not by qtbot: its teardown runs before ours
        if size is not None:
            window.resize(*size)
        window.show()
        if wait:
            qtbot.waitUntil(lambda: window.editor.scheduler.checker is not None, timeout=20000)
        return window

    yield make
    for window in windows:
        window.editor.document().setModified(False)
        window.close()
        if window.loader is not None:
            window.loader.wait(30)
        window.deleteLater()
    qtbot.wait(1)


def wait_checked(qtbot, window, timeout: int = 10000) -> None:
    """Wait until the scheduler has nothing in flight or pending."""
    scheduler = window.editor.scheduler
    qtbot.waitUntil(lambda: not scheduler.busy and not scheduler.has_work(), timeout=timeout)
    qtbot.waitUntil(lambda: not window.editor.redraw_pending, timeout=timeout)


def underline_ranges(editor) -> set[tuple[int, int, str]]:
    """(start, end, selected text) of the editor's underline selections (no background tints)."""
    out = set()
    for sel in editor.extraSelections():
        if sel.format.underlineStyle().value:
            c = sel.cursor
            out.add((c.selectionStart(), c.selectionEnd(), c.selectedText()))
    return out
