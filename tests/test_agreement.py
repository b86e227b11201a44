"""Agreement statistics (checked against scikit-learn, the krippendorff package and a published
worked example) and the agreement report over coded stories."""

import math
import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coding.agreement import (
    agreement_report, cohen_kappa, disagreeing_stories, gather, krippendorff_alpha, percent_agreement,
)
from coding.codebook.codes import create_codebook, list_codes
from coding.codings import WHOLE, save_coding
from stories.textindex.pipeline import story_sentences
from coding.reconcile import reconcile_story
from stories.model import Consent, Story
from stories.storage import create_story, story_seq

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the nominal example with
# four coders, twelve units and missing values: alpha = 0.743.
PUBLISHED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def package_alpha(data):
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")


def test_alpha_matches_the_published_worked_example():
    assert round(krippendorff_alpha(PUBLISHED), 3) == 0.743
    assert krippendorff_alpha(PUBLISHED) == pytest.approx(package_alpha(PUBLISHED))


@pytest.mark.parametrize("seed", range(20))
def test_alpha_matches_the_krippendorff_package_with_missing_values(seed):
    rng = random.Random(seed)
    coders, units = rng.randint(2, 5), rng.randint(5, 40)
    truth = [rng.choice("abc") for _ in range(units)]
    data = [[None if rng.random() < 0.2 else (t if rng.random() < 0.7 else rng.choice("abc")) for t in truth]
            for _ in range(coders)]
    numeric = [[None if v is None else "abc".index(v) for v in row] for row in data]
    if len({v for row in numeric for v in row if v is not None}) < 2:
        pytest.skip("a single value: alpha is undefined")
    assert krippendorff_alpha(data) == pytest.approx(package_alpha(numeric))


@pytest.mark.parametrize("seed", range(20))
def test_kappa_matches_scikit_learn(seed):
    rng = random.Random(100 + seed)
    a = [rng.choice([0, 1, 2]) for _ in range(rng.randint(5, 60))]
    b = [x if rng.random() < 0.6 else rng.choice([0, 1, 2]) for x in a]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


@pytest.mark.parametrize("a, b, expected", [
    ([1, 0, 1, 0], [1, 0, 1, 0], 1.0),
    ([1, 0, 1, 0], [0, 1, 0, 1], -1.0),
    ([1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 1, 1], None),  # compared with sklearn below
])
def test_kappa_simple_cases(a, b, expected):
    assert cohen_kappa(a, b) == pytest.approx(expected if expected is not None else cohen_kappa_score(a, b))


def test_undefined_statistics_are_none():
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None  # sklearn gives nan here
    assert math.isnan(cohen_kappa_score([0, 0], [0, 0], labels=[0, 1]))
    assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None
    assert krippendorff_alpha([[1, None], [None, 2]]) is None  # nothing pairable
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa([1], [1, 2])


def test_percent_agreement_over_pairs_and_missing_values():
    assert percent_agreement([[1, 1], [1, 0], [0, 0], [1, None]]) == pytest.approx(2 / 3)
    assert percent_agreement([[1, 1, 0]]) == pytest.approx(1 / 3)
    assert percent_agreement([[1, None]]) is None


# ---- the report over coded stories -------------------------------------------------------

TEXTS = [
    "Han kom i huset. Vi lavede mad sammen. Hun lyttede til ham.",
    "De byggede en cykel. Det var første gang. Han var stolt.",
    "Hun fik en ven. De snakkede længe. Nu kommer hun hver uge.",
    "Han blev væk i en måned. Så kom han igen. Vi var glade.",
]


@pytest.fixture
def coded(db):
    """Four stories, two coders (a, b) who agree on most, a third (c) on two stories only."""
    codebook = create_codebook(db, "", "kbh_plus")
    huset, skabe, tillid = [c.id for c in list_codes(db, codebook)]
    ids = [create_story(db, Story(text=t, significance="Vigtigt.", consent=Consent(evaluation=True))).id
           for t in TEXTS]
    seqs = [story_seq(db, i) for i in ids]
    spans = [[(s, e) for s, e, _ in story_sentences(db, seq, t)] for seq, t in zip(seqs, TEXTS)]
    plan = {
        "a": [{WHOLE: {huset}, spans[0][1]: {skabe}}, {WHOLE: {skabe}}, {WHOLE: {tillid}, spans[2][1]: {tillid}},
              {WHOLE: {huset}}],
        "b": [{WHOLE: {huset}, spans[0][1]: {skabe}}, {WHOLE: {skabe, tillid}}, {WHOLE: {tillid}}, {WHOLE: {huset}}],
        "c": [{WHOLE: {huset}}, None, None, {WHOLE: {tillid}}],
    }
    for coder, selections in plan.items():
        for story_id, selection in zip(ids, selections):
            if selection is not None:
                save_coding(db, story_id, selection, coder=coder)
    return db, codebook, ids, seqs, spans, (huset, skabe, tillid)


