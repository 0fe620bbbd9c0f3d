"""The ``humanize`` command line: ``check`` and ``clean`` over the analysis core.

Start-up is what a user waits for on every run, so this module imports only light
modules at the top; the engine and the document readers load inside the commands,
after Harper's linter has begun building on a thread of its own.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from companion import __version__
from companion.core.paths import user_cache_dir, user_config_dir, user_data_dir, user_library_dir
from companion.core.settings import GRAMMAR_MODES, Settings, load_settings

if TYPE_CHECKING:
    from companion.core.documents import Document
    from companion.core.engine import Engine
    from companion.core.findings import Report

log = logging.getLogger(__name__)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``humanize`` console script and ``python -m companion``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] == "--companion" or (argv[0] not in _COMMANDS and not argv[0].startswith("-")):
        from companion.app import run_app

        return run_app(argv)
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="humanize: %(levelname)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_ERROR


_COMMANDS = {"check", "clean", "edit", "paths", "grammar"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="humanize", description="Find robotic phrasing and suggest natural alternatives."
    )
    p.add_argument("--version", action="version", version=f"humanize {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--profile", choices=["essential", "recommended", "picky"], help="which rules to show"
    )
    common.add_argument("--no-semantic", action="store_true", help="skip embedding matching (faster start)")
    common.add_argument(
        "--grammar",
        choices=GRAMMAR_MODES,
        help="grammar checking: auto (LanguageTool if installed or a server is set, else Harper), "
        "harper (built in, offline), local or remote LanguageTool, off",
    )
    common.add_argument(
        "--grammar-server", metavar="URL", help="LanguageTool server for --grammar remote (and auto)"
    )
    common.add_argument("--no-grammar", action="store_true", help="same as --grammar off")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")

    check = sub.add_parser("check", parents=[common], help="report findings")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("paths", nargs="+", metavar="PATH|-")
    check.set_defaults(func=cmd_check)

    clean = sub.add_parser("clean", parents=[common], help="apply the safe suggestions")
    clean.add_argument("path", metavar="PATH|-")
    out = clean.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="OUT", help="write the cleaned text here")
    out.add_argument(
        "--in-place",
        action="store_true",
        help="overwrite PATH, keeping the original as PATH.bak (PATH.1.bak, PATH.2.bak, ... if taken)",
    )
    clean.add_argument("--diff", action="store_true", help="print a unified diff and write nothing")
    clean.set_defaults(func=cmd_clean)

    edit = sub.add_parser("edit", help="open the editor")
    edit.add_argument("file", nargs="?")
    edit.add_argument("--companion", action="store_true", help="open the compact companion window")
    edit.set_defaults(func=cmd_edit)

    paths = sub.add_parser("paths", help="print where settings, your library and caches live")
    paths.set_defaults(func=cmd_paths)

    grammar = sub.add_parser("grammar", help="LanguageTool set-up")
    gsub = grammar.add_subparsers(dest="grammar_command", required=True)
    install = gsub.add_parser("install", help="download LanguageTool (only when you ask)")
    install.set_defaults(func=cmd_grammar_install)
    return p


def cmd_edit(args: argparse.Namespace) -> int:
    return _run_app(([args.file] if args.file else []) + (["--companion"] if args.companion else []))


def _run_app(argv: list[str]) -> int:
    from companion.app import run_app

    return run_app(argv)


# -- check ------------------------------------------------------------------
def _prebuild_grammar(args: argparse.Namespace, settings: Settings, grammar_default: str | None) -> None:
    """Start Harper's build now when this run will probably use it (else nothing)."""
    mode = "off" if args.no_grammar else (args.grammar or grammar_default or settings.grammar)
    if mode == "harper" or (mode == "auto" and not (args.grammar_server or settings.grammar_server)):
        from companion.core.grammar.harper import prebuild

        prebuild(settings.language)


def _checker(args: argparse.Namespace, *, grammar_default: str | None = None) -> Engine:
    settings = load_settings()
    _prebuild_grammar(args, settings, grammar_default)
    from companion.core.engine import EngineOptions, build_engine

    if args.profile:
        settings.profile = args.profile
    grammar = "off" if args.no_grammar else (args.grammar or grammar_default)
    if args.grammar_server and not grammar:
        grammar = "remote"
    if grammar == "remote" and not (args.grammar_server or settings.grammar_server):
        raise _UsageError("--grammar remote needs --grammar-server URL (or grammar_server in settings)")
    options = EngineOptions(
        semantic=False if args.no_semantic else None,
        grammar=grammar,
        grammar_server=args.grammar_server,
    )
    checker = build_engine(settings, options)
    # Harper's first build takes half a second, mostly outside the GIL: let it overlap
    # with reading the files and the other analyzers (a local LanguageTool starts too).
    start = getattr(checker.analyzer("grammar"), "start", None)
    if start is not None:
        start()
        # The score's style signal reads the static model: load it while Harper builds.
        from companion.core.static_embed import preload_static

        preload_static()
    return checker


class _UsageError(Exception):
    pass


def _read(path: str) -> Document:
    from companion.core.documents import load_bytes, load_document

    if path == "-":
        return load_bytes(sys.stdin.buffer.read(), "-")
    return load_document(Path(path))


