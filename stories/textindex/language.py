"""The per-language resources of the text index, loaded once per process and never downloaded.

spaCy's blank Danish or English pipeline with a sentencizer, the lookup lemma tables shipped
in spacy-lookups-data with our corrections (`lemma_overrides.json`), and spaCy's stop words.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import spacy

SUPPORTED = ("da", "en")
OVERRIDES_FILE = Path(__file__).resolve().parent / "lemma_overrides.json"


def lang_key(lang: str) -> str:
    return lang if lang in SUPPORTED else "da"


@functools.lru_cache(maxsize=None)
def load_lemma_table(lang: str) -> Mapping[str, str]:
    """The lookup lemma table shipped in spacy-lookups-data (never downloaded): word form ->
    lemma, a plain dict read straight from the package's file. (spaCy's `load_lookups` makes
    a `Table`, which hashes each of the 550,000 Danish forms in Python on the way in: 1.4 s of
    CPU against 0.35 s, paid by every process that imports a file; the lemmas are the same.)"""
    from spacy.util import load_language_data, registry

    from stories.heap import freeze_loaded

    table = load_language_data(registry.lookups.get(lang)["lemma_lookup"])
    freeze_loaded()
    return table


@functools.lru_cache(maxsize=None)
def lemma_overrides(lang: str) -> dict[str, str]:
    """Our corrections to the lookup table for frequent words ("godt" -> "god", not "godte")."""
    return json.loads(OVERRIDES_FILE.read_text(encoding="utf-8")).get(lang, {})


@functools.lru_cache(maxsize=None)
def load_pipeline(lang: str) -> "spacy.language.Language":
    """spacy.blank(lang) with a rule-based sentencizer: loaded once per process (spaCy itself is
    imported only then: pages that only read the stored index never pay for it).

    Its vocabulary computes only the lexical attributes the text index reads (`LEX_ATTRS`):
    spaCy computes every one of its 23 (shape, prefix, suffix, like_num, ...) for each word it
    has not seen before, a quarter of the tokenizer's time on a first pass over new text (an
    import in a fresh process: 0.33 -> 0.25 ms a story). The tokens are the same."""
    import spacy
    from spacy.attrs import NAMES

    from stories.heap import freeze_loaded

    nlp = spacy.blank(lang_key(lang))
    nlp.add_pipe("sentencizer")
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: get for attr, get in getters.items() if NAMES[attr] in LEX_ATTRS}
    freeze_loaded()
    return nlp


# What the text index reads of a word (`batch.Forms.texts`; the sentencizer's rule needs IS_PUNCT).
LEX_ATTRS = frozenset({"LOWER", "IS_ALPHA", "IS_PUNCT", "IS_SPACE"})


def lemmatise(word: str, lang: str) -> str:
    """The lemma of one word: lower-cased, our overrides first, then the lookup table."""
    lower = word.lower()
    key = lang_key(lang)
    return lemma_overrides(key).get(lower) or load_lemma_table(key).get(lower, lower)


def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for the language (word forms)."""
    return frozenset(load_pipeline(lang).Defaults.stop_words)


@functools.lru_cache(maxsize=None)
def spacy_stop_words(lang: str) -> frozenset[str]:
    """The same stop words as `stop_words`, read from spaCy's own list (`spacy/lang/<lang>/stop_words.py`)
    without importing spaCy: the themes page needs only the list, and importing spaCy takes
    about two seconds of a cold page."""
    spec = importlib.util.find_spec("spacy")  # a top-level name: found, not imported
    path = Path(spec.origin).parent / "lang" / lang_key(lang) / "stop_words.py"
    loader_spec = importlib.util.spec_from_file_location(f"_spacy_stop_words_{lang_key(lang)}", path)
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


_STOP_JSON: dict[tuple[str, int], str] = {}


def stop_lemmas_json(lang: str) -> str:
    """spaCy's stop words and their lemmas, as a JSON list.

    Stored with the index (nlp_state 'stop_lemmas:<lang>'), so views know the stop lemmas
    without loading the 550,000-entry lemma table.
    """
    key = (lang, id(load_lemma_table(lang)))
    if key not in _STOP_JSON:
        words = stop_words(lang)
        _STOP_JSON[key] = json.dumps(sorted(words | {lemmatise(w, lang) for w in words}), ensure_ascii=False)
    return _STOP_JSON[key]
