"""Clean folder…: safe edits only, Markdown code and Word formatting kept, bad files reported."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt

from companion.core import documents
from companion.core.batch import list_files, run_batch
from companion.core.clean import apply_edits, clean_edits
from companion.core.cleaning import changes_between
from companion.core.engine import Engine
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library
from companion.core.readability import ReadabilityAnalyzer
from companion.core.style import StyleAnalyzer
from companion.gui.clean.batch import BatchCleanDialog

ROBOTIC = "In today's fast-paced world, we must leverage synergies to delve into the data.\n"
CODE = "```python\n# In today's fast-paced world, we leverage synergies.\nx = 'delve into'\n```\n"
MARKDOWN = "# Notes\n\nWe must leverage synergies here.\n\n" + CODE + "\nPlain closing line.\n"
PLAIN = "The cat sat on the mat. It was warm.\n"


@pytest.fixture(scope="module")
def analyzers() -> list:
    return [LibraryAnalyzer(load_library()), StyleAnalyzer(), ReadabilityAnalyzer()]


@pytest.fixture
def checker(analyzers) -> Engine:
    return Engine(analyzers)


def make_docx(path: Path) -> None:
    document = docx.Document()
    p = document.add_paragraph()
    bold = p.add_run("Keep this bold.")
    bold.bold = True
    p.add_run(" In today's fast-paced world, we leverage synergies.")
    italic = document.add_paragraph().add_run("An untouched italic line.")
    italic.italic = True
    document.save(str(path))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "essays"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "robotic.txt").write_text(ROBOTIC, encoding="utf-8")
    (root / "sub" / "notes.md").write_text(MARKDOWN, encoding="utf-8")
    make_docx(root / "report.docx")
    (root / "data.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)  # binary with a text name
    (root / "empty.txt").write_bytes(b"")
    (root / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (root / ".hidden" / "secret.txt").write_text(ROBOTIC, encoding="utf-8")
    (root / ".dotfile.md").write_text(ROBOTIC, encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_lists_documents_recursively_without_hidden_ones(folder) -> None:
    names = [str(p.relative_to(folder)) for p in list_files(folder)]
    assert names == ["data.txt", "empty.txt", "plain.txt", "report.docx", "robotic.txt", "sub/notes.md"]


def test_batch_cleans_safe_edits_and_reports_the_rest(folder, checker) -> None:
    before = snapshot(folder)
    summary = run_batch(folder, checker)
    by_name = {r.path.name: r for r in summary.results}
    assert summary.total == 6 and len(summary.results) == 6 and not summary.cancelled
    assert {n for n, r in by_name.items() if r.status == "changed"} == {
        "robotic.txt",
        "notes.md",
        "report.docx",
    }
    assert summary.files_changed == 3
    assert by_name["plain.txt"].status == "unchanged" and by_name["plain.txt"].changes == 0
    assert by_name["data.txt"].status == "skipped" and "binary" in by_name["data.txt"].reason
    assert by_name["empty.txt"].status == "skipped" and by_name["empty.txt"].reason == "empty file"
    assert summary.changes_applied == sum(r.changes for r in summary.results) > 3

    # The text file: exactly the core's safe edits, and a byte-identical backup.
    robotic = (folder / "robotic.txt").read_text(encoding="utf-8")
    assert robotic == apply_edits(ROBOTIC, clean_edits(ROBOTIC, checker.check(ROBOTIC).findings))
    assert robotic.startswith("Today, we must use ") and "fast-paced" not in robotic
    assert by_name["robotic.txt"].changes == changes_between(ROBOTIC, robotic) > 0
    assert (folder / "robotic.txt.bak").read_bytes() == before["robotic.txt"]
    assert by_name["robotic.txt"].backup == str(folder / "robotic.txt.bak")

    # Markdown: the prose is cleaned, the code block is not touched.
    notes = (folder / "sub" / "notes.md").read_text(encoding="utf-8")
    assert CODE in notes and "We must use" in notes
    assert (folder / "sub" / "notes.md.bak").read_bytes() == before["sub/notes.md"]

    # Word: the changed run is cleaned, the bold run and the italic paragraph keep their formatting.
    document = docx.Document(str(folder / "report.docx"))
    first, second = document.paragraphs[0], document.paragraphs[1]
    assert first.runs[0].text == "Keep this bold." and first.runs[0].bold is True
    assert first.text.startswith("Keep this bold. Today, we use ")
    assert not any(run.bold for run in first.runs[1:])
    assert second.runs[0].text == "An untouched italic line." and second.runs[0].italic is True
    assert (folder / "report.docx.bak").read_bytes() == before["report.docx"]

    # Unchanged, skipped and hidden files are left alone, without backups.
    after = snapshot(folder)
    for name in ("plain.txt", "data.txt", "empty.txt", ".hidden/secret.txt", ".dotfile.md", "image.png"):
        assert after[name] == before[name] and f"{name}.bak" not in after
    text = summary.describe()
    assert "Cleaned 3 of 6 files" in text and "data.txt (looks like a binary file" in text
    assert "empty.txt (empty file)" in text


def test_dry_run_reports_the_same_and_writes_nothing(folder, checker, tmp_path) -> None:
    before = snapshot(folder)
    dry = run_batch(folder, checker, dry_run=True)
    assert snapshot(folder) == before
    assert dry.dry_run and all(r.backup is None for r in dry.results)
    assert "nothing was written" in dry.describe()
    real = run_batch(folder, checker)
    assert [(r.path, r.status, r.changes) for r in dry.results] == [
        (r.path, r.status, r.changes) for r in real.results
    ]
    # A second pass finds nothing left to do (and keeps the first backups).
    again = run_batch(folder, checker)
    assert again.files_changed == 0
    assert (folder / "robotic.txt.bak").read_bytes() == before["robotic.txt"]


def test_an_existing_backup_is_never_overwritten(folder, checker) -> None:
    robotic, older = folder / "robotic.txt", folder / "robotic.txt.bak"
    older.write_bytes(b"the user's own older backup")
    first = {r.path.name: r for r in run_batch(folder, checker).results}["robotic.txt"]
    assert first.backup == str(folder / "robotic.txt.1.bak")
    assert older.read_bytes() == b"the user's own older backup"
    assert Path(first.backup).read_text(encoding="utf-8") == ROBOTIC

    second_version = "We will delve into the data.\n"
    robotic.write_text(second_version, encoding="utf-8")
    summary = run_batch(folder, checker)
    second = {r.path.name: r for r in summary.results}["robotic.txt"]
    assert second.backup == str(folder / "robotic.txt.2.bak")
    assert Path(second.backup).read_text(encoding="utf-8") == second_version
    assert Path(first.backup).read_text(encoding="utf-8") == ROBOTIC  # still there, untouched
    assert summary.total == 6  # backups are not cleaned in turn
    assert ".1.bak" in summary.describe()


def test_cancellation_stops_early(folder, checker) -> None:
    seen: list[str] = []
    summary = run_batch(
        folder,
        checker,
        progress=lambda i, n, path: seen.append(path.name),
        cancelled=lambda: len(seen) >= 2,
    )
    assert summary.cancelled and len(summary.results) == 2 and seen == ["data.txt", "empty.txt"]
    assert summary.total == 6 and "4 file(s) not looked at" in summary.describe()
    assert (folder / "robotic.txt").read_text(encoding="utf-8") == ROBOTIC
    assert not (folder / "robotic.txt.bak").exists()


def test_too_big_broken_and_unreadable_files_do_not_stop_the_batch(folder, checker, monkeypatch) -> None:
    monkeypatch.setattr(documents, "MAX_BYTES", 1000)  # the .docx is bigger, the text files are not
    (folder / "broken.docx").write_bytes(b"not a zip archive")
    locked = folder / "locked.txt"
    locked.write_text(ROBOTIC, encoding="utf-8")
    locked.chmod(0o000)
    try:
        summary = run_batch(folder, checker)
    finally:
        locked.chmod(0o644)
    by_name = {r.path.name: r for r in summary.results}
    assert by_name["report.docx"].status == "skipped" and "larger than" in by_name["report.docx"].reason
    assert by_name["broken.docx"].status == "skipped" and by_name["broken.docx"].reason
    if os.geteuid() != 0:  # root reads anything
        assert (
            by_name["locked.txt"].status == "skipped" and "permission denied" in by_name["locked.txt"].reason
        )
    assert by_name["robotic.txt"].status == "changed" and summary.total == 8 == len(summary.results)


class GatedChecker(Engine):
    """A checker that records its threads and, when asked, waits for the test before each file."""

    def __init__(self, analyzers, gate: threading.Event | None = None) -> None:
        super().__init__(analyzers)
        self.threads: set[int] = set()
        self.started = threading.Event()
        self.gate = gate

    def check(self, text, **kwargs):
        self.threads.add(threading.get_ident())
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(10)
        return super().check(text, **kwargs)


def test_dialog_cleans_on_a_background_thread(qtbot, folder, analyzers) -> None:
    checker = GatedChecker(analyzers)
    dialog = BatchCleanDialog(folder, checker)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.topLevelItemCount() == 6
    with qtbot.waitSignal(dialog.finished_batch, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.clean_button, Qt.MouseButton.LeftButton)
        assert dialog.running and not dialog.clean_button.isEnabled()
    summary = blocker.args[0]
    assert summary is dialog.summary and summary.files_changed == 3
    assert checker.threads and threading.get_ident() not in checker.threads
    assert not dialog.running and dialog.progress.value() == 6
    assert dialog.status.text() == summary.describe()
    rows = {dialog.list.topLevelItem(k).text(0): dialog.list.topLevelItem(k) for k in range(6)}
    assert rows["robotic.txt"].text(1) == "changed" and int(rows["robotic.txt"].text(2)) > 0
    assert rows["data.txt"].text(1).startswith("skipped: looks like a binary")
    assert rows["plain.txt"].text(1) == "nothing to do"


def test_dialog_dry_run_and_cancel(qtbot, folder, analyzers) -> None:
    gate = threading.Event()
    checker = GatedChecker(analyzers, gate)
    dialog = BatchCleanDialog(folder, checker)
    qtbot.addWidget(dialog)
    before = snapshot(folder)
    dialog.dry_run.setChecked(True)
    with qtbot.waitSignal(dialog.finished_batch, timeout=20000) as blocker:
        dialog.start()
        assert checker.started.wait(10)  # the worker is inside the first readable file
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    summary = blocker.args[0]
    assert summary.cancelled and summary.dry_run and len(summary.results) < summary.total
    assert snapshot(folder) == before
    assert "Cancelled" in dialog.status.text() and dialog.clean_button.isEnabled()


def test_closing_the_dialog_waits_for_the_thread(qtbot, folder, analyzers) -> None:
    gate = threading.Event()
    checker = GatedChecker(analyzers, gate)
    dialog = BatchCleanDialog(folder, checker)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    assert checker.started.wait(10)
    threading.Timer(0.05, gate.set).start()
    dialog.close()  # cancels and waits: no thread outlives the dialog
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.running, timeout=5000)
    assert dialog.summary is not None and dialog.summary.cancelled
