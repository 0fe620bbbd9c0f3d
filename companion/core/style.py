"""Passive voice, weakening -ly adverbs and weasel words, from regular expressions and word lists.

- Passive: a form of "to be" (``'s`` is left out: it is usually "has" or "is" + noun), up to
  two adverbs, then a past participle: a listed irregular one, or an ``-ed`` word that
  lemminflect knows as the past participle of a verb (an ``-ed`` word lemminflect does not
  know at all counts too, for new verbs like "containerized"). Common adjectival
  participles ("is interested", "was tired") and "used to" / "supposed to" are left alone.
- Adverbs: ``-ly`` words, minus non-adverbs ("family", "friendly"), time and frequency
  words ("recently", "daily") and the fillers, hedges and transitions the phrase library
  already flags ("really", "actually", "probably", "additionally"); pass ``skip_adverbs``
  to skip more. Capitalised words count only at the start of a sentence (so "Kelly" and
  "Italy" pass). The one suggestion, ``""``, deletes the word; there is none when deleting
  would leave a stray comma or hyphen.
- Weasel words: "many people say", "experts agree", "studies show", "it is said"...; left
  alone when the sentence cites something ("[3]", "(Smith, 2020)", "et al.", a URL) or the
  subject is specific ("our studies show", "these experts agree").
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterable
from functools import lru_cache

from companion.core import word_classes
from companion.core.analyzer import Chunk
from companion.core.findings import AnalyzerStatus, Finding, Level
from companion.core.segment import SENTENCE_END, at_sentence_start

log = logging.getLogger(__name__)


_APOS = "['’]"


def _wordset(words: str) -> frozenset[str]:
    """The white-space separated words of ``words``."""
    return frozenset(words.split())


# --- passive voice -------------------------------------------------------------------------

_BE = rf"(?:am|is|are|was|were|be|been|being|(?:is|are|was|were)n{_APOS}t)"
_ADVERB_WORDS = (
    "not|never|also|always|often|already|still|just|then|now|indeed|further|well|once|"
    "sometimes|thus|therefore|hence|soon|even|ever|seldom|all|both|each|either|neither|"
    "too|yet|first|later|since|long|much|rather|quite|almost"
)
_ADVERB = rf"(?:{_ADVERB_WORDS}|[^\W\d_]+ly)"
_PASSIVE = re.compile(
    rf"(?<![\w'’-]){_BE}(?![\w'’-])(?=((?:\s+{_ADVERB}(?![\w'’-])){{0,2}})\s+([^\W\d_]+)(?![\w'’-]))",
    re.IGNORECASE,
)

#: Irregular past participles (a backup for lemminflect, and the whole list without it).
IRREGULAR_PARTICIPLES = _wordset(
    """arisen awoken beaten begun bent bid bidden bitten bled blown borne bought bound bred
    broken brought built burnt burst cast caught chosen clung crept cut dealt dived done
    drawn dreamt driven dug eaten fallen fed felt fled flown flung forbidden forecast
    foreseen forgiven forgotten forsaken found fought frozen given gotten ground grown heard
    held hewn hidden hit hung hurt kept knelt knit known laid lain leant learnt led left lent
    let lit lost made meant met misled mislaid mistaken misunderstood mown outdone outgrown
    overcome overdone overheard overlooked overpaid overridden overrun overseen overtaken
    overthrown paid proven put quit read rebuilt redone remade repaid rethought retold
    rewritten rid ridden risen run rung said sawn seen sent set sewn shaken shaven shed shod
    shorn shot shown shrunk shut slain slid slung slit smelt sold sought sown spat sped spelt
    spent spilt spoilt spoken spread sprung spun stolen struck strewn striven strung stuck
    stung stunk sunk sung swept sworn swollen swung taken taught thought thrown thrust told
    torn trodden undergone understood undertaken undone unwound upheld wed wept withdrawn
    withheld withstood woken won worn woven wound written wrung"""
)

#: Participles that after "to be" usually describe a state rather than an action.
ADJECTIVAL_PARTICIPLES = _wordset(
    """accustomed acquainted advanced alarmed amazed amused annoyed appalled ashamed
    astonished bored born complicated concerned confused convinced crowded dedicated
    delighted depressed determined devastated disappointed disgusted divorced done drunk
    educated embarrassed engaged entitled excited exhausted experienced fascinated
    frightened frustrated gone horrified impressed inclined interested involved located
    married obsessed overjoyed overwhelmed pleased prepared puzzled qualified related relaxed
    relieved retired satisfied scared shocked skilled sophisticated stressed supposed
    surprised talented terrified thrilled tired troubled unconcerned unmarried upset used
    worried"""
)

#: Participles that are idioms before "to" ("used to", "supposed to", "set to").
_BEFORE_TO = frozenset({"used", "supposed", "set", "bound", "meant", "going"})
_FOLLOWED_BY_TO = re.compile(r"\s+to\b", re.IGNORECASE)


@lru_cache(maxsize=16384)
def is_adverb(word: str) -> bool:
    """Whether an ``-ly`` word can be an adverb: lemminflect knows it as one, or not at all."""
    if not word_classes.available():
        return True
    known = word_classes.classes(word)
    return not known or bool(known & word_classes.ADV)


@lru_cache(maxsize=16384)
def is_past_participle(word: str) -> bool:
    """Whether ``word`` can be a past participle (irregular list, then lemminflect)."""
    w = word.lower()
    if w in IRREGULAR_PARTICIPLES:
        return True
    if len(w) < 4 or not w.endswith("ed"):
        return False
    if not word_classes.available():
        return w[-3] not in "aeiou" or w[-4:-2] in ("ie", "ue", "ee", "oe")
    known = word_classes.classes(w)
    if not known:
        return len(w) >= 6  # a verb lemminflect does not know ("containerized")
    return bool(known & word_classes.PARTICIPLE)


# --- adverbs -------------------------------------------------------------------------------

_LY = re.compile(r"(?<![\w'’-])[^\W\d_]{2,}ly(?![\w'’-])")

#: -ly words that are not adverbs, or not adverbs worth cutting.
NOT_ADVERBS = _wordset(
    """ally anomaly apply assembly belly bodily bully burly butterfly chilly comely comply
    costly cowardly cuddly curly daily dally deadly disorderly doily dolly dragonfly dully
    earthly elderly emily family firefly folly friendly ghastly gnarly godly golly gully
    heavenly hilly holly holy homely homily hourly imply italy jelly jolly july kelly kindly
    lily lively lonely lovely lowly manly melancholy molly monopoly monthly motherly
    multiply nightly oily orderly polly princely quarterly rally rely reply saintly
    scholarly sicily sickly silly sisterly smelly sparkly stately supply surly tally timely
    ugly underbelly ungodly unholy unlikely untimely unruly weekly wily wobbly womanly
    woolly worldly wrinkly yearly brotherly fatherly beastly measly prickly bubbly crinkly
    likely early gadfly"""
)

#: Time, frequency, focus and quantity adverbs: they add facts, not weak emphasis.
FACTUAL_ADVERBS = _wordset(
    """recently currently previously formerly lately initially originally eventually
    finally shortly immediately usually normally frequently rarely occasionally regularly
    routinely annually nearly approximately roughly partly mostly largely mainly merely
    solely respectively accordingly namely exactly directly newly early firstly secondly
    thirdly lastly simultaneously subsequently consequently publicly privately locally
    globally internationally nationally legally officially jointly separately
    individually collectively manually automatically digitally physically mentally
    financially politically socially economically historically technically
    traditionally scientifically statistically alphabetically chronologically only
    hardly barely scarcely necessarily"""
)

#: -ly fillers, hedges and transitions the phrase library flags (not duplicated here).
LIBRARY_ADVERBS = _wordset(
    """really actually basically literally truly simply totally definitely certainly
    absolutely extremely incredibly essentially genuinely honestly seriously practically
    virtually fundamentally completely entirely utterly highly particularly especially
    probably possibly arguably potentially presumably seemingly apparently relatively
    fairly typically generally additionally ultimately importantly notably interestingly
    similarly conversely alternatively undoubtedly admittedly frankly clearly obviously
    surely hopefully unfortunately fortunately ideally specifically increasingly
    significantly effectively seamlessly undeniably inherently"""
)

_ADVERB_MESSAGE = "Adverb: a stronger verb usually reads better."
# An adverb after a colon or semicolon opens its clause like a sentence's first word.
_CLAUSE_START = SENTENCE_END + ":;"

# --- weasel words --------------------------------------------------------------------------

_WS = r"\s+"
_SAY = r"(?:say|says|said|believe|believes|think|thinks|feel|claim|claims|argue|argues|agree)"
_SHOW = (
    r"(?:show|shows|showed|suggest|suggests|suggested|indicate|indicates|prove|proves|"
    r"confirm|confirms|found|find|finds|reveal|reveals|"
    r"(?:has|have)\s+(?:shown|found|proven|proved|suggested|demonstrated|revealed|confirmed))"
)
_WEASELS: tuple[tuple[str, str, str], ...] = (
    (
        "people-say",
        rf"\b(?:(?:many|most|some|a\s+lot\s+of|lots\s+of){_WS})?people{_WS}(?:often{_WS}|generally{_WS})?{_SAY}\b",
        "Weasel words: which people? Name them, or say it in your own voice.",
    ),
    (
        "experts",
        r"\b(?:many\s+|most\s+|some\s+|leading\s+)?(?:experts|scientists|researchers|scholars|"
        rf"analysts|critics|observers|economists|doctors|historians){_WS}(?:widely{_WS}|generally{_WS})?"
        r"(?:agree|say|believe|claim|suggest|argue|warn|think|recommend)\b",
        "Weasel words: which experts? Name them or cite their work.",
    ),
    (
        "studies",
        rf"\b(?:(?:recent|many|several|numerous|some|most|new)\s+)?(?:studies|research|evidence){_WS}{_SHOW}\b",
        "Weasel words: which studies? Name the source or cite it.",
    ),
    (
        "it-is-said",
        rf"\bit{_WS}(?:is|has{_WS}been|was){_WS}(?:often{_WS}|widely{_WS}|commonly{_WS}|generally{_WS}"
        rf"|well{_WS}|now{_WS})?(?:said|believed|thought|claimed|known|accepted|agreed|argued|"
        r"suggested|recognized|recognised|acknowledged|reported)\b"
        r"(?!\s+(?:for|as)\b)(?!\s+by\s+(?:the\s+)?(?-i:[A-Z]))",
        "Weasel words: said by whom? Name the source, or own the claim.",
    ),
    (
        "some-say",
        rf"\bsome{_WS}(?:would{_WS}|might{_WS}|may{_WS}|could{_WS})?(?:say|argue|claim|believe|suggest)\b",
        "Weasel words: who says so? Name them, or say it in your own voice.",
    ),
    (
        "everyone-knows",
        rf"\b(?:everyone|everybody){_WS}(?:knows|agrees)\b|\bit\s+is\s+common\s+knowledge\b",
        "Weasel words: does everyone? Give the evidence instead.",
    ),
)
_WEASEL = re.compile(
    "|".join(f"(?P<w{i}>{pattern})" for i, (_, pattern, _) in enumerate(_WEASELS)), re.IGNORECASE
)
#: A determiner or number before the subject makes it specific ("our studies show").
_SPECIFIC_BEFORE = re.compile(
    r"(?:\b(?:the|this|these|those|our|my|your|their|his|her|its|such|both|two|three|four|five|"
    r"several\s+of\s+the|which|whose|\d+))\s+$",
    re.IGNORECASE,
)
_NOUN_SAY = re.compile(r"\s+(?:in|over)\b", re.IGNORECASE)
_CITATION = re.compile(
    r"\[\d+(?:\s*[,–-]\s*\d+)*\]|\[\^|\(\s*[^()]*\b(?:1[89]|20)\d\d[a-z]?\s*\)|\bet\s+al\b|"
    r"https?://|\bdoi\b|\b[Aa]ccording\s+to\s+(?:the\s+)?[A-Z]",
)


class StyleAnalyzer:
    """Flags passive voice, weakening -ly adverbs and weasel words."""

    name = "style"

    def __init__(self, skip_adverbs: Iterable[str] = ()) -> None:
        self._skip = NOT_ADVERBS | FACTUAL_ADVERBS | LIBRARY_ADVERBS | {w.lower() for w in skip_adverbs}

    def status(self) -> AnalyzerStatus:
        mode = "lemminflect" if importlib.util.find_spec("lemminflect") is not None else "word lists"
        return AnalyzerStatus(True, "", mode)

    def warm_up(self) -> None:
        """Load the word-class table now (a few hundredths of a second) rather than on first use."""
        is_past_participle("warmed")

    def analyze(self, chunk: Chunk) -> list[Finding]:
        text = chunk.text
        weasels = self._weasels(chunk)
        findings = weasels + self._passives(text, weasels) + self._adverbs(text, weasels)
        findings.sort(key=lambda f: (f.start, f.end, f.rule))
        return findings

    def _passives(self, text: str, weasels: list[Finding]) -> list[Finding]:
        out: list[Finding] = []
        for m in _PASSIVE.finditer(text):
            word = m.group(2)
            lw = word.lower()
            if lw in ADJECTIVAL_PARTICIPLES or not is_past_participle(lw):
                continue
            end = m.end(2)
            if lw in _BEFORE_TO and _FOLLOWED_BY_TO.match(text, end):
                continue
            start = m.start()
            if _inside(start, end, weasels):
                continue
            out.append(
                Finding(
                    start=start,
                    end=end,
                    category="passive",
                    rule="style.passive",
                    message="May be passive: say who does it.",
                    source="style",
                    level=Level.PICKY,
                    matched=text[start:end],
                )
            )
        return out

    def _adverbs(self, text: str, weasels: list[Finding]) -> list[Finding]:
        out: list[Finding] = []
        for m in _LY.finditer(text):
            word = m.group()
            if word.lower() in self._skip or not is_adverb(word):
                continue
            start, end = m.span()
            if _inside(start, end, weasels):
                continue
            initial = at_sentence_start(text, start, _CLAUSE_START)
            if word[0].isupper() and not initial:
                continue  # a name: Kelly, Italy
            after = text[end : end + 1]
            deletable = not initial and after not in (",", "-")
            out.append(
                Finding(
                    start=start,
                    end=end,
                    category="adverb",
                    rule="style.adverb",
                    message=_ADVERB_MESSAGE,
                    suggestions=("",) if deletable else (),
                    source="style",
                    level=Level.PICKY,
                    matched=word,
                )
            )
        return out

    def _weasels(self, chunk: Chunk) -> list[Finding]:
        text = chunk.text
        out: list[Finding] = []
        for m in _WEASEL.finditer(text):
            start, end = m.span()
            while start < end and text[start].isspace():
                start += 1
            if _SPECIFIC_BEFORE.search(text, max(0, start - 40), start):
                continue
            if _CITATION.search(_sentence_around(chunk, start, end)):
                continue
            index = int((m.lastgroup or "w0")[1:])
            rule, _, message = _WEASELS[index]
            if rule == "some-say" and _NOUN_SAY.match(text, end):
                continue  # "some say in the matter"
            out.append(
                Finding(
                    start=start,
                    end=end,
                    category="weasel",
                    rule=f"style.weasel-{rule}",
                    message=message,
                    source="style",
                    level=Level.RECOMMENDED,
                    matched=text[start:end],
                )
            )
        return out


def _inside(start: int, end: int, findings: list[Finding]) -> bool:
    """Whether ``[start, end)`` lies inside one of ``findings`` (the weasel phrases)."""
    return any(f.start <= start and end <= f.end for f in findings)


def _sentence_around(chunk: Chunk, start: int, end: int) -> str:
    """The text of the sentence(s) of ``chunk`` overlapping ``[start, end)``."""
    spans = [s for s in chunk.sentences if s.start < end and start < s.end]
    if not spans:
        return chunk.text
    return chunk.text[spans[0].start : spans[-1].end]
