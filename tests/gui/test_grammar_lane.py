"""Grammar runs on a worker thread of its own: a hung LanguageTool server delays nothing else.

The server is the loopback fake that speaks LanguageTool's HTTP protocol
(``tests/lt_fake_server.py``); the client is the real one (language-tool-python).
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QTextCursor

from companion.core.engine import Engine, build_analyzers, filters_from
from companion.core.grammar import GrammarAnalyzer
from companion.core.settings import Settings
from tests.gui.conftest import FAST, underline_ranges
from tests.lt_fake_server import FakeLanguageTool


@pytest.fixture
def fake():
    with FakeLanguageTool() as server:
        yield server


def test_a_hung_grammar_server_does_not_hold_up_other_underlines(qtbot, make_window, fake, bundled_library):
    def factory(settings: Settings) -> Engine:
        grammar = GrammarAnalyzer(mode="remote", server_url=fake.url, timeout_s=4.0)
        return Engine([*build_analyzers(settings, FAST, bundled_library), grammar], filters_from(settings))

    w = make_window(runner="thread", settings=Settings(debounce_ms=20, grammar="off"), factory=factory)
    scheduler = w.editor.scheduler
    assert scheduler.grammar_runner is not scheduler.runner
    scheduler.set_slow_ready({"grammar"})
    w.editor.setPlainText("This are wrong.")
    qtbot.waitUntil(lambda: any(t == "This are" for _, _, t in underline_ranges(w.editor)), timeout=15000)

    fake.mode = "hang"
    cursor = w.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    w.editor.setTextCursor(cursor)
    began = time.monotonic()
    cursor.insertText("\n\nWe must leverage synergies. This are bad.")
    qtbot.waitUntil(lambda: any(t == "leverage" for _, _, t in underline_ranges(w.editor)), timeout=3000)
    waited = time.monotonic() - began
    # The grammar request for the new paragraph is still hanging on its own thread.
    qtbot.waitUntil(lambda: scheduler.grammar_in_flight is not None, timeout=3000)
    assert waited < 3.0
    assert scheduler.in_flight is None or scheduler.in_flight.stage != "grammar"
    # More typing is checked too while grammar hangs.
    qtbot.keyClicks(w.editor, " We delve into it.")
    qtbot.waitUntil(lambda: any(t == "delve" for _, _, t in underline_ranges(w.editor)), timeout=3000)
    assert scheduler.grammar_in_flight is not None
    fake.mode = "ok"
    # The hung request times out (4 s); grammar reports why, nothing else was affected.
    qtbot.waitUntil(lambda: scheduler.grammar_in_flight is None, timeout=15000)
