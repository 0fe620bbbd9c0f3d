"""The phrase library's pattern language, compiled to literals or regular expressions.

A pattern is a sequence of space-separated tokens, matched case-insensitively on
word boundaries, with any run of white space between words:

``word``          that word (``moreover,`` includes the comma)
``[lemma]``       any inflection of the lemma: ``[delve]`` matches delve, delves, delved, delving
``a|an|the``      one of several words
``token?``        an optional token
``{}``            exactly one word (a slot); ``{1-3}`` one to three words
``<class>``       any word of a named word class (``resources/wordclasses.toml``),
                  e.g. ``<abstract-noun>``; combine with ``|`` and ``?`` like words

Patterns without slots or classes expand to plain literals for the multi-pattern
(Aho-Corasick) matcher; patterns with slots become one regular expression.
Slots are captured in order and can be reused in alternatives as ``$1``, ``$2``.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from companion.core.paths import resource_dir

#: Inflection tags in the order used to name an ambiguous form ("plays": VBZ before NNS).
_TAG_ORDER = ("VBD", "VBG", "VBZ", "VBN", "NNS", "JJR", "JJS", "RBR", "RBS")
_BASE_TAGS = ("VB", "VBP", "NN", "JJ", "RB")
_SLOT = re.compile(r"^\{(?:(\d+)(?:-(\d+))?)?\}$")
_CLASS = re.compile(r"<([a-z][a-z0-9-]*)>")
_WORD_CHARS = r"[\w'’-]+"
MAX_EXPANSIONS = 512


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says why."""


def _lemminflect() -> ModuleType:
    """lemminflect, imported on first use (with numpy, a sixth of a second; the cached
    library plan rarely needs it)."""
    import lemminflect

    return lemminflect


@lru_cache(maxsize=4096)
def inflections(lemma: str) -> dict[str, str | None]:
    """Every form of ``lemma`` mapped to its inflection tag (``None`` for the base form)."""
    lemminflect = _lemminflect()
    table = lemminflect.getAllInflections(lemma)
    if not table:
        table = {
            **lemminflect.getAllInflectionsOOV(lemma, "NOUN"),
            **lemminflect.getAllInflectionsOOV(lemma, "VERB"),
        }
    forms: dict[str, str | None] = {lemma: None}
    for tag in _TAG_ORDER:
        for form in table.get(tag, ()):
            if form.lower() != lemma.lower():
                forms.setdefault(form.lower(), tag)
    for tag in _BASE_TAGS:
        for form in table.get(tag, ()):
            forms.setdefault(form.lower(), None)
    return forms


def inflect(word: str, tag: str | None) -> str:
    """``word`` inflected to ``tag`` (unchanged when ``tag`` is None or unknown)."""
    if not tag:
        return word
    lemminflect = _lemminflect()
    forms = lemminflect.getInflection(word, tag=tag)
    if forms:
        return forms[0]
    if tag.startswith("V"):
        oov = lemminflect.getAllInflectionsOOV(word, "VERB").get(tag)
        if oov:
            return oov[0]
    return word


@dataclass(frozen=True, slots=True)
class Token:
    """One pattern token: its alternative spellings and flags."""

    forms: tuple[str, ...]
    #: Inflection tag of each form (parallel to ``forms``), for ``[lemma]`` tokens.
    tags: tuple[str | None, ...] | None = None
    optional: bool = False
    slot: tuple[int, int] | None = None
    #: Built from a word class: too many spellings to expand, always matched by regex.
    klass: bool = False


@lru_cache(maxsize=1)
def word_classes() -> dict[str, tuple[str, ...]]:
    """The named word classes of ``resources/wordclasses.toml``: name → spellings."""
    path = resource_dir() / "wordclasses.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PatternError(f"cannot read word classes {path}: {exc}") from exc
    out: dict[str, tuple[str, ...]] = {}
    for name, table in data.items():
        words = table.get("words", []) if isinstance(table, dict) else []
        out[name] = tuple(dict.fromkeys(w.strip() for w in words if isinstance(w, str) and w.strip()))
    return out


def _expand_classes(item: str) -> tuple[str, bool]:
    """``item`` with each ``<class>`` replaced by its words, and whether any was."""
    if "<" not in item:
        return item, False
    classes = word_classes()

    def sub(m: re.Match[str]) -> str:
        words = classes.get(m.group(1))
        if not words:
            raise PatternError(f"unknown word class <{m.group(1)}>")
        return "|".join(w.replace(" ", "_") for w in words)

    return _CLASS.sub(sub, item), True


