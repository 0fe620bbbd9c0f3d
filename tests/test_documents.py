"""Reading and writing real files: encodings, line endings, refusals, .docx, atomic saves."""

from __future__ import annotations

import codecs
import io
import os
import stat
import struct
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core import atomic, documents, docx_text
from companion.core.documents import (
    MAX_BYTES,
    Document,
    DocumentError,
    dominant_newline,
    load_bytes,
    load_document,
    save_document,
    save_text,
)

FRENCH = (
    "The café served a naïve résumé of crème brûlée to our fiancée.\n"
    "À la carte, s'il vous plaît — déjà vu, cœur, Noël, garçon.\n"
) * 4


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- encodings


def test_utf8(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", "Zoë says “hi” 😀\n".encode()))
    assert doc == Document(str(tmp_path / "a.txt"), "Zoë says “hi” 😀\n", "text")
    assert (doc.encoding, doc.had_bom, doc.newline, doc.warnings) == ("utf-8", False, "\n", ())


def test_utf8_with_bom(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", codecs.BOM_UTF8 + "Olá\n".encode()))
    assert (doc.text, doc.encoding, doc.had_bom) == ("Olá\n", "utf-8-sig", True)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(tmp_path: Path, bom: bytes, codec: str) -> None:
    text = "Ünïcödé text\r\nsecond 😀 line\r\n"
    path = write(tmp_path / "a.txt", bom + text.encode(codec))
    doc = load_document(path)
    assert (doc.text, doc.encoding, doc.had_bom, doc.newline) == (text, codec, True, "\r\n")
    before = path.read_bytes()
    save_document(doc, doc.text)
    assert path.read_bytes() == before


def test_python_utf16_file_is_read(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", "héllo".encode("utf-16")))
    assert doc.text == "héllo"
    assert doc.had_bom


def test_cp1252_is_guessed_and_reported(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", FRENCH.encode("cp1252")))
    assert doc.text == FRENCH
    assert doc.encoding == "cp1252"
    assert doc.warnings == ("encoding guessed as cp1252",)


def test_short_cp1252_text_decodes_right(tmp_path: Path) -> None:
    text = "Straße über Größe – “quoted” … €5"
    doc = load_document(write(tmp_path / "a.txt", text.encode("cp1252")))
    assert doc.text == text
    assert doc.encoding == "cp1252"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1251", "Привет, как дела? Это простой текст для проверки кодировки."),
        ("cp1250", "Zażółć gęślą jaźń. Prosty tekst po polsku, żeby sprawdzić kodowanie znaków."),
        ("cp1254", "Günaydın, bu kodlamayı denetlemek için yazılmış basit bir metin. Şöyle ığdır."),
        ("cp1253", "Καλημέρα, αυτό είναι ένα απλό κείμενο για να ελέγξουμε την κωδικοποίηση."),
        ("cp1252", "Hola señor, ¿cómo está? Año nuevo, corazón, pingüino."),
    ],
)
def test_other_legacy_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    doc = load_document(write(tmp_path / "a.txt", text.encode(encoding)))
    assert doc.text == text
    assert doc.warnings == (f"encoding guessed as {doc.encoding}",)


# --------------------------------------------------------------------------- line endings


def test_crlf_is_kept_so_offsets_point_into_the_file(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "a.txt", b"First line.\r\nSecond line.\r\n"))
    assert doc.text == "First line.\r\nSecond line.\r\n"
    assert doc.newline == "\r\n"
    assert doc.text[doc.text.index("Second") :].startswith("Second line.")


@pytest.mark.parametrize(
    ("text", "newline"),
    [("", "\n"), ("a", "\n"), ("a\nb\r\nc\r\n", "\r\n"), ("a\rb\rc\n", "\r"), ("a\r\nb\n", "\n")],
)
def test_dominant_newline(text: str, newline: str) -> None:
    assert dominant_newline(text) == newline


def test_editor_text_gets_the_files_line_endings(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"one\r\ntwo\r\n")
    doc = load_document(path)
    save_document(doc, "one\nTWO\nthree\n")
    assert path.read_bytes() == b"one\r\nTWO\r\nthree\r\n"


def test_mixed_line_endings_survive_an_edit(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"one\r\ntwo\nthree\r\n")
    doc = load_document(path)
    save_document(doc, doc.text.replace("two", "2"))
    assert path.read_bytes() == b"one\r\n2\nthree\r\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", "Plain café text.\nSecond line.\n".encode()),
        ("bom.txt", codecs.BOM_UTF8 + "With a BOM — yes.\n".encode()),
        ("cp1252.txt", FRENCH.encode("cp1252")),
        ("crlf.txt", b"Windows\r\nline endings\r\n"),
        ("cr.txt", b"Old\rMac\r"),
        ("mixed.md", b"# Title\r\n\nText `code`\r\n"),
        ("utf16.txt", "UTF-16 text\r\n".encode("utf-16")),
        ("no-newline.txt", b"no newline at end"),
    ],
)
def test_unchanged_round_trip_is_byte_identical(tmp_path: Path, name: str, data: bytes) -> None:
    path = write(tmp_path / name, data)
    doc = load_document(path)
    save_document(doc, doc.text)
    assert path.read_bytes() == data
    other = tmp_path / ("copy-" + name)
    save_text(other, doc.text, encoding=doc.encoding, newline=None, had_bom=doc.had_bom)
    assert other.read_bytes() == data


