"""Names written in lower case, as young people often write them ("i dag var mads og sofie glade",
"hjem til tigist", "with arash and yuki").

Three readings, each asked for by ``name_verdicts`` on a lower-case token: a listed first name that
is no everyday word (``lowercase_name``); a word no list has, in a place where a person stands
(``unlisted_lowercase_name``); a listed first name that is also a word, where two things say person
(``lowercase_name_word``).
"""

from __future__ import annotations

from stories.privacy.name_context import _KIN, POSSESSIVES
from stories.privacy.name_rules import (
    _VERBS, NameLexicon, Thresholds, _is_initial, _zipf, adjacent, is_common_word, is_function_word, is_name_shaped, is_name_word,
    listed_name, stop_words,
)
from stories.privacy.names import first_name_words, name_list
from stories.privacy.word_list import is_known_compound, is_known_word

def lowercase_name(word: str, lang: str, lex: NameLexicon, th: Thresholds) -> bool:
    """A name written in lower case ("i dag var mads og sofie glade"), as a reader would see it:
    a first name that is not also an everyday word.

    A first name fewer people carry than ``lower_min_count`` (most of them only Faker's lists
    from other countries have: "piotr", "nikola", "jakub") counts when it is no Danish or English
    word at all (spaCy's Danish lemma table and English lemma index: not "vikar", "kaktus", "odd",
    "toy"; ``names.first_name_words``) and no common English one."""
    if len(word) < 3 or not word.isalpha() or not word.islower():
        return False
    title = word.capitalize()
    count = name_list().first.get(title, 0)
    if not count and word.endswith("s") and len(word) >= 4 and not is_known_word(word) \
            and max(_zipf(word, "da"), _zipf(word, "en")) < UNKNOWN_MAX_ZIPF:  # not "this" of "Thi"
        # a possessive: "til karolines fødselsdag"; the base form is judged as the name
        return lowercase_name(word[:-1], lang, lex, th)
    if not count or title in name_list().cue_only:
        return False  # first names only: the surname list is full of words ("smidt", "kok", "bonde")
    if is_name_word(title, lang, lex) or (lang != "da" and is_name_word(title, "da", lex)):
        return False
    if count < th.lower_min_count:
        return word not in first_name_words() and _zipf(word, "en") < th.en_lower_max_zipf
    return lang != "en" or _zipf(word, "en") < th.en_lower_max_zipf  # "said", "else" are words in English


# A lower-case word no list knows ("arash", "tigist") is read as a name only where a person would
# read one: right after a word that takes a person ("med arash", "hjem til tigist", "min ven tesfay",
# "with yuki"), right before a verb a person does ("selin siger", "arash hjalp") or "og jeg" / "and i",
# or beside "og" / "and" next to a name the rules know ("hamza og omid"); and only when it is no
# word at all, in Danish or English: not in spaCy's lemma tables (``word_list``: "kultivator",
# "varebil"), not frequent in wordfreq's lists, not a compound of a frequent Danish word. Typos and slang in these places are rare next to names in young people's text,
# and a wrong flag is shown to a person before anything is replaced.
UNKNOWN_MAX_ZIPF = 3.2  # "yuki" and "minh" are 3.1 in English web text, "kenji" 3.1 in Danish
_PERSON_BEFORE = {
    "da": frozenset("med hos ven veninde vennen veninden venner kammerat kammeraten kæreste kæresten bror "
                    "broren lillebror storebror søster søsteren lillesøster storesøster fætter kusine makker "
                    "kontaktperson kontaktpersonen mentor mentoren pædagog pædagogen lærer læreren træner "
                    "træneren".split()),
    "en": frozenset("with friend mate bestie brother sister cousin mentor teacher coach girlfriend boyfriend".split()),
}
# "til" takes places as often ("rejser til ibiza"): a person only after a verb of speaking or "hjem"
_TO = {"da": ("til", frozenset("hjem over ringede ringer ringe ringet sagde siger sige sagt skrev skriver skrive "
                              "skrevet fortalte fortæller fortalt snakkede snakker snakket talte taler talt "
                              "sms'ede sendte sendt".split())),
       "en": ("to", frozenset("talked talk talking said say says texted text wrote write sent send".split()))}


def spoken_to(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str) -> bool:
    """Token i comes right after a verb of speaking or calling and "til" / "to" ("ringede til Toft",
    "skulle ringe til Rahaf", "talked to Amir"): where a person is spoken to, though a model trained
    on news reads a firm there."""
    key = lang if lang in _TO else "da"
    to, speaking = _TO[key]
    return i >= 2 and tokens[i - 1][2].lower() == to and tokens[i - 2][2].lower() in speaking - {"hjem", "over"} \
        and adjacent(tokens, text, i - 2, i - 1) and adjacent(tokens, text, i - 1, i)
_AND = {"da": "og", "en": "and"}
_SELF = {"da": "jeg", "en": "i"}


