""".docx clean-ups keep formatting exactly: edits land in the runs they touch, nothing else moves.

Real documents are built with python-docx (bold, italic, colours, hyperlinks, tables,
lists, a heading), edited through :func:`companion.core.clean.apply_edits` and saved
with :func:`companion.core.documents.save_document`. ``word/document.xml`` is then
compared element by element: untouched paragraphs and runs must serialise to the very
same bytes. Where LibreOffice is installed, the saved file is also opened headless.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from companion.core.clean import Edit, apply_edits
from companion.core.documents import load_document, save_document
from companion.core.docx_runs import diff_edits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
URL = "https://example.com/guide"
LIST_LABEL = re.compile(r"^\s+(?:\d+[.)]|[•◦▪–-])\s+")

# The document's text, paragraph by paragraph (table cells and list items included).
LINES = [
    "Quarterly report: we leverage synergy",  # heading
    "In order to grow, we leverage our robust synergies and delve deeply into data.",
    "Read the full guide to leverage it for more details.",  # "the full guide to leverage it" is a link
    "Key metric: leverage",  # table, bold cell
    "Untouched cell",
    "Plain then bold delve here",
    "First nested paragraph.",
    "Second nested paragraph utilizes it.",
    "First, utilize the tool.",  # numbered list
    "Second step stays.",
    "A bullet that leverages things.",  # bulleted list
    "Bullet stays too.",
    "Name:\tvalue to leverage",
]
TEXT = "\n".join(LINES)


# --------------------------------------------------------------------------- building


def add_hyperlink(paragraph: Paragraph, url: str, *pieces: tuple[str, bool]) -> None:
    """Append a ``w:hyperlink`` to ``url`` holding one run per ``(text, bold)`` piece."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    for text, bold in pieces:
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        rpr.append(style)
        if bold:
            rpr.append(OxmlElement("w:b"))
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        rpr.append(underline)
        r.append(rpr)
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        link.append(r)
    paragraph._p.append(link)


def list_item(document: docx.document.Document, text: str, style: str, num_id: int) -> Paragraph:
    """A list paragraph with its own ``w:numPr`` (as Word writes them)."""
    p = document.add_paragraph(text, style=style)
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
    return p


