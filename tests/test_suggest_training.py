"""The suggestion classifiers are not retrained for every coding, and on a large corpus they
are trained in the background while the coding page suggests from keywords."""

import threading

import coding.themes.classifier as classifier
from changestories.database import connect
from coding.codebook.codes import active_codebook, codable_codes, create_codebook
from coding.codings import add_coding
from coding.themes.suggest import suggest_codes
from tests.test_suggest import add, coded_corpus


def codes_of(db):
    create_codebook(db, "", "kbh_plus")
    return {c.key: c.id for c in codable_codes(db, active_codebook(db))}


def test_one_more_coding_keeps_the_models_many_more_retrain_them(db):
    codes = codes_of(db)
    coded_corpus(db, codes)
    first = classifier.trained_models(db)
    story = add(db, "Vi sad i køkkenet i huset.")
    add_coding(db, story.id, codes["huset"], coder="b")
    assert classifier.trained_models(db) is first
    coded_corpus(db, codes, n=classifier.RETRAIN_MIN)
    assert classifier.trained_models(db) is not first


def test_a_large_corpus_trains_in_the_background_and_suggests_from_keywords_meanwhile(db_path, monkeypatch):
    monkeypatch.setattr(classifier, "BACKGROUND_FROM", 0)
    release, train = threading.Event(), classifier._train
    monkeypatch.setattr(classifier, "_train", lambda db: release.wait() and train(db))  # held until released
    db = connect(db_path)
    codes = codes_of(db)
    coded_corpus(db, codes)
    story = add(db, "Vi sad i køkkenet i huset, og døren var åben.")
    assert classifier.trained_models(db) is None  # started, not waited for
    waiting = {s.code_id: s.source for s in suggest_codes(db, story.id, coder="b")}
    assert waiting.get(codes["huset"]) == "keywords"
    release.set()
    for thread in [t for t in threading.enumerate() if t.name == "changestories-train"]:
        thread.join()
    models = classifier.trained_models(db)
    assert models is not None and codes["huset"] in models.models
    ready = {s.code_id: s.source for s in suggest_codes(db, story.id, coder="b")}
    assert ready[codes["huset"]] == "classifier"