def _unknown_word(word: str, lang: str, th: Thresholds) -> bool:
    """A lower-case word that is no word: not in wordfreq's Danish or English lists, nor a compound
    of a Danish word."""
    if len(word) < 4 or not word.isalpha() or not word.islower() or not any(c in "aeiouyæøåéáí" for c in word):
        return False
    if len(word) > 12 or _zipf(word, "da") >= UNKNOWN_MAX_ZIPF or _zipf(word, "en") >= UNKNOWN_MAX_ZIPF \
            or is_known_word(word) or is_known_compound(word):
        return False
    return not is_common_word(word.capitalize(), "da", th) and word not in first_name_words()


def _known_name_at(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, lex: NameLexicon,
                   th: Thresholds) -> bool:
    """Token i is a listed first name, in any case, or an unknown word a cue other than "og" makes a
    name ("with arash and yuki")."""
    if not 0 <= i < len(tokens):
        return False
    word = tokens[i][2]
    if word.islower():
        return lowercase_name(word, lang, lex, th) or unlisted_lowercase_name(
            tokens, text, i, lang, lex, th, coordinated=False)
    return is_name_shaped(word) and listed_name(word, th, first_only=True) and not is_name_word(word, lang, lex)


def unlisted_lowercase_name(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, lex: NameLexicon,
                             th: Thresholds, coordinated: bool = True) -> bool:
    word = tokens[i][2]
    if len(word) < 4 or not word.islower():
        return False
    key = lang if lang in _PERSON_BEFORE else "da"
    before = tokens[i - 1][2].lower() if i > 0 and adjacent(tokens, text, i - 1, i) else None
    after = tokens[i + 1][2].lower() if i + 1 < len(tokens) and adjacent(tokens, text, i, i + 1) else None
    to, speaking = _TO[key]
    cue = (before in _PERSON_BEFORE[key]
           or (before == to and i > 1 and adjacent(tokens, text, i - 2, i - 1) and tokens[i - 2][2].lower() in speaking)
           or (after is not None and (after in _VERBS.get(key, _VERBS["da"]) or after in _MORE_VERBS[key]))
           or (after == _AND[key] and i + 2 < len(tokens) and tokens[i + 2][2].lower() == _SELF[key])
           # "mig og hira bestilte", "me and tolu made"; "danyal fra min klasse"
           or (before == _AND[key] and i > 1 and tokens[i - 2][2].lower() in _TELLER[key])
           or (after in ("fra", "from") and i + 2 < len(tokens) and tokens[i + 2][2].lower() in POSSESSIVES[key])
           # opening a clause: "hlib scannede ikke sin billet", "aviaja fra qaqortoq har lært mig"
           or (after is not None and _clause_opens(tokens, text, i) and (after in ("fra", "from") or _past_verb(after, key)))
           # a possessive before kin, "og" and a person's kin: "nadiias bedstemor", "ujarak og hans fætter"
           or (after in _KIN[key] and word.endswith("s")) or and_kin_after(tokens, text, i, key)
           # told or shown, then who or how: "i told kista she should", "har lovet jasleen at gå"
           or (before in _TOLD[key] and after in _AFTER_TOLD[key])
           # a subordinate clause's subject before "ikke" and a verb: "siger at yehor ikke må spille"
           or (before in _SUBORDINATORS and after in ("ikke", "not") and i + 2 < len(tokens)
               and tokens[i + 2][2].lower() in _VERBS.get(key, _VERBS["da"]) | _MODALS))
    if not cue and not (coordinated and _AND[key] in (before, after)):
        return False  # the cheap part first: most lower-case words stand in no such place
    if not _unknown_word(word, lang, th):
        return False
    if cue:
        return True
    return (after == _AND[key] and _known_name_at(tokens, text, i + 2, lang, lex, th)) or (
        before == _AND[key] and _known_name_at(tokens, text, i - 2, lang, lex, th))


