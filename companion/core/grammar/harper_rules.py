"""Which of Harper's rules run, and why; and the lints skipped as known misfires.

Measured with ``benchmarks/grammar.py``: error sentences of
``tests/data/grammar_sentences.tsv`` for what is caught, about two million words of
human prose in six genres (~/.cache/humanize-eval/human/) for false flags.

| Harper rule or group            | choice | why                                                        |
|---------------------------------|--------|------------------------------------------------------------|
| SpellCheck                      | off    | pyspellchecker + the personal dictionary answer spelling:  |
|                                 |        | one spelling finding per word; names stay unflagged        |
| SplitWords, MergeWords,         | off    | dictionary-driven splitting, joining and casing is spelling |
| DisjointPrefixes,               |        | too, and misfires on real words ("wicketkeeper",           |
| OrthographicConsistency         |        | "re-entering", "SQuAD" -> "squad", "MoE" -> "Moe")         |
| "Style and Redundancy" group,   | off    | wordiness, hedging, fillers, redundancy: the phrase        |
| except the four kept below      |        | library and the style checks say this already              |
| RepeatedWords, AnAnother,       | on     | doubled words, "an another", "more better" are errors      |
| AnotherAn, MoreBetter           |        | (RepeatedWords skips "that that", "had had")               |
| LongSentences                   | off    | the readability analyzer marks long sentences              |
| "Regionalisms and Dialect"      | off    | "lorry", "towards": the writer's dialect is not an error   |
| "Initialisms" group             | off    | "btw" -> "BTW" is chat style                               |
| UseTitleCase                    | off    | sentence-case headings are a house style                   |
| SentenceCapitalization          | off    | misfires on list items, after abbreviations, in quotes     |
| UnclosedQuotes                  | off    | a quotation may run over several paragraphs (we lint one)  |
| OxfordComma, NoOxfordComma      | off    | a style choice either way                                  |
| Spaces, NoFrenchSpaces          | off    | double spaces after a full stop are a convention; a space  |
|                                 |        | before ? ! ; is checked by the supplement, more narrowly   |
| Dashes, NumericRangeEnDash,     | off    | typography: "6-3, 7-6" scores and "--" are fine in prose   |
| UseEllipsisCharacter,           |        |                                                            |
| LeftRightHand                   |        | ("right hand side")                                        |
| MassNouns, CompoundNouns,       | off    | misfire on technical plurals ("mRNAs"), open compounds     |
| QuantifierNumeralConflict       |        | ("file system") and "some forty yards"                     |
| Everyone, Someone, Overall,     | off    | "every one of", "some one", "over all the", "one's self",  |
| OnesSelf, Insofar               |        | "in so far as" are correct (older or British) usage        |
| MissingPreposition, MissingTo   | off    | misfire on "I am sure", "it is likely", "he expected"      |
| TheyToThem, PossessiveYour      | off    | misfire on "for they are", "you yourself", "you Christians"|
| DoubleModal                     | off    | misfires on names ("Will would", "May will")               |
| ThatWhich, RedundantThat        | off    | "that that" is often correct ("she said that that was")    |
| WrongNegative, AvoidCurses,     | off    | misfire on acronyms ("ILM"), names ("Dick Tracy") and      |
| ExpandMemoryShorthands,         |        | letters ("B" -> "byte"); unit spelling is style            |
| ExpandTimeShorthands            |        |                                                            |
| ToTwoToo, QuiteQuiet,           | off    | misfire on "I too feel", "quite possibly", "in the last    |
| TheLastDays, GoodAt, AsHow,     |        | decades", "OK in high school", "seeing as how", "we must   |
| ModalBeAdjective, OkToOkay      |        | first recognise", "OK"                                     |
| TheirToTheyre, There, Therein   | off    | misfire on "their being", "the re-union", "there in order" |
| TheProperNounPossessive,        | off    | misfire on "the Cochran's Q", "Bombay", "let fall", "1940's",  |
| UpdatePlaceNames, LetsConfusion,|        | "what he wants to be is", "one of the most brilliant",     |
| PluralDecades, SingleBe,        |        | "hop varieties", "suppose further that", "lead to improved |
| OneOfTheSingular, HopHope,      |        | results"                                                   |
| ThatThan, InflectedVerbAfterTo, |        |                                                            |
| Damages, MissingDeterminer,     |        | "seeking damages", "a GET request", "a backup firm",       |
| PhrasalVerbAsCompoundNoun       |        | "hangover cure"                                            |
| Worthwhile, AWhile,             | off    | "worth while", "a while", "none the less", "in some        |
| Nonetheless, ToSomeDegree,      |        | degree", "yea and nay", "a couple minutes", "find out" are |
| YeaToYeah, QuantifierNeedsOf,   |        | correct, older or informal usage                           |
| FindOut                         |        |                                                            |
| "Proper Nouns" group            | off    | brand and place casing misfires ("Mac mini")               |
| everything else                 | on     | Harper's defaults                                          |

Lint kinds "Style" and "Readability" are dropped whatever rule reports them. Known
misfires of rules that stay on are skipped (:func:`misfire`):

- RepeatedWords on "that that", "had had", initials ("I. W. W.") and pairs that differ
  in case ("the The", a lost full stop); MultipleSequentialPronouns unless the same
  pronoun is doubled ("call me me"): "gave it me", "he it was" are older English;
- AnA on a letter or variable ("where a and b", "2007a"), and on "an" before "h" ("an
  historic", British) or "un-" ("an unidentified");
- ItsContraction before an -ing form ("its being"); ItsPossessive before "no", "time"
  or a name ("It's no use");
- CapitalizePersonalPronouns and CommaFixes inside formulas and code ("for i = 1",
  "from i to j", "f(a,b)");
- PronounVerbAgreement on a past tense that looks like a plain verb ("she beat", "he
  struck") or after a variable ("node i has", "Table I is"); PronounInflectionBe on a
  subjunctive "were" and after a preposition ("parts of it are");
- AdjectiveDoubleDegree unless a comparative follows ("more honest");
- WillNonLemma on the noun or the name ("the doctrine of will has", "Will had");
- EllipsisLength on four dots and on ".." in code.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

RULES_OFF: dict[str, str] = {
    "SpellCheck": "spelling is pyspellchecker's: one finding per word",
    "SplitWords": "spelling-driven; misfires on real compounds",
    "MergeWords": "spelling-driven",
    "DisjointPrefixes": "spelling-driven; misfires on re-entering, sub-optimal",
    "OrthographicConsistency": "dictionary casing misfires on names and acronyms",
    "LongSentences": "the readability analyzer marks long sentences",
    "UseTitleCase": "sentence-case headings are a house style",
    "SentenceCapitalization": "misfires on list items and after abbreviations",
    "UnclosedQuotes": "quotations span paragraphs",
    "OxfordComma": "style choice",
    "NoOxfordComma": "style choice",
    "Spaces": "double spaces are a convention; the supplement checks space before ? ! ;",
    "NoFrenchSpaces": "two spaces after a full stop are a convention",
    "Dashes": "typography",
    "NumericRangeEnDash": "typography; misfires on scores",
    "UseEllipsisCharacter": "typography",
    "LeftRightHand": "hyphenation of 'right hand side' is typography",
    "MassNouns": "misfires on technical plurals",
    "CompoundNouns": "open compounds are standard",
    "QuantifierNumeralConflict": "misfires on 'some forty'",
    "Everyone": "'every one of' is correct",
    "Someone": "'some one' is older usage",
    "Overall": "'over all the' is correct",
    "OnesSelf": "'one's self' is older usage",
    "Insofar": "'in so far as' is British usage",
    "MissingPreposition": "misfires on 'I am sure', 'it is likely'",
    "MissingTo": "misfires on 'he expected', 'in this step, expected'",
    "TheyToThem": "misfires on 'for they are'",
    "PossessiveYour": "misfires on 'you yourself', 'you Christians'",
    "DoubleModal": "misfires on names: 'Will would', 'May will'",
    "ThatWhich": "'that that' is often correct",
    "RedundantThat": "'that that' is often correct",
    "WrongNegative": "misfires on acronyms",
    "AvoidCurses": "misfires on names",
    "ExpandMemoryShorthands": "style; misfires on single letters",
    "ExpandTimeShorthands": "style",
    "ToTwoToo": "misfires on 'I too feel'",
    "QuiteQuiet": "misfires on 'quite possibly'",
    "TheLastDays": "misfires on 'the last decades'",
    "GoodAt": "misfires on 'OK in high school'",
    "AsHow": "misfires on 'seeing as how'",
    "ModalBeAdjective": "misfires on 'we must first recognise'",
    "OkToOkay": "OK is standard",
    "TheirToTheyre": "misfires on 'their being', 'their will'; the supplement checks 'their going to'",
    "TheProperNounPossessive": "misfires on 'the Cochran's Q', 'the Pearson's article'",
    "UpdatePlaceNames": "historical names (Bombay, Ceylon) are not errors",
    "LetsConfusion": "misfires on 'let fall', 'let out', 'Let x be'",
    "PluralDecades": "'1940's' is a style choice",
    "SingleBe": "misfires on 'what he wants to be is'",
    "OneOfTheSingular": "misfires on 'one of the most brilliant'",
    "HopHope": "misfires on 'hop varieties'",
    "Worthwhile": "'worth while' is older usage",
    "FindOut": "style",
    "There": "misfires on 'the re-union'",
    "Therein": "misfires on 'there in order to'",
    "AWhile": "'a while'/'awhile' misfires both ways",
    "Nonetheless": "'none the less' is correct",
    "ToSomeDegree": "'in some degree' is correct",
    "YeaToYeah": "'yea and nay' is a word",
    "QuantifierNeedsOf": "'a couple minutes' is informal, not wrong",
    "ThatThan": "misfires on 'suppose further that'",
    "InflectedVerbAfterTo": "misfires on 'lead to improved results'",
    "Damages": "misfires on the legal noun 'damages'",
    "PhrasalVerbAsCompoundNoun": "misfires on nouns and names: 'hangover cure', 'backup firm', 'Baron'",
    "MissingDeterminer": "misfires on 'a GET request', 'submit bug reports'",
}
#: Whole groups of Harper's structured configuration that are off, and why.
GROUPS_OFF: dict[str, str] = {
    "Style and Redundancy": "wordiness and redundancy repeat the phrase library and style checks",
    "Regionalisms and Dialect": "the writer's dialect is not an error",
    "Initialisms": "chat abbreviations are style",
    "Proper Nouns": "brand and place casing misfires ('Mac mini', 'new york' in a formula)",
}
#: Rules kept on inside an off group: they find errors, not style.
KEPT_IN_OFF_GROUPS = frozenset({"RepeatedWords", "AnAnother", "AnotherAn", "MoreBetter"})
#: Harper lint kinds that are style advice whatever rule reports them.
KINDS_OFF = frozenset({"Style", "Readability"})


def lint_config(linter: Any) -> dict[str, bool | None]:
    """Harper's configuration with the choices above, resolved against this Harper's rules."""
    config: dict[str, bool | None] = dict.fromkeys(linter.get_default_lint_config())
    for group, names in rule_groups(linter.get_structured_lint_config()).items():
        if group in GROUPS_OFF:
            config.update({name: False for name in names if name not in KEPT_IN_OFF_GROUPS})
    unknown = [name for name in RULES_OFF if name not in config]
    if unknown:
        log.debug("Harper has no rules named %s", ", ".join(unknown))
    config.update({name: False for name in RULES_OFF if name in config})
    return config


def rule_groups(structured: dict[str, Any]) -> dict[str, list[str]]:
    """Rule names per top-level group of ``Linter.get_structured_lint_config()``."""

    def names(node: dict[str, Any]) -> Iterable[str]:
        for item in node.get("settings", []):
            if "Bool" in item:
                yield str(item["Bool"]["name"])
            elif "Group" in item:
                yield from names(item["Group"].get("child", {}))

    groups: dict[str, list[str]] = {}
    for item in structured.get("settings", []):
        if "Group" in item:
            group = item["Group"]
            groups[str(group.get("label", ""))] = list(names(group.get("child", {})))
    return groups


# -- known misfires of rules that stay on -----------------------------------------------------------

#: Doubled words that are often correct English.
VALID_DOUBLES = frozenset({"that that", "had had"})
#: Words after which an "a" or "A" is a letter or a variable, not an article.
_NOT_AFTER_ARTICLE = frozenset(
    "and or is are was were has have had in of to as at on by for with be can will".split()
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(\n])\s*$")
_FORMULA_CHARS = frozenset("()[]{}=<>+*/^_|\\,;:?~$%#&@")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+|\S)")


def misfire(rule: str, text: str, start: int, end: int) -> bool:
    """True for a lint that is a known misfire (listed in the module docstring)."""
    check = _MISFIRES.get(rule)
    return check is not None and check(text, start, end)


def _before(text: str, start: int) -> str:
    """The text just before ``start`` (enough for a few words; keeps checks linear in long paragraphs)."""
    return text[max(0, start - 60) : start]


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text, end)
    return m.group(1) if m else ""


def _different_pronouns(text: str, start: int, end: int) -> bool:
    return len({w.lower() for w in text[start:end].split()}) > 1


def _doubled(text: str, start: int, end: int) -> bool:
    """Correct doubles ("that that"), initials ("I. W. W.") and pairs across a lost full stop ("the The")."""
    words = text[start:end].split()
    if " ".join(words).lower() in VALID_DOUBLES:
        return True
    return len(set(words)) > 1 or all(len(w.rstrip(".")) == 1 and w[:1].isupper() for w in words)


def _not_an_article(text: str, start: int, end: int) -> bool:
    """AnA on a letter or variable, or on "an h-"/"an un-" words that take "an" in use."""
    matched = text[start:end]
    if start > 0 and not text[start - 1].isspace() and text[start - 1] not in "\"“'‘(":
        return True  # glued to what precedes: "2007a", "Oj,a", "-an"
    following = _next_word(text, end)
    if not following[:1].isalpha() or following.lower() in _NOT_AFTER_ARTICLE:
        return True  # "where a and b", "(b,a)", "'a' attribute", "an-hungered"
    if matched == "A" and not _SENTENCE_START.search(_before(text, start)):
        return True  # the letter A ("G and C and A and T")
    lower = following.lower()
    return matched.lower() == "an" and (
        lower.startswith("h") or (lower.startswith("un") and lower[:3] != "uni")
    )


def _its_gerund(text: str, start: int, end: int) -> bool:
    return _next_word(text, end).lower().endswith("ing")  # "its being regarded"


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The nearest non-space characters before and after ``text[start:end]`` ("" at the ends)."""
    before = text[max(0, start - 2) : start].strip()
    after = text[end : end + 2].strip()
    return before[-1:], after[:1]


