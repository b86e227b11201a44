"""Code suggestions: keywords first, a classifier once 20 stories carry a code; people decide."""

import pytest

from coding.themes.classifier import MIN_STORIES, code_quality, trained_models
from coding.codebook.codes import active_codebook, codable_codes, create_codebook
from coding.codebook.edit import add_code
from coding.codings import add_coding, record_suggestion, story_codings, suggestion_acceptance
from coding.themes.suggest import keyword_hits, keyword_score, suggest_codes
from stories.model import Consent, Story
from stories.trust.permissions import Actor, PermissionDenied
from stories.storage import StoryNotFound, create_story

HOUSE = ["Han kom i huset igen. Køkkenet var varmt, og døren stod åben.",
         "Huset var fuldt. Vi sad i køkkenet hele aftenen.",
         "Hun kom ind ad døren til huset og satte sig i køkkenet."]
FRIENDS = ["Vennerne skabte musik sammen og lavede en koncert.",
           "De unge lavede en film sammen med vennerne.",
           "Vennerne byggede en scene og spillede musik sammen."]


def add(db, text, lang="da"):
    return create_story(db, Story(text=text, significance="Det betyder noget.", language=lang,
                                  consent=Consent(internal=True, evaluation=True)))


@pytest.fixture
def codes(db):
    create_codebook(db, "", "kbh_plus")
    return {c.key: c.id for c in codable_codes(db, active_codebook(db))}


def test_keyword_hits_match_words_prefixes_phrases_and_lemmas():
    hits, words = keyword_hits("Huset var åbent. Jeg hører til her, i huset.", {"hus"}, ["huset", "høre til", "åben"])
    assert hits == 3 and words == ["huset", "åbent"]
    hits, words = keyword_hits("Vi var i hus.", {"hus"}, ["hus"])
    assert hits == 1 and words == ["hus"]
    assert keyword_hits("Ingen af ordene.", set(), ["huset", ""]) == (0, [])
    assert 0 < keyword_score(1) < keyword_score(3) < 1


def test_keywords_suggest_the_house_with_the_words_that_triggered_it(db, codes):
    story = add(db, HOUSE[0])
    suggestions = suggest_codes(db, story.id, coder="a")
    assert suggestions[0].code_id == codes["huset"]
    assert suggestions[0].source == "keywords"
    assert {"huset", "køkkenet"} <= set(suggestions[0].words)
    assert 0 < suggestions[0].score < 1


def test_english_stories_use_the_english_keywords(db, codes):
    story = add(db, "We cooked together in the kitchen of the house. The door was open.", "en")
    assert suggest_codes(db, story.id, coder="a")[0].code_id == codes["huset"]


@pytest.mark.parametrize("text", ["😀😀 🎉", "Der Junge ging nach Hause.", "Ingenting her passer."])
def test_stories_without_keywords_get_no_keyword_suggestions(db, codes, text):
    story = add(db, text)
    assert suggest_codes(db, story.id, coder="a") == []


def test_a_suggestion_never_codes_by_itself(db, codes):
    story = add(db, HOUSE[0])
    suggest_codes(db, story.id, coder="a")
    assert story_codings(db, story.id) == []


def test_accepting_records_the_coding_and_the_answer(db, codes):
    story = add(db, HOUSE[0])
    first = suggest_codes(db, story.id, coder="a")[0]
    coding = record_suggestion(db, story.id, first.code_id, "a", True, first.score)
    assert coding.origin == "suggestion" and coding.code_id == codes["huset"]
    assert suggestion_acceptance(db)[codes["huset"]] == (1, 1)
    assert all(s.code_id != codes["huset"] for s in suggest_codes(db, story.id, coder="a"))
    assert any(s.code_id == codes["huset"] for s in suggest_codes(db, story.id, coder="b"))


def test_a_rejected_suggestion_is_not_offered_again_to_that_coder(db, codes):
    story = add(db, HOUSE[0])
    record_suggestion(db, story.id, codes["huset"], "a", False, 0.5)
    assert all(s.code_id != codes["huset"] for s in suggest_codes(db, story.id, coder="a"))
    assert suggestion_acceptance(db)[codes["huset"]] == (0, 1)
    assert story_codings(db, story.id) == []


def test_a_code_without_keywords_is_never_suggested_by_keywords(db, codes):
    plain = add_code(db, active_codebook(db), "Noget helt andet").id
    story = add(db, HOUSE[1])
    assert all(s.code_id != plain for s in suggest_codes(db, story.id, coder="a"))


def test_suggestions_respect_who_may_read_the_story(db, codes):
    story = add(db, HOUSE[0])
    with pytest.raises((StoryNotFound, PermissionDenied)):
        suggest_codes(db, story.id, actor=Actor("public", "public"))


def coded_corpus(db, codes, n=MIN_STORIES + 4):
    for i in range(n):
        house = add(db, HOUSE[i % 3] + f" Dag {i}.")
        add_coding(db, house.id, codes["huset"], coder="a")
        friends = add(db, FRIENDS[i % 3] + f" Dag {i}.")
        add_coding(db, friends.id, codes["skabe_med_andre"], coder="a")
    few = add(db, "Hun stolede på den voksne.")
    add_coding(db, few.id, codes["tillidsfulde_relationer"], coder="a")


def test_the_classifier_takes_over_once_enough_stories_carry_a_code(db, codes):
    coded_corpus(db, codes)
    models = trained_models(db)
    assert set(models.models) == {codes["huset"], codes["skabe_med_andre"]}
    story = add(db, "Vi sad i køkkenet i huset, og døren var åben.")
    suggestions = {s.code_id: s for s in suggest_codes(db, story.id, coder="b")}
    house = suggestions[codes["huset"]]
    assert house.source == "classifier" and house.score > 0.5
    assert "køkken" in house.words or "hus" in house.words
    assert codes["skabe_med_andre"] not in suggestions or suggestions[codes["skabe_med_andre"]].score < house.score
    hidden = {s.code_id: s for s in suggest_codes(db, story.id, coder="b", model_words=False)}
    assert "køkken" not in hidden[codes["huset"]].words


def test_cross_validated_quality_per_code(db, codes):
    coded_corpus(db, codes)
    quality = {q.code_id: q for q in code_quality(db)}
    house = quality[codes["huset"]]
    assert house.positives == MIN_STORIES + 4
    assert 0.8 <= house.precision <= 1 and 0.8 <= house.recall <= 1
    rare = quality[codes["tillidsfulde_relationer"]]
    assert rare.positives == 1 and rare.precision is None and rare.recall is None


def test_no_coded_stories_means_no_models(db, codes):
    add(db, HOUSE[0])
    assert trained_models(db).models == {}
    assert code_quality(db) == []


def test_deleted_and_withdrawn_stories_do_not_train_the_classifier(db, codes):
    from coding.themes.classifier import training_data
    from stories.storage import delete_story, withdraw_consent

    coded_corpus(db, codes)
    _, labels, code_ids, *_ = training_data(db)
    house = list(code_ids).index(codes["huset"])
    before = int(labels[:, house].sum())
    seqs = [r[0] for r in db.execute("SELECT DISTINCT story_seq FROM codings WHERE code_id = ? ORDER BY 1",
                                     [codes["huset"]])]
    ids = [db.execute("SELECT id FROM stories WHERE seq = ?", [seq]).fetchone()[0] for seq in seqs[:2]]
    withdraw_consent(db, ids[0])
    delete_story(db, ids[1])
    _, labels, code_ids, *_ = training_data(db)
    assert int(labels[:, list(code_ids).index(codes["huset"])].sum()) == before - 2
