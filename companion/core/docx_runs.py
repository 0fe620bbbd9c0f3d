"""Edits inside one Word paragraph, mapped onto its runs by character offsets.

A paragraph's text (as python-docx reads it) is the text of its runs, direct ones and
those inside ``w:hyperlink``, each made of ``w:t`` text and single-character elements
(``w:tab``, ``w:br``...). An edit replaces a stretch of that text: the characters it
covers are cut from the elements holding them, and the replacement is written into
the run the edit starts in, so it takes that run's formatting. Runs and elements an
edit does not cover are left exactly as they were; runs emptied by a deletion are
removed (and a hyperlink left with no run).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from companion.core.clean import Edit

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RUNS = etree.XPath("./w:r | ./w:hyperlink/w:r", namespaces={"w": _W})
# The run content python-docx's Run.text reads (``str()`` of each gives its text).
_CONTENT = {f"{{{_W}}}{name}" for name in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab")}
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")


@dataclass(frozen=True, slots=True)
class _Atom:
    """One text-bearing element of a run and where its text sits in the paragraph."""

    run: BaseOxmlElement
    element: BaseOxmlElement
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _atoms(p: BaseOxmlElement) -> list[_Atom]:
    atoms = []
    pos = 0
    for r in _RUNS(p):
        for element in r:
            text = str(element) if element.tag in _CONTENT else ""
            if text:
                atoms.append(_Atom(r, element, pos, text))
                pos += len(text)
    return atoms


def paragraph_text(p: BaseOxmlElement) -> str:
    """The paragraph's text, exactly as ``docx.text.paragraph.Paragraph.text`` gives it."""
    return "".join(a.text for a in _atoms(p))