def _formula_char(ch: str) -> bool:
    return ch in _FORMULA_CHARS or ch.isdigit() or ch in "-'\"‘’“”"


_OTHER_VARIABLE = re.compile(r"(?<![\w'’.])[b-hj-z](?![\w'’])")


def _pronoun_in_formula(text: str, start: int, end: int) -> bool:
    """A lower-case "i" that is a variable or a letter: "for i = 1", "(i)", "from i to j", "'i'"."""
    before, after = _neighbours(text, start, end)
    if before == "," and after == ",":
        return True
    if any(_formula_char(ch) and ch != "," for ch in (before, after) if ch):
        return True
    return _OTHER_VARIABLE.search(text, max(0, start - 40), min(len(text), end + 40)) is not None


def _comma_in_formula(text: str, start: int, end: int) -> bool:
    """A comma fix inside a formula or code: "f(a,b)", "2001a,b", "{a,b}"."""
    left = re.search(r"(\S*)$", _before(text, start))
    right = re.match(r"\S*", text[end:])
    tokens = [t.strip(",") for t in (left.group(1) if left else "", right.group(0) if right else "")]
    return any(len(t) <= 2 or not t.isalpha() for t in tokens if t) if text[start:end] == "," else False


@lru_cache(maxsize=4096)
def _past_tense(word: str) -> bool:
    """True if ``word`` is the simple past of a verb ("beat", "struck"), be excepted."""
    import lemminflect

    lower = word.lower()
    if lower in ("was", "were"):
        return False
    for lemma in lemminflect.getLemma(lower, upos="VERB"):
        if lower in lemminflect.getAllInflections(lemma, upos="VERB").get("VBD", ()):
            return True
    return False


