"""A big import stores the same stories, full-text rows and NLP index as saving them one by one.

The bulk path (`stories.bulk_insert`: one full-text insert per write, versions bumped once,
lemma ids looked up once per import) must be indistinguishable from the per-story path.
"""

import json

import numpy as np
import pytest

import stories.bulk_create
from changestories.database import connect
from stories.model import Consent, Story
from stories.search import query_stories
from stories.bulk_create import create_stories
from stories.storage import create_story, stories_version
from stories.visibility import StoryFilter

TEXTS = [
    ("Vi lavede mad i køkkenet. Huset var fuldt!", "da", "Mad", "Det betyder noget."),
    ("Vennerne skabte noget sammen med de unge. Ikke glad? Jo!", "da", "", ""),
    ("ÆBLER og æbler, Øl og øl... »Nej.« Så gik hun.", "da", "Æbler", "Fordi."),
    ("We made friends. The houses went quiet!", "en", "Friends", "It matters."),
    ("Mr. Smith kom kl. 14.30. Det var sent 😀 🎉", "da", "Sent", ""),
    ("...", "da", "", ""),
    ("x\n\ny. z\tw!!", "da", "Tegn", "Tegn."),
    ("Hun gik. Han gik. Huset, husene og venner.", "da", "Gik", "Gik igen."),
    ("Relationer skabte noget. We went home.", "en", "", ""),
]
SEARCHES = ["huset", "æbler", "Æbler", "friends", "gik", "sent", "tegn", "betyder", "relationer", "øl"]


def make(text: str, lang: str, title: str, significance: str, n: int) -> Story:
    return Story(text=f"{text} Nummer {n}.", language=lang, title=title, significance=significance,
                 consent=Consent(internal=True))


def corpus(copies: int = 3) -> list[Story]:
    return [make(*t, n=i * len(TEXTS) + k) for i in range(copies) for k, t in enumerate(TEXTS)]


def snapshot(db) -> dict:
    """Everything the two paths write, by story text (seqs and lemma ids may be numbered differently)."""
    lemma = dict(db.execute("SELECT id, lemma FROM lemmas").fetchall())
    by_seq = {seq: text for seq, text in db.execute("SELECT seq, text FROM stories")}
    columns = [c for c in db["stories"].columns_dict if c not in ("seq", "id", "created_at", "updated_at", "reviewed_at", "import_key")]
    stories_rows = sorted(tuple(r) for r in db.execute(f"SELECT {','.join(columns)} FROM stories"))
    sentences = sorted((by_seq[s], i, a, b) for s, i, a, b in db.execute("SELECT story_seq, idx, start, end FROM sentences"))
    nlp = {}
    for seq, lang, words, known, sentiment, scored, ids, counts in db.execute("SELECT * FROM story_nlp"):
        pairs = sorted(zip((lemma[i] for i in np.frombuffer(ids, "<i4").tolist()), np.frombuffer(counts, "<i4").tolist()))
        nlp[by_seq[seq]] = (lang, words, known, sentiment, scored, pairs)
    lemma_json = {by_seq[seq]: sorted((lemma[int(k)], v) for k, v in json.loads(text).items())
                  for seq, text in db.execute("SELECT story_seq, lemmas FROM story_lemma_json")}
    fts = sorted((by_seq[r], t, x, s) for r, t, x, s in db.execute("SELECT rowid, title, text, significance FROM stories_fts"))
    found = {q: sorted(s.text for s in query_stories(db, StoryFilter(search=q))) for q in SEARCHES}
    db.execute("INSERT INTO stories_fts(stories_fts) VALUES ('integrity-check')")  # raises if the index is off
    return {"stories": stories_rows, "sentences": sentences, "nlp": nlp, "lemma_json": lemma_json, "fts": fts,
            "found": found, "stored_lemmas": sorted(lemma.values()),
            "bulk_ranges": db.execute("SELECT count(*) FROM stories_bulk_write").fetchone()[0]}


