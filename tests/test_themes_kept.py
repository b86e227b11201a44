"""Theme results kept per process under the data's version (coding.themes.kept): they follow codings,
reconciliations, stories, the index, the filter and the review setting, and pseudonymised ones are never kept."""

import pytest

from coding.codebook.codes import create_codebook, active_codebook, codable_codes
from coding.codings import add_coding
from coding.themes.groups import Selection
from coding.nlp.lemma_matrix import load_matrix
from coding.themes.quotes import coded_sentences, typical_stories
from coding.themes.summary import data_version, theme_summary
from coding.themes.timeline import pseudonyms, timeline
from stories.trust.permissions import Actor
from stories.storage import delete_story, withdraw_consent
from stories.visibility import StoryFilter

from tests.test_themes import FRIENDS, HOUSE, add, coded  # noqa: F401  (the corpus and its fixture)


def test_data_version_changes_with_codings_and_stories(db, coded):
    stories, codes = coded
    first = data_version(db)
    add_coding(db, stories[5].id, codes["huset"], coder="b")
    second = data_version(db)
    withdraw_consent(db, stories[4].id)
    third = data_version(db)
    assert len({first, second, third}) == 3


def test_the_cached_summary_follows_new_codings(db, coded):
    stories, codes = coded
    before = theme_summary(db, Selection())
    add_coding(db, stories[5].id, codes["tillidsfulde_relationer"], coder="b")
    after = theme_summary(db, Selection())
    assert after is not before
    assert after.cooccurrence.counts.trace() == before.cooccurrence.counts.trace() + 1


def test_the_lemma_matrix_is_rebuilt_when_the_index_changes(db, coded):
    first = load_matrix(db)
    assert load_matrix(db) is first
    add(db, "Huset igen.")
    assert load_matrix(db) is not first and len(load_matrix(db).seqs) == len(first.seqs) + 1


@pytest.mark.parametrize("selection", [Selection(), Selection(StoryFilter(sites=["Valby"])),
                                       Selection(actor=Actor("eva", "evaluator"))])
def test_the_word_views_summary_is_the_whole_summarys_words(db, coded, selection):
    """The word view computes only its part of the summary; the figures are the same."""
    from coding.themes.summary import clear_cache, word_summary

    clear_cache()
    part, whole = word_summary(db, selection), theme_summary(db, selection)
    assert (part.n_stories, part.words, part.distinctive) == (whole.n_stories, whole.words, whole.distinctive)
    assert word_summary(db, selection) is part  # kept until the data changes


def sql_pairs(db, selection):
    where, params = selection.where()
    return sorted(db.execute("SELECT DISTINCT c.story_seq, c.code_id FROM story_codes AS c JOIN stories AS s"
                             f" ON s.seq = c.story_seq WHERE {where}", params).fetchall())


def test_the_kept_code_pairs_follow_codings_reconciliations_and_the_filter(db, coded):
    from coding.codings import remove_coding
    from coding.reconcile import reconcile_story, undo_reconciliation
    from coding.themes.code_stats import corpus_code_pairs, story_code_pairs

    stories, codes = coded
    evaluator, staff = Actor("eva", "evaluator"), Actor("s", "staff", sites=frozenset({"Valby"}))
    selections = [Selection(), Selection(StoryFilter(sites=["Valby"])), Selection(actor=staff),
                  Selection(code_ids=(codes["skabe_med_andre"],)), Selection(StoryFilter(sites=["Ingen"]))]

    def check():
        for selection in selections:
            assert sorted(map(tuple, story_code_pairs(db, selection).tolist())) == sql_pairs(db, selection)

    check()
    first = corpus_code_pairs(db)
    assert corpus_code_pairs(db) is first  # kept while nothing changes
    coding = add_coding(db, stories[5].id, codes["huset"], coder="b")
    check()
    remove_coding(db, coding.id)
    check()
    reconcile_story(db, stories[2].id, {(None, None): {codes["tillidsfulde_relationer"]}})
    check()  # the reconciled codes replace the coders' codes of that story
    assert corpus_code_pairs(db) is not first
    before = {seq for seq, _ in sql_pairs(db, Selection())}
    undo_reconciliation(db, stories[2].id)
    check()
    withdraw_consent(db, stories[3].id)
    delete_story(db, stories[4].id)
    check()  # the filter decides which stories' pairs a selection keeps
    gone = {db.execute("SELECT seq FROM stories WHERE id = ?", [s.id]).fetchone()[0] for s in stories[3:5]}
    assert before - {seq for seq, _ in sql_pairs(db, Selection())} == gone
    selections.append(Selection(actor=evaluator))
    check()


def test_the_views_kept_results_follow_codings_stories_and_the_review_setting(db, coded):
    from coding.themes.sentiment import scores_by_group
    from stories.settings import set_setting

    stories, codes = coded
    house = codes["huset"]
    first = coded_sentences(db, Selection(), house)
    assert coded_sentences(db, Selection(), house) == first  # kept
    add_coding(db, stories[1].id, house, start=0, end=15, coder="b")
    assert len(coded_sentences(db, Selection(), house)) == len(first) + 1
    people = dict(pseudonyms(db))
    add(db, FRIENDS, pseudonym="U-0009")
    assert dict(pseudonyms(db)) == people | {"U-0009": 1}
    before = timeline(db, "U-0001")
    withdraw_consent(db, stories[1].id)
    assert [e.story_id for e in timeline(db, "U-0001")] == [e.story_id for e in before if e.story_id != stories[1].id]
    assert sum(len(v) for v in scores_by_group(db, Selection())[0].values()) == 6  # withdrawn: 7 stories, 6 left
    evaluator = Selection(actor=Actor("eva", "evaluator"))
    db.execute("UPDATE stories SET awaiting_review = 1 WHERE id = ?", [stories[0].id])
    waiting = sum(len(v) for v in scores_by_group(db, evaluator)[0].values())
    set_setting(db, "review_required", "0")  # evaluators now see stories before review
    assert sum(len(v) for v in scores_by_group(db, evaluator)[0].values()) == waiting + 1


def test_pseudonymised_quotes_follow_staffs_corrections_at_once(db):
    from stories.privacy.corrections import save_corrections
    from stories.privacy.pseudonymised import Correction

    create_codebook(db, "", "kbh_plus")
    house = {c.key: c.id for c in codable_codes(db, active_codebook(db))}["huset"]
    story = add(db, "Vi kom i huset med Kaffekoppen. Vi lavede mad i køkkenet.", pseudonym="U-0007")
    add_coding(db, story.id, house, start=0, end=31, coder="a")
    evaluator = Selection(actor=Actor("eva", "evaluator"))
    assert "Kaffekoppen" in coded_sentences(db, evaluator, house)[0].text
    assert "Kaffekoppen" in typical_stories(db, evaluator, house)[0].text
    save_corrections(db, story.id, [Correction("add", "person", "Kaffekoppen")])  # a nickname staff marked
    assert "Kaffekoppen" not in coded_sentences(db, evaluator, house)[0].text
    assert "Kaffekoppen" not in typical_stories(db, evaluator, house)[0].text
    assert "Kaffekoppen" in coded_sentences(db, Selection(), house)[0].text  # staff still read the original