def diff_edits(old: str, new: str) -> list[Edit]:
    """Edits turning ``old`` into ``new``: whole words, punctuation and spaces.

    Two changes separated only by spaces are one edit, so a replaced phrase is written
    as a whole (in the formatting of the run it starts in).
    """
    if old == new:
        return []
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    a_at, b_at = _offsets(a), _offsets(b)
    head = 0  # common tokens at both ends are left out of the (quadratic) matcher
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(
        str.isspace, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False
    )
    opcodes = [("equal", 0, head, 0, head)]
    opcodes += [
        (op, i1 + head, i2 + head, j1 + head, j2 + head) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    edits: list[list[int]] = []  # [i1, i2, j1, j2] token ranges
    for k, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            continue
        gap = opcodes[k - 1] if k else None
        if (
            edits
            and gap is not None
            and gap[0] == "equal"
            and gap[1] == edits[-1][1]
            and all(t.isspace() and "\n" not in t for t in a[gap[1] : gap[2]])
        ):
            edits[-1][1], edits[-1][3] = i2, j2
        else:
            edits.append([i1, i2, j1, j2])
    return [Edit(a_at[i1], a_at[i2], new[b_at[j1] : b_at[j2]]) for i1, i2, j1, j2 in edits]


def _offsets(tokens: list[str]) -> list[int]:
    at = [0]
    for t in tokens:
        at.append(at[-1] + len(t))
    return at


def apply_paragraph_edits(p: BaseOxmlElement, edits: list[Edit]) -> bool:
    """Apply non-overlapping ``edits`` (offsets into the paragraph's text) to ``p``.

    Returns ``False``, changing nothing, if an edit falls outside the paragraph's text.
    """
    atoms = _atoms(p)
    text = "".join(a.text for a in atoms)
    if any(not 0 <= e.start <= e.end <= len(text) for e in edits):
        return False
    spans: dict[object, tuple[int, int]] = {}
    for a in atoms:
        spans[a.run] = (spans.get(a.run, (a.start, a.end))[0], a.end)
    ordered = sorted(edits, key=lambda e: e.start)
    for k, edit in enumerate(ordered):
        if not edit.replacement and edit.start < edit.end:
            low = ordered[k - 1].end if k else 0
            high = ordered[k + 1].start if k + 1 < len(ordered) else len(text)
            ordered[k] = _settle(edit, text, low, high, list(spans.values()))
    for edit in reversed(ordered):  # later offsets stay valid
        _apply(p, _atoms(p), edit)
    return True


def _settle(edit: Edit, text: str, low: int, high: int, spans: list[tuple[int, int]]) -> Edit:
    """Of the places a deletion can slide to (same result), the one touching fewest runs.

    Deleting ``" and x"`` or ``"and x "`` gives the same text; the run holding the
    space that is kept should not be rewritten for nothing.
    """
    s, e = edit.start, edit.end
    places = [(s, e)]
    while s > low and text[s - 1] == text[e - 1]:
        s, e = s - 1, e - 1
        places.append((s, e))
    s, e = edit.start, edit.end
    while e < high and text[s] == text[e]:
        s, e = s + 1, e + 1
        places.append((s, e))

    def cost(place: tuple[int, int]) -> tuple[int, int]:
        touched = sum(1 for a, b in spans if a < place[1] and b > place[0])
        return touched, abs(place[0] - edit.start)

    s, e = min(places, key=cost)
    return Edit(s, e, "")


def _apply(p: BaseOxmlElement, atoms: list[_Atom], edit: Edit) -> None:
    s, e, replacement = edit.start, edit.end, edit.replacement
    if s < e:
        target = next((a for a in atoms if a.start <= s < a.end), None)
    else:  # an insertion continues the text before it (or opens the paragraph's first run)
        target = next((a for a in reversed(atoms) if a.start < s <= a.end), None)
        target = target or next((a for a in atoms if a.start <= s < a.end), None)
    if target is None:
        if replacement:
            _append_run(p, replacement)
        return
    touched = []
    for atom in atoms:
        is_target = atom is target
        if not is_target and (atom.end <= s or atom.start >= e):
            continue
        lo, hi = max(s, atom.start) - atom.start, min(e, atom.end) - atom.start
        _splice(atom, lo, hi, replacement if is_target else "")
        touched.append(atom.run)
    for r in dict.fromkeys(touched):
        _drop_if_empty(r)


def _splice(atom: _Atom, lo: int, hi: int, insert: str) -> None:
    """Replace ``atom.text[lo:hi]`` with ``insert`` in the atom's element (and new siblings)."""
    from docx.oxml.ns import qn

    element = atom.element
    if element.tag == qn("w:t"):
        text = atom.text[:lo] + insert + atom.text[hi:]
        if not _BREAKS.search(insert):
            if text:
                _set_t(element, text)
            else:
                element.getparent().remove(element)
            return
        before, after = _content(text), []
    elif lo == hi:  # an insertion next to a one-character element (tab, break...)
        before, after = ([], _content(insert)) if lo else (_content(insert), [])
    else:  # the edit covers it
        before, after = _content(insert), []
    for item in before:
        element.addprevious(item)
    for item in reversed(after):
        element.addnext(item)
    if element.tag == qn("w:t") or lo < hi:
        element.getparent().remove(element)


def _set_t(element: BaseOxmlElement, text: str) -> None:
    from docx.oxml.ns import qn

    element.text = text
    if text != text.strip():
        element.set(qn("xml:space"), "preserve")


def _content(text: str) -> list[BaseOxmlElement]:
    """Run content for ``text``: ``w:t`` pieces, ``w:tab`` for tabs, ``w:br`` for line breaks."""
    from docx.oxml import OxmlElement

    items = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            items.append(OxmlElement("w:tab"))
        elif piece in ("\n", "\r", "\r\n"):
            items.append(OxmlElement("w:br"))
        elif piece:
            t = OxmlElement("w:t")
            _set_t(t, piece)
            items.append(t)
    return items


def _drop_if_empty(r: BaseOxmlElement) -> None:
    """Remove a run left with nothing but its properties (and a hyperlink left with no run)."""
    from docx.oxml.ns import qn

    if any(child.tag != qn("w:rPr") for child in r):
        return
    parent = r.getparent()
    parent.remove(r)
    if parent.tag == qn("w:hyperlink") and len(parent) == 0:
        parent.getparent().remove(parent)


def _append_run(p: BaseOxmlElement, text: str) -> None:
    """Add ``text`` after the paragraph's last run, formatted like it (a plain run if none)."""
    import copy

    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    runs = _RUNS(p)
    if runs:
        last = runs[-1]
        if last.rPr is not None:
            r.append(copy.deepcopy(last.rPr))
        last.addnext(r)
    else:
        p.append(r)
    for item in _content(text):
        r.append(item)