def _dots_not_ellipsis(text: str, start: int, end: int) -> bool:
    matched = text[start:end]
    if matched.count(".") >= 4:
        return True  # a full stop and an ellipsis
    return start == 0 or not text[start - 1].isalpha() or (end < len(text) and not text[end].isspace())


_PREPOSITIONS = frozenset("of to for with in on at by from about like into than".split())
_VARIABLE = re.compile(r"(?:\b[a-z]|\b[A-Z][a-z]+ I|[^\w\s])\s*$")


def _previous_words(text: str, start: int, count: int = 2) -> list[str]:
    return re.findall(r"[\w'’]+|[^\w\s]", _before(text, start))[-count:]


def _agreement_misfire(text: str, start: int, end: int) -> bool:
    """PronounVerbAgreement on a past form ("she beat") or after a variable ("node i has", "Table I is")."""
    return _past_tense(text[start:end]) or _VARIABLE.search(_before(text, start)) is not None


def _be_misfire(text: str, start: int, end: int) -> bool:
    """PronounInflectionBe on a subjunctive ("if it were") or an object pronoun ("parts of it are")."""
    words = _previous_words(text, start, 2)
    return text[start:end].lower() == "were" or (len(words) == 2 and words[0].lower() in _PREPOSITIONS)


@lru_cache(maxsize=4096)
def _comparative(word: str) -> bool:
    import lemminflect

    lower = word.lower()
    for lemma in lemminflect.getLemma(lower, upos="ADJ"):
        forms = lemminflect.getAllInflections(lemma, upos="ADJ")
        if lower in forms.get("JJR", ()) or lower in forms.get("JJS", ()):
            return True
    return False