def lowercase_name_word(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str, lex: NameLexicon,
                         th: Thresholds) -> bool:
    """A listed first name that is also a word ("bjørn", "milan"), in lower case, where two things
    say person: a word of kinship or a role right before it ("min kontaktperson bjørn"), "og" with
    a name the rules know and then a verb a person does ("milan og emir kom forbi"), or "og" with
    the teller and then a verb ("mig og ola var", "bo og jeg var ude"; two letters are enough here)."""
    word = tokens[i][2]
    if len(word) < 2 or not word.isalpha() or not word.islower() or not name_list().first.get(word.capitalize()):
        return False
    if is_function_word(word, lang):
        return False
    key = lang if lang in _PERSON_BEFORE else "da"
    before = tokens[i - 1][2].lower() if i > 0 and adjacent(tokens, text, i - 1, i) else None
    verbs = _VERBS.get(key, _VERBS["da"]) | _MORE_VERBS[key]
    n = len(tokens)
    if len(word) >= 3 and before in _PERSON_BEFORE[key] - _LOOSE_BEFORE:
        return True
    if len(word) >= 3 and word.capitalize() in name_list().cue_only and (
            (before in _PERSON_BEFORE[key] and _phrase_ends(tokens, text, i, lang))
            or and_kin_after(tokens, text, i, key)):
        return True  # a name of nam_dict's list, with a person's cue: "med bao", "mert og hans fætter"
    # with the teller, and then a verb: "mig og ola var", "bo og jeg var ude" (at a clause's start:
    # not "en god dag og jeg var glad")
    if before == _AND[key] and i >= 2 and tokens[i - 2][2].lower() in _TELLER[key] and i + 1 < n \
            and adjacent(tokens, text, i - 2, i - 1) and tokens[i + 1][2].lower() in verbs:
        return True
    if i + 3 < n and tokens[i + 1][2].lower() == _AND[key] and tokens[i + 2][2].lower() in _TELLER[key] \
            and tokens[i + 3][2].lower() in verbs and _is_initial(tokens, text, i):
        return True
    if len(word) < 3:
        return False
    if i + 3 < n and tokens[i + 1][2].lower() == _AND[key] and _known_name_at(tokens, text, i + 2, lang, lex, th):
        return tokens[i + 3][2].lower() in verbs
    if i >= 2 and before == _AND[key] and _known_name_at(tokens, text, i - 2, lang, lex, th) and i + 1 < n:
        return tokens[i + 1][2].lower() in verbs
    return False


_TELLER = {"da": frozenset({"jeg", "mig"}), "en": frozenset({"i", "me"})}


def _clause_opens(tokens: list[tuple[int, int, str]], text: str, i: int) -> bool:
    """Token i opens a sentence or a clause after "og" / "and" / "men" / "but" / a comma."""
    return _is_initial(tokens, text, i) or i == 0 or tokens[i - 1][2].lower() in _CLAUSE_JOINERS


_CLAUSE_JOINERS = frozenset({"og", "and", "men", "but", ",", "så", "so"})


def _past_verb(word: str, key: str) -> bool:
    """A verb in the past tense: a Danish word the table knows ending in "-ede" ("scannede", "kastede"),
    an English one in "-ed", or one of the common irregular or "-te" forms ("vandt", "glemte")."""
    if word in _PAST_VERBS[key]:
        return True
    ending = "ede" if key == "da" else "ed"
    return len(word) > len(ending) + 2 and word.endswith(ending) and is_known_word(word)


_PAST_VERBS = {
    # beside ``_VERBS`` and ``_MORE_VERBS`` ("kom", "var", "sagde"), which are cues anywhere
    "da": frozenset("vandt tabte glemte købte spiste kørte sov løb drak stjal sendte brugte så fandt mistede "
                    "slog gav bad sad lå stod sang skød gjorde lo faldt holdt bar turde måtte".split()),
    "en": frozenset("won lost forgot bought ate met drove slept ran drank stole sent saw found beat gave sat "
                    "stood sang did fell held wore".split()),
}


def _phrase_ends(tokens: list[tuple[int, int, str]], text: str, i: int, lang: str) -> bool:
    """Token i ends its phrase: a stop word, punctuation or the end follows ("med bao i morges"),
    not a noun it names ("med chai latte")."""
    if i + 1 >= len(tokens) or not adjacent(tokens, text, i, i + 1):
        return True
    nxt = tokens[i + 1][2].lower()
    return not nxt.isalpha() or nxt in stop_words(lang)


def and_kin_after(tokens: list[tuple[int, int, str]], text: str, i: int, key: str) -> bool:
    """Token i is followed by "og hans fætter", "and her sister": coordinated with a person's kin."""
    return i + 3 < len(tokens) and tokens[i + 1][2].lower() == _AND[key] and \
        tokens[i + 2][2].lower() in POSSESSIVES[key] and tokens[i + 3][2].lower() in _KIN[key] and \
        adjacent(tokens, text, i, i + 1) and adjacent(tokens, text, i + 2, i + 3)
_LOOSE_BEFORE = frozenset({"med", "hos", "with"})  # these take things as often as people


# Verbs in the present tense and slang of young people's stories, beside ``_VERBS``; "fylder" as in
# "eylül fylder 16"
_MORE_VERBS = {
    "da": frozenset("hjalp siger sagde skrev skriver ringede ringer spurgte viste lærte lærer gav giver "
                    "inviterede inviterer fylder fyldte slår".split()),
    "en": frozenset("helped says said texted texts asked showed taught gave invited".split()),
}
_TOLD = {"da": frozenset("lovet lovede spurgt spurgte fortalt fortalte viste vist".split()),
         "en": frozenset("told tell tells asked ask promised showed show taught".split())}
_AFTER_TOLD = {"da": frozenset("at om hvordan hvor hvad hvornår".split()),
               "en": frozenset("she he they that to how what where when about".split())}
_SUBORDINATORS = frozenset("at om fordi hvis når selvom that if because when".split())
_MODALS = frozenset("må måtte gider tør plejer skal kan vil".split())
