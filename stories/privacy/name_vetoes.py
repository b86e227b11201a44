"""Capitalised words that are surely not people's names, whatever the model and the stage say.

News text (the training data) hardly holds the words young people's stories are full of: games
and apps ("spillede Valorant", "plays Roblox", "TikTok"). Two shapes give them away:

* the word right after a verb of playing or streaming ("spiller", "spillede", "plays", "watched"),
  as its object: unless it is a name many people in Denmark carry or the lexicon knows as a name,
  and in Danish only when the subject stands before the verb ("Han spillede Valorant", "Drengene
  spillede ..."); after an opening adverbial the subject follows the verb ("Efter skole spillede
  Dawit og Rayan Yatzy") and is left alone. Verbs of seeing are left out: people are seen too;
* a word written in camelCase ("TikTok", "YouTube", "PlayStation"), unless it begins like a
  surname does ("McDonald", "MacArthur", "DeLuca", "O'Brien").

A vetoed word takes the capitalised words right after it along ("Mario Kart", "Rocket League"),
and after a verb the next item of a list too ("played Minecraft and Ludo"), unless a known name.
"""

from __future__ import annotations

import re

from stories.privacy.name_rules import NameLexicon, adjacent, name_forms, lexicon_verdict
from stories.privacy.names import FOREIGN_COUNT, name_list

_PLAY_VERBS = {
    "da": frozenset("spiller spillede spille spillet streamer streamede".split()),
    "en": frozenset("play plays played playing watch watches watched watching stream streamed streaming".split()),
}
_DA_SUBJECTS = frozenset("jeg du han hun vi de man den det".split())
# Surname beginnings written with a capital inside the word
_INNER_CAP_PREFIX_RE = re.compile(r"^(?:Mc|Mac|De|Di|Da|Van|Von|La|Le|Du|O['’])[A-ZÆØÅ]")


def is_camel_case(word: str) -> bool:
    """"TikTok", "YouTube": a capital inside a word that is neither all capitals nor hyphenated."""
    return (len(word) > 2 and word[:1].isupper() and not word.isupper() and "-" not in word
            and any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)
            and not _INNER_CAP_PREFIX_RE.match(word))


def _known_name(word: str, lex: NameLexicon) -> bool:
    """A name carried by more people than a name only Faker's lists have, or one the lexicon knows."""
    names = name_list()
    return any(names.count(f) > FOREIGN_COUNT for f in name_forms(word)) or lexicon_verdict(word, lex) is True


def _subject_before(tokens: list[tuple[int, int, str]], text: str, verb: int) -> bool:
    """Danish word order: the subject stands before the verb (a pronoun, a capitalised word, the
    sentence's first word), so the word after the verb is its object. After an opening adverbial
    ("I går spillede ...", "Efter skole spillede ...") the subject follows the verb."""
    if verb == 0:
        return False  # a question or command: "Spiller Mads med?"
    prev = tokens[verb - 1][2]
    if prev.lower() in _DA_SUBJECTS or (prev[:1].isupper() and adjacent(tokens, text, verb - 1, verb)):
        return not (verb - 1 == 0 and prev.lower() in ("i", "så", "nu", "da", "her", "der"))
    return verb - 1 == 0 or not adjacent(tokens, text, verb - 2, verb - 1)


def vetoed(tokens: list[tuple[int, int, str]], text: str, lex: NameLexicon, lang: str = "da") -> list[bool]:
    """Per token: surely not (part of) a person's name."""
    verbs = _PLAY_VERBS.get(lang, _PLAY_VERBS["da"])
    out = [False] * len(tokens)
    for i, (_, _, word) in enumerate(tokens):
        if not word[:1].isupper():
            continue
        after_verb = i > 0 and tokens[i - 1][2].lower() in verbs and adjacent(tokens, text, i - 1, i) and (
            lang == "en" or _subject_before(tokens, text, i - 1))
        if (after_verb and not _known_name(word, lex)) or is_camel_case(word):
            out[i] = True
            j = _veto_run(tokens, text, out, i)
            if after_verb and j + 1 < len(tokens) and tokens[j][2].lower() in _AND \
                    and tokens[j + 1][2][:1].isupper() and not _known_name(tokens[j + 1][2], lex):
                out[j + 1] = True
                _veto_run(tokens, text, out, j + 1)
    return out


_AND = frozenset({"og", "and", "eller", "or", ","})


def _veto_run(tokens: list[tuple[int, int, str]], text: str, out: list[bool], i: int) -> int:
    """Veto the capitalised words right after token i; the index after the run."""
    j = i + 1
    while j < len(tokens) and tokens[j][2][:1].isupper() and adjacent(tokens, text, j - 1, j):
        out[j] = True
        j += 1
    return j