def build(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Quarterly report: we leverage synergy", level=1)

    p = d.add_paragraph()
    p.add_run("In order to grow, we ")
    p.add_run("leverage").bold = True
    p.add_run(" our ")
    p.add_run("robust synergies").italic = True
    p.add_run(" and ")
    red = p.add_run("delve deeply")
    red.bold = True
    red.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    p.add_run(" into data.").font.color.rgb = RGBColor(0x00, 0x00, 0xFF)

    p = d.add_paragraph()
    p.add_run("Read ")
    add_hyperlink(p, URL, ("the full guide", False), (" to leverage it", True))
    p.add_run(" for more details.")

    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Key metric: leverage").bold = True
    table.cell(0, 1).paragraphs[0].add_run("Untouched cell")
    cell = table.cell(1, 0).paragraphs[0]
    cell.add_run("Plain then ")
    cell.add_run("bold delve").bold = True
    cell.add_run(" here")
    nested = table.cell(1, 1)
    nested.paragraphs[0].add_run("First nested paragraph.")
    nested.add_paragraph().add_run("Second nested paragraph ")
    nested.paragraphs[1].add_run("utilizes").italic = True
    nested.paragraphs[1].add_run(" it.")

    list_item(d, "First, utilize the tool.", "List Number", 5)
    list_item(d, "Second step stays.", "List Number", 5)
    list_item(d, "A bullet that leverages things.", "List Bullet", 1)
    list_item(d, "Bullet stays too.", "List Bullet", 1)

    p = d.add_paragraph()
    run = p.add_run("Name:")
    run.add_tab()
    run.add_text("value to ")
    p.add_run("leverage").underline = True
    d.save(str(path))
    return path


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = build(tmp_path / "report.docx")
    assert load_document(path).text == TEXT
    return path


# --------------------------------------------------------------------------- inspecting


def body_paragraphs(path: Path) -> list[etree._Element]:
    """Every ``w:p`` of the body (table cells included), in document order."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.xpath("//w:body//w:p", namespaces=NS)


def runs_of(p: etree._Element) -> list[etree._Element]:
    return p.xpath("./w:r | ./w:hyperlink/w:r", namespaces=NS)


def run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        name = etree.QName(child).localname
        if name == "t":
            out.append(child.text or "")
        elif name in ("tab", "ptab"):
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
    return "".join(out)


def rpr(r: etree._Element) -> bytes:
    found = r.find(f"{{{W}}}rPr")
    return b"" if found is None else etree.tostring(found)


def ppr(p: etree._Element) -> bytes:
    found = p.find(f"{{{W}}}pPr")
    return b"" if found is None else etree.tostring(found)


def view(p: etree._Element) -> list[tuple[str, bytes]]:
    """A paragraph as ``(text, rPr XML)`` per run."""
    return [(run_text(r), rpr(r)) for r in runs_of(p)]


def find(text: str, phrase: str, replacement: str, *, line: int = 0) -> Edit:
    """The edit replacing the first ``phrase`` on or after line ``line`` of ``text``."""
    start = text.index(phrase, sum(len(x) + 1 for x in text.split("\n")[:line]))
    return Edit(start, start + len(phrase), replacement)


def clean(path: Path, edits: Sequence[Edit]) -> str:
    """Apply ``edits`` to the document's text and save it the way the app does."""
    doc = load_document(path)
    new = apply_edits(doc.text, edits)
    save_document(doc, new)
    assert load_document(path).text == new
    return new


def assert_untouched_kept(
    before: list[etree._Element], after: list[etree._Element], edits: Sequence[Edit]
) -> None:
    """Paragraphs and runs no edit reaches serialise to the same bytes as before."""
    assert len(before) == len(after)
    start = 0
    for old, new in zip(before, after, strict=True):
        runs = runs_of(old)
        end = start + sum(len(run_text(r)) for r in runs)
        if not any(e.start <= end and e.end >= start for e in edits):
            assert etree.tostring(new) == etree.tostring(old)
        else:
            assert ppr(new) == ppr(old)
            kept = [etree.tostring(r) for r in runs_of(new)]
            a = start
            for r in runs:
                b = a + len(run_text(r))
                if not any(e.start <= b and e.end >= a for e in edits):
                    assert etree.tostring(r) in kept, run_text(r)
                    kept = kept[kept.index(etree.tostring(r)) + 1 :]  # and in order
                a = b
        start = end + 1


# --------------------------------------------------------------------------- tests


def test_edits_inside_runs_keep_each_runs_format(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [
        find(TEXT, "leverage", "use"),  # heading
        find(TEXT, "leverage our", "use our"),  # bold run, then a plain one
        find(TEXT, "robust synergies", "strong links"),  # italic
        find(TEXT, "delve deeply", "dig"),  # bold + red
    ]
    new = clean(report, edits)
    assert new.splitlines()[1] == "In order to grow, we use our strong links and dig into data."
    after = body_paragraphs(report)
    assert_untouched_kept(before, after, edits)
    old_runs, new_runs = view(before[1]), view(after[1])
    assert new_runs == [
        old_runs[0],
        ("use", old_runs[1][1]),
        old_runs[2],
        ("strong links", old_runs[3][1]),
        old_runs[4],
        ("dig", old_runs[5][1]),
        old_runs[6],
    ]
    assert b"<w:b/>" in old_runs[5][1] and b'w:val="C00000"' in old_runs[5][1]
    assert after[0].find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Heading1"
    assert view(after[0]) == [("Quarterly report: we use synergy", view(before[0])[0][1])]


def test_edit_spanning_runs_takes_the_format_of_its_first_run(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, "grow, we leverage", "expand by using")]
    clean(report, edits)
    after = body_paragraphs(report)
    old_runs = view(before[1])
    assert (
        view(after[1])
        == [
            ("In order to expand by using", old_runs[0][1]),  # the plain run holds the replacement
            *old_runs[2:],  # the bold run is gone: its only word was replaced
        ]
    )
    assert_untouched_kept(before, after, edits)


def test_edit_ending_inside_a_later_run_leaves_its_rest_formatted(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, "our robust", "a firm")]
    clean(report, edits)
    old_runs, new_runs = view(before[1]), view(body_paragraphs(report)[1])
    assert new_runs[2:4] == [(" a firm", old_runs[2][1]), (" synergies", old_runs[3][1])]
    assert new_runs[:2] == old_runs[:2] and new_runs[4:] == old_runs[4:]


