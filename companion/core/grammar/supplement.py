"""A few precise grammar patterns Harper 2.13 does not check, run with it.

Each rule is a regular expression over one paragraph with a fixed replacement. They
are deliberately narrow (closed word lists, no guessing at parts of speech): a rule
that could fire on correct prose is left out. Measured with ``benchmarks/grammar.py``.

| rule               | flags                                | why it is safe                              |
|--------------------|--------------------------------------|---------------------------------------------|
| doubled-word       | "will will", "the the"               | small function words doubled (Harper skips  |
|                    |                                      | "will will", "can can"); "that that" and    |
|                    |                                      | "had had" are not in the list               |
| modal-3sg          | "can swims", "should goes"           | a modal takes the bare verb; the verb list  |
|                    |                                      | holds -s forms that are rarely nouns, and a |
|                    |                                      | noun "can"/"will" ("the can has") is skipped |
| to-inflected       | "to goes", "to went"                 | "to" before these forms is never a          |
|                    |                                      | preposition before a noun                   |
| bare-participle    | "I seen", "they done"                | a participle after a subject pronoun needs  |
|                    |                                      | "have"; questions ("have you seen") skipped |
| this-are           | "This are", "These is" (sentence     | number disagreement; only at the start of a |
|                    | start)                               | sentence ("for this are" can be right)      |
| pronoun-base       | "It seem", "she want"                | he/she/it takes -s; skipped after modals,   |
|                    |                                      | "do", "to", "let/make/see/hear" + object    |
| each-of-plural     | "Each of the students have"          | "each of" is singular; relative clauses     |
|                    |                                      | ("each of those who have") are skipped      |
| whos-whose         | "Who's bag is this?"                 | "who's NOUN is this?" is always "whose"     |
| there-is-plural    | "there is three", "there was many"   | plural counts after a singular verb         |
| modal-not-of       | "could not of", "shouldn't of"       | "of" for "have" (Harper has "should of")    |
| your-going         | "your going to", "their going to",   | "you're", "they're"; "your welcome" only as |
|                    | "Your welcome."                      | a sentence or before "to" + verb            |
| loose-lose         | "don't loose your"                   | "loose" after an auxiliary or "to" and      |
|                    |                                      | before an object is the verb "lose"         |
| rather-then        | "rather walk then take"              | "rather ... than"; "and then" is skipped    |
| double-negative    | "didn't see nobody"                  | n't + one verb + nobody/nothing/nowhere     |
| forward-to-ing     | "look forward to hear"               | "to" is a preposition here                  |
| be-agree           | "I am agree"                         | "agree" is a verb, not an adjective         |
| less-fewer         | "less people"                        | count nouns take "fewer" (recommended only) |
| irregardless       | "irregardless"                       | nonstandard for "regardless"                |
| pronoun-wont-cant  | "I wont", "we cant"                  | a missing apostrophe after a subject        |
| space-before-mark  | "leave ?", "wait !"                  | no space before ? ! ; (after a word, before |
|                    |                                      | a new sentence or the end: not in formulas) |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from companion.core.findings import Finding, Level
from companion.core.normalize import capitalise_like

#: Third-person -s forms that are rarely plural nouns.
_VERB_3SG = (
    "goes|does|has|says|seems|comes|gives|knows|thinks|becomes|gets|makes|takes|wants|tries|sees|"
    "swims|writes|eats|feels|believes|brings|buys|forgets|hears|lets|puts|sends|sings|sits|sleeps|"
    "speaks|spends|teaches|tells|understands|happens|finishes|arrives|decides|explains|agrees"
)
_BASE_OF = {
    "goes": "go",
    "does": "do",
    "has": "have",
    "tries": "try",
    "teaches": "teach",
    "finishes": "finish",
}
#: Irregular simple pasts that are never participles or nouns after "to".
_PAST = (
    "went|came|did|ate|wrote|took|gave|knew|began|swam|drank|sang|spoke|broke|chose|drove|flew|forgot|threw"
)
_LEMMA_OF_PAST = {
    "went": "go", "came": "come", "did": "do", "ate": "eat", "wrote": "write", "took": "take",
    "gave": "give", "knew": "know", "began": "begin", "swam": "swim", "drank": "drink", "sang": "sing",
    "spoke": "speak", "broke": "break", "chose": "choose", "drove": "drive", "flew": "fly",
    "forgot": "forget", "threw": "throw",
}  # fmt: skip
_PARTICIPLE_PAST = {
    "seen": "saw", "done": "did", "gone": "went", "been": "was", "taken": "took", "written": "wrote",
    "eaten": "ate", "given": "gave", "spoken": "spoke", "known": "knew", "broken": "broke",
    "chosen": "chose", "driven": "drove", "forgotten": "forgot",
}  # fmt: skip
_NUMBER_WORDS = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|many|several"
#: Plain verbs that are wrong right after he/she/it (past forms that look the same are left out).
_BASE_VERBS = (
    "seem|go|have|do|want|make|take|know|think|look|come|say|get|feel|mean|work|try|live|"
    "play|give|tell|become|leave|sound|matter|happen|belong|depend|remain|include|contain|love"
)
_THIRD_PERSON = {"go": "goes", "have": "has", "do": "does", "try": "tries", "say": "says"}
#: Words after which "he/she/it + plain verb" is correct: questions ("does it matter"),
#: modals, and verbs taking an object and a plain infinitive ("let it go", "made him leave").
_GOVERNOR_BEFORE = re.compile(
    r"(?:\b(?:do|does|did|can|could|will|would|shall|should|may|might|must|let|lets|letting|make|makes|"
    r"made|making|have|has|had|having|help|helps|helped|see|sees|saw|watch|watches|watched|hear|hears|"
    r"heard|feel|felt|notice|noticed|bid|to|not|that|lest|unless|if|why|how)|n['’]t|['’](?:ll|d))\s+$",
    re.IGNORECASE,
)
#: Small words whose doubling is a typo (Harper skips "will will", "can can": they are also nouns).
_DOUBLABLE = (
    "the|a|an|to|of|in|on|at|for|with|from|by|as|is|are|was|were|be|been|will|can|would|should|could|"
    "may|might|must|have|has|do|does|did|and|or|but|if|it|we|you|he|she|they|me|him|us|them|my|your|"
    "our|their|his|its|this|these|those|not|than|then"
)
_NEGATIVE_ANY = {"nobody": "anybody", "nothing": "anything", "nowhere": "anywhere"}
_FORWARD_TO = {
    "hear": "hearing", "see": "seeing", "meet": "meeting", "work": "working", "speak": "speaking",
    "talk": "talking", "receive": "receiving", "read": "reading", "get": "getting", "have": "having",
    "welcome": "welcoming", "join": "joining", "visit": "visiting", "discuss": "discussing",
    "be": "being", "go": "going", "come": "coming",
}  # fmt: skip
_COUNT_NOUNS = (
    "people|students|children|things|cars|words|items|mistakes|ideas|friends|books|jobs|questions|"
    "problems|errors|employees|members|users|visitors|customers|options|cases|days|hours|years"
)
#: Words before "can"/"will" that make it a noun ("the can has", "his will says").
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|my|your|his|her|its|our|their|this|that|tin|trash|watering|free|good|ill|last|of|"
    r"are|is)\s+)$",
    re.IGNORECASE,
)
#: Words before a pronoun that make the participle correct ("have you seen", "is it done").
_AUX_BEFORE = re.compile(
    r"(?:\b(?:have|has|had|having|am|is|are|was|were|be|being|get|got|gets)\s+|['’](?:ve|d|s|re|m)\s+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Rule:
    """A pattern; the finding covers its ``flag`` group (else the whole match)."""

    name: str
    pattern: re.Pattern[str]
    #: Suggestions for the flagged text, best first.
    suggest: Callable[[re.Match[str]], tuple[str, ...]]
    message: str
    category: str = "grammar"
    level: Level = Level.ESSENTIAL
    #: A check on the text before the match; False skips the match.
    before_ok: Callable[[str], bool] | None = None


def _base(verb: str) -> str:
    """The plain form of a third-person -s form."""
    verb = verb.lower()
    if verb in _BASE_OF:
        return _BASE_OF[verb]
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("shes", "ches", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


def _plain(verb: str) -> str:
    """The plain form of a third-person -s form or an irregular simple past."""
    return _LEMMA_OF_PAST.get(verb.lower()) or _base(verb)


def _third_person(verb: str) -> str:
    if verb in _THIRD_PERSON:
        return _THIRD_PERSON[verb]
    return verb + "es" if verb.endswith(("sh", "ch", "ss", "x", "o")) else verb + "s"


def _participle(m: re.Match[str]) -> tuple[str, ...]:
    pronoun, participle = m.group("pronoun"), m.group("flag")
    have = "has" if pronoun.lower() in ("he", "she") else "have"
    return (_PARTICIPLE_PAST[participle], f"{have} {participle}")


def _agree_number(m: re.Match[str]) -> tuple[str, ...]:
    det, verb = m.group("flag").split()
    if det.lower() == "this":
        singular = "is" if verb.lower() == "are" else "was"
        return (f"{capitalise_like('these', det)} {verb}", f"{det} {singular}")
    return (f"{det} {'are' if verb.lower() == 'is' else 'were'}",)


def _youre(possessive: str) -> tuple[str, ...]:
    return (capitalise_like("they're" if possessive.lower() == "their" else "you're", possessive),)


def _there_are(m: re.Match[str]) -> tuple[str, ...]:
    flag = m.group("flag")
    return (capitalise_like("there were" if flag.lower().endswith("was") else "there are", flag),)


_I = re.IGNORECASE
_MODALS = r"(?:can|could|will|would|shall|should|may|might|must|Can|Could|Shall|Should|Would|Might|Must)"
_SUBJECTS = r"(?:I|we|they|you|he|she|We|They|You|He|She)"
_RULES: tuple[_Rule, ...] = (
    _Rule(
        "doubled-word",
        re.compile(rf"\b(?P<flag>(?P<word>{_DOUBLABLE})\s+(?P=word))\b"),
        lambda m: (m.group("word"),),
        "The same word twice.",
    ),
    _Rule(
        "modal-3sg",
        re.compile(rf"\b{_MODALS}(?:\s+not)?\s+(?P<flag>{_VERB_3SG})\b"),
        lambda m: (_base(m.group("flag")),),
        "After a modal verb, use the plain form of the verb.",
        before_ok=lambda before: _NOUN_BEFORE.search(before) is None,
    ),
    _Rule(
        "to-inflected",
        re.compile(rf"\bto\s+(?P<flag>{_VERB_3SG}|{_PAST})\b", _I),
        lambda m: (capitalise_like(_plain(m.group("flag")), m.group("flag")),),
        "After “to”, use the plain form of the verb.",
    ),
    _Rule(
        "bare-participle",
        re.compile(rf"\b(?P<pronoun>{_SUBJECTS})\s+(?P<flag>{'|'.join(_PARTICIPLE_PAST)})\b"),
        _participle,
        "This past participle needs “have”; or use the simple past.",
        before_ok=lambda before: _AUX_BEFORE.search(before) is None,
    ),
    _Rule(
        "this-are",
        re.compile(
            r"(?:^|(?<=[.!?]\s))(?P<flag>(?:this|This)\s+(?:are|were)|(?:these|These|those|Those)\s+(?:is|was))\b"
        ),
        _agree_number,
        "The determiner and the verb disagree in number.",
    ),
    _Rule(
        "pronoun-base",
        re.compile(rf"\b(?:He|he|She|she|It|it)\s+(?P<flag>{_BASE_VERBS})\b(?!['’-])"),
        lambda m: (_third_person(m.group("flag")),),
        "After “he”, “she” or “it”, the verb takes -s.",
        before_ok=lambda before: _GOVERNOR_BEFORE.search(before) is None,
    ),
    _Rule(
        "each-of-plural",
        re.compile(
            r"(?:^|(?<=[.!?]\s))(?:Each|Every\s+one)\s+of\s+(?:(?!(?:who|that|which|whom|whose)\b)\w+\s+){1,3}?"
            r"(?P<flag>have|are|were)\b"
        ),
        lambda m: ({"have": "has", "are": "is", "were": "was"}[m.group("flag")],),
        "“Each of …” is singular.",
    ),
    _Rule(
        "whos-whose",
        re.compile(
            r"\b(?P<flag>[Ww]ho['’]s)\s+\w+\s+(?:is|are|was|were)\s+(?:this|that|these|those|it)(?=\s*[?.!,])"
        ),
        lambda m: (capitalise_like("whose", m.group("flag")),),
        "“Whose” (belonging to whom), not “who's” (who is).",
    ),
    _Rule(
        "there-is-plural",
        re.compile(rf"\b(?P<flag>there\s+(?:is|was)|there['’]s)\s+(?:{_NUMBER_WORDS})\b", _I),
        _there_are,
        "A plural subject follows: use “there are” or “there were”.",
    ),
    _Rule(
        "modal-not-of",
        re.compile(r"\b(?:could|should|would|must|might|may)(?:n['’]t|\s+not)\s+(?P<flag>of)\b", _I),
        lambda m: ("have",),
        "Use “have”, not “of”, after a modal verb.",
    ),
    _Rule(
        "your-going",
        re.compile(
            r"\b(?P<flag>your|their)\s+(?:going|gonna)\s+to\b"
            r"|(?:^|(?<=[.!?]\s))(?P<welcome>Your)\s+welcome"
            r"(?=\s*(?:[.!,]|$)|\s+to\s+(?!(?:the|a|an|my|our|your|this|that|all)\b)\w)",
            _I,
        ),
        lambda m: _youre(m.group("flag") or m.group("welcome")),
        "“You're” or “they're” (you are, they are), not a possessive.",
    ),
    _Rule(
        "loose-lose",
        re.compile(
            r"(?:\b(?:to|not|never|will|would|could|can|might|may|should|must|did|do)|n['’]t)\s+(?P<flag>loose)\s+"
            r"(?:my|your|his|her|our|their|its|the|a|an|it|them|this|that|weight|track|sleep|touch|sight|"
            r"hope|money|time|interest|control|face|heart|patience)\b",
            _I,
        ),
        lambda m: ("lose",),
        "“Lose” (fail to keep), not “loose” (not tight).",
    ),
    _Rule(
        "rather-then",
        re.compile(
            r"\b(?:would|['’]d|had)\s+rather\s+(?:(?!and\b|but\b|or\b)\w+\s+){1,3}?(?P<flag>then)(?=\s+\w)",
            _I,
        ),
        lambda m: ("than",),
        "Use “than” after “rather”.",
    ),
    _Rule(
        "double-negative",
        re.compile(r"\b\w+n['’]t\s+\w+\s+(?P<flag>nobody|nothing|nowhere)\b", _I),
        lambda m: (_NEGATIVE_ANY[m.group("flag").lower()],),
        "Double negative: after a negative verb, use “any-”.",
        level=Level.RECOMMENDED,
    ),
    _Rule(
        "forward-to-ing",
        re.compile(rf"\blook(?:s|ed|ing)?\s+forward\s+to\s+(?P<flag>{'|'.join(_FORWARD_TO)})\b", _I),
        lambda m: (_FORWARD_TO[m.group("flag").lower()],),
        "“Look forward to” takes the -ing form.",
    ),
    _Rule(
        "be-agree",
        re.compile(r"\b(?P<flag>(?:am|is|are|was|were)\s+(?:dis)?agree)\b", _I),
        lambda m: (m.group("flag").split()[-1],),
        "“Agree” is a verb: drop “am”, “is” or “are”.",
    ),
    _Rule(
        "less-fewer",
        re.compile(rf"(?<!more or )\b(?P<flag>less)\s+(?:{_COUNT_NOUNS})\b(?!-)", _I),
        lambda m: (capitalise_like("fewer", m.group("flag")),),
        "Count nouns take “fewer”.",
        level=Level.RECOMMENDED,
    ),
    _Rule(
        "irregardless",
        re.compile(r"\b(?P<flag>irregardless)\b", _I),
        lambda m: (capitalise_like("regardless", m.group("flag")),),
        "“Irregardless” is nonstandard: use “regardless”.",
    ),
    _Rule(
        "pronoun-wont-cant",
        re.compile(r"\b(?:I|you|we|they|he|she|it|You|We|They|He|She|It)\s+(?P<flag>wont|cant)\b"),
        lambda m: ({"wont": "won't", "cant": "can't"}[m.group("flag")],),
        "Missing apostrophe in the contraction.",
        category="punctuation",
    ),
    _Rule(
        "space-before-mark",
        re.compile(r"(?<=[^\W\d_]{2})(?P<flag> +)[?!;](?=$|\s+[\"“]?[A-Z])"),
        lambda m: ("",),
        "No space before this punctuation mark.",
        category="punctuation",
    ),
)


def supplementary_findings(text: str) -> list[Finding]:
    """Findings of the rules above in one paragraph (offsets in code points)."""
    findings = []
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            if rule.before_ok is not None and not rule.before_ok(text[max(0, m.start() - 60) : m.start()]):
                continue
            flag = next((g for g in ("flag", "welcome") if g in m.re.groupindex and m.group(g)), None)
            start, end = m.span(flag) if flag else m.span()
            matched = text[start:end]
            suggestions = tuple(s for s in rule.suggest(m) if s != matched)
            findings.append(
                Finding(
                    start=start,
                    end=end,
                    category=rule.category,
                    rule=f"grammar.extra.{rule.name}",
                    message=rule.message,
                    suggestions=suggestions,
                    source="grammar",
                    level=rule.level,
                    matched=matched,
                )
            )
    return findings
