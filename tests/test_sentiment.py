"""Sentiment from the AFINN lexicons, stored at index time and read per group."""

import pytest

from coding.themes.groups import Selection
from coding.themes.sentiment import MIN_WORDS, story_scores
from stories.textindex.sentiment import lexicon, phrase_lexicon
from stories.model import Consent, Story
from stories.storage import create_story
from stories.visibility import StoryFilter


def add(db, text, role="young_person", lang="da"):
    return create_story(db, Story(text=text, significance="Det betyder noget.", teller_role=role, language=lang,
                                  consent=Consent(internal=True, evaluation=True)))


def test_the_danish_and_english_lexicons_are_there():
    assert lexicon("da")["glad"] > 0 and lexicon("da")["trist"] < 0
    assert lexicon("en")["happy"] > 0
    assert ("ikke", "god") in phrase_lexicon("da")
    assert lexicon("xx") == {}


def test_scores_per_story_and_group(db):
    add(db, "Hun var glad og stolt i dag, og vi grinede meget sammen.")
    add(db, "Han var trist og vred, og det gik dårligt hele dagen.", role="staff")
    add(db, "We were happy and proud and laughed a lot together today.", lang="en")
    scored, too_short = story_scores(db, StoryFilter(), by="teller_role")
    by_group = {}
    for s in scored:
        by_group.setdefault(s.group, []).append(s.score)
    assert too_short == 0
    assert all(v > 0 for v in by_group["young_person"]) and len(by_group["young_person"]) == 2
    assert by_group["staff"][0] < 0


@pytest.mark.parametrize("text", ["😀😀 🎉", "Ja.", "1 2 3 4 5 6"])
def test_stories_with_too_few_words_get_no_score(db, text):
    add(db, text)
    scored, too_short = story_scores(db, Selection())
    assert scored == [] and too_short == 1
    assert MIN_WORDS > 1


def test_a_filter_matching_nothing_scores_nothing(db):
    add(db, "Hun var glad og stolt i dag, og vi grinede meget sammen.")
    assert story_scores(db, StoryFilter(sites=["Ingen steder"])) == ([], 0)


def test_negation_turns_the_score(db):
    plain = add(db, "Hun var glad for at komme i huset hver dag.")
    negated = add(db, "Hun var ikke glad for at komme i huset hver dag.")
    scores = {s.story_seq: s.score for s in story_scores(db, Selection())[0]}
    seqs = {r[1]: r[0] for r in db.execute("SELECT seq, id FROM stories")}
    assert scores[seqs[plain.id]] > 0 > scores[seqs[negated.id]]


@pytest.mark.parametrize("by", ["teller_role", "code", "site", ""])
def test_scores_by_group_are_the_story_scores_grouped(db, by):
    from coding.codebook.codes import active_codebook, codable_codes, create_codebook
    from coding.codings import add_coding
    from coding.themes.sentiment import scores_by_group

    create_codebook(db, "", "kbh_plus")
    codes = [c.id for c in codable_codes(db, active_codebook(db))]
    stories = [add(db, "Hun var glad og stolt i dag, og vi grinede meget sammen."),
               add(db, "Han var trist og vred, og det gik dårligt hele dagen.", role="staff"),
               add(db, "Ja."), add(db, "De var glade, men det regnede hele dagen og alle var trætte.")]
    for story, ids in zip(stories, ([codes[0], codes[1]], [codes[1]], [codes[0]], [])):
        for code_id in ids:
            add_coding(db, story.id, code_id, coder="a")
    scored, too_short = story_scores(db, StoryFilter(), by=by)
    expected: dict[str, list[float]] = {}
    for s in scored:
        expected.setdefault(s.group, []).append(s.score)
    grouped, short = scores_by_group(db, StoryFilter(), by=by)
    assert {g: v.tolist() for g, v in grouped.items()} == expected and short == too_short == 1
