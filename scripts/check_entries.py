"""Check library entries quickly while authoring them; prints problems, exits 1 if any.

    python scripts/check_entries.py resources/library/jargon.toml [more.toml ...]

For each entry of the named files: it loads, its ``flag`` sentences are flagged by it,
its ``pass`` sentences are not, and each alternative, put in place of the match in
each flag sentence, gives a sentence the entry no longer flags. The rendered
sentences are printed with ``-v`` so an author can read them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from companion.core.analyzer import Chunk
from companion.core.library.matcher import LibraryAnalyzer
from companion.core.library.model import load_library, with_hidden

log = logging.getLogger("check_entries")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    library = with_hidden(load_library())
    problems = [str(i) for i in library.issues]
    analyzer = LibraryAnalyzer(library)
    wanted = {p.resolve() for p in args.files}
    entries = [e for e in library.entries if Path(e.source).resolve() in wanted]
    for entry in entries:
        for sentence in entry.flag:
            hits = [f for f in analyzer.analyze(Chunk.of(sentence)) if f.rule == entry.rule]
            if not hits:
                problems.append(f"{entry.rule}: does not flag {sentence!r}")
                continue
            hit = hits[0]
            for alt in hit.suggestions:
                fixed = sentence[: hit.start] + alt + sentence[hit.end :]
                fixed = " ".join(fixed.split())
                if args.verbose:
                    log.info("%s: %s", entry.rule, fixed)
                again = [f for f in analyzer.analyze(Chunk.of(fixed)) if f.rule == entry.rule]
                if again:
                    problems.append(f"{entry.rule}: still flags its fix {fixed!r}")
        for sentence in entry.passes:
            if any(f.rule == entry.rule for f in analyzer.analyze(Chunk.of(sentence))):
                problems.append(f"{entry.rule}: flags pass example {sentence!r}")
    for p in problems:
        log.info("PROBLEM %s", p)
    log.info("%d entries checked, %d problems", len(entries), len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
