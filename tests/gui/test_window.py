"""The window: the real worker thread, files, settings, ignores, the library, state."""

from __future__ import annotations

import dataclasses
import tomllib

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QMessageBox

from companion.core.analyzer import Chunk
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.paths import user_library_dir
from companion.core.settings import Settings, load_settings
from companion.gui.app.state import RecentFiles, geometry_path
from companion.gui.checking.worker import FAST, InlineRunner
from companion.gui.editor.editor import FindingRef
from companion.gui.editor.suggestions import find_action
from tests.gui.conftest import underline_ranges, wait_checked

SENTENCE = "In today's fast-paced world, we must leverage synergies."


_SENTENCES = (
    "The harbour froze early that winter, and the ferries stopped for {n} days.",
    "Moreover, it is important to note that the committee plays a crucial role in planning.",
    "She wrote the report by hand because the printer in room {n} had jammed again.",
    "We must leverage synergies across teams to unlock the full potential of the plan.",
    "Nobody expected the bakery on Elm Street to outlast the supermarket.",
)


def corpus_text(words: int) -> str:
    """A long document of varied paragraphs (no two alike, so nothing is cached)."""
    paras = []
    count = 0
    n = 0
    while count < words:
        para = " ".join(s.format(n=n + i) for i, s in enumerate(_SENTENCES))
        paras.append(para)
        count += len(para.split())
        n += 1
    return "\n\n".join(paras)


def test_real_worker_thread_end_to_end(qtbot, make_window) -> None:
    w = make_window(runner="thread", settings=Settings(debounce_ms=20))
    w.editor.setPlainText(SENTENCE + "\n\nIt is important to note that we delve into it.")
    qtbot.waitUntil(lambda: len(underline_ranges(w.editor)) >= 4, timeout=10000)
    texts = {t for _, _, t in underline_ranges(w.editor)}
    assert {"In today's fast-paced world", "leverage", "synergies", "It is important to note that"} <= texts
    w.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(w.editor, " We leverage it.")
    qtbot.waitUntil(lambda: len(underline_ranges(w.editor)) >= 5, timeout=10000)


def test_closing_with_a_job_in_flight_leaves_no_thread(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(corpus_text(6000), encoding="utf-8")
    w = make_window(runner="thread", settings=Settings(debounce_ms=0))
    runner = w.editor.scheduler.runner  # the ThreadRunner the window made
    assert w.open_file(str(path))
    qtbot.waitUntil(lambda: w.editor.scheduler.in_flight is not None, timeout=5000)
    w.close()
    assert not runner.running
    assert not w.isVisible()


def test_ignore_rule_and_phrase_persist_and_survive_edits(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=0))
    w.editor.setPlainText(SENTENCE)
    wait_checked(qtbot, w)
    ref = w.editor.finding_at(SENTENCE.index("leverage") + 1)
    find_action(w.editor.menu_for(ref), "ignore-rule").trigger()
    ref = w.editor.finding_at(SENTENCE.index("synergies") + 1)
    phrase_rule = ref.finding.rule
    find_action(w.editor.menu_for(ref), "ignore-phrase").trigger()
    wait_checked(qtbot, w)
    texts = {t for _, _, t in underline_ranges(w.editor)}
    assert texts == {"In today's fast-paced world"}
    saved = load_settings()
    assert "library.jargon.leverage" in saved.ignored_rules
    assert f"{phrase_rule}\tsynergies" in saved.ignored_phrases
    # Edits around the text do not bring them back, and a new window remembers them.
    cursor = QTextCursor(w.editor.document())
    cursor.insertText("Honestly, ")
    w2 = make_window(settings=load_settings())
    w2.editor.setPlainText("They leverage synergies. " + SENTENCE)
    wait_checked(qtbot, w)
    wait_checked(qtbot, w2)
    for window in (w, w2):
        texts = {t for _, _, t in underline_ranges(window.editor)}
        assert "leverage" not in texts and "synergies" not in texts
        assert "In today's fast-paced world" in texts


def test_settings_dialog_saves(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=0))
    w.editor.setPlainText("We delve into it. " + SENTENCE)
    wait_checked(qtbot, w)
    dialog = w.open_settings()
    dialog.profile.setCurrentIndex(dialog.profile.findData("essential"))
    dialog.categories["jargon"].setChecked(False)
    dialog.debounce.setValue(400)
    dialog.grammar.setCurrentIndex(dialog.grammar.findData("off"))
    dialog.semantic.setChecked(False)
    dialog.accept()
    saved = load_settings()
    assert saved.profile == "essential" and saved.debounce_ms == 400 and saved.grammar == "off"
    assert "jargon" in saved.disabled_categories and saved.semantic is False
    assert w.settings.profile == "essential"
    qtbot.waitUntil(lambda: w.editor.scheduler.checker is not None, timeout=10000)
    wait_checked(qtbot, w)
    texts = {t for _, _, t in underline_ranges(w.editor)}
    assert "leverage" not in texts and "In today's fast-paced world" in texts