@pytest.mark.parametrize("chunk", [4, 100])  # staged over several writes, and one write
def test_a_bulk_import_stores_what_saving_one_by_one_stores(tmp_path, chunk):
    one_by_one = connect(tmp_path / "one.db")
    for story in corpus():
        create_story(one_by_one, story, require_significance=False)
    bulk = connect(tmp_path / "bulk.db")
    before = stories_version(bulk)
    added = create_stories(bulk, [(s, f"k{i}") for i, s in enumerate(corpus())], chunk=chunk)
    assert len(added) == len(TEXTS) * 3
    assert stories_version(bulk) != before  # caches keyed on the version see the import
    want, got = snapshot(one_by_one), snapshot(bulk)
    assert got["bulk_ranges"] == 0
    assert got["found"]["huset"] and got["found"]["æbler"]  # the searches find something
    for key in want:
        assert got[key] == want[key], key


def test_a_story_saved_after_a_bulk_import_is_indexed_by_its_trigger(tmp_path):
    db = connect(tmp_path / "a.db")
    create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(1))], chunk=4)
    before = stories_version(db)
    create_story(db, Story(text="Kamelen kom forbi.", consent=Consent(internal=True)), require_significance=False)
    assert [s.text for s in query_stories(db, StoryFilter(search="kamelen"))] == ["Kamelen kom forbi."]
    assert stories_version(db) != before
    db.execute("INSERT INTO stories_fts(stories_fts) VALUES ('integrity-check')")


def test_a_failing_bulk_write_leaves_no_rows_no_range_and_a_sound_index(tmp_path, monkeypatch):
    db = connect(tmp_path / "a.db")
    create_story(db, Story(text="Fra før importen.", consent=Consent(internal=True)), require_significance=False)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stories.bulk_create, "write_index", fail)
    with pytest.raises(RuntimeError):
        create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(1))], chunk=4)
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM stories_bulk_write").fetchone()[0] == 0
    db.execute("INSERT INTO stories_fts(stories_fts) VALUES ('integrity-check')")
    assert [s.text for s in query_stories(db, StoryFilter(search="importen"))] == ["Fra før importen."]
    monkeypatch.undo()
    assert len(create_stories(db, [(s, f"k{i}") for i, s in enumerate(corpus(1))], chunk=4)) == len(TEXTS)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_token_attributes_read_per_text_are_the_tokens_own(lang):
    """The index reads ORTH and IDX per token and the rest per distinct text (`Forms.texts`):
    the lower-case form, IS_ALPHA, IS_PUNCT and the length must be what each token has."""
    from stories.textindex.batch import forms_for
    from stories.textindex.language import load_pipeline

    forms = forms_for(lang)
    for text, *_ in TEXTS:
        doc = load_pipeline(lang).tokenizer(text)
        rows = forms.texts(np.array([t.orth for t in doc], dtype=np.uint64))
        assert forms.text_lower[rows].tolist() == [t.lower for t in doc]
        assert forms.text_alpha[rows].tolist() == [t.is_alpha for t in doc]
        assert forms.text_punct[rows].tolist() == [t.is_punct for t in doc]
        assert forms.text_length[rows].tolist() == [len(t) for t in doc]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_index_pipeline_tokenizes_like_spacys_own(lang):
    """`load_pipeline` computes only the lexical attributes the index reads: its tokens, their
    offsets, lower-case forms, IS_ALPHA, IS_PUNCT and the sentencizer's sentences are those of a
    plain `spacy.blank` pipeline, for words it has not seen before too."""
    import spacy

    from stories.textindex.language import load_pipeline

    full = spacy.blank(lang)
    full.add_pipe("sentencizer")
    texts = [t for t, *_ in TEXTS] + [f"Zyxqvæl{n} blærbø-ting{n}, www.x{n}.dk! 3,5 km. ÆØÅ{n}?" for n in range(3)]
    for mine, theirs in zip(load_pipeline(lang).pipe(texts), full.pipe(texts)):
        assert [(t.text, t.idx, t.lower_, t.is_alpha, t.is_punct, t.is_space, t.is_sent_start) for t in mine] == \
               [(t.text, t.idx, t.lower_, t.is_alpha, t.is_punct, t.is_space, t.is_sent_start) for t in theirs]