@settings(max_examples=50, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200))
def test_any_text_survives_save_and_load(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("rt") / "a.txt"
    for encoding, bom in (("utf-8", False), ("utf-8", True), ("utf-16-le", True)):
        save_text(path, text, encoding=encoding, had_bom=bom)
        doc = load_document(path)
        assert doc.text == text


# --------------------------------------------------------------------------- refusals


def test_empty_file_is_an_empty_document(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "empty.txt", b""))
    assert (doc.text, doc.kind, doc.warnings) == ("", "text", ())


def test_png_is_refused_as_binary(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    path = write(tmp_path / "essay.bin", png)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert str(info.value) == f"{path}: looks like a binary file, not text"


def test_random_bytes_are_refused_as_binary(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40 + os.urandom(4096)
    with pytest.raises(DocumentError, match="looks like a binary file"):
        load_document(write(tmp_path / "x.dat", data))


def test_random_bytes_without_nul_are_refused(tmp_path: Path) -> None:
    data = os.urandom(8192).replace(b"\x00", b"\x01")
    with pytest.raises(DocumentError, match="looks like a binary file"):
        load_bytes(data, "x.txt")


def test_old_word_file_gets_a_hint() -> None:
    with pytest.raises(
        DocumentError, match=r"x\.doc: looks like a binary file, not text \(save it as \.docx first\)$"
    ):
        load_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00", "x.doc")


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no 50 MB of writing, and no reading either
    started = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert time.perf_counter() - started < 1.0
    assert str(info.value) == f"{path}: 52.4 MB is larger than the 20 MB limit"


def test_huge_bytes_are_refused() -> None:
    with pytest.raises(DocumentError, match=r"stdin: 20\.0 MB is larger than the 20 MB limit"):
        load_bytes(b"a" * (MAX_BYTES + 1), "stdin")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert str(info.value) == f"{path}: no such file"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="is a folder, not a file"):
        load_document(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"secret")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError) as info:
            load_document(path)
    finally:
        path.chmod(0o600)
    assert str(info.value) == f"{path}: permission denied"


def test_permission_denied_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "x.txt"
    path.write_text("hello", encoding="utf-8")
    monkeypatch.setattr("builtins.open", deny)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert str(info.value) == f"{path}: permission denied"


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 truncated zip", b"just some text, not a zip", b""],
    ids=["corrupt-zip", "text", "empty"],
)
def test_corrupt_docx(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "x.docx", data)
    with pytest.raises(DocumentError) as info:
        load_document(path)
    assert str(info.value) == f"{path}: not a valid .docx (corrupt or not a Word file)"


def test_zip_that_is_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match=r"not a valid \.docx"):
        load_document(path)


# --------------------------------------------------------------------------- kinds


def test_kind_by_extension() -> None:
    assert load_bytes(b"x", "notes.MD").kind == "markdown"
    assert load_bytes(b"x", "notes.markdown").kind == "markdown"
    assert load_bytes(b"x", "notes.rst").kind == "text"
    assert load_bytes(b"x", "-").kind == "text"
    assert load_bytes(b"x", "-").path is None


def test_markdown_document_carries_ignored_ranges(tmp_path: Path) -> None:
    text = "---\r\ntitle: x\r\n---\r\n🙂 Use `leverage()` at https://ex.com.\r\n"
    doc = load_document(write(tmp_path / "a.md", text.encode()))
    assert [doc.text[s:e] for s, e in doc.ignored] == [
        "---\r\ntitle: x\r\n---",
        "`leverage()`",
        "https://ex.com",
    ]


# --------------------------------------------------------------------------- .docx