def test_open_edit_save_keeps_line_endings(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "essay.md"
    path.write_bytes(b"# Title\r\n\r\nIn today's fast-paced world, we adapt.\r\n")
    w = make_window(settings=Settings(debounce_ms=0))
    assert w.open_file(str(path))
    assert w.windowTitle().startswith("essay.md")
    w.editor.moveCursor(QTextCursor.MoveOperation.End)
    w.editor.insertPlainText("More.")
    assert w.editor.document().isModified()
    assert w.save()
    assert path.read_bytes() == b"# Title\r\n\r\nIn today's fast-paced world, we adapt.\r\nMore."
    assert not w.editor.document().isModified()
    assert RecentFiles().files[0] == str(path)


def test_open_errors_are_shown_not_raised(qtbot, make_window, tmp_path, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    w = make_window()
    assert not w.open_file(str(tmp_path / "missing.txt"))
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    assert not w.open_file(str(binary))
    assert "no such file" in shown[0] and "binary" in shown[1]
    assert w.save_to(str(tmp_path / "no" / "such" / "folder.txt")) is False
    assert len(shown) == 3


def test_unsaved_changes_prompt_on_close(qtbot, make_window, monkeypatch) -> None:
    w = make_window()
    w.editor.setPlainText("Draft")
    w.editor.document().setModified(True)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    w.close()
    assert w.isVisible(), "Cancel keeps the window open"
    w.close()
    assert not w.isVisible()


def test_geometry_and_recent_files_are_kept_apart_from_settings(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Hello.", encoding="utf-8")
    w = make_window()
    w.resize(700, 500)
    w.open_file(str(path))
    w.close()
    assert geometry_path().exists()
    assert RecentFiles().files == [str(path)]
    w2 = make_window(size=None)
    assert (w2.width(), w2.height()) == (700, 500)


def test_drop_a_file_opens_it(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "dropped.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    w = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    w.editor.dropEvent(event)
    qtbot.waitUntil(lambda: w.editor.toPlainText() == SENTENCE, timeout=3000)
    assert w.doc is not None and w.doc.path == str(path)


def test_add_to_library_writes_a_valid_entry(qtbot, make_window) -> None:
    w = make_window(settings=Settings(debounce_ms=0))
    text = "Our bold vision statement, we must leverage synergies."
    w.editor.setPlainText(text)
    wait_checked(qtbot, w)
    found = w.editor.finding_at(text.index("synergies") + 1)
    # Only a paraphrase (semantic) finding is offered "Add to my library": fake one here.
    ref = FindingRef(found.key, found.block, dataclasses.replace(found.finding, source="semantic"))
    find_action(w.editor.menu_for(ref), "add-to-library").trigger()
    user = user_library_dir() / "user.toml"
    assert user.exists()
    data = tomllib.loads(user.read_text(encoding="utf-8"))
    entry = data["entry"][0]
    assert data["category"] == ref.finding.category
    assert entry["explanation"] == "Added by you" and entry["level"] == "recommended"
    assert entry["flag"] == [text] and entry["pass"]
    library = load_library([user_library_dir()], bundled=False)
    assert not library.issues and len(library.entries) == 1
    matcher = LibraryAnalyzer(library)
    assert matcher.analyze(Chunk.of(entry["flag"][0]))
    assert not matcher.analyze(Chunk.of(entry["pass"][0]))
    qtbot.waitUntil(
        lambda: w.loader.checker is not None and w.editor.scheduler.checker is w.loader.checker, timeout=10000
    )


def test_markdown_code_is_not_underlined(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "We must leverage synergies.\n\n```\nleverage synergies\n```\n\nUse `leverage` here.\n",
        encoding="utf-8",
    )
    w = make_window(settings=Settings(debounce_ms=0))
    w.open_file(str(path))
    wait_checked(qtbot, w)
    doc = w.editor.document()
    lines = {doc.findBlock(s).blockNumber() for s, _, t in underline_ranges(w.editor) if "leverage" in t}
    assert lines == {0}


def test_edited_block_is_checked_first(qtbot, make_window) -> None:
    runner = InlineRunner()
    runner.auto = False
    w = make_window(runner=runner, settings=Settings(debounce_ms=0))
    w.editor.setPlainText(corpus_text(3000))
    scheduler = w.editor.scheduler
    scheduler.flush()
    first = runner.jobs[0]
    visible = {b.blockNumber() for b in w.editor.visible_blocks()}
    assert first.stage == FAST and {i.line for i in first.items} <= visible  # visible blocks first
    runner.run_pending()
    last = w.editor.document().lastBlock()
    cursor = QTextCursor(last)
    cursor.insertText("Edited: ")
    qtbot.waitUntil(lambda: bool(runner.jobs), timeout=2000)
    job = runner.jobs[0]
    assert [i.line for i in job.items] == [last.blockNumber()]
    runner.auto = True
    runner.run_pending()
    wait_checked(qtbot, w, timeout=20000)


def test_find_bar_and_replace_all_is_one_undo_step(qtbot, make_window) -> None:
    w = make_window()
    w.editor.setPlainText("We leverage it. They leverage that.\n\nNobody will leverage this.")
    w.actions_by_name["find"].trigger()
    assert w.find_bar.isVisible()
    w.find_bar.find_edit.setText("leverage")
    assert w.find_bar.find_next()
    assert w.editor.textCursor().selectedText() == "leverage"
    w.find_bar.replace_edit.setText("use")
    assert w.find_bar.replace_all() == 3
    assert w.editor.toPlainText() == "We use it. They use that.\n\nNobody will use this."
    w.editor.undo()
    assert "leverage" in w.editor.toPlainText() and "use it" not in w.editor.toPlainText()


def test_zoom_and_status_bar(qtbot, make_window) -> None:
    w = make_window(settings=Settings(grammar="off"))
    size = w.editor.font().pointSizeF()
    w.actions_by_name["zoom_in"].trigger()
    assert w.editor.font().pointSizeF() > size
    w.actions_by_name["zoom_reset"].trigger()
    assert w.editor.font().pointSizeF() == size
    qtbot.waitUntil(lambda: w.status_label.text() == "Ready", timeout=5000)
