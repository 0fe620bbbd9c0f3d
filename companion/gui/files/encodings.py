"""What the window says about a file's format, and opening text in an encoding the user picks.

``describe(doc)`` is the status-bar summary ("cp1252 (guessed) · CRLF"); ``docx_note``
says what a Word file keeps but does not show; ``sniff``/``text_bytes`` tell a text file
whose encoding could not be determined from a binary one; ``decode_as`` decodes bytes
with a chosen encoding into a :class:`Document` that saves back the same way; the
:class:`EncodingDialog` lets the user pick one with a live preview.
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import zipfile

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from companion.core import documents
from companion.core.documents import Document, DocumentError, kind_for, text_document

log = logging.getLogger(__name__)

#: (Python codec, label) offered when the encoding has to be picked.
ENCODINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", "Unicode (UTF-8)"),
    ("cp1252", "Western (Windows-1252)"),
    ("latin-1", "Western (ISO-8859-1, Latin-1)"),
    ("iso8859-15", "Western (ISO-8859-15)"),
    ("mac-roman", "Western (Mac OS Roman)"),
    ("utf-16-le", "Unicode (UTF-16 little-endian)"),
    ("utf-16-be", "Unicode (UTF-16 big-endian)"),
    ("cp1250", "Central European (Windows-1250)"),
    ("iso8859-2", "Central European (ISO-8859-2)"),
    ("cp1251", "Cyrillic (Windows-1251)"),
    ("koi8-r", "Cyrillic (KOI8-R)"),
    ("cp1253", "Greek (Windows-1253)"),
    ("cp1254", "Turkish (Windows-1254)"),
    ("cp1257", "Baltic (Windows-1257)"),
    ("shift_jis", "Japanese (Shift JIS)"),
    ("euc-jp", "Japanese (EUC-JP)"),
    ("gb18030", "Chinese, simplified (GB18030)"),
    ("big5", "Chinese, traditional (Big5)"),
    ("euc-kr", "Korean (EUC-KR)"),
    ("cp437", "DOS (code page 437)"),
)
CHOSEN = "(chosen by you)"
_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 BOM", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}
_NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
_CONTROL = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_CHARS = frozenset(_CONTROL.decode("latin-1") + "\x00")
_SNIFF = 8192
_PREVIEW_BYTES = 6000

DOCX_LIMITS = (
    "Word document: only the body text (paragraphs and tables) is shown and edited. Headers, "
    "footers, footnotes, comments and text boxes are kept in the file but not shown or edited. "
    "Text you don't change keeps its formatting; changed text takes the formatting of the run it "
    "starts in, and images or fields inside a changed run are lost."
)


def describe(doc: Document | None) -> tuple[str, str]:
    """``(label, tooltip)`` for the status bar: encoding, whether it was guessed, line endings."""
    if doc is None:
        return "UTF-8 · LF", "New text: saved as UTF-8 with LF line endings"
    if doc.kind == "docx":
        return "Word", DOCX_LIMITS
    codec = codecs.lookup(doc.encoding).name if doc.encoding else "utf-8"
    label = _LABELS.get(codec, codec)
    if doc.had_bom and "BOM" not in label:
        label += " BOM"
    if any(w.startswith("encoding guessed") for w in doc.warnings):
        label += " (guessed)"
    elif doc.warnings and not chosen_encoding(doc):
        label += " ⚠"  # e.g. bytes replaced with U+FFFD: the tooltip says which
    label += f" · {_NEWLINE_NAMES.get(doc.newline, 'LF')}"
    tips = [*doc.warnings, "Saved in this encoding, with these line endings."]
    if doc.path:
        tips.append("Click to reopen the file in another encoding.")
    return label, "\n".join(tips)


def chosen_encoding(doc: Document) -> bool:
    """Whether ``doc`` was decoded with an encoding the user picked (see :func:`decode_as`)."""
    return any(w.endswith(CHOSEN) for w in doc.warnings)


def docx_parts(data: bytes | None) -> list[str]:
    """The parts of a .docx that Humanize keeps but does not show (headers, comments...)."""
    if not data:
        return []
    found: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()

            def parts(pattern: str) -> list[bytes]:
                return [z.read(n) for n in names if re.fullmatch(pattern, n)]

            def any_text(pattern: str) -> bool:
                return any(re.search(rb"<w:t(?:\s[^>]*)?>\s*[^<\s]", xml) for xml in parts(pattern))

            if any_text(r"word/header\d*\.xml"):
                found.append("headers")
            if any_text(r"word/footer\d*\.xml"):
                found.append("footers")
            for kind in ("footnote", "endnote"):  # separators (w:type=...) are always there
                note = re.compile(rb"<w:" + kind.encode() + rb"\b(?![^>]*w:type=)")
                if any(note.search(x) for x in parts(f"word/{kind}s.xml")):
                    found.append(f"{kind}s")
            if any(b"<w:comment " in x for x in parts(r"word/comments\.xml")):
                found.append("comments")
            if any(b"txbxContent" in x for x in parts(r"word/document\.xml")):
                found.append("text boxes")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError) as exc:
        log.debug("docx parts not inspected: %s", exc)
    return found


def docx_note(doc: Document) -> str:
    """Said once when a .docx is opened: what is not round-tripped."""
    found = docx_parts(doc.original)
    if not found:
        return (
            "Word document: only the body text is shown and edited; "
            "formatting of text you don't change is kept."
        )
    listed = ", ".join(found[:-1]) + (" and " if len(found) > 1 else "") + found[-1]
    return (
        f"This document's {listed} are kept but not shown or edited here; "
        "formatting of text you don't change is kept."
    )


def sniff(data: bytes) -> str | None:
    """The encoding to suggest for bytes that look like text, or ``None`` if they look binary."""
    sample = data[:_SNIFF]
    if not sample:
        return None
    nul = sample.count(0)
    if nul:  # UTF-16 without a BOM (mostly Latin text: every other byte is 0), or binary
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if len(sample) < 4 or nul < 0.3 * len(sample) or max(even, odd) < 0.95 * nul:
            return None
        codec = "utf-16-le" if odd > even else "utf-16-be"
        text = sample[: len(sample) // 2 * 2].decode(codec, errors="replace")
        controls = sum(1 for c in text if c in _CONTROL_CHARS or c == "\ufffd")
        return codec if controls <= len(text) * 0.02 else None
    controls = sum(sample.count(b) for b in _CONTROL)
    return "cp1252" if controls <= len(sample) * 0.02 else None


def text_bytes(path: str) -> tuple[bytes, str] | None:
    """``(data, suggested encoding)`` when ``path`` failed to open because of its encoding.

    That is: a readable regular file within the size limit, not a Word file, whose bytes
    the core cannot decode but which look like text. ``None`` otherwise.
    """
    if kind_for(path) == "docx":
        return None
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > documents.MAX_BYTES:
            return None
        with open(path, "rb") as f:
            data = f.read(documents.MAX_BYTES + 1)
    except OSError:
        return None
    guess = sniff(data)
    if guess is None or len(data) > documents.MAX_BYTES:
        return None
    try:
        documents.load_bytes(data, path)
    except DocumentError:
        return data, guess
    return None  # the bytes are fine: what failed was reading the file


def decode_as(data: bytes, path: str, encoding: str) -> Document:
    """``data`` decoded strictly as ``encoding``, as a Document that saves back byte for byte.

    A byte-order mark of that encoding is dropped and remembered; raises
    :class:`DocumentError` when the bytes are not valid in it.
    """
    name = os.path.basename(path)
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise DocumentError(f"{name}: unknown encoding {encoding!r}") from None
    if kind_for(path) == "docx":
        raise DocumentError(f"{name}: a Word file has no text encoding to choose")
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    had_bom = codec in bom and data.startswith(bom[codec])
    body = data[len(bom[codec]) :] if had_bom else data
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{name}: not valid {codec} (byte {exc.start})") from None
    if had_bom and codec == "utf-8":
        codec = "utf-8-sig"
    return text_document(
        path, path, text, encoding=codec, had_bom=had_bom, warnings=(f"opened as {codec} {CHOSEN}",)
    )


class EncodingDialog(QDialog):
    """Pick the encoding that makes a preview of the file readable; Open needs a valid one."""

    def __init__(self, name: str, data: bytes, suggested: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose the text encoding")
        self._data = data
        intro = QLabel(
            f"Humanize could not tell how the text of “{name}” is encoded. If it is a text "
            "file, pick the encoding that makes the preview readable."
        )
        intro.setWordWrap(True)
        self.combo = QComboBox()
        for codec, label in ENCODINGS:
            self.combo.addItem(label, codec)
        index = self.combo.findData(_canonical(suggested))
        if index < 0:
            self.combo.addItem(suggested, suggested)
            index = self.combo.count() - 1
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setMinimumSize(480, 200)
        self.problem = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        for widget in (intro, self.combo, self.preview, self.problem, self.buttons):
            box.addWidget(widget)
        self.combo.currentIndexChanged.connect(self._update)
        self.combo.setCurrentIndex(index)
        self._update()

    def encoding(self) -> str:
        return str(self.combo.currentData())

    def _update(self) -> None:
        codec = self.encoding()
        self.preview.setPlainText(self._data[:_PREVIEW_BYTES].decode(codec, errors="replace"))
        try:
            self._data.decode(codec)
            problem = ""
        except UnicodeDecodeError as exc:
            problem = f"These bytes are not valid {codec} (byte {exc.start}): pick another encoding."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(not problem)


def _canonical(codec: str) -> str:
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec
    return next((c for c, _ in ENCODINGS if codecs.lookup(c).name == name), codec)


def ask_encoding(parent: QWidget, path: str, data: bytes, suggested: str) -> str | None:
    """Show the :class:`EncodingDialog`; the chosen codec, or ``None`` if cancelled."""
    dialog = EncodingDialog(os.path.basename(path), data, suggested, parent)
    try:
        return dialog.encoding() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
