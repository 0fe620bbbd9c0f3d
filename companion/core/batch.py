"""Clean a folder: apply the safe suggestions to every document under it.

The work itself, with no Qt: the editor's "Clean folder…" dialog runs
:func:`run_batch` on a thread, and tests call it directly.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from companion.core.checker import Checker
from companion.core.cleaning import changes_between, clean_document_text
from companion.core.documents import DocumentError, load_document, save_document

log = logging.getLogger(__name__)

#: Extensions cleaned (case-insensitive); other files are not listed.
EXTENSIONS = (".txt", ".md", ".markdown", ".docx")

Status = Literal["changed", "unchanged", "skipped"]
#: progress(files done so far, total, file about to be cleaned)
Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: Path
    status: Status
    #: Safe edits applied (or, in a dry run, that would be).
    changes: int = 0
    #: Why a file was skipped (a message for the user).
    reason: str = ""
    backup: str | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    folder: Path
    results: tuple[FileResult, ...]
    #: Files found, including those a cancellation left untouched.
    total: int
    dry_run: bool = False
    cancelled: bool = False

    @property
    def files_changed(self) -> int:
        return sum(r.status == "changed" for r in self.results)

    @property
    def changes_applied(self) -> int:
        return sum(r.changes for r in self.results if r.status == "changed")

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "skipped"]

    def describe(self) -> str:
        """A one-paragraph summary for the user."""
        changed, n = self.files_changed, self.changes_applied
        files = f"{changed} of {self.total} file{'s' if self.total != 1 else ''}"
        changes = f"{n} change{'s' if n != 1 else ''}"
        if self.dry_run:
            text = f"Dry run: {files} would change ({changes}); nothing was written."
        else:
            text = f"Cleaned {files}: {changes} applied."
            if changed:
                text += (
                    " Each changed file's original was kept beside it as .bak"
                    " (.1.bak, .2.bak, … beside older backups)."
                )
        if self.skipped:
            text += (
                f" Skipped {len(self.skipped)}: "
                + "; ".join(f"{r.path.name} ({r.reason})" for r in self.skipped)
                + "."
            )
        if self.cancelled:
            text += f" Cancelled: {self.total - len(self.results)} file(s) not looked at."
        return text


def list_files(folder: str | os.PathLike[str]) -> list[Path]:
    """The documents under ``folder``, recursively, sorted; hidden folders and files skipped.

    Symlinked folders are not followed (no loops); Word's ``~$`` lock files are left out.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith((".", "~$")) or not name.lower().endswith(EXTENSIONS):
                continue
            found.append(Path(root, name))
    return found


def clean_file(path: Path, checker: Checker, *, dry_run: bool = False) -> FileResult:
    """Apply the safe edits to one file (saved with a backup); never raises for a bad file."""
    try:
        doc = load_document(path)
        if not doc.text.strip():
            return FileResult(path, "skipped", reason="empty file")
        cleaned = clean_document_text(checker, doc.text, markdown=doc.kind == "markdown")
        if cleaned == doc.text:
            return FileResult(path, "unchanged")
        backup = None if dry_run else save_document(doc, cleaned, backup=True)
        return FileResult(path, "changed", changes_between(doc.text, cleaned), backup=backup)
    except DocumentError as exc:
        return FileResult(path, "skipped", reason=_short(str(exc), path))
    except Exception as exc:  # one broken file must not stop the batch
        log.exception("cleaning %s failed", path)
        return FileResult(path, "skipped", reason=f"failed: {type(exc).__name__}: {exc}")


def _short(message: str, path: Path) -> str:
    """A DocumentError message without the path it starts with (the summary names the file)."""
    for prefix in (f"{path}: ", f"{path.name}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def run_batch(
    folder: str | os.PathLike[str],
    checker: Checker,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BatchSummary:
    """Clean every document under ``folder`` with the SAFE edits only (see :func:`clean.is_safe`).

    A changed file is saved in place with a new backup (unless ``dry_run``): ``name.bak``,
    or ``name.1.bak``, ``name.2.bak``, … so an older backup is never replaced; files
    that cannot be read are reported, never fatal. ``cancelled`` is asked before each file.
    """
    files = list_files(folder)
    results: list[FileResult] = []
    stopped = False
    for i, path in enumerate(files):
        if cancelled():
            stopped = True
            break
        if progress is not None:
            progress(i, len(files), path)
        results.append(clean_file(path, checker, dry_run=dry_run))
    return BatchSummary(Path(folder), tuple(results), len(files), dry_run, stopped)
