#!/usr/bin/env python3
"""Rebuild the human-written reference corpus used to measure false flags.

Every text in the corpus was written before 2020. The corpus is never committed: this script
rebuilds it from pinned public sources into ``<out>/<genre>/<source-slug>.txt`` (plain prose
paragraphs of at least 25 words, separated by blank lines) and writes ``<out>/manifest.json``.

Inputs:

* GitHub repositories are read from snapshot mirrors (bare git directories) under
  ``--mirror-root`` (default ``/work/.mirror``), as ``<owner>+<name>/repo``; each source is
  pinned to a commit. Missing mirrors are reported by name and the build goes on without them.
* Debian packages are fetched with ``apt-get download`` and unpacked with ``dpkg-deb -x``.
* PyPI source distributions are fetched with ``pip download --no-deps --no-binary :all:``.

Only the standard library is used; git, apt-get, dpkg-deb and pip are called as tools.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from human_corpus.fetch import MissingSource, load_inputs
from human_corpus.select import count_words, select
from human_corpus.sources import SOURCES, Source
from human_corpus.text import CUTOFF_YEAR, DEFAULT_MIRROR_ROOT, DEFAULT_OUT, LOG, MIN_WORDS, Doc, decode


@dataclass(frozen=True)
class Built:
    """A source written to the corpus, as recorded in the manifest."""

    slug: str
    genre: str
    description: str
    origin: str
    licence: str
    years: str
    words: int
    paragraphs: int
    file: str


def build_source(source: Source, mirror_root: Path, workdir: Path, out: Path) -> Built:
    """Extract, select and write one source."""
    origin, files = load_inputs(source, mirror_root, workdir)
    docs: list[Doc] = []
    for name, data in files:
        docs.extend(source.parser(name, decode(data)))
    paragraphs = select(docs, source.cap)
    target = out / source.genre / f"{source.slug}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    built = Built(
        slug=source.slug,
        genre=source.genre,
        description=source.description,
        origin=origin,
        licence=source.licence,
        years=source.years,
        words=count_words(paragraphs),
        paragraphs=len(paragraphs),
        file=target.relative_to(out).as_posix(),
    )
    LOG.info("%-36s %-15s %8d words from %d documents", built.slug, built.genre, built.words, len(docs))
    return built


def genre_totals(built: list[Built]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for item in built:
        totals[item.genre] = totals.get(item.genre, 0) + item.words
    return dict(sorted(totals.items()))


def check_balance(genres: dict[str, int]) -> list[str]:
    """Problems with the corpus against its targets: size, number of genres, share of each genre."""
    total = sum(genres.values())
    problems = []
    if total < 1_000_000:
        problems.append(f"only {total} words (target 1,000,000)")
    if len(genres) < 5:
        problems.append(f"only {len(genres)} genres (target 5)")
    problems.extend(
        f"genre {genre} is {words / total:.0%} of the corpus (limit 35%)"
        for genre, words in genres.items()
        if words > 0.35 * total
    )
    return problems


def write_manifest(out: Path, built: list[Built], missing: dict[str, str], problems: list[str]) -> None:
    genres = genre_totals(built)
    manifest = {
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "builder": "scripts/build_human_corpus.py",
        "written_before": CUTOFF_YEAR,
        "min_paragraph_words": MIN_WORDS,
        "total_words": sum(genres.values()),
        "genres": genres,
        "sources": [asdict(item) for item in built],
        "missing": missing,
        "problems": problems,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--mirror-root", type=Path, default=DEFAULT_MIRROR_ROOT, help="folder holding <owner>+<name>/repo"
    )
    parser.add_argument("--only", nargs="*", metavar="SLUG", help="build only these sources")
    parser.add_argument("--list", action="store_true", help="list the sources and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every command run")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(message)s"
    )
    if args.list:
        for source in SOURCES:
            print(f"{source.genre:15} {source.slug:36} {source.years}")
        return 0
    chosen = [s for s in SOURCES if not args.only or s.slug in args.only]
    args.out.mkdir(parents=True, exist_ok=True)
    built: list[Built] = []
    missing: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="human-corpus-") as tmp:
        for source in chosen:
            try:
                built.append(build_source(source, args.mirror_root, Path(tmp), args.out))
            except MissingSource as exc:
                LOG.error("MISSING %s: %s", source.slug, exc)
                missing[source.slug] = str(exc)
    genres = genre_totals(built)
    problems = check_balance(genres) if not args.only else []
    for problem in problems:
        LOG.warning("corpus check: %s", problem)
    write_manifest(args.out, built, missing, problems)
    print(
        f"{sum(genres.values())} words in {len(genres)} genres from {len(built)} sources, "
        f"{len(missing)} missing{': ' + ', '.join(missing) if missing else ''} -> {args.out}"
    )
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
