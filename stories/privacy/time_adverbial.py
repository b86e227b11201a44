"""A capitalised word inside an opening adverbial of time, in Danish word order: "Til Puthandu
lavede Janani ...", "Under Filseta fastede Rigbe ...", "Aftenen før Karthigai Deepam tændte vi ...".

Danish puts the finite verb second: after an opening adverbial comes the verb, then its subject.
When a sentence opens on a preposition of time, capitalised words, a verb and then a subject (a
pronoun or a capitalised word), the capitalised words are the feast or the time, not a person; a
feast's name no list has ("Jóansøka", "Chongyang") is vetoed so. Not after "til" and a verb of
speaking ("Til Amal sagde hun ..."), and not where the verb is followed by a comma or a word that
is no subject ("Efter Ahmed kom, gik vi": "efter" is a conjunction there).
"""

from __future__ import annotations

from stories.privacy.name_context import _KIN
from stories.privacy.name_lowercase import _MORE_VERBS, _TO, _past_verb
from stories.privacy.name_rules import _VERBS, _is_initial, adjacent
from stories.privacy.word_list import is_known_word

# Prepositions of time that open a sentence, and the words for a time "before" one
_OPENING = frozenset("til under siden efter før på ved".split())
_TIME_BEFORE = frozenset("aftenen dagen ugen natten morgenen weekenden".split())
_SUBJECTS = frozenset("jeg du han hun vi de man hele alle".split())
MAX_WORDS = 4


def _opens_on_time(tokens: list[tuple[int, int, str]], text: str, i: int) -> str | None:
    """The preposition of time right before token i, when it opens the sentence ("Til", "Op til",
    "Aftenen før"), or None."""
    if i == 0 or not adjacent(tokens, text, i - 1, i):
        return None
    prep = tokens[i - 1][2].lower()
    if prep not in _OPENING:
        return None
    if _is_initial(tokens, text, i - 1):
        return prep
    if i >= 2 and adjacent(tokens, text, i - 2, i - 1) and _is_initial(tokens, text, i - 2) and (
            (prep == "til" and tokens[i - 2][2].lower() == "op")
            or (prep == "før" and tokens[i - 2][2].lower() in _TIME_BEFORE)):
        return prep
    return None


def _finite_verb(word: str) -> bool:
    w = word.lower()
    return w in _VERBS["da"] or w in _MORE_VERBS["da"] or _past_verb(w, "da") or (
        len(w) > 4 and w.endswith("te") and is_known_word(w)) or (
        len(w) > 4 and w.endswith("ede") and is_known_word(w[:-2]))  # "øvede": "øve"


def time_adverbial(tokens: list[tuple[int, int, str]], text: str, lang: str, i: int) -> int:
    """The number of capitalised words from token i that name the time of an opening adverbial
    (see the module's docstring), or 0."""
    if lang != "da" or not tokens[i][2][:1].isupper():
        return 0
    prep = _opens_on_time(tokens, text, i)
    if prep is None:
        return 0
    j = i + 1
    while j < len(tokens) and j - i < MAX_WORDS and tokens[j][2][:1].isupper() and adjacent(tokens, text, j - 1, j):
        j += 1
    if j + 1 >= len(tokens) or not adjacent(tokens, text, j - 1, j) or not adjacent(tokens, text, j, j + 1):
        return 0
    verb, subject = tokens[j][2], tokens[j + 1][2]
    if not _finite_verb(verb) or (prep == "til" and verb.lower() in _TO["da"][1]):
        return 0
    if subject.lower() in _SUBJECTS or subject.lower() in _KIN["da"] or (subject[:1].isupper() and subject.isalpha()):
        return j - i
    return 0