def test_edits_at_run_boundaries_and_deletions(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [
        find(TEXT, "In order to grow, ", "", line=1),  # a deletion inside the first run
        find(TEXT, "leverage", "use", line=1),  # exactly the bold run
        find(TEXT, "robust", "really robust", line=1),  # an insertion where a run starts
        find(TEXT, " and delve deeply", "", line=1),  # deletes a plain and a bold-red run
    ]
    new = clean(report, edits)
    assert new.splitlines()[1] == "we use our really robust synergies into data."
    after = body_paragraphs(report)
    old_runs = view(before[1])
    assert view(after[1]) == [
        ("we ", old_runs[0][1]),
        ("use", old_runs[1][1]),
        (" our really ", old_runs[2][1]),  # inserted text continues the run before it
        old_runs[3],
        old_runs[6],
    ]
    assert_untouched_kept(before, after, edits)


def test_untouched_words_between_two_edits_keep_their_format(report: Path) -> None:
    # The reported bug: one region from the first change to the last, all in one format.
    before = body_paragraphs(report)
    edits = [find(TEXT, "In order to", "To"), find(TEXT, "into data", "into facts")]
    clean(report, edits)
    after = body_paragraphs(report)
    old_runs, new_runs = view(before[1]), view(after[1])
    assert new_runs[1:6] == old_runs[1:6]
    assert new_runs[0] == ("To grow, we ", old_runs[0][1])
    assert new_runs[6] == (" into facts.", old_runs[6][1])
    assert_untouched_kept(before, after, edits)


def test_hyperlink_text_can_be_edited_and_the_link_stays(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, "full guide", "whole guide"), find(TEXT, "to leverage it", "to use it")]
    clean(report, edits)
    after = body_paragraphs(report)
    links = after[2].findall("w:hyperlink", NS)
    assert len(links) == 1
    old_link = before[2].find("w:hyperlink", NS)
    assert links[0].attrib == old_link.attrib
    old_runs = view(before[2])
    assert view(after[2]) == [
        old_runs[0],
        ("the whole guide", old_runs[1][1]),
        (" to use it", old_runs[2][1]),
        old_runs[3],
    ]
    document = docx.Document(str(report))
    assert document.part.rels[links[0].get(f"{{{NS['r']}}}id")].target_ref == URL
    assert_untouched_kept(before, after, edits)


def test_link_keeps_its_first_runs_format_when_its_text_is_replaced(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, "the full guide to leverage it", "this guide")]
    clean(report, edits)
    after = body_paragraphs(report)
    link = after[2].find("w:hyperlink", NS)
    assert link is not None and link.attrib == before[2].find("w:hyperlink", NS).attrib
    old_runs = view(before[2])
    assert view(after[2]) == [old_runs[0], ("this guide", old_runs[1][1]), old_runs[3]]


def test_deleting_a_whole_link_removes_it_and_nothing_else(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, " the full guide to leverage it", "")]
    clean(report, edits)
    after = body_paragraphs(report)
    assert after[2].find("w:hyperlink", NS) is None
    old_runs = view(before[2])
    # One of the two spaces around the link goes with it; both runs keep their format.
    runs = view(after[2])
    assert [r[1] for r in runs] == [old_runs[0][1], old_runs[3][1]]
    assert runs[0] == old_runs[0] or runs[1] == old_runs[3]


