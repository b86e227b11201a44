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


def join_training():
    for thread in [t for t in threading.enumerate() if t.name == "changestories-train"]:
        thread.join()


def test_before_scikit_learn_is_loaded_even_a_small_corpus_trains_in_the_background(db_path, monkeypatch):
    monkeypatch.setattr(classifier, "learner_loaded", lambda: False)  # a fresh process: the import takes a second
    db = connect(db_path)
    codes = codes_of(db)
    coded_corpus(db, codes)
    assert classifier.trained_models(db) is None  # the page goes on with keywords
    join_training()
    assert not classifier.training(db)
    assert codes["huset"] in classifier.trained_models(db).models


def test_once_scikit_learn_is_loaded_a_small_corpus_trains_in_the_call(db_path, monkeypatch):
    monkeypatch.setattr(classifier, "learner_loaded", lambda: True)
    db = connect(db_path)
    codes = codes_of(db)
    coded_corpus(db, codes)
    models = classifier.trained_models(db)
    assert models is not None and codes["huset"] in models.models
    assert not classifier.training(db)


def test_a_failed_background_training_is_not_retried_for_the_same_codings(db_path, monkeypatch):
    monkeypatch.setattr(classifier, "BACKGROUND_FROM", 0)
    tries = []

    def fail(db):
        tries.append(1)
        raise RuntimeError("no memory left")

    monkeypatch.setattr(classifier, "_train", fail)
    db = connect(db_path)
    coded_corpus(db, codes_of(db))
    assert classifier.trained_models(db) is None
    join_training()
    assert classifier.trained_models(db) is None
    join_training()
    assert tries == [1] and not classifier.training(db)


def test_the_coding_page_says_the_classifier_is_learning_and_shows_its_suggestions_once_ready(demo, monkeypatch):
    from stories.trust.permissions import Actor
    from tests.apptest import open_app

    monkeypatch.setattr(classifier, "BACKGROUND_FROM", 0)
    release, train = threading.Event(), classifier._train
    monkeypatch.setattr(classifier, "_train", lambda db: release.wait() and train(db))  # held until released
    at = open_app("app_pages/code.py", actor=Actor("coder-x", "evaluator"), timeout=90)
    learning = "Appen lærer stadig af de kodede fortællinger"
    sources = " ".join(m.value for m in at.markdown)
    assert any(learning in c.value for c in at.caption)
    assert "lært af de kodede fortællinger" not in sources and "ud fra kodens nøgleord" in sources
    release.set()
    join_training()
    at.run()
    assert not at.exception
    assert not any(learning in c.value for c in at.caption)
    assert "lært af de kodede fortællinger" in " ".join(m.value for m in at.markdown)
