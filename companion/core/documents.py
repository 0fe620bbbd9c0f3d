"""Read and write the files users bring: plain text, Markdown and Word ``.docx``.

Offset contract: ``Document.text`` is the file's text exactly as decoded. Only a
byte-order mark is dropped; line endings (``"\\r\\n"``, ``"\\r"``) are kept, so a
finding's code-point offsets point at the same characters the user sees in the file.
For ``.docx`` the text is the body's paragraphs (table cells included, in document
order) joined by ``"\\n"``.

Saving is atomic: the new bytes go to a temporary file in the same folder, which is
flushed, synced and then renamed over the target with :func:`os.replace`. If anything
fails the old file is left untouched.
"""

from __future__ import annotations

import codecs
import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import charset_normalizer

from companion.core import atomic
from companion.core.document_base import NEWLINES as _NEWLINES
from companion.core.document_base import DocumentError
from companion.core.recovery import (  # autosave files: the documents recovery offers back
    DISCARD as DISCARD,
)
from companion.core.recovery import FORMAT as FORMAT
from companion.core.recovery import LATER as LATER
from companion.core.recovery import RECOVER as RECOVER
from companion.core.recovery import STALE_TMP_S as STALE_TMP_S
from companion.core.recovery import TEMP_GLOBS as TEMP_GLOBS
from companion.core.recovery import AutosaveRecord as AutosaveRecord
from companion.core.recovery import autosave_dir as autosave_dir
from companion.core.recovery import own_start_time as own_start_time
from companion.core.recovery import remove_record as remove_record
from companion.core.recovery import remove_stale_temps as remove_stale_temps
from companion.core.recovery import stale_records as stale_records
from companion.core.recovery import write_record as write_record

log = logging.getLogger(__name__)

#: Files larger than this are refused (decimal megabytes, as file managers show them).
MAX_BYTES = 20_000_000
#: Appended to a file's name for the copy kept by ``backup=True`` (see atomic.next_backup_path).
BACKUP_SUFFIX = atomic.BACKUP_SUFFIX

Kind = Literal["text", "markdown", "docx"]

_SNIFF_BYTES = 8192
_MARKDOWN_EXTENSIONS = (".md", ".markdown")
# Encodings that, once decoded, Python writes back with their BOM on its own.
_SELF_BOM = {"utf-8-sig", "utf-16", "utf-32"}
# Byte-order marks, longest first (a UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_FOR = {codec: bom for bom, codec in _BOMS} | {"utf-8": codecs.BOM_UTF8}
_BINARY_HINTS = {
    ".doc": " (save it as .docx first)",
    ".odt": " (save it as .docx first)",
    ".pdf": " (copy its text into a .txt file)",
}


@dataclass(frozen=True)
class Document:
    """A file's text and what is needed to write it back the way it was."""

    #: Where it came from; ``None`` for standard input or other in-memory data.
    path: str | None
    #: The text as decoded (see the module's offset contract).
    text: str
    kind: Kind = "text"
    #: Python codec name: ``utf-8``, ``utf-8-sig`` (UTF-8 with BOM), ``utf-16-le``, ``cp1252``...
    encoding: str = "utf-8"
    #: The file's dominant line ending, used when saving text that only has ``"\n"``.
    newline: str = "\n"
    had_bom: bool = False
    #: Half-open code-point ranges that must never be flagged (Markdown code, URLs...).
    ignored: tuple[tuple[int, int], ...] = ()
    #: Things the user should know, e.g. ``"encoding guessed as cp1252"``.
    warnings: tuple[str, ...] = ()
    #: The original bytes of a ``.docx`` (the package edits are written back into).
    original: bytes | None = field(default=None, repr=False, compare=False)


# --------------------------------------------------------------------------- reading


def kind_for(name: str) -> Kind:
    """The kind of document a file name implies (by extension, case-insensitive)."""
    lower = name.lower()
    if lower.endswith(_MARKDOWN_EXTENSIONS):
        return "markdown"
    if lower.endswith(".docx"):
        return "docx"
    return "text"


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read the file at ``path``; raise :class:`DocumentError` with a clear message if it can't be."""
    path = os.fspath(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path):
            # A pipe or device would block open() until someone writes to it.
            raise DocumentError(f"{path}: not a regular file (a pipe, socket or device)")
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_BYTES:
                raise DocumentError(_too_big(path, size))
            data = f.read(MAX_BYTES + 1)  # bounded: pipes and special files report size 0
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(f"{path}: permission denied") from None
    except OSError as e:
        raise DocumentError(f"{path}: cannot be read ({e.strerror or e})") from None
    return _load(data, path, path)


