"""Patterns across answers: each figure's test is scipy's own on the same data, assumptions are
checked, the ranked list is corrected with Benjamini-Hochberg, and the demo has a real pattern."""

import pytest
from scipy import stats

from changestories.demo import load_demo
from coding.themes.groups import Selection
from coding.themes.patterns import Variable, analyse, strongest
from stories.model import Consent, Story
from stories.questions.answers import save_answers
from stories.questions.library import add_question, get_question, make_question
from stories.storage import create_story, story_seq
from stories.visibility import StoryFilter


def library(db):
    qs = [make_question("colour", "single", "Farve?", options=[{"key": "rod", "da": "Rød"}, {"key": "bla", "da": "Blå"}]),
          make_question("place", "single", "Sted?", options=["Huset", "Skolen", "Hjemme"]),
          make_question("size", "scale", "Hvor stor?"),
          make_question("mood", "dyad", "Humør?", options=["Trist", "Glad"]),
          make_question("triad", "triad", "Hvad hjalp?", options=["A", "B", "C"])]
    return {q.key: add_question(db, q) for q in qs}


ROWS = [  # colour, place, size, mood, site
    ("rod", "huset", 80, 90, "Valby"), ("rod", "huset", 70, 75, "Valby"), ("rod", "skolen", 65, 70, "Valby"),
    ("rod", "huset", 90, 85, "Amager"), ("rod", "hjemme", 60, 50, "Amager"), ("rod", "huset", 75, 80, "Valby"),
    ("bla", "skolen", 20, 30, "Amager"), ("bla", "hjemme", 30, 20, "Amager"), ("bla", "skolen", 40, 45, "Valby"),
    ("bla", "hjemme", 25, 35, "Amager"), ("bla", "skolen", 35, 25, "Valby"), ("bla", "hjemme", 50, 40, "Amager"),
]


@pytest.fixture
def answered(db):
    qs = library(db)
    for i, (colour, place, size, mood, site) in enumerate(ROWS):
        seq = story_seq(db, create_story(db, Story(text=f"Historie {i}", significance="x", site=site,
                                                   consent=Consent(internal=True))).id)
        weights = [0.6, 0.2, 0.2] if colour == "rod" else [0.2, 0.2, 0.6]
        save_answers(db, seq, list(qs.values()), {qs["colour"].id: colour, qs["place"].id: place,
                                                  qs["size"].id: size, qs["mood"].id: mood, qs["triad"].id: weights})
    return db, {k: get_question(db, k) for k in qs}


def test_two_choices_give_a_contingency_table_with_fisher_when_expected_counts_are_small(answered):
    db, q = answered
    p = analyse(db, Variable(q["colour"]), Variable(q["place"]))
    assert p.figure == "table" and p.rows == ["bla", "rod"] and p.columns == ["hjemme", "huset", "skolen"]
    assert p.counts == [[3, 0, 3], [1, 4, 1]]
    chi = stats.chi2_contingency([[3, 0, 3], [1, 4, 1]], correction=False)
    assert p.expected == chi.expected_freq.tolist() and p.statistic == pytest.approx(chi.statistic)
    assert p.warning == "patterns.warn.expected"  # 3 x 2 with expected counts under 5: warned, no Fisher
    two = analyse(db, Variable(q["colour"]), Variable(q["triad"], "a"))
    assert two.figure == "box" and two.test == "mannwhitney"  # a triad pole is a number


def test_a_two_by_two_table_with_small_expected_counts_uses_fisher(answered):
    db, q = answered
    m = add_question(db, make_question("multi", "multiple", "Hvem?", options=["Venner", "Voksne"]))
    seqs = [r[0] for r in db.execute("SELECT seq FROM stories ORDER BY seq")]
    for seq in seqs:
        save_answers(db, seq, [m], {m.id: ["venner"] if seq <= 6 else ["voksne"]})
    p = analyse(db, Variable(q["colour"]), Variable(m, "venner"))
    assert p.counts == [[6, 0], [0, 6]] and p.test == "fisher"
    assert p.p == pytest.approx(stats.fisher_exact([[6, 0], [0, 6]]).pvalue)


def test_a_scale_by_a_choice_is_mann_whitney_or_kruskal_wallis(answered):
    db, q = answered
    p = analyse(db, Variable(q["size"]), Variable(q["colour"]))
    red = [r[2] for r in ROWS if r[0] == "rod"]
    blue = [r[2] for r in ROWS if r[0] == "bla"]
    assert p.figure == "box" and p.test == "mannwhitney"
    assert p.p == pytest.approx(stats.mannwhitneyu(blue, red, alternative="two-sided").pvalue)
    k = analyse(db, Variable(q["place"]), Variable(q["size"]))
    groups = [[r[2] for r in ROWS if r[1] == g] for g in ("hjemme", "huset", "skolen")]
    assert k.test == "kruskal" and k.p == pytest.approx(stats.kruskal(*groups).pvalue)
    assert sorted(k.stories) == ["hjemme", "huset", "skolen"] and sum(map(len, k.stories.values())) == 12


def test_two_scales_are_spearman_and_a_triad_is_a_ternary_plot_per_group(answered):
    db, q = answered
    p = analyse(db, Variable(q["size"]), Variable(q["mood"]))
    rho = stats.spearmanr([r[2] for r in ROWS], [r[3] for r in ROWS])
    assert p.figure == "scatter" and p.statistic == pytest.approx(rho.statistic) and p.p == pytest.approx(rho.pvalue)
    t = analyse(db, Variable(q["triad"]), Variable(q["colour"]))
    assert t.figure == "ternary" and sorted(t.stories) == ["bla", "rod"] and t.n == 12


def test_patterns_follow_the_filter(answered):
    db, q = answered
    p = analyse(db, Variable(q["size"]), Variable(q["mood"]), Selection(StoryFilter(sites=["Valby"])))
    valby = [r for r in ROWS if r[4] == "Valby"]
    assert p.n == len(valby)
    assert p.p == pytest.approx(stats.spearmanr([r[2] for r in valby], [r[3] for r in valby]).pvalue)


def test_the_strongest_patterns_are_ranked_after_benjamini_hochberg(answered):
    db, q = answered
    ranked = strongest(db, limit=100)
    raw = [p.p for p in ranked]
    adjusted = stats.false_discovery_control(raw, method="bh")
    assert [p.p_adjusted for p in ranked] == pytest.approx(list(adjusted))
    assert [p.p_adjusted for p in ranked] == sorted(p.p_adjusted for p in ranked)
    assert all(p.a.question.id != p.b.question.id for p in ranked)


def test_the_demo_has_a_real_pattern(db):
    load_demo(db)
    ranked = strongest(db)
    top = ranked[0]
    assert {top.a.key, top.b.key} == {"feeling", "change_size"} and top.test == "spearman"
    assert top.p_adjusted < 0.001 and top.n >= 40
