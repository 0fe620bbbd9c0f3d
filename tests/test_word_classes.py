"""word_classes: the cached table answers as lemminflect does, and later loads skip lemminflect."""

from __future__ import annotations

import os
import subprocess
import sys

import lemminflect
import pytest
from lemminflect.core.Lemmatizer import Lemmatizer

from companion.core import sentence_checks, style, word_classes


@pytest.fixture(scope="module")
def table() -> dict[str, int]:
    return word_classes.table()


def _lemminflect_participle(word: str) -> bool:
    known = lemminflect.getAllLemmas(word)
    return any(word in (lemminflect.getInflection(lemma, "VBN") or ()) for lemma in known.get("VERB", ()))


def test_every_lower_case_word_has_lemminflects_parts_of_speech(table) -> None:
    words = [w for w in Lemmatizer()._getLemmaDict() if w == w.lower()]
    assert len(words) > 50_000
    wrong = []
    for word in words:
        lemmas = lemminflect.getAllLemmas(word)
        bits = word_classes.classes(word)
        expected = {upos for upos in lemmas if upos in word_classes._BITS}
        got = {upos for upos, bit in word_classes._BITS.items() if bits & bit}
        if got != expected:
            wrong.append(word)
    assert not wrong[:10]


def test_participles_agree_with_lemminflect(table) -> None:
    ed = [w for w in table if w.endswith("ed")]
    assert len(ed) > 5000
    wrong = [w for w in ed if bool(table[w] & word_classes.PARTICIPLE) != _lemminflect_participle(w)]
    assert wrong[:10] == []
    assert word_classes.classes("Walked") & word_classes.PARTICIPLE
    assert not word_classes.classes("need") & word_classes.PARTICIPLE  # a verb, not a participle


def test_unknown_words_are_zero_and_the_checks_fall_back_as_before(table) -> None:
    assert word_classes.classes("blorfed") == 0
    assert style.is_past_participle("containerized")  # unknown and long: taken as a verb
    assert not style.is_past_participle("qxed")  # unknown and short
    assert style.is_adverb("flibly")  # unknown -ly words are adverbs
    assert not style.is_adverb("friendly") or "ADV" in lemminflect.getAllLemmas("friendly")
    assert sentence_checks._can_be_verb("Running")
    assert not sentence_checks._can_be_verb("table") or "VERB" in lemminflect.getAllLemmas("table")


def test_a_later_process_loads_the_table_without_parsing_lemminflect(tmp_path) -> None:
    env = {**os.environ, "HUMANIZE_CACHE_DIR": str(tmp_path)}
    code = (
        "import sys\n"
        "from companion.core import word_classes\n"
        "n = len(word_classes.table())\n"
        "loaded = 'lemminflect.core.Lemmatizer' in sys.modules\n"
        "print(n, loaded)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    n1, built = first.stdout.split()
    n2, parsed = second.stdout.split()
    assert n1 == n2 and int(n1) > 50_000
    assert built == "True" and parsed == "False"
    assert list(tmp_path.glob("word-classes-*.marshal"))