def load_bytes(data: bytes, name: str) -> Document:
    """Decode ``data`` as if read from a file called ``name`` (which decides the kind)."""
    return _load(data, name, None)


def _load(data: bytes, name: str, path: str | None) -> Document:
    if len(data) > MAX_BYTES:
        raise DocumentError(_too_big(name, len(data)))
    kind = kind_for(name)
    if kind == "docx":
        from companion.core.docx_text import docx_text

        return Document(path, docx_text(data, name), "docx", original=data)
    text, encoding, had_bom, warnings = _decode(data, name)
    return text_document(path, name, text, encoding=encoding, had_bom=had_bom, warnings=warnings)


def text_document(
    path: str | None, name: str, text: str, *, encoding: str, had_bom: bool, warnings: Sequence[str] = ()
) -> Document:
    """A decoded text or Markdown file as a Document (Markdown gets its ignored ranges)."""
    kind = kind_for(name)
    ignored: tuple[tuple[int, int], ...] = ()
    if kind == "markdown":
        from companion.core.markdown import ignored_ranges

        ignored = tuple(ignored_ranges(text))
    return Document(
        path,
        text,
        kind,
        encoding=encoding,
        newline=dominant_newline(text),
        had_bom=had_bom,
        ignored=ignored,
        warnings=tuple(warnings),
    )


def dominant_newline(text: str) -> str:
    """The most frequent line ending in ``text`` (``"\\n"`` on ties and when there is none)."""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=counts.__getitem__)


def _decode(data: bytes, name: str) -> tuple[str, str, bool, list[str]]:
    """``(text, encoding, had_bom, warnings)`` for the bytes of a text file."""
    if not data:
        return "", "utf-8", False, []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            base = "utf-8" if codec == "utf-8-sig" else codec
            try:
                return body.decode(base), codec, True, []
            except UnicodeDecodeError as e:
                if codec.startswith("utf-32") and data.startswith(codecs.BOM_UTF16_LE):
                    continue  # a UTF-16-LE BOM followed by U+0000, not UTF-32
                warning = f"invalid {base} at byte {e.start + len(bom)}: replaced with U+FFFD"
                return body.decode(base, errors="replace"), codec, True, [warning]
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise DocumentError(_binary(name))
    try:
        return data.decode("utf-8"), "utf-8", False, []
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    if encoding is None:
        raise DocumentError(_binary(name))
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise DocumentError(f"{name}: unknown text encoding (not UTF-8)") from None
    log.debug("%s: encoding guessed as %s", name, encoding)
    return text, encoding, False, [f"encoding guessed as {encoding}"]


def _guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess, nudged towards cp1252 when that reads as well."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    guess = codecs.lookup(best.encoding).name
    # charset-normalizer often ranks cp1250/cp1257 above cp1252 for Western text
    # (they share most letters); cp1252 is by far the likelier legacy encoding.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return guess
    if guess == "cp1252":
        return guess
    for match in matches:
        if codecs.lookup(match.encoding).name == "cp1252":
            if match.chaos <= best.chaos + 0.1 and match.coherence >= best.coherence:
                return "cp1252"
            break
    try:
        same = data.decode(guess) == western
    except (UnicodeDecodeError, LookupError):
        same = False
    return "cp1252" if same else guess


def _too_big(name: str, size: int) -> str:
    return f"{name}: {size / 1e6:.1f} MB is larger than the {MAX_BYTES / 1e6:g} MB limit"


def _binary(name: str) -> str:
    hint = _BINARY_HINTS.get(os.path.splitext(name)[1].lower(), "")
    return f"{name}: looks like a binary file, not text{hint}"


# --------------------------------------------------------------------------- writing


def encode_text(
    text: str, *, encoding: str = "utf-8", newline: str | None = None, had_bom: bool = False
) -> bytes:
    """The bytes :func:`save_text` would write (raises :class:`DocumentError` if unencodable)."""
    if newline not in (None, "\n", "\r\n", "\r"):
        raise ValueError(f"newline must be '\\n', '\\r\\n', '\\r' or None, not {newline!r}")
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise DocumentError(f"unknown encoding {encoding!r}") from None
    converted = text if newline is None else _NEWLINES.sub(newline, text)
    try:
        data = converted.encode(codec)
    except UnicodeEncodeError:
        raise _unencodable(text, codec) from None
    if had_bom and codec not in _SELF_BOM and codec in _BOM_FOR:
        data = _BOM_FOR[codec] + data
    return data


