"""A one-click fix that would break its sentence is shown for a manual edit, never applied."""

from __future__ import annotations

from companion.core.findings import Finding
from companion.core.settings import Settings
from companion.gui.editor.editor import FindingRef
from companion.gui.editor.suggestions import build_menu, find_action
from tests.gui.conftest import wait_checked

TEXT = "AI is revolutionizing industries and unlocking new possibilities."


def test_a_breaking_alternative_is_disabled_with_its_reason(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=10, profile="picky"))
    w.editor.setPlainText(TEXT)
    wait_checked(qtbot, w)
    ref = next(iter(w.editor.findings()), None)
    assert ref is not None
    start = TEXT.index("unlocking")
    end = len(TEXT) - 1
    broken = Finding(
        start, end, "ai-ism", "library.ai-ism.x", "m", ("making the most of", "opening"),
        matched=TEXT[start:end],
    )  # fmt: skip
    menu = build_menu(w.editor, FindingRef(ref.key, ref.block, broken))
    assert find_action(menu, "apply", "making the most of") is None
    refused = [a for a in menu.actions() if a.data() == ("refused", "making the most of")]
    assert refused and not refused[0].isEnabled() and "edit by hand" in refused[0].text()
    assert find_action(menu, "apply", "opening") is not None
    assert w.editor.toPlainText() == TEXT


def test_the_review_dialog_does_not_preaccept_a_breaking_change() -> None:
    from companion.gui.clean.plan import plan_changes

    start = TEXT.index("unlocking")
    end = len(TEXT) - 1
    broken = Finding(
        start, end, "ai-ism", "library.ai-ism.x", "m", ("making the most of",),
        matched=TEXT[start:end], safe=True,
    )  # fmt: skip
    fine = Finding(0, 2, "ai-ism", "library.ai-ism.y", "m", ("Computers",), matched="AI", safe=True)
    changes = plan_changes(TEXT, [fine, broken])
    assert [c.accepted for c in changes] == [True, False]


def test_the_menu_asks_the_grammar_engine_once_it_is_loaded(qtbot, make_window) -> None:
    from companion.core.grammar.harper import harper_installed, shared_engine

    if not harper_installed():
        import pytest

        pytest.skip("the offline grammar engine is not installed")
    shared_engine().load()
    text = "She should have known better."
    w = make_window(settings=Settings(debounce_ms=10))
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    block = w.editor.document().firstBlock()
    start = text.index("have")
    f = Finding(start, start + 4, "wordy", "library.wordy.x", "m", ("of", "had"), matched="have")
    menu = build_menu(w.editor, FindingRef(0, block, f))
    assert find_action(menu, "apply", "of") is None  # "should of": a grammar error
    assert any(a.data() == ("refused", "of") for a in menu.actions())