def make_docx(path: Path) -> Path:
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("Bold start").bold = True
    p.add_run(" and plain rest.")
    d.add_paragraph("Second paragraph leverages synergy.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Cell one"
    table.cell(0, 1).text = "Cell two delves"
    last = d.add_paragraph("Last ")
    last.add_run("italic").italic = True
    last.add_run(" words.")
    d.save(str(path))
    return path


def runs(path: Path) -> list[list[tuple[str, bool | None, bool | None]]]:
    document = docx.Document(str(path))
    return [[(r.text, r.bold, r.italic) for r in p.runs] for p in docx_text._paragraphs(document)]


DOCX_TEXT = (
    "Bold start and plain rest.\nSecond paragraph leverages synergy.\n"
    "Cell one\nCell two delves\nLast italic words."
)


def test_docx_text_in_document_order(tmp_path: Path) -> None:
    doc = load_document(make_docx(tmp_path / "a.docx"))
    assert doc.kind == "docx"
    assert doc.text == DOCX_TEXT


def test_docx_edit_keeps_formatting(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    doc = load_document(path)
    new = doc.text.replace("leverages", "uses").replace("delves", "digs").replace("italic", "slanted")
    save_document(doc, new)
    assert load_document(path).text == new
    assert runs(path) == [
        [("Bold start", True, None), (" and plain rest.", None, None)],
        [("Second paragraph uses synergy.", None, None)],
        [("Cell one", None, None)],
        [("Cell two digs", None, None)],
        [("Last ", None, None), ("slanted", None, True), (" words.", None, None)],
    ]


def test_docx_edit_across_runs_takes_the_first_runs_format(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    doc = load_document(path)
    save_document(doc, doc.text.replace("start and plain", "opening, then plain"))
    # Only the changed region moves: " plain rest." stays plain, the rest is bold.
    assert runs(path)[0] == [("Bold opening, then", True, None), (" plain rest.", None, None)]


def test_docx_added_and_removed_lines(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    doc = load_document(path)
    new = (
        "Intro.\nBold start and plain rest.\nNew line A\nNew line B\n"
        "Cell one\nCell two delves\nLast italic words.\nOutro."
    )
    save_document(doc, new)
    assert load_document(path).text == new
    assert runs(path)[1] == [("Bold start", True, None), (" and plain rest.", None, None)]


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_docx_text_typed_next_to_an_image_keeps_the_image(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Before")
    d.add_picture(io.BytesIO(tiny_png()))
    d.add_paragraph("After")
    d.save(str(tmp_path / "a.docx"))
    doc = load_document(tmp_path / "a.docx")
    assert doc.text == "Before\n\nAfter"
    save_document(doc, "Before\nA caption\nAfter")
    saved = docx.Document(str(tmp_path / "a.docx"))
    assert [p.text for p in saved.paragraphs] == ["Before", "A caption", "After"]
    assert len(saved.inline_shapes) == 1


def test_docx_soft_line_break_stays_inside_its_paragraph(tmp_path: Path) -> None:
    d = docx.Document()
    run = d.add_paragraph().add_run("Line one")
    run.add_break()
    run.add_text("line two")
    d.add_paragraph("Next paragraph.")
    d.save(str(tmp_path / "a.docx"))
    doc = load_document(tmp_path / "a.docx")
    assert doc.text == "Line one\nline two\nNext paragraph."
    save_document(doc, "Line 1\nline 2\nNext paragraph.")
    saved = docx.Document(str(tmp_path / "a.docx"))
    assert [p.text for p in saved.paragraphs] == ["Line 1\nline 2", "Next paragraph."]


def test_docx_unchanged_save_is_byte_identical(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx")
    before = path.read_bytes()
    save_document(load_document(path), DOCX_TEXT)
    assert path.read_bytes() == before


def test_docx_from_memory_saved_to_a_path(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "a.docx").read_bytes()
    doc = load_bytes(data, "a.docx")
    assert doc.path is None
    out = tmp_path / "out.docx"
    save_document(doc, doc.text.replace("Cell one", "First cell"), out)
    assert load_document(out).text == DOCX_TEXT.replace("Cell one", "First cell")
    with pytest.raises(ValueError):
        save_document(doc, doc.text)


def test_text_saved_as_docx_and_docx_saved_as_text(tmp_path: Path) -> None:
    save_document(load_bytes(b"one\r\ntwo", "a.txt"), "one\r\ntwo", tmp_path / "b.docx")
    assert load_document(tmp_path / "b.docx").text == "one\ntwo"
    doc = load_document(make_docx(tmp_path / "a.docx"))
    save_document(doc, doc.text, tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == DOCX_TEXT


# --------------------------------------------------------------------------- saving


def test_failed_replace_leaves_the_old_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.txt", b"original bytes\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(documents.os, "replace", broken_replace)
    with pytest.raises(DocumentError, match=r"a\.txt: cannot be saved \(No space left on device\)"):
        save_text(path, "new text\n")
    assert path.read_bytes() == b"original bytes\n"
    assert os.listdir(tmp_path) == ["a.txt"]  # no temporary file left behind


def test_unencodable_text_leaves_the_old_file_alone(tmp_path: Path) -> None:
    data = FRENCH.encode("cp1252")
    path = write(tmp_path / "a.txt", data)
    doc = load_document(path)
    message = r"a\.txt: 'ő' \(U\+0151\) on line 2, column 5 cannot be saved as cp1252$"
    with pytest.raises(DocumentError, match=message):
        save_document(doc, "First line\nThe ő café")
    assert path.read_bytes() == data
    assert os.listdir(tmp_path) == ["a.txt"]


def test_backup_keeps_the_old_version(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"old\n")
    backup = save_text(path, "new\n", backup=True)
    assert backup == str(path) + ".bak"
    assert Path(backup).read_bytes() == b"old\n"
    assert path.read_bytes() == b"new\n"
    assert save_text(tmp_path / "fresh.txt", "x", backup=True) is None


def test_backups_are_numbered_and_never_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path / "essay.md", b"v0")
    made = []
    for i in range(1, 4):
        made.append(save_text(path, f"v{i}", backup=True))
    names = [os.path.basename(b) for b in made]
    assert names == ["essay.md.bak", "essay.md.1.bak", "essay.md.2.bak"]
    assert [Path(b).read_bytes() for b in made] == [b"v0", b"v1", b"v2"]
    # A gap is not reused: the highest number stays the newest backup.
    os.unlink(made[1])
    assert atomic.next_backup_path(path) == str(path) + ".3.bak"
    # Another file's backups do not count, nor does a name that only looks alike.
    write(tmp_path / "essay.md.x.bak", b"")
    write(tmp_path / "other.md.7.bak", b"")
    assert atomic.next_backup_path(tmp_path / "fresh.md") == str(tmp_path / "fresh.md.bak")
    assert atomic.next_backup_path(path) == str(path) + ".3.bak"


def test_a_backup_name_taken_meanwhile_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.txt", b"old")
    if os.name == "posix":
        path.chmod(0o640)
    real = atomic.next_backup_path
    raced = tmp_path / "a.txt.bak"

    def racing(p):  # another program creates the name between the check and the copy
        name = real(p)
        if not raced.exists():
            raced.write_bytes(b"someone else's")
        return name

    monkeypatch.setattr(atomic, "next_backup_path", racing)
    backup = atomic.copy_to_backup(path)
    assert backup == str(path) + ".1.bak" and Path(backup).read_bytes() == b"old"
    assert raced.read_bytes() == b"someone else's"
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_atomic_write_with_a_mode_sets_exactly_it(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", b"{}")
    path.chmod(0o644)
    atomic.write_bytes(path, b"[]")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # kept without a mode
    atomic.write_bytes(path, b"[1]", mode=0o600)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b"[1]"
    atomic.write_bytes(tmp_path / "new.json", b"{}", mode=0o600)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["a.json", "new.json"]


def test_save_creates_new_file_and_refuses_missing_folder(tmp_path: Path) -> None:
    save_text(tmp_path / "new.txt", "hello", encoding="cp1252")
    assert (tmp_path / "new.txt").read_bytes() == b"hello"
    with pytest.raises(DocumentError, match="folder does not exist"):
        save_text(tmp_path / "nope" / "x.txt", "hello")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_save_keeps_permissions_and_follows_symlinks(tmp_path: Path) -> None:
    real = write(tmp_path / "real.txt", b"old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    save_text(link, "new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_newline_argument_normalises_every_line_break(tmp_path: Path) -> None:
    save_text(tmp_path / "a.txt", "a\nb\r\nc\rd", newline="\r\n")
    assert (tmp_path / "a.txt").read_bytes() == b"a\r\nb\r\nc\r\nd"
    with pytest.raises(ValueError):
        save_text(tmp_path / "a.txt", "x", newline="\t")


def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match="not a regular file"):
        load_document(fifo)


def test_stale_temps_of_killed_saves_are_removed_and_fresh_ones_kept(tmp_path: Path) -> None:
    import os
    import time

    from companion.core.atomic import remove_stale_temps

    target = tmp_path / "essay.txt"
    target.write_text("text", encoding="utf-8")
    stale = tmp_path / ".essay.txt.deadbeef.tmp"
    fresh = tmp_path / ".essay.txt.cafebabe.tmp"
    other = tmp_path / ".notes.txt.deadbeef.tmp"
    for p in (stale, fresh, other):
        p.write_text("partial", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert remove_stale_temps(target) == 1
    assert not stale.exists() and fresh.exists() and other.exists() and target.exists()