def _not_double_degree(text: str, start: int, end: int) -> bool:
    words = text[start:end].split()
    return len(words) < 2 or not _comparative(words[-1])


_ITS_FINE_BEFORE = frozenset(
    "no not time all only just a an the what how so too very my your his her".split()
)


def _its_is(text: str, start: int, end: int) -> bool:
    following = _next_word(text, end)
    return following.lower() in _ITS_FINE_BEFORE or following[:1].isupper()


_DETERMINERS = frozenset("of the a his her my your our their its free good ill whose".split())


def _will_noun(text: str, start: int, end: int) -> bool:
    if text[start : start + 1] == "W":
        return True  # the name Will
    words = _previous_words(text, start, 1)
    return bool(words) and (words[0].lower() in _DETERMINERS or words[0].lower().endswith(("'s", "’s")))


_MISFIRES: dict[str, Callable[[str, int, int], bool]] = {
    "RepeatedWords": _doubled,
    "MultipleSequentialPronouns": _different_pronouns,
    "AnA": _not_an_article,
    "ItsContraction": _its_gerund,
    "CapitalizePersonalPronouns": _pronoun_in_formula,
    "CommaFixes": _comma_in_formula,
    "PronounVerbAgreement": _agreement_misfire,
    "PronounInflectionBe": _be_misfire,
    "AdjectiveDoubleDegree": _not_double_degree,
    "ItsPossessive": _its_is,
    "WillNonLemma": _will_noun,
    "EllipsisLength": _dots_not_ellipsis,
}