def parse(pattern: str) -> list[Token]:
    """Parse a pattern into tokens."""
    raw = pattern.split()
    if not raw:
        raise PatternError("empty pattern")
    tokens: list[Token] = []
    for item in raw:
        optional = item.endswith("?") and len(item) > 1
        if optional:
            item = item[:-1]
        slot = _SLOT.match(item)
        item, klass = _expand_classes(item)
        if slot:
            lo = int(slot.group(1) or 1)
            hi = int(slot.group(2) or lo)
            if not 1 <= lo <= hi <= 12:
                raise PatternError(f"bad slot {item!r}: use {{}} or {{m-n}} with 1 <= m <= n <= 12")
            tokens.append(Token((), None, optional, (lo, hi)))
            continue
        forms: list[str] = []
        tags: list[str | None] = []
        inflected = False
        for alt in item.split("|"):
            if not alt:
                raise PatternError(f"empty alternative in {item!r}")
            if alt.startswith("[") and alt.endswith("]") and len(alt) > 2:
                inflected = True
                for form, tag in inflections(alt[1:-1].lower()).items():
                    forms.append(form)
                    tags.append(tag)
            elif "[" in alt or "]" in alt or "{" in alt or "}" in alt:
                raise PatternError(f"unbalanced bracket in {item!r}")
            else:
                forms.append(alt.lower().replace("’", "'").replace("_", " "))
                tags.append(None)
        tokens.append(Token(tuple(forms), tuple(tags) if inflected else None, optional, None, klass))
    if all(t.optional for t in tokens):
        raise PatternError("every token is optional")
    return tokens


def has_slots(tokens: list[Token]) -> bool:
    """Whether the pattern needs a regular expression (slots or word classes)."""
    return any(t.slot or t.klass for t in tokens)


@dataclass(frozen=True, slots=True)
class Literal:
    """One concrete spelling of a pattern and the inflection tag it carries."""

    text: str
    tag: str | None


def expand(tokens: list[Token]) -> list[Literal]:
    """Every literal spelling of a slot-free pattern."""
    choices: list[list[tuple[str, str | None]]] = []
    for tok in tokens:
        opts = [(f, tok.tags[i] if tok.tags else None) for i, f in enumerate(tok.forms)]
        if tok.optional:
            opts.append(("", None))
        choices.append(opts)
    total = 1
    for c in choices:
        total *= len(c)
    if total > MAX_EXPANSIONS:
        raise PatternError(f"pattern expands to {total} spellings (at most {MAX_EXPANSIONS})")
    out: dict[str, str | None] = {}
    for combo in itertools.product(*choices):
        text = " ".join(w for w, _ in combo if w)
        tag = next((t for _, t in combo if t), None)
        if text and text not in out:
            out[text] = tag
    return [Literal(t, tag) for t, tag in out.items()]


def to_regex(tokens: list[Token]) -> tuple[str, dict[str, str | None]]:
    """A regular expression for a pattern with slots, and the tag of each inflected form."""
    parts: list[str] = []
    tag_of: dict[str, str | None] = {}
    first_optional = False
    slots = 0
    for tok in tokens:
        if tok.slot:
            lo, hi = tok.slot
            slots += 1
            body = f"(?P<s{slots}>{_WORD_CHARS}(?:\\s+{_WORD_CHARS}){{{lo - 1},{hi - 1}}})"
        else:
            alts = sorted(tok.forms, key=len, reverse=True)
            body = "(?:" + "|".join(_escape(f) for f in alts) + ")"
            if tok.tags and not tag_of:
                tag_of.update({f: t for f, t in zip(tok.forms, tok.tags, strict=True)})
                body = f"(?P<infl>{body})"
        if not parts:
            parts.append(f"(?:{body}\\s+)?" if tok.optional else body)
            first_optional = tok.optional
            continue
        sep = "" if first_optional and len(parts) == 1 else "\\s+"
        parts.append(f"(?:{sep}{body})?" if tok.optional else f"{sep}{body}")
    regex = "".join(parts)
    return r"(?<![\w'-])" + regex + r"(?![\w-]|'\w)", tag_of


def _escape(form: str) -> str:
    return re.escape(form).replace("'", "['’]").replace(r"\ ", r"\s+")
