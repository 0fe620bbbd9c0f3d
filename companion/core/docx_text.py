""".docx files: their text (body paragraphs and table cells) and writing edits back.

Edits are written into the original document: each changed paragraph is diffed word
by word and every change is written into the run it starts in, taking that run's
formatting (see :mod:`companion.core.docx_runs`); untouched runs, paragraphs, styles,
tables, hyperlinks and images are kept as they were. Headers, footers, footnotes,
comments and text boxes are neither read nor written.
"""

from __future__ import annotations

import copy
import difflib
import io
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from companion.core.document_base import NEWLINES, DocumentError
from companion.core.docx_runs import apply_paragraph_edits, diff_edits, paragraph_text

if TYPE_CHECKING:  # python-docx is imported lazily: only .docx files need it
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

log = logging.getLogger(__name__)


def _open_docx(data: bytes, name: str) -> DocxDocument:
    import docx

    if not data.startswith(b"PK"):
        raise DocumentError(_not_docx(name))
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # zipfile, KeyError, lxml, python-docx's own: all mean "not a docx"
        log.debug("%s: python-docx could not open it", name, exc_info=True)
        raise DocumentError(_not_docx(name)) from None


def _not_docx(name: str) -> str:
    return f"{name}: not a valid .docx (corrupt or not a Word file)"


def docx_text(data: bytes, name: str) -> str:
    document = _open_docx(data, name)
    return "\n".join(p.text for p in _paragraphs(document))


def _paragraphs(document: DocxDocument) -> list[Paragraph]:
    """Body paragraphs and table-cell paragraphs, in document order."""
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document) for p in _iter_p(document.element.body)]  # type: ignore[arg-type]


def _iter_p(element: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    from docx.oxml.ns import qn

    p_tag = qn("w:p")
    containers = {qn(t) for t in ("w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:customXml")}
    for child in element.iterchildren():
        if child.tag == p_tag:
            yield child
        elif child.tag in containers:
            yield from _iter_p(child)


def _runs(paragraph: Paragraph) -> list[Run]:
    """The runs whose text makes up ``paragraph.text`` (hyperlink runs included)."""
    from docx.text.run import Run

    return [Run(r, paragraph) for r in paragraph._p.xpath("./w:r | ./w:hyperlink/w:r")]


def _set_paragraph_text(paragraph: Paragraph, old: str, new: str) -> None:
    """Replace the text of ``paragraph`` (``old``) with ``new``, touching as few runs as possible.

    The two texts are diffed word by word; each change is written into the run it starts
    in (see :mod:`companion.core.docx_runs`). Runs no change covers are left as they were.
    """
    if old == new:
        return
    p = paragraph._p
    if paragraph_text(p) == old and apply_paragraph_edits(p, diff_edits(old, new)):
        return
    log.warning("paragraph text does not map onto its runs; rewriting it as one run")
    runs = _runs(paragraph)
    if not runs:
        if new:
            paragraph.add_run(new)
        return
    runs[0].text = new
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def _new_paragraph_after(paragraph: Paragraph, text: str, *, before: bool = False) -> Paragraph:
    """A paragraph formatted like ``paragraph`` (its first run's character format) holding ``text``."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    p = copy.deepcopy(paragraph._p)
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    if p.pPr is not None and p.pPr.sectPr is not None:
        p.pPr.remove(p.pPr.sectPr)
    runs = _runs(paragraph)
    r = p.add_r()
    if runs and runs[0]._r.rPr is not None:
        r.insert(0, copy.deepcopy(runs[0]._r.rPr))
    Run(r, paragraph).text = text
    if before:
        paragraph._p.addprevious(p)
    else:
        paragraph._p.addnext(p)
    return Paragraph(p, paragraph._parent)


def _remove_paragraph(paragraph: Paragraph) -> None:
    """Remove ``paragraph``, or empty it where Word needs it (last in a cell, section break)."""
    from docx.oxml.ns import qn

    p = paragraph._p
    parent = p.getparent()
    holds_section = p.pPr is not None and p.pPr.sectPr is not None
    last_in_cell = parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1
    if holds_section or last_in_cell:
        _set_paragraph_text(paragraph, paragraph.text, "")
    else:
        parent.remove(p)


def _write_docx_text(document: DocxDocument, new_text: str) -> None:
    """Write ``new_text`` (paragraphs joined by ``"\\n"``) back into ``document``."""
    paragraphs = _paragraphs(document)
    if not paragraphs:
        for line in new_text.split("\n") if new_text else []:
            document.add_paragraph(line)
        return
    olds = [p.text for p in paragraphs]
    owner: list[int] = []  # old line index -> paragraph index
    for k, t in enumerate(olds):
        owner.extend([k] * (t.count("\n") + 1))
    old_lines = "\n".join(olds).split("\n")
    new_lines = new_text.split("\n")
    if len(old_lines) == len(new_lines):
        line = 0
        for paragraph, old in zip(paragraphs, olds, strict=True):
            n = old.count("\n") + 1
            _set_paragraph_text(paragraph, old, "\n".join(new_lines[line : line + n]))
            line += n
        return
    # Line counts differ: align lines, then give each paragraph the new lines that map
    # onto its old ones; extra lines after its last line become new paragraphs.
    mapped: list[list[str]] = [[] for _ in old_lines]
    leading: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            (mapped[i1 - 1] if i1 else leading).extend(new_lines[j1:j2])
            continue
        pairs = min(i2 - i1, j2 - j1)
        for d in range(pairs):
            mapped[i1 + d].append(new_lines[j1 + d])
        if j2 - j1 > pairs:
            mapped[i2 - 1].extend(new_lines[j1 + pairs : j2])
    for text in leading:  # before anything is removed, so the anchor is still in place
        _new_paragraph_after(paragraphs[0], text, before=True)
    line = 0
    for paragraph, old in zip(paragraphs, olds, strict=True):
        n = old.count("\n") + 1
        own: list[str] = []
        after: list[str] = []
        for d in range(n):
            items = mapped[line + d]
            if d < n - 1:
                own.extend(items)
            else:
                own.extend(items[:1])
                after.extend(items[1:])
        line += n
        anchor = paragraph
        for text in after:
            anchor = _new_paragraph_after(anchor, text)
        if own:
            _set_paragraph_text(paragraph, old, "\n".join(own))
        else:
            _remove_paragraph(paragraph)


def docx_bytes(original: bytes, old_text: str, new_text: str, name: str) -> bytes:
    """``original`` (a .docx whose text is ``old_text``) with its text changed to ``new_text``."""
    if new_text == old_text:
        return original
    document = _open_docx(original, name)
    _write_docx_text(document, new_text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def new_docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in NEWLINES.split(text) if text else []:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
