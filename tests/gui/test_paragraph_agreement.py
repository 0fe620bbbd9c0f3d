"""One engine, one paragraph: the editor shows what ``humanize check`` reports.

The editor checks the core's paragraphs (runs of lines), not its lines, so a
robotic phrase broken by a hard wrap is found, and on any text the editor's
findings (code points into the text it holds, rule, level) are those of the CLI's
own path (read the file, ``Checker.check``) with the CLI's analyzers
(``--no-semantic --no-grammar``), for the same file.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import cli
from companion.core.checker import Checker
from companion.gui.checking.worker import InlineRunner
from companion.gui.editor.editor import Editor
from companion.gui.files.controller import editor_text
from tests.gui.conftest import underline_ranges

PHRASES = [
    "delve into",
    "plays a crucial role",
    "it is important to note that",
    "In today's fast-paced world",
    "we must leverage our synergies",
    "a rich tapestry of",
    "navigate the complexities of",
]
WORDS = ["the", "river", "ran", "past", "an", "old", "mill", "and", "children", "watched", "boats"]
WORDS += ["café", "naïve", "résumé", "🙂", "🚀", "日本語", "漢字", "Zoë", "crème", "brûlée"]


@pytest.fixture(scope="module")
def cli_checker() -> Checker:
    """The checker ``humanize check --no-semantic --no-grammar`` builds (settings: defaults)."""
    args = cli._parser().parse_args(["check", "--no-semantic", "--no-grammar", "-"])
    return cli._checker(args)


def humanize_check(checker: Checker, path: Path) -> list[tuple[int, int, str, str]]:
    """What ``humanize check`` reports for ``path``, as offsets into the editor's text."""
    doc = cli._read(str(path))
    report = checker.check(doc.text, ignored_ranges=doc.ignored)

    def to_editor(offset: int) -> int:  # the editor holds "\n" where the file has "\r\n"
        return offset - doc.text.count("\r\n", 0, offset)

    return sorted((to_editor(f.start), to_editor(f.end), f.rule, f.level.value) for f in report.findings)


def make_editor(qtbot, checker: Checker) -> Editor:
    editor = Editor(runner=InlineRunner(), debounce_ms=0)
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    editor.show()
    editor.set_filters(checker.filters)
    editor.scheduler.set_checker(checker)
    return editor


def settle(qtbot, editor: Editor) -> None:
    scheduler = editor.scheduler
    qtbot.waitUntil(lambda: not scheduler.busy and not scheduler.has_work(), timeout=20000)
    qtbot.waitUntil(lambda: not editor.redraw_pending, timeout=20000)


def editor_findings(editor: Editor) -> list[tuple[int, int, str, str]]:
    """Every finding the editor shows, as code points into its text."""
    bases, base = {}, 0
    block = editor.document().begin()
    while block.isValid():
        bases[block.blockNumber()] = base
        base += len(block.text()) + 1
        block = block.next()
    out = []
    for ref in editor.findings():
        shift = bases[ref.block.blockNumber()] + ref.indent
        f = ref.finding
        out.append((f.start + shift, f.end + shift, f.rule, f.level.value))
    return sorted(out)


# -- generated documents -------------------------------------------------------------------
sentence = (
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=9)
    .flatmap(lambda words: st.tuples(st.just(words), st.sampled_from(PHRASES), st.integers(0, len(words))))
    .map(lambda t: " ".join([*t[0][: t[2]], t[1], *t[0][t[2] :]]).capitalize() + ".")
)
prose = st.lists(sentence, min_size=1, max_size=4).map(" ".join)


@st.composite
def paragraph(draw) -> str:
    kind = draw(st.sampled_from(["prose", "prose", "heading", "list", "fence", "inline", "quote"]))
    text = draw(prose)
    if kind == "heading":
        return "#" * draw(st.integers(1, 3)) + " " + text[:60]
    if kind == "list":
        items = draw(st.lists(prose, min_size=1, max_size=3))
        marker = draw(st.sampled_from(["- ", "* ", "1. "]))
        return "\n".join(marker + item for item in items)
    if kind == "fence":
        return "```\n" + text + "\n```"
    if kind == "inline":
        words = text.split(" ")
        at = draw(st.integers(0, len(words) - 1))
        words[at] = f"`{words[at]}`"
        text = " ".join(words)
    if kind == "quote":
        text = "> " + text
    width = draw(st.one_of(st.none(), st.integers(12, 40)))
    if width is not None:  # hard-wrapped, as in e-mail or Markdown sources
        text = "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))
    indent = draw(st.sampled_from(["", "", "  "]))
    trailing = draw(st.sampled_from(["", "", "  "]))
    return indent + text + trailing


