"""The command line, run as a user would: in a subprocess, on real files."""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

ROBOTIC = (
    "In today's fast-paced world, we must leverage synergies to move the needle. "
    "Moreover, it is important to note that communication plays a crucial role in success.\n"
)
PLAIN = "I fed the cat and went to bed.\n"


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture
def robotic(tmp_path: Path) -> Path:
    path = tmp_path / "essay.txt"
    path.write_text(ROBOTIC, encoding="utf-8")
    return path


def test_check_text_output_and_exit_codes(robotic: Path, tmp_path: Path) -> None:
    res = run("check", "--no-semantic", str(robotic))
    assert res.returncode == 1, res.stderr
    assert "library.ai-ism.fast-paced-world" in res.stdout
    assert f"{robotic}:1:1:" in res.stdout
    plain = tmp_path / "plain.txt"
    plain.write_text(PLAIN, encoding="utf-8")
    res = run("check", "--no-semantic", str(plain))
    assert res.returncode == 0, res.stdout + res.stderr


def test_check_json_shape_and_offsets(robotic: Path) -> None:
    res = run("check", "--no-semantic", "--format", "json", str(robotic))
    assert res.returncode == 1
    data = json.loads(res.stdout)
    (file,) = data["files"]
    assert file["path"] == str(robotic)
    assert set(file["stats"]) >= {"words", "sentences", "flesch_reading_ease", "grade", "robotic_score"}
    assert 0 <= file["stats"]["robotic_score"] <= 100
    text = robotic.read_text(encoding="utf-8")
    first = file["findings"][0]
    assert set(first) >= {
        "start",
        "end",
        "line",
        "column",
        "category",
        "rule",
        "message",
        "suggestions",
        "source",
        "confidence",
    }
    assert text[first["start"] : first["end"]] == "In today's fast-paced world"
    assert (first["line"], first["column"]) == (1, 1)
    for f in file["findings"]:
        assert f["source"] in {"library", "semantic", "readability", "style", "grammar"}
    # Offline grammar works out of the box: Harper, unless LanguageTool is set up.
    assert data["analyzers"]["grammar"]["available"] is True
    assert data["analyzers"]["grammar"]["engine"] == "harper"


def test_check_reads_stdin() -> None:
    res = run("check", "--no-semantic", "--format", "json", "-", stdin=ROBOTIC)
    assert res.returncode == 1
    assert json.loads(res.stdout)["files"][0]["path"] == "-"