def test_story_level_matrix_and_figures(coded):
    db, codebook, ids, seqs, spans, (huset, skabe, tillid) = coded
    ratings = gather(db, codebook, "story")
    assert ratings.coders == ["a", "b", "c"] and len(ratings.units) == 4
    assert ratings.chosen[(seqs[0],)] == {"a": {huset, skabe}, "b": {huset, skabe}, "c": {huset}}
    report = agreement_report(db, codebook, "story")
    tillid_figures = next(f for f in report.per_code if f.code_id == tillid)
    rows = [  # coders a, b, c over stories 1-4 for "tillid"
        [0, 0, 1, 0],
        [0, 1, 1, 0],
        [0, None, None, 1],
    ]
    assert tillid_figures.alpha == pytest.approx(package_alpha(rows))
    assert tillid_figures.applied == {"a": 1, "b": 2, "c": 1}
    assert tillid_figures.units == 4
    assert report.units_by_coder == {"a": 4, "b": 4, "c": 2}
    assert tillid_figures.kappa is None  # three coders: kappa is given pairwise
    assert report.pairwise_kappa[("a", "b")] == pytest.approx(cohen_kappa_score(
        [1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0], [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]))


def test_two_coders_kappa_per_code_equals_scikit_learn(coded):
    db, codebook, ids, seqs, spans, (huset, skabe, tillid) = coded
    db.execute("DELETE FROM story_coders WHERE coder = 'c'")
    report = agreement_report(db, codebook, "story")
    assert report.coders == ["a", "b"]
    skabe_figures = next(f for f in report.per_code if f.code_id == skabe)
    a, b = [1, 1, 0, 0], [1, 1, 0, 0]
    assert skabe_figures.percent == 1.0 and skabe_figures.kappa == pytest.approx(cohen_kappa_score(a, b))
    overall_a = [1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]
    overall_b = [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
    assert report.overall.kappa == pytest.approx(cohen_kappa_score(overall_a, overall_b))
    assert report.overall.percent == pytest.approx(11 / 12)
    assert disagreeing_stories(report) == [seqs[1]]
    [item] = report.disagreements
    assert item.codes == [tillid] and item.by_coder == {"a": {skabe}, "b": {skabe, tillid}}


def test_sentence_level_uses_passage_codings_only(coded):
    db, codebook, ids, seqs, spans, (huset, skabe, tillid) = coded
    report = agreement_report(db, codebook, "sentence")
    assert report.units_by_coder["a"] == sum(len(s) for s in spans)
    units = {(d.unit, tuple(d.codes)) for d in report.disagreements}
    assert units == {((seqs[0], *spans[0][1]), (skabe,)), ((seqs[2], *spans[2][1]), (tillid,))}
    huset_figures = next(f for f in report.per_code if f.code_id == huset)
    assert huset_figures.applied == {"a": 0, "b": 0, "c": 0} and huset_figures.alpha is None


def test_unfinished_and_reconciled_codings_do_not_count(coded):
    db, codebook, ids, seqs, spans, (huset, skabe, tillid) = coded
    save_coding(db, ids[0], {WHOLE: {tillid}}, coder="d", done=False)
    reconcile_story(db, ids[1], {WHOLE: {skabe}})
    report = agreement_report(db, codebook, "story")
    assert "d" not in report.coders
    assert report.units_by_coder == {"a": 4, "b": 4, "c": 2}


def test_evaluators_see_agreement_only_over_stories_they_may_read(coded):
    from stories.trust.permissions import Actor

    db, codebook, ids, seqs, spans, _ = coded
    db.execute("UPDATE stories SET consent_evaluation = 0 WHERE seq = ?", [seqs[1]])
    report = agreement_report(db, codebook, "story", actor=Actor("e", "evaluator"))
    assert seqs[1] not in [u[0] for u in gather(db, codebook, "story", actor=Actor("e", "evaluator")).units]
    assert seqs[1] not in disagreeing_stories(report) and disagreeing_stories(report) == [seqs[0], seqs[3]]


def test_reconcilable_stories_are_the_ones_two_coders_finished(coded):
    from coding.codings import set_blind_coding
    from coding.reconcile import reconcilable_stories
    from stories.trust.permissions import Actor

    db, codebook, ids, seqs, spans, _ = coded
    save_coding(db, ids[2], {WHOLE: set()}, coder="d", done=False)  # unfinished: does not count
    assert reconcilable_stories(db, Actor("a", "evaluator")) == seqs  # a and b finished every story
    set_blind_coding(db, True)
    save_coding(db, ids[0], {WHOLE: set()}, coder="new", done=True)  # a coder who finished one story only
    assert reconcilable_stories(db, Actor("new", "evaluator")) == [seqs[0]]


def test_ids_and_titles_by_seq(coded):
    from stories.storage import ids_and_titles

    db, codebook, ids, seqs, spans, _ = coded
    assert ids_and_titles(db, [seqs[0], seqs[2], 99999]) == {seqs[0]: (ids[0], ""), seqs[2]: (ids[2], "")}
    assert ids_and_titles(db, []) == {}