def _unencodable(text: str, codec: str) -> DocumentError:
    """Name the first character of ``text`` that ``codec`` cannot write, and where it is."""
    try:
        text.encode(codec)
    except UnicodeEncodeError as e:
        at = e.start
    else:  # only line breaks were converted, and they always encode
        return DocumentError(f"cannot be saved as {codec}")
    char = text[at]
    breaks = list(_NEWLINES.finditer(text, 0, at))
    line = len(breaks) + 1
    column = at - (breaks[-1].end() if breaks else 0) + 1
    return DocumentError(
        f"{char!r} (U+{ord(char):04X}) on line {line}, column {column} cannot be saved as {codec}"
    )


def save_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    had_bom: bool = False,
    backup: bool = False,
) -> str | None:
    """Write ``text`` to ``path`` atomically; return the backup's path, if one was made.

    ``newline``: when given, every line break in ``text`` (``\\r\\n``, ``\\r`` or ``\\n``)
    is written as it; ``None`` writes ``text`` as is. ``had_bom`` writes the encoding's
    byte-order mark (``utf-8-sig``, ``utf-16`` and ``utf-32`` always write one).
    ``backup`` first copies an existing file to a new backup (``path.bak``, ``path.1.bak``, …).
    """
    path = os.fspath(path)
    try:
        data = encode_text(text, encoding=encoding, newline=newline, had_bom=had_bom)
    except DocumentError as e:
        raise DocumentError(f"{path}: {e}") from None
    return write_atomic(path, data, backup=backup)


def save_document(
    doc: Document, new_text: str, path: str | os.PathLike[str] | None = None, backup: bool = False
) -> str | None:
    """Write ``new_text`` as ``doc``'s file (or to ``path``) the way it was read.

    Text and Markdown keep their encoding, BOM and line endings: if ``new_text`` holds
    no ``"\\r"`` (an editor's normalised text), its ``"\\n"`` become ``doc.newline``;
    otherwise it is written as is, so unchanged text gives byte-identical files.

    ``.docx`` (when the target ends in ``.docx``): the lines of ``new_text`` are matched
    to the original paragraphs and only changed paragraphs are touched. Within one, the
    changed region takes the formatting of the run it starts in; other runs, untouched
    paragraphs, styles, tables and everything else in the package are kept. Limits:
    runs rewritten this way lose non-text content they held (images, fields, page
    breaks); added lines become new paragraphs formatted like the one before them;
    headers, footers, footnotes, comments and text boxes are neither read nor written.
    A text document saved to a ``.docx`` path becomes a new, plain ``.docx``.
    Returns the backup's path, if one was made.
    """
    target = os.fspath(path) if path is not None else doc.path
    if target is None:
        raise ValueError("save_document needs a path for a document read from memory")
    if target.lower().endswith(".docx"):
        from companion.core.docx_text import docx_bytes, new_docx_bytes

        if doc.kind == "docx":
            data = docx_bytes(_docx_original(doc), doc.text, new_text, doc.path or "document.docx")
        else:
            data = new_docx_bytes(new_text)
        return write_atomic(target, data, backup=backup)
    newline = None if "\r" in new_text or doc.newline == "\n" else doc.newline
    return save_text(
        target, new_text, encoding=doc.encoding, newline=newline, had_bom=doc.had_bom, backup=backup
    )


def _docx_original(doc: Document) -> bytes:
    """The bytes of the ``.docx`` ``doc`` was read from (re-read from its path if not kept)."""
    if doc.original is not None:
        return doc.original
    if doc.path is not None:
        return load_document(doc.path).original or b""
    raise ValueError("a .docx Document needs its original bytes or path to be saved")


def write_atomic(path: str | os.PathLike[str], data: bytes, *, backup: bool = False) -> str | None:
    """Replace ``path``'s contents with ``data`` atomically; return the backup's path, if made.

    See :func:`companion.core.atomic.write_bytes`; ``backup`` first copies an existing
    file to :func:`companion.core.atomic.next_backup_path`. Failures raise :class:`DocumentError`.
    """
    shown = os.fspath(path)
    target = os.path.realpath(shown) if os.path.islink(shown) else shown
    backup_path = None
    if backup and os.path.exists(target):
        try:
            backup_path = atomic.copy_to_backup(target, shown)
        except OSError as e:
            raise DocumentError(f"{shown}: backup failed ({e.strerror or e}); nothing saved") from None
    try:
        atomic.write_bytes(shown, data)
    except OSError as e:
        raise _write_error(shown, e) from None
    log.debug("saved %s (%d bytes)", shown, len(data))
    return backup_path


def _write_error(path: str, error: OSError) -> DocumentError:
    if isinstance(error, PermissionError):
        return DocumentError(f"{path}: permission denied")
    if isinstance(error, FileNotFoundError):
        return DocumentError(f"{path}: folder does not exist")
    return DocumentError(f"{path}: cannot be saved ({error.strerror or error})")
