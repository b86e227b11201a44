"""The agreement report computes its figures with array operations: on random ratings they
equal the plain statistics (percent, kappa, alpha) over the coder x (unit, code) matrix."""

import itertools
import random

import pytest

from coding.agreement import Ratings, Table, cohen_kappa, krippendorff_alpha, percent_agreement


def random_ratings(seed: int, coders: int, units: int, codes: list[int]) -> Ratings:
    rng = random.Random(seed)
    names = [f"coder{i}" for i in range(coders)]
    chosen = {}
    for u in range(units):
        per = {}
        for name in names:
            if rng.random() < 0.7:
                per[name] = {c for c in codes if rng.random() < 0.3}
        if per:
            chosen[(u,)] = per
    used = sorted({c for per in chosen.values() for c in per})
    return Ratings("story", used, sorted(chosen), chosen)


def plain_matrix(ratings: Ratings, code_ids) -> list[list[int | None]]:
    return [[None if coder not in ratings.chosen[unit] else int(code in ratings.chosen[unit][coder])
             for unit in ratings.units for code in code_ids] for coder in ratings.coders]


@pytest.mark.parametrize("seed,coders", [(1, 2), (2, 2), (3, 3), (4, 4)])
def test_array_figures_equal_the_plain_statistics(seed, coders):
    codes = [11, 12, 13, 14]
    ratings = random_ratings(seed, coders, 60, codes)
    table = Table.from_ratings(ratings, codes)
    for selection, code_ids in [(slice(None), codes)] + [([i], [c]) for i, c in enumerate(codes)]:
        figures = table.figures(selection, None, ratings.coders)
        matrix = plain_matrix(ratings, code_ids)
        columns = list(zip(*matrix))
        assert figures.units == sum(1 for col in columns if sum(v is not None for v in col) >= 2)
        assert figures.percent == pytest.approx(percent_agreement(columns))
        assert figures.alpha == pytest.approx(krippendorff_alpha(matrix))
        assert figures.applied == {c: sum(v == 1 for v in row) for c, row in zip(ratings.coders, matrix)}
        if len(ratings.coders) == 2:
            pairs = [(a, b) for a, b in columns if a is not None and b is not None]
            assert figures.kappa == pytest.approx(cohen_kappa([a for a, _ in pairs], [b for _, b in pairs]))
        else:
            assert figures.kappa is None
    for a, b in itertools.combinations(range(len(ratings.coders)), 2):
        xs, ys = [], []
        for unit in ratings.units:
            per = ratings.chosen[unit]
            if ratings.coders[a] in per and ratings.coders[b] in per:
                xs += [int(c in per[ratings.coders[a]]) for c in codes]
                ys += [int(c in per[ratings.coders[b]]) for c in codes]
        assert table.pairwise_kappa(a, b) == pytest.approx(cohen_kappa(xs, ys))


@pytest.mark.parametrize("level", ["story", "sentence"])
def test_report_read_into_arrays_equals_the_report_over_gathered_ratings(db, level):
    """The report reads the database straight into arrays; `gather` builds the same ratings
    unit by unit: both give the same figures, disagreements and coders."""
    from coding.agreement import agreement_report, gather
    from coding.codebook.codes import create_codebook, list_codes
    from coding.codings import WHOLE, save_coding
    from stories.textindex.pipeline import story_sentences
    from stories.model import Consent, Story
    from stories.storage import create_story, story_seq

    rng = random.Random(5)
    codebook = create_codebook(db, "", "kbh_plus")
    codes = [c.id for c in list_codes(db, codebook)]
    for i in range(12):
        text = " ".join(f"Sætning {i}-{k} om huset og de unge." for k in range(rng.randint(1, 4)))
        story = create_story(db, Story(text=text, significance="Vigtigt.", consent=Consent(evaluation=True)))
        sentences = [(s, e) for s, e, _ in story_sentences(db, story_seq(db, story.id), text)]
        for coder in ("a", "b", "c"):
            if rng.random() < 0.3:
                continue
            selection = {WHOLE: {c for c in codes if rng.random() < 0.4}}
            for s, e in sentences:
                if rng.random() < 0.4:
                    selection[(s, e)] = {rng.choice(codes)}
            if len(sentences) > 1 and rng.random() < 0.5:  # a passage over two sentences
                selection[(sentences[0][0] + 2, sentences[1][1] - 1)] = {rng.choice(codes)}
            save_coding(db, story.id, selection, coder=coder, done=rng.random() < 0.8)
    report = agreement_report(db, codebook, level)
    ratings = gather(db, codebook, level)
    table = Table.from_ratings(ratings, codes)
    assert report.coders == ratings.coders and report.disagreements and report.overall.units > 10
    assert report.overall == table.figures(slice(None), None, ratings.coders)
    assert report.per_code == [table.figures([i], c, ratings.coders) for i, c in enumerate(codes)]
    expected = [(u, sorted(c for c in set().union(*per.values()) if not all(c in v for v in per.values())), per)
                for u, per in ((u, ratings.chosen[u]) for u in ratings.units) if len(per) >= 2]
    assert [(d.unit, d.codes, d.by_coder) for d in report.disagreements] == [e for e in expected if e[1]]
    assert report.units_by_coder == {c: sum(c in ratings.chosen[u] for u in ratings.units) for c in ratings.coders}