def cmd_check(args: argparse.Namespace) -> int:
    try:
        checker = _checker(args)  # first: it starts Harper's build before the heavy imports
    except _UsageError as exc:
        print(f"humanize: {exc}", file=sys.stderr)
        return EXIT_ERROR
    from companion.core.documents import DocumentError

    status = EXIT_CLEAN
    files: list[dict[str, object]] = []
    for path in args.paths:
        try:
            doc = _read(path)
        except DocumentError as exc:
            print(f"humanize: {exc}", file=sys.stderr)
            files.append({"path": path, "error": str(exc)})
            status = EXIT_ERROR
            continue
        for warning in doc.warnings:
            print(f"humanize: {path}: {warning}", file=sys.stderr)
        report = checker.check(doc.text, ignored_ranges=doc.ignored)
        if report.findings and status == EXIT_CLEAN:
            status = EXIT_FINDINGS
        if args.format == "json":
            files.append(_file_json(path, report))
        else:
            _print_text(path, report)
    if args.format == "json":
        statuses = {name: s.to_json() for name, s in checker.statuses().items()}
        statuses.setdefault("grammar", {"available": False, "reason": "turned off", "mode": "off"})
        statuses["grammar"]["engine"] = getattr(checker.analyzer("grammar"), "engine", "")
        json.dump({"files": files, "analyzers": statuses}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for name, s in checker.statuses().items():
            if not s.available:
                print(f"humanize: {name} unavailable: {s.reason}", file=sys.stderr)
    return status


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _file_json(path: str, report: Report) -> dict[str, object]:
    return {
        "path": path,
        "stats": report.stats.to_json(),
        "findings": [f.to_json(*line_column(report.text, f.start)) for f in report.findings],
    }


def _print_text(path: str, report: Report) -> None:
    out = sys.stdout
    for f in report.findings:
        line, col = line_column(report.text, f.start)
        quoted = report.text[f.start : f.end].replace("\n", " ")
        if len(quoted) > 60:
            quoted = quoted[:57] + "..."
        out.write(f"{path}:{line}:{col}: {f.category}: “{quoted}”: {f.message} [{f.rule}]\n")
        if f.suggestions:
            shown = ", ".join(_show_suggestion(s) for s in f.suggestions[:4])
            out.write(f"    try: {shown}\n")
    s = report.stats
    out.write(
        f"{path}: {len(report.findings)} finding(s); {s.words} words, grade {s.grade:.1f}, "
        f"reading ease {s.flesch_reading_ease:.0f}, robotic score {s.robotic_score:.0f}/100\n"
    )


def _show_suggestion(s: str) -> str:
    return f"“{s}”" if s else "(delete)"


# -- clean ------------------------------------------------------------------
def cmd_clean(args: argparse.Namespace) -> int:
    from companion.core.documents import DocumentError, save_document

    if args.in_place and args.path == "-":
        print("humanize: --in-place needs a file, not standard input", file=sys.stderr)
        return EXIT_ERROR
    try:
        checker = _checker(args, grammar_default="off")
        doc = _read(args.path)
    except _UsageError as exc:
        print(f"humanize: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except DocumentError as exc:
        print(f"humanize: {exc}", file=sys.stderr)
        return EXIT_ERROR
    cleaned = clean_text(checker, doc)
    if args.diff:
        name = args.path
        sys.stdout.writelines(
            difflib.unified_diff(
                doc.text.splitlines(keepends=True),
                cleaned.splitlines(keepends=True),
                fromfile=name,
                tofile=f"{name} (cleaned)",
            )
        )
        return EXIT_CLEAN
    try:
        if args.in_place:
            backup = save_document(doc, cleaned, backup=True)  # never over an existing backup
            if backup:
                print(f"humanize: the original is kept as {backup}", file=sys.stderr)
        elif args.output:
            target = Path(args.output)
            save_document(replace(doc, path=str(target)) if doc.kind != "docx" else doc, cleaned, path=target)
        else:
            sys.stdout.write(cleaned)
    except (DocumentError, OSError) as exc:
        print(f"humanize: cannot write: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_CLEAN


def clean_text(checker: Engine, doc: Document) -> str:
    """``doc``'s text with every safe change applied (checked in its sentence, to a fixed point)."""
    return checker.clean(doc.text, markdown=doc.kind == "markdown")


# -- misc -------------------------------------------------------------------
def cmd_paths(args: argparse.Namespace) -> int:
    for label, path in (
        ("settings", user_config_dir() / "settings.toml"),
        ("your library", user_library_dir()),
        ("data", user_data_dir()),
        ("cache", user_cache_dir()),
    ):
        print(f"{label}: {path}")
    return EXIT_CLEAN


def cmd_grammar_install(args: argparse.Namespace) -> int:
    from companion.core.engine import install_languagetool

    def progress(done: int, total: int | None) -> None:
        if total:
            print(f"\r{done * 100 // total}%", end="", file=sys.stderr)

    try:
        path = install_languagetool(progress=progress)
    except Exception as exc:
        print(f"\nhumanize: LanguageTool was not installed: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"\nLanguageTool installed in {path}")
    return EXIT_CLEAN
