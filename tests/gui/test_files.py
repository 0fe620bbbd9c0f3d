"""Real files through the window: round trips, encodings, .docx, autosave and recovery,
changes made by other programs, atomic saves, and files that cannot be opened."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from companion.core import documents
from companion.gui.files.autosave import (
    DISCARD,
    FORMAT,
    LATER,
    RECOVER,
    ask_recovery,
    offer_recovery,
    stale_records,
)
from companion.gui.files.encodings import EncodingDialog

ROOT = Path(__file__).resolve().parents[2]
SB = QMessageBox.StandardButton


@pytest.fixture
def no_dialogs(monkeypatch):
    """Message boxes are recorded, never shown; questions fail the test unless answers are queued."""
    shown: list[str] = []
    answers: list[QMessageBox.StandardButton] = []

    def question(*args, **kwargs):
        assert answers, f"unexpected question: {args[2]}"
        shown.append(args[2])
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "question", question)
    return shown, answers


def type_at_end(w, text: str, block: int | None = None) -> None:
    doc = w.editor.document()
    cursor = QTextCursor(doc.findBlockByNumber(block) if block is not None else doc.lastBlock())
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText(text)


def autosaves() -> list[Path]:
    folder = Path(os.environ["HUMANIZE_DATA_DIR"]) / "autosave"
    return sorted(folder.glob("*.json")) if folder.exists() else []


# --------------------------------------------------------------------------- round trips

ROUND_TRIPS = {
    "utf8.txt": "Plain UTF-8: café, naïve, 😀.\nSecond line.\n".encode(),
    "bom.txt": b"\xef\xbb\xbf" + "With a BOM: résumé.\r\nNext.\r\n".encode(),
    "legacy.txt": "Windows text: café — “quoted”, naïve.\r\nSecond line.\r\n".encode("cp1252"),
    "notes.md": b"# Title\n\nSome `code` and a [link](https://example.com).\n\n```\nblock\n```\n",
    "mixed.txt": b"one\r\ntwo\nthree\r\n",
    "utf16.txt": "UTF-16 with a BOM: ça va.\r\n".encode("utf-16"),
}


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_open_and_save_without_edits_is_byte_identical(make_window, tmp_path, no_dialogs, name) -> None:
    path = tmp_path / name
    path.write_bytes(ROUND_TRIPS[name])
    w = make_window()
    assert w.open_file(str(path))
    assert not w.editor.document().isModified()
    assert w.save()
    assert path.read_bytes() == ROUND_TRIPS[name]
    assert no_dialogs[0] == []


@pytest.mark.parametrize("before", ["", "Some earlier text."])
def test_an_empty_file_opens_unmodified(make_window, tmp_path, no_dialogs, before) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    w = make_window()
    w.editor.setPlainText(before)
    w.editor.document().setModified(False)
    assert w.open_file(str(path))
    assert w.text() == ""
    assert not w.editor.document().isModified() and not w.isWindowModified()
    type_at_end(w, "x")  # an edit still marks it
    assert w.isWindowModified()
    answers = no_dialogs[1]
    answers.append(SB.Discard)
    w.files.new()  # New empties the editor the same way
    assert not w.editor.document().isModified() and not w.isWindowModified()


def test_encoding_and_line_endings_are_kept_after_an_edit(make_window, tmp_path, no_dialogs) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Café — naïve.\r\nSecond line.\r\n".encode("cp1252"))
    w = make_window()
    assert w.open_file(str(path))
    assert w.files.info.text() == "cp1252 (guessed) · CRLF"
    assert "encoding guessed as cp1252" in w.statusBar().currentMessage()
    type_at_end(w, " Très “bien”.", block=1)
    assert w.save()
    assert path.read_bytes() == "Café — naïve.\r\nSecond line. Très “bien”.\r\n".encode("cp1252")


def test_a_character_the_encoding_cannot_hold_asks_to_save_as_utf8(make_window, tmp_path, no_dialogs) -> None:
    shown, answers = no_dialogs
    path = tmp_path / "legacy.txt"
    original = "Café — naïve.\r\n".encode("cp1252")
    path.write_bytes(original)
    w = make_window()
    assert w.open_file(str(path))
    type_at_end(w, "Emoji 😀", block=1)
    answers.append(SB.Cancel)
    assert not w.save()
    assert path.read_bytes() == original and w.editor.document().isModified()
    assert "U+1F600" in shown[-1] and "line 2, column 7" in shown[-1]
    answers.append(SB.Save)
    assert w.save()
    assert path.read_bytes() == "Café — naïve.\r\nEmoji 😀".encode()
    assert w.files.info.text() == "UTF-8 · CRLF"


def test_docx_edit_keeps_the_other_paragraphs_formatting_and_the_header(make_window, tmp_path) -> None:
    path = tmp_path / "report.docx"
    d = docx.Document()
    first = d.add_paragraph("Plain start, ")
    first.add_run("bold words").bold = True
    first.add_run(", plain end.")
    d.add_paragraph("We must leverage synergies.")
    d.sections[0].header.paragraphs[0].text = "Quarterly header"
    d.save(str(path))
    original = path.read_bytes()
    w = make_window()
    assert w.open_file(str(path))
    note = w.statusBar().currentMessage()
    assert "headers are kept but not shown or edited" in note and "formatting" in note
    assert w.files.info.text() == "Word" and "footnotes" in w.files.info.toolTip()
    assert w.save()
    assert path.read_bytes() == original  # nothing edited: the very same package
    type_at_end(w, " Today we ship.", block=1)
    assert w.save()
    saved = docx.Document(str(path))
    runs = [(r.text, r.bold) for r in saved.paragraphs[0].runs]
    assert runs == [("Plain start, ", None), ("bold words", True), (", plain end.", None)]
    assert saved.paragraphs[1].text == "We must leverage synergies. Today we ship."
    assert saved.sections[0].header.paragraphs[0].text == "Quarterly header"


# --------------------------------------------------------------------------- encodings


def test_undetermined_encoding_lets_the_user_pick_one(qtbot, make_window, tmp_path, no_dialogs) -> None:
    path = tmp_path / "utf16-no-bom.txt"
    data = "Notes in UTF-16 without a BOM: ça va.\nLine two.\n".encode("utf-16-le")
    path.write_bytes(data)
    w = make_window()
    w.editor.setPlainText("Current draft")
    offered = []

    def choose(parent, file, raw, suggested):
        offered.append((file, raw, suggested))
        return None  # Cancel: nothing changes

    w.files.choose_encoding = choose
    assert not w.open_file(str(path))
    assert offered == [(str(path), data, "utf-16-le")]
    assert w.text() == "Current draft" and w.doc is None
    w.files.choose_encoding = lambda *a: "utf-16-le"
    w.editor.document().setModified(False)
    assert w.open_file(str(path))
    assert w.text() == "Notes in UTF-16 without a BOM: ça va.\nLine two.\n"
    assert w.files.info.text() == "UTF-16 LE · LF"
    assert "chosen by you" in w.files.info.toolTip()
    type_at_end(w, "Three.")
    assert w.save()
    assert path.read_bytes() == data + "Three.".encode("utf-16-le")  # still no BOM
    # Reloading after another program's change keeps the chosen encoding (no new question).
    w.files.choose_encoding = lambda *a: pytest.fail("asked again")
    path.write_bytes("Rewritten elsewhere: ça change.\n".encode("utf-16-le"))
    qtbot.waitUntil(w.files.bar.isVisible, timeout=5000)
    w.files.bar.reload_button.click()
    assert w.text() == "Rewritten elsewhere: ça change.\n" and w.doc.encoding == "utf-16-le"
    assert no_dialogs[0] == []


def test_reopen_with_another_encoding_fixes_a_wrong_guess(make_window, tmp_path, no_dialogs) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(b"caf\xe9 ok")  # too short to guess well
    w = make_window()
    assert w.open_file(str(path))
    w.files.choose_encoding = lambda parent, file, raw, suggested: "cp1252"
    assert w.actions_by_name["reopen_encoding"].isEnabled()
    w.actions_by_name["reopen_encoding"].trigger()
    assert w.text() == "café ok" and w.doc.encoding == "cp1252"
    assert w.save() and path.read_bytes() == b"caf\xe9 ok"


def test_encoding_dialog_previews_and_only_opens_valid_text(qtbot) -> None:
    data = "Café crème".encode("cp1252")
    dialog = EncodingDialog("menu.txt", data, "cp1252")
    qtbot.addWidget(dialog)
    open_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Open)
    assert dialog.encoding() == "cp1252" and dialog.preview.toPlainText() == "Café crème"
    assert open_button.isEnabled()
    dialog.combo.setCurrentIndex(dialog.combo.findData("utf-8"))
    assert not open_button.isEnabled() and "not valid utf-8" in dialog.problem.text()


# --------------------------------------------------------------------------- bad files


def _binary(p: Path) -> None:
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


def _huge(p: Path) -> None:
    with p.open("wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk


def _corrupt_docx(p: Path) -> None:
    p.write_bytes(b"PK\x03\x04 this is not really a zip archive")


def _fifo(p: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(p)  # opening it for reading would block until a writer comes


def _folder(p: Path) -> None:
    p.mkdir()


BAD_FILES = {
    "photo.txt": (_binary, "binary file"),
    "huge.txt": (_huge, "50.0 MB is larger than the 20 MB limit"),
    "broken.docx": (_corrupt_docx, "not a valid .docx"),
    "folder.md": (_folder, "is a folder"),
    "missing.txt": (lambda p: None, "no such file"),
    "pipe.txt": (_fifo, "not a regular file"),
    "locked.txt": (lambda p: p.write_text("secret", encoding="utf-8"), "permission denied"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_gives_a_message_and_changes_nothing(
    make_window, tmp_path, no_dialogs, monkeypatch, name
) -> None:
    shown, _answers = no_dialogs
    good = tmp_path / "good.txt"
    good.write_text("My essay.\n", encoding="utf-8")
    make, expected = BAD_FILES[name]
    bad = tmp_path / name
    make(bad)
    if name == "locked.txt":
        bad.chmod(0)
        if os.access(bad, os.R_OK):  # root reads anything: refuse it the way the OS would

            def refuse(file, *args, **kwargs):
                if os.fspath(file) == str(bad):
                    raise PermissionError(13, "Permission denied", str(bad))
                return open(file, *args, **kwargs)

            monkeypatch.setattr(documents, "open", refuse, raising=False)
    before = bad.stat() if bad.exists() else None
    w = make_window()
    assert w.open_file(str(good))
    type_at_end(w, " Unsaved words.", block=0)
    doc = w.doc
    # ask=True: with unsaved changes, a file that cannot be opened does not even prompt.
    assert not w.open_file(str(bad))
    assert len(shown) == 1 and expected in shown[0]
    assert w.doc is doc and w.text() == "My essay. Unsaved words.\n"
    assert w.editor.document().isModified() and w.isVisible()
    if before is not None:
        after = bad.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    if name == "locked.txt":
        bad.chmod(0o600)
    type_at_end(w, " Still typing.", block=0)  # the app keeps running
    assert w.save() and good.read_text(encoding="utf-8") == "My essay. Unsaved words. Still typing.\n"


def test_a_failed_atomic_save_leaves_the_old_file_intact(
    make_window, tmp_path, no_dialogs, monkeypatch
) -> None:
    shown, _answers = no_dialogs
    path = tmp_path / "essay.txt"
    path.write_bytes(b"Old text.\n")
    w = make_window()
    assert w.open_file(str(path))
    type_at_end(w, "New text.")

    def fail(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", fail)
    assert not w.save()
    assert "cannot be saved (Input/output error)" in shown[0]
    assert path.read_bytes() == b"Old text.\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["essay.txt"]  # no temp left
    assert w.editor.document().isModified() and w.isWindowModified()
    monkeypatch.undo()
    assert w.save() and path.read_bytes() == b"Old text.\nNew text."


# --------------------------------------------------------------------------- changes on disk


def test_a_change_by_another_program_is_noticed_and_reloaded(
    qtbot, make_window, tmp_path, no_dialogs
) -> None:
    _shown, answers = no_dialogs
    path = tmp_path / "shared.txt"
    path.write_text("Version one.\n", encoding="utf-8")
    w = make_window()
    assert w.open_file(str(path))
    bar = w.files.bar
    assert bar.isHidden()
    path.write_text("Version two, from elsewhere.\n", encoding="utf-8")
    qtbot.waitUntil(lambda: bar.isVisible() and bar.mode == "changed", timeout=5000)
    assert "changed on disk" in bar.label.text()
    bar.reload_button.click()  # nothing unsaved: no question
    assert w.text() == "Version two, from elsewhere.\n" and bar.isHidden()
    # With unsaved edits, Reload asks first; Cancel keeps them.
    type_at_end(w, "My edit.")
    path.write_text("Version three.\n", encoding="utf-8")
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    answers.append(SB.Cancel)
    bar.reload_button.click()
    assert w.text().endswith("My edit.") and bar.isVisible()
    answers.append(SB.Discard)
    bar.reload_button.click()
    assert w.text() == "Version three.\n" and not w.editor.document().isModified()


def test_keep_mine_then_save_overwrites(qtbot, make_window, tmp_path, no_dialogs) -> None:
    path = tmp_path / "shared.txt"
    path.write_text("Mine.\n", encoding="utf-8")
    w = make_window()
    assert w.open_file(str(path))
    path.write_text("Theirs.\n", encoding="utf-8")
    qtbot.waitUntil(w.files.bar.isVisible, timeout=5000)
    w.files.bar.keep_button.click()
    assert w.files.bar.isHidden() and w.editor.document().isModified()
    assert w.save() and path.read_text(encoding="utf-8") == "Mine.\n"


def test_our_own_save_is_not_noticed(qtbot, make_window, tmp_path, no_dialogs) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("Draft.\n", encoding="utf-8")
    w = make_window()
    assert w.open_file(str(path))
    for word in ("One.", "Two."):
        type_at_end(w, word)
        inode = path.stat().st_ino
        assert w.save()
        assert path.stat().st_ino != inode  # atomic: a new file took its place
    qtbot.wait(600)
    assert w.files.bar.isHidden()
    # The watch followed the new inode: a later change by someone else is still seen.
    path.write_text("Someone else.\n", encoding="utf-8")
    qtbot.waitUntil(w.files.bar.isVisible, timeout=5000)


def test_a_deleted_file_is_noticed_and_the_text_kept(qtbot, make_window, tmp_path, no_dialogs) -> None:
    path = tmp_path / "gone.txt"
    path.write_text("Precious.\n", encoding="utf-8")
    w = make_window()
    assert w.open_file(str(path))
    path.unlink()
    bar = w.files.bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.mode == "removed", timeout=5000)
    assert w.editor.document().isModified() and not bar.reload_button.isVisibleTo(bar)
    bar.save_button.click()
    assert path.read_text(encoding="utf-8") == "Precious.\n" and bar.isHidden()


# --------------------------------------------------------------------------- autosave


def test_autosave_only_when_modified_and_changed_and_removed_on_save(make_window, tmp_path) -> None:
    path = tmp_path / "essay.md"
    path.write_bytes(b"# Essay\r\n")
    w = make_window()
    assert w.open_file(str(path))
    autosave = w.files.autosave
    assert not autosave.tick() and not autosave.exists  # unmodified
    type_at_end(w, " draft", block=0)
    assert autosave.tick()
    autosave.flush()
    data = json.loads(autosave.path.read_text(encoding="utf-8"))
    assert data["text"] == "# Essay draft\n" and data["path"] == str(path)
    assert (data["kind"], data["encoding"], data["newline"], data["pid"]) == (
        "markdown",
        "utf-8",
        "\r\n",
        os.getpid(),
    )
    assert abs(data["saved_at"] - time.time()) < 60 and data["format"] == FORMAT
    assert not autosave.tick()  # nothing changed since
    w.editor.document().setModified(True)  # touched, same text
    assert not autosave.tick()
    type_at_end(w, "!", block=0)
    assert autosave.tick()
    assert w.save()
    assert not autosave.exists and autosaves() == []
    assert path.read_bytes() == b"# Essay draft!\r\n"


def test_autosave_timer_and_clean_close(qtbot, make_window, no_dialogs) -> None:
    _shown, answers = no_dialogs
    from companion.core.settings import Settings

    w = make_window(settings=Settings(autosave_s=1))
    w.editor.setPlainText("Untitled thoughts")
    w.editor.document().setModified(True)
    qtbot.waitUntil(lambda: w.files.autosave.exists, timeout=4000)
    answers.append(SB.Discard)  # "Discard" in the unsaved prompt is a clean close
    w.close()
    assert not w.isVisible() and autosaves() == []


def test_quitting_without_the_prompt_keeps_the_autosave(make_window) -> None:
    w = make_window()
    w.editor.setPlainText("Unsaved when the session ended")
    w.editor.document().setModified(True)
    w.shutdown()  # what aboutToQuit does when the desktop session ends
    files = autosaves()
    assert len(files) == 1
    assert json.loads(files[0].read_text(encoding="utf-8"))["text"] == "Unsaved when the session ended"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _record(name: str, text: str, pid: int, **extra) -> Path:
    folder = Path(os.environ["HUMANIZE_DATA_DIR"]) / "autosave"
    folder.mkdir(exist_ok=True)
    data = {"format": FORMAT, "text": text, "path": None, "kind": "text", "encoding": "utf-8"}
    data |= {"newline": "\n", "had_bom": False, "saved_at": time.time(), "pid": pid, "session": name}
    file = folder / f"{name}.json"
    file.write_text(json.dumps(data | extra), encoding="utf-8")
    return file


def test_recovery_discard_later_and_live_sessions(make_window) -> None:
    dead = _dead_pid()
    older = _record("older", "Older text", dead, saved_at=time.time() - 100)
    newer = _record("newer", "Newer text", dead)
    live = _record("live", "Another window's text", os.getppid())  # its process still runs
    (older.parent / "junk.json").write_text("{not json", encoding="utf-8")
    w = make_window()
    asked = []
    assert not offer_recovery(w, ask=lambda parent, rec: asked.append(rec.text) or LATER)
    assert asked == ["Newer text"] and older.exists() and newer.exists()
    assert not offer_recovery(w, ask=lambda parent, rec: DISCARD)
    assert not older.exists() and not newer.exists() and live.exists()
    assert w.text() == ""


def test_recovery_dialog_buttons(qtbot, make_window) -> None:
    _record("crashed", "Lost words", _dead_pid())
    w = make_window()
    record = stale_records()[0]

    def click(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "Untitled" in box.text()
        next(b for b in box.buttons() if b.text() == label).click()

    for label, answer in (("Later", LATER), ("Discard", DISCARD), ("Recover", RECOVER)):
        QTimer.singleShot(0, lambda label=label: click(label))
        assert ask_recovery(w, record) == answer


def test_a_killed_session_is_offered_for_recovery_with_the_text_intact(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "essay.txt"
    original = "First line, café.\r\n".encode("cp1252")
    path.write_bytes(original)
    typed = "Typed before the crash."
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.autosave_child", str(path), typed],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    watchdog = threading.Timer(25, proc.kill)
    watchdog.start()
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("AUTOSAVED "), f"the child did not autosave (exit {proc.poll()})"
        proc.kill()  # SIGKILL: no close event, no cleanup
        proc.wait(10)
    finally:
        watchdog.cancel()
        if proc.stdout:
            proc.stdout.close()
    left = Path(line.split(" ", 1)[1].strip())
    assert left.exists() and path.read_bytes() == original

    w = make_window()
    offered = []
    assert offer_recovery(w, ask=lambda parent, rec: offered.append(rec) or RECOVER)
    assert [r.file for r in offered] == [left] and offered[0].pid == proc.pid
    assert w.text() == "First line, café.\n" + typed
    assert w.doc is not None and w.doc.path == str(path) and w.editor.document().isModified()
    assert path.read_bytes() == original  # recovery never writes the file itself
    assert not left.exists() and autosaves() == [w.files.autosave.path]  # our own copy now
    assert w.save()
    assert path.read_bytes() == ("First line, café.\r\n" + typed).encode("cp1252")
    assert autosaves() == []
