"""'Add to my library': append a phrase as an entry of the user's own phrase library.

The user's entries live in ``<data dir>/library/`` in the bundled format. A library
file holds one category (the loader reads it from the file's top-level
``category``), so phrases go to ``user.toml`` while they share its category and to
``user-<category>.toml`` otherwise. The file is checked with the real loader after
writing; an entry the loader rejects is rolled back.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from companion.core.findings import ROBOTIC_CATEGORIES
from companion.core.library.model import load_library
from companion.core.paths import user_library_dir

USER_FILE = "user.toml"
EXPLANATION = "Added by you"
_PASS_SENTENCES = ("We met at noon and walked home.", "The cat sat on the mat.", "Rain fell all day.")
_SPECIAL = re.compile(r"[\[\]|?{}$]")


class LibraryAddError(Exception):
    """The entry could not be added; the message is for the user."""


@dataclass(frozen=True, slots=True)
class Added:
    path: Path
    entry_id: str
    category: str


def add_phrase(
    phrase: str,
    category: str,
    alternatives: tuple[str, ...],
    sentence: str,
    folder: Path | None = None,
) -> Added:
    """Append ``phrase`` to the user's library (``folder``, default the data dir's ``library/``)."""
    phrase = " ".join(phrase.split())
    if not re.search(r"\w", phrase):
        raise LibraryAddError("Only words can be added to the library.")
    if category not in ROBOTIC_CATEGORIES:
        category = "ai-ism"
    folder = folder or user_library_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = _file_for(folder, category)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    taken = _ids(old)
    base = re.sub(r"[^a-z0-9]+", "-", phrase.lower()).strip("-")[:48] or "phrase"
    entry_id, n = base, 2
    while entry_id in taken:
        entry_id, n = f"{base}-{n}", n + 1
    lowered = phrase.lower()
    passes = next((p for p in _PASS_SENTENCES if lowered not in p.lower()), "Short and plain.")
    flag = sentence.strip() or phrase
    lines = []
    if not old.strip():
        lines += [
            "# Your own phrases, added from the editor. Same format as the bundled library.",
            f"category = {_s(category)}",
            "",
        ]
    elif not old.endswith("\n"):
        lines.append("")
    lines.append("[[entry]]")
    lines.append(f"id = {_s(entry_id)}")
    if _SPECIAL.search(phrase):
        regex = re.escape(lowered.replace("’", "'").replace("‘", "'"))
        lines.append(f"regex = [{_s(regex)}]")
    else:
        lines.append(f"patterns = [{_s(phrase)}]")
    alts = tuple(a for a in alternatives if "$" not in a) or ("",)
    lines.append("alternatives = [" + ", ".join(_s(a) for a in alts) + "]")
    lines.append(f"explanation = {_s(EXPLANATION)}")
    lines.append('level = "recommended"')
    lines.append(f"flag = [{_s(flag)}]")
    lines.append(f"pass = [{_s(passes)}]")
    lines.append("")
    path.write_text(old + "\n".join(lines), encoding="utf-8")
    issues = [i for i in load_library([folder], bundled=False).issues if Path(i.path) == path]
    if issues:
        path.write_text(old, encoding="utf-8") if old else path.unlink()
        raise LibraryAddError(f"The phrase could not be added: {issues[0].message}")
    return Added(path, entry_id, category)


def _file_for(folder: Path, category: str) -> Path:
    main = folder / USER_FILE
    if not main.exists() or _category(main) == category:
        return main
    return folder / f"user-{category}.toml"


def _category(path: Path) -> str | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("category")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def _ids(text: str) -> set[str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return set()
    return {str(e.get("id")) for e in data.get("entry", []) if isinstance(e, dict)}


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(value, ensure_ascii=False)