def test_table_cells_keep_their_bold(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [
        find(TEXT, "metric: leverage", "metric: use"),
        find(TEXT, "bold delve", "bold dig"),
        find(TEXT, "utilizes", "uses"),
    ]
    clean(report, edits)
    after = body_paragraphs(report)
    assert view(after[3]) == [("Key metric: use", view(before[3])[0][1])]
    assert b"<w:b/>" in view(after[3])[0][1]
    old_cell = view(before[5])
    assert view(after[5]) == [old_cell[0], ("bold dig", old_cell[1][1]), old_cell[2]]
    assert view(after[7])[1] == ("uses", view(before[7])[1][1])
    assert etree.tostring(after[4]) == etree.tostring(before[4])  # the untouched cell
    assert_untouched_kept(before, after, edits)


def test_list_items_keep_their_numbering(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, "utilize", "use", line=8), find(TEXT, "leverages", "uses")]
    clean(report, edits)
    after = body_paragraphs(report)
    for k in (8, 10):
        assert after[k].find("w:pPr/w:numPr", NS) is not None
        assert ppr(after[k]) == ppr(before[k])
    assert [run_text(r) for r in runs_of(after[8])] == ["First, use the tool."]
    assert [run_text(r) for r in runs_of(after[10])] == ["A bullet that uses things."]
    assert_untouched_kept(before, after, edits)


def test_tabs_and_edits_around_them(report: Path) -> None:
    before = body_paragraphs(report)
    edits = [find(TEXT, "value to leverage", "value to use")]
    clean(report, edits)
    after = body_paragraphs(report)
    old_runs = view(before[12])
    assert view(after[12]) == [("Name:\tvalue to ", old_runs[0][1]), ("use", old_runs[1][1])]
    assert after[12].find("w:r/w:tab", NS) is not None


def test_untouched_document_is_byte_identical(report: Path) -> None:
    data = report.read_bytes()
    save_document(load_document(report), TEXT)
    assert report.read_bytes() == data


def test_diff_keeps_a_replaced_phrase_whole() -> None:
    old = "We act in spite of the fact that it rains, and leverage it."
    new = "We act even though it rains, and use it."
    edits = diff_edits(old, new)
    assert [(old[e.start : e.end], e.replacement) for e in edits] == [
        ("in spite of the fact that", "even though"),
        ("leverage", "use"),
    ]
    assert apply_edits(old, edits) == new


# --------------------------------------------------------------------------- LibreOffice


def soffice_text(path: Path, workdir: Path) -> str:
    """``path`` converted to plain text by a headless LibreOffice (private profile)."""
    soffice = shutil.which("soffice")
    assert soffice is not None
    profile = workdir / "lo-profile"
    out = workdir / "lo-out"
    out.mkdir()
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "txt:Text (encoded):UTF8",
        "--outdir",
        str(out),
        str(path),
    ]
    env = {**os.environ, "HOME": str(workdir)}
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=False)
    converted = out / (path.stem + ".txt")
    assert converted.exists(), f"soffice failed ({result.returncode}): {result.stdout} {result.stderr}"
    return converted.read_text(encoding="utf-8-sig")


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; Debian package libreoffice-writer-nogui",
)
def test_libreoffice_opens_the_cleaned_file(report: Path, tmp_path: Path) -> None:
    edits = [
        find(TEXT, "leverage", "use"),
        find(TEXT, "grow, we leverage", "expand by using"),
        find(TEXT, "delve deeply", "dig"),
        find(TEXT, "full guide", "whole guide"),
        find(TEXT, "bold delve", "bold dig"),
        find(TEXT, "utilize", "use", line=8),
        find(TEXT, "metric: leverage", "metric: use"),
    ]
    new = clean(report, edits)
    lines = soffice_text(report, tmp_path).rstrip("\n").split("\n")
    # LibreOffice writes list items with their label ("1.", "•"): the numbering survived.
    labels = [bool(LIST_LABEL.match(line)) for line in lines]
    assert labels == [k in range(8, 12) for k in range(len(LINES))]
    assert [LIST_LABEL.sub("", line) for line in lines] == new.split("\n")