def test_semantic_matching_catches_a_paraphrase(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("Unlock the true potential of your marketing team.\n", encoding="utf-8")
    res = run("check", "--format", "json", "--no-grammar", "--profile", "picky", str(path))
    data = json.loads(res.stdout)
    semantic = [f for f in data["files"][0]["findings"] if f["source"] == "semantic"]
    assert semantic, res.stdout
    assert "true potential" in path.read_text()[semantic[0]["start"] : semantic[0]["end"]]
    assert data["analyzers"]["semantic"]["available"] is True


def test_bad_inputs_get_clear_errors_and_other_files_are_still_checked(tmp_path: Path, robotic: Path) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    res = run("check", "--no-semantic", str(binary), str(huge), str(empty), str(missing), str(robotic))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "image.png" in res.stderr and "binary" in res.stderr
    assert "huge.txt" in res.stderr and "MB" in res.stderr
    assert "missing.txt" in res.stderr
    assert "library.ai-ism.fast-paced-world" in res.stdout  # the good file was still checked
    assert huge.stat().st_size == 50 * 1024 * 1024


def test_other_encodings_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    text = "Le café était très bon, naïve résumé. " * 20 + "\nWe must leverage synergies here.\n"
    path.write_bytes(text.encode("cp1252"))
    res = run("check", "--no-semantic", "--format", "json", str(path))
    assert res.returncode == 1, res.stderr
    findings = json.loads(res.stdout)["files"][0]["findings"]
    assert any(text[f["start"] : f["end"]] == "leverage" for f in findings)


def test_malformed_user_library_is_named_and_the_rest_loads(robotic: Path) -> None:
    lib = Path(os.environ["HUMANIZE_DATA_DIR"]) / "library"
    lib.mkdir(parents=True)
    (lib / "mine.toml").write_text(
        'category = "jargon"\n[[entry]]\nid = "oops"\npatterns = ["[bad"]\n', encoding="utf-8"
    )
    res = run("check", "--no-semantic", str(robotic))
    assert res.returncode == 1
    assert "mine.toml" in res.stderr and "oops" in res.stderr
    assert "library.ai-ism.fast-paced-world" in res.stdout


def test_markdown_code_urls_and_front_matter_are_never_flagged(tmp_path: Path) -> None:
    md = (
        "---\ntitle: In today's fast-paced world\n---\n\n"
        "Read [the guide](https://example.com/leverage-synergies) now.\n\n"
        "```\nIn today's fast-paced world we leverage synergies\n```\n\n"
        "Use `leverage` sparingly, but we leverage synergies here.\n"
    )
    path = tmp_path / "doc.md"
    path.write_text(md, encoding="utf-8")
    res = run("check", "--no-semantic", "--format", "json", str(path))
    findings = json.loads(res.stdout)["files"][0]["findings"]
    robotic = [f for f in findings if f["source"] == "library"]
    spans = [(md[f["start"] : f["end"]], f["line"]) for f in robotic]
    assert spans == [("leverage", 11), ("synergies", 11)], spans


def test_docx_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    d = docx.Document()
    d.add_paragraph("A plain opening line.")
    d.add_paragraph("We will delve into the results.")
    d.save(path)
    res = run("check", "--no-semantic", "--format", "json", str(path))
    assert res.returncode == 1
    findings = json.loads(res.stdout)["files"][0]["findings"]
    text = "A plain opening line.\nWe will delve into the results."
    assert any(text[f["start"] : f["end"]].startswith("delve") for f in findings)


def test_clean_to_stdout_output_diff_and_in_place(robotic: Path, tmp_path: Path) -> None:
    original = robotic.read_text(encoding="utf-8")
    res = run("clean", "--no-semantic", str(robotic))
    assert res.returncode == 0, res.stderr
    cleaned = res.stdout
    assert "fast-paced" not in cleaned and "leverage" not in cleaned
    assert cleaned.startswith("Today, we must")

    diff = run("clean", "--no-semantic", "--diff", str(robotic))
    assert diff.stdout.startswith("---") and "+Today, we must" in diff.stdout
    assert robotic.read_text(encoding="utf-8") == original

    out = tmp_path / "out.txt"
    assert run("clean", "--no-semantic", str(robotic), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == cleaned

    assert run("clean", "--no-semantic", "--in-place", str(robotic)).returncode == 0
    assert robotic.read_text(encoding="utf-8") == cleaned
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("essay.txt") and p != robotic]
    assert [b.read_text(encoding="utf-8") for b in backups] == [original]


def test_in_place_never_overwrites_a_backup(robotic: Path, tmp_path: Path) -> None:
    versions = [robotic.read_text(encoding="utf-8")]
    backups = [tmp_path / "essay.txt.bak", tmp_path / "essay.txt.1.bak", tmp_path / "essay.txt.2.bak"]
    for i, backup in enumerate(backups):
        res = run("clean", "--no-semantic", "--in-place", str(robotic))
        assert res.returncode == 0, res.stderr
        assert f"kept as {backup}" in res.stderr
        robotic.write_text(versions[-1] + f"We will delve into part {i}.\n", encoding="utf-8")
        versions.append(robotic.read_text(encoding="utf-8"))
    # Each run's original is in its own backup, the oldest in .bak, none overwritten.
    assert [b.read_text(encoding="utf-8") for b in backups] == versions[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["essay.txt", *(b.name for b in backups)])


def test_clean_is_idempotent_and_only_touches_findings(robotic: Path, tmp_path: Path) -> None:
    original = robotic.read_text(encoding="utf-8")
    findings = json.loads(run("check", "--no-semantic", "--format", "json", str(robotic)).stdout)["files"][0][
        "findings"
    ]
    once = run("clean", "--no-semantic", str(robotic)).stdout
    again = tmp_path / "again.txt"
    again.write_text(once, encoding="utf-8")
    assert run("clean", "--no-semantic", str(again)).stdout == once
    spans = [(f["start"], f["end"]) for f in findings]
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, original, once, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # Every changed region touches a finding (a deletion may also take the space after it).
        assert any(s <= i2 and i1 <= e + 1 for s, e in spans), (tag, original[i1:i2])


def test_usage_errors_exit_2() -> None:
    assert run("check").returncode == 2
    assert run("clean", "--in-place", "-", stdin="x").returncode == 2
    assert run("check", "--grammar", "remote", "-", stdin="x").returncode == 2


def test_the_command_imports_little_before_it_knows_what_to_do() -> None:
    """Start-up: importing the CLI loads neither the engine nor any HTTP client or model."""
    code = (
        "import sys, companion.cli\n"
        "heavy = ['companion.core.engine', 'companion.core.documents', 'requests', 'torch', "
        "'sentence_transformers', 'numpy', 'language_tool_python']\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_harper_starts_building_only_when_this_run_may_use_it(monkeypatch) -> None:
    import companion.cli as cli
    from companion.core.grammar import harper

    seen = []
    monkeypatch.setattr(harper, "prebuild", seen.append)
    args = cli._parser().parse_args(["check", "--grammar", "harper", "-"])
    cli._prebuild_grammar(args, cli.load_settings(), None)
    assert seen == ["en-US"]
    for argv in (["check", "--no-grammar", "-"], ["check", "--grammar-server", "http://127.0.0.1:1", "-"]):
        seen.clear()
        cli._prebuild_grammar(cli._parser().parse_args(argv), cli.load_settings(), None)
        assert seen == []