documents = st.tuples(
    st.lists(paragraph(), min_size=1, max_size=5),
    st.lists(st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"]), min_size=5, max_size=5),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from([".md", ".txt"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents)
def test_the_editor_shows_what_humanize_check_reports(qtbot, tmp_path, cli_checker, document) -> None:
    paras, seps, newline, suffix = document
    text = paras[0] + "".join(sep + p for sep, p in zip(seps, paras[1:], strict=False)) + "\n"
    text = text.replace("\n", newline)
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(text.encode("utf-8"))
    expected = humanize_check(cli_checker, path)

    editor = make_editor(qtbot, cli_checker)
    try:
        editor.scheduler.set_markdown(suffix == ".md")
        editor.setPlainText(editor_text(cli._read(str(path)).text))
        settle(qtbot, editor)
        assert editor_findings(editor) == expected
    finally:
        editor.shutdown()
        editor.close()


def test_a_phrase_broken_by_a_hard_wrap_is_underlined(qtbot, cli_checker) -> None:
    editor = make_editor(qtbot, cli_checker)
    text = (
        "Before we start, 🙂 we look at the data, which plays a crucial\nrole here."
        " In today's\nfast-paced world, we rest."
    )
    editor.setPlainText(text)
    settle(qtbot, editor)
    underlined = {selected for _, _, selected in underline_ranges(editor)}
    assert "crucial\u2029role" in underlined  # the selection runs over the line break
    assert "In today's\u2029fast-paced world" in underlined
    # It is one finding of the whole paragraph, whose lead is the first line.
    ref = editor.finding_at(editor.document().findBlockByNumber(1).position() + 1)
    assert ref is not None and ref.block.blockNumber() == 0 and ref.finding.matched == "crucial\nrole"
    editor.shutdown()


def test_edits_that_join_and_split_paragraphs_keep_the_editor_in_step(qtbot, cli_checker) -> None:
    from PySide6.QtGui import QTextCursor

    from companion.gui.checking.blocks import state_of
    from companion.gui.checking.paragraphs import is_lead

    editor = make_editor(qtbot, cli_checker)
    editor.setPlainText(
        "We must delve\n\ninto the details. It plays a crucial\nrole.\n\n"
        "In today's fast-paced\nworld, we rest."
    )
    settle(qtbot, editor)
    doc = editor.document()

    def at(pos: int, remove: int = 0, insert: str = "") -> None:
        cursor = QTextCursor(doc)
        cursor.setPosition(pos)
        cursor.setPosition(pos + remove, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(insert)
        settle(qtbot, editor)
        text = editor.toPlainText()
        expected = sorted((f.start, f.end, f.rule, f.level.value) for f in cli_checker.check(text).findings)
        assert editor_findings(editor) == expected, text
        block = doc.firstBlock()
        while block.isValid():  # only lead blocks hold a paragraph's state
            assert (state_of(block, create=False) is not None) == is_lead(block), block.text()
            block = block.next()

    text = editor.toPlainText()
    at(text.index("\n\ninto"), 1)  # delete the blank line: "delve\ninto" is one paragraph now
    assert "library.ai-ism.delve" in {r.finding.rule for r in editor.findings()}
    text = editor.toPlainText()
    at(text.index("role."), 0, "\n")  # a blank line splits "crucial / role"
    text = editor.toPlainText()
    at(text.index("\n\nrole."), 2, " ")  # and joined on one line again
    text = editor.toPlainText()
    at(text.index("world,"), 0, "# ")  # a continuation line becomes a heading
    at(0, 0, "Intro line.\nIt is important to note\nthat we paste.\n")  # a paste of several lines
    at(0, len("Intro line.\n"))  # the first line goes: the paste's second line leads now
    editor.shutdown()
