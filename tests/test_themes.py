"""Theme views from stored results: words, distinctive words, code counts, co-occurrence, quotes, timeline
(what is kept of them per process: tests/test_themes_kept.py)."""

from dataclasses import replace

import numpy as np
import pytest

from coding.themes.code_stats import CodeCount, code_counts, code_infos, cooccurrence, cooccurrence_from_pairs, counts_from_pairs
from coding.codebook.codes import create_codebook, active_codebook, codable_codes
from coding.codings import add_coding
from coding.themes.groups import Selection, group_rows, groupings
from coding.nlp.lemma_matrix import load_matrix
from coding.themes.quotes import coded_sentences, typical_stories
from coding.nlp.stopwords import set_stop_word
from coding.themes.summary import theme_summary
from coding.themes.timeline import pseudonyms, timeline
from coding.themes.words import distinctive_words, log_odds, word_counts
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.storage import create_story, delete_story, withdraw_consent
from stories.visibility import StoryFilter

HOUSE = "Vi gik i huset. Huset var varmt og køkkenet var åbent. Vi lavede mad i køkkenet."
FRIENDS = "Vennerne skabte musik sammen. Vennerne lavede en koncert for de andre unge."


def add(db, text, *, site="Nordvest", role="young_person", pseudonym="U-0001", day="2025-03-01", extra=None,
        evaluation=True, lang="da"):
    story = Story(text=text, significance="Det betyder noget.", site=site, teller_role=role,
                  teller_pseudonym=pseudonym, happened_on=day, language=lang, extra=extra or {},
                  consent=Consent(internal=True, evaluation=evaluation))
    return create_story(db, story)


@pytest.fixture
def coded(db):
    """Six stories, the KBH+ codebook, codings on most of them."""
    create_codebook(db, "", "kbh_plus")
    codes = {c.key: c.id for c in codable_codes(db, active_codebook(db))}
    stories = [
        add(db, HOUSE, day="2025-01-10"),
        add(db, HOUSE + " Huset er godt.", day="2025-02-10", site="Valby"),
        add(db, HOUSE, role="staff", pseudonym="S-0001", extra={"about": "U-0001", "age_group": "15-17"}, day="2025-04-02"),
        add(db, FRIENDS, pseudonym="U-0002", day="2025-01-20"),
        add(db, FRIENDS + " Vennerne var glade.", pseudonym="U-0002", day="2025-05-05", site="Valby"),
        add(db, "Hun ringede ikke. Det var trist.", pseudonym="U-0003", day="2025-06-01"),
    ]
    for s in stories[:3]:
        add_coding(db, s.id, codes["huset"], coder="a")
    for s in stories[3:5]:
        add_coding(db, s.id, codes["skabe_med_andre"], coder="a")
    add_coding(db, stories[2].id, codes["skabe_med_andre"], coder="a")
    add_coding(db, stories[0].id, codes["huset"], start=0, end=15, coder="a")
    add_coding(db, stories[0].id, codes["tillidsfulde_relationer"], start=0, end=15, coder="a")
    return stories, codes


def test_word_counts_leave_out_stop_words(db, coded):
    table = word_counts(db, Selection())
    counts = {w.lemma: w.count for w in table.rows}
    assert counts["hus"] == 7 and counts["køkken"] == 6
    assert "og" not in counts and "i" not in counts and "ung" not in counts
    stories = {w.lemma: w.stories for w in table.rows}
    assert stories["hus"] == 3
    assert table.n_stories == 6


def test_word_counts_follow_the_filter(db, coded):
    table = word_counts(db, Selection(StoryFilter(sites=["Valby"])))
    counts = {w.lemma: w.count for w in table.rows}
    assert table.n_stories == 2 and counts["hus"] == 3 and counts["ven"] == 3


def test_editing_the_stop_list_changes_the_counts_at_once(db, coded):
    assert any(w.lemma == "køkken" for w in word_counts(db, Selection()).rows)
    set_stop_word(db, "køkkenet", "da")
    assert not any(w.lemma == "køkken" for w in word_counts(db, Selection()).rows)


def test_withdrawn_and_deleted_stories_leave_every_view(db, coded):
    stories, codes = coded
    withdraw_consent(db, stories[3].id)
    delete_story(db, stories[4].id)
    summary = theme_summary(db, Selection())
    assert summary.n_stories == 4
    assert not any(w.lemma == "ven" for w in summary.words.rows)
    assert all(c.code_id != codes["skabe_med_andre"] or c.stories == 1 for c in summary.by_site)


def test_evaluators_see_only_stories_consented_for_evaluation(db, coded):
    add(db, "Vennerne kom i huset hver dag.", evaluation=False)
    everyone = word_counts(db, Selection()).n_stories
    evaluator = word_counts(db, Selection(actor=Actor("eva", "evaluator"))).n_stories
    assert everyone == 7 and evaluator == 6


def test_distinctive_words_by_code(db, coded):
    stories, codes = coded
    groups = {g.group: g for g in distinctive_words(db, Selection(), "code")}
    house = groups[str(codes["huset"])]
    assert house.n_stories == 3
    assert house.words[0].lemma in ("hus", "køkken") and house.words[0].z > 0
    friends = groups[str(codes["skabe_med_andre"])]
    assert "ven" in [w.lemma for w in friends.words]
    relations = groups[str(codes["tillidsfulde_relationer"])]
    assert relations.n_stories == 1 and relations.words == []  # a code with one story: no words, said plainly


def test_distinctive_words_by_site_and_extra_attribute(db, coded):
    by_site = {g.group: g for g in distinctive_words(db, Selection(), "site")}
    assert set(by_site) == {"Nordvest", "Valby"}
    by_age = {g.group: g.n_stories for g in distinctive_words(db, Selection(), "extra:age_group")}
    assert by_age == {"": 5, "15-17": 1}


def test_log_odds_favours_words_over_represented_in_the_group():
    group = np.array([0, 30, 5, 5], float)
    rest = np.array([0, 5, 30, 5], float)
    z = log_odds(group, rest, (group + rest) * 0.1 + 0.01)
    assert z[1] > 2 > z[3] > z[2]


def test_code_counts_by_period_site_role_and_extra(db, coded):
    stories, codes = coded
    by_month = {(c.group, c.code_id): c for c in code_counts(db, Selection(), "month")}
    january = by_month[("2025-01", codes["huset"])]
    assert january.stories == 1 and january.group_stories == 2 and january.share == 0.5
    by_quarter = {(c.group, c.code_id): c.stories for c in code_counts(db, Selection(), "quarter")}
    assert by_quarter[("2025-Q1", codes["huset"])] == 2
    by_role = {(c.group, c.code_id): c.stories for c in code_counts(db, Selection(), "teller_role")}
    assert by_role[("staff", codes["skabe_med_andre"])] == 1
    by_age = {(c.group, c.code_id): c.stories for c in code_counts(db, Selection(), "extra:age_group")}
    assert by_age[("15-17", codes["huset"])] == 1


def test_summary_counts_match_the_sql_counts(db, coded):
    def rows(counts):
        return sorted((c.group, c.code_id, c.stories, c.group_stories, round(c.share, 6)) for c in counts)

    summary = theme_summary(db, Selection(), period="month")
    assert rows(summary.by_period) == rows(code_counts(db, Selection(), "month"))
    assert rows(summary.by_site) == rows(code_counts(db, Selection(), "site"))
    assert rows(summary.by_role) == rows(code_counts(db, Selection(), "teller_role"))


@pytest.mark.parametrize("as_array", [False, True])
def test_counts_from_pairs_by_group_then_code(as_array):
    seqs = np.array([1, 2, 3, 5])
    labels = ["Valby", "Amager", "Valby", ""]
    pairs = [(1, 40), (1, 7), (2, 7), (3, 40), (5, 7), (9, 7)]  # story 9 is not in the selection
    got = counts_from_pairs(seqs, labels, np.array(pairs) if as_array else pairs)
    assert got == [CodeCount("", 7, 1, 1, 1.0), CodeCount("Amager", 7, 1, 1, 1.0),
                   CodeCount("Valby", 7, 1, 2, 0.5), CodeCount("Valby", 40, 2, 2, 1.0)]
    assert counts_from_pairs(seqs, labels, np.zeros((0, 2), np.int64)) == []
    assert counts_from_pairs(seqs, labels, [(9, 7)]) == []


def test_cooccurrence_of_stories_and_sentences(db, coded):
    stories, codes = coded
    co = cooccurrence(db, Selection(), "story")
    index = {c: i for i, c in enumerate(co.codes)}
    assert co.counts[index[codes["huset"]], index[codes["skabe_med_andre"]]] == 1
    assert co.counts[index[codes["huset"]], index[codes["huset"]]] == 3
    assert co.units == 5
    sentences = cooccurrence(db, Selection(), "sentence")
    index = {c: i for i, c in enumerate(sentences.codes)}
    assert sentences.counts[index[codes["huset"]], index[codes["tillidsfulde_relationer"]]] == 1
    assert sentences.units == 1


def test_cooccurrence_of_nothing_is_empty():
    co = cooccurrence_from_pairs([])
    assert co.codes == [] and co.units == 0


def test_code_filter_restricts_to_stories_with_the_code(db, coded):
    stories, codes = coded
    selection = Selection(code_ids=(codes["skabe_med_andre"],))
    assert theme_summary(db, selection).n_stories == 3


def test_a_filter_matching_nothing_gives_empty_results(db, coded):
    selection = Selection(StoryFilter(sites=["Nowhere"]))
    summary = theme_summary(db, selection)
    assert summary.n_stories == 0 and summary.words.rows == [] and summary.distinctive == []
    assert summary.by_period == [] and summary.cooccurrence.codes == []
    assert coded_sentences(db, selection, 1) == [] and typical_stories(db, selection, 1) == []


def test_stories_without_words_and_in_another_language_are_counted_as_such(db, coded):
    add(db, "😀😀 🎉 👍 123")
    add(db, "Der Junge ging gestern mit seinem Vater in die Stadt und kaufte ein neues Fahrrad.")
    table = word_counts(db, Selection())
    assert table.empty == 1 and table.foreign == 1


def test_quotes_are_the_coded_passages_and_typical_stories(db, coded):
    stories, codes = coded
    quotes = coded_sentences(db, Selection(), codes["huset"])
    assert [q.text for q in quotes] == [HOUSE[0:15]]
    assert quotes[0].teller_pseudonym == "U-0001"
    typical = typical_stories(db, Selection(), codes["huset"], limit=2)
    assert len(typical) == 2 and all(q.score > 0 for q in typical)
    assert {q.story_id for q in typical} <= {s.id for s in stories[:3]}


def test_timeline_includes_stories_told_about_the_young_person(db, coded):
    stories, codes = coded
    entries = timeline(db, "U-0001")
    assert [e.day for e in entries] == ["2025-01-10", "2025-02-10", "2025-04-02"]
    assert entries[2].teller_pseudonym == "S-0001" and entries[2].teller_role == "staff"
    assert set(entries[2].code_ids) == {codes["huset"], codes["skabe_med_andre"]}
    assert entries[0].sentiment is not None
    people = dict(pseudonyms(db))
    assert people["U-0001"] == 3 and people["U-0002"] == 2 and "S-0001" not in people


def test_groupings_offer_extra_attributes_but_not_the_pseudonym_link(db, coded):
    options = groupings(db)
    assert "extra:age_group" in options and "extra:about" not in options
    assert {"code", "site", "teller_role", "month", "quarter"} <= set(options)
    rows = group_rows(db, StoryFilter(), by="quarter")
    assert {r[1] for r in rows} == {"2025-Q1", "2025-Q2"}


@pytest.mark.parametrize("by", ["nonsense", "extra:", "site; DROP TABLE stories"])
def test_unknown_groupings_are_refused(db, by):
    with pytest.raises(ValueError):
        group_rows(db, StoryFilter(), by=by)


def test_code_infos_name_the_codes_in_the_chosen_language(db, coded):
    stories, codes = coded
    assert code_infos(db, "en")[codes["huset"]].name == "The House"
    assert code_infos(db, "da")[codes["huset"]].name == "Huset"


def test_selection_key_is_stable_and_distinguishes_filters():
    a = Selection(StoryFilter(sites=["A"]))
    assert a.key() == Selection(StoryFilter(sites=("A",))).key()
    assert a.key() != Selection(StoryFilter(sites=["B"])).key()
    assert a.key() != replace(a, actor=Actor("eva", "evaluator")).key()


PNG = b"\x89PNG"


def test_chart_builders_return_png_or_none_when_empty():
    from coding.themes import charts

    assert charts.wordcloud_png({"hus": 3, "ven": 2}).startswith(PNG)
    assert charts.wordcloud_png({}) is None
    assert charts.bar_png(["a $x$", "b"], [2, 1]).startswith(PNG)  # a '$' in user text is no formula
    assert charts.bar_png([], []) is None
    assert charts.lines_png(["2025-01", "2025-02"], {"Huset": [10, 20]}).startswith(PNG)
    assert charts.grouped_bars_png(["Valby"], {"Huset": [50.0]}).startswith(PNG)
    assert charts.heatmap_png(["A", "B"], np.array([[2, 1], [1, 3]])).startswith(PNG)
    assert charts.distribution_png({"staff": [1.0, -2.0], "none": []}).startswith(PNG)
    assert charts.distribution_png({}) is None
    assert charts.timeline_png(["2025-01-01", "2025-02-01"], ["Huset"], [(0, 0, "#E07A1F")], [1.0, None]).startswith(PNG)
    assert charts.timeline_png([], [], [], []) is None


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)"])
def test_csv_downloads_never_carry_formulas(cell):
    import pandas as pd

    from coding.themes.tables import csv_bytes

    data = csv_bytes(pd.DataFrame({"quote": [cell], "n": [-1]})).decode("utf-8-sig")
    row = data.splitlines()[1]
    assert row.lstrip('"').startswith("'" + cell[0])
    assert row.endswith(",-1")  # numbers stay numbers


def test_evaluators_see_no_names_in_words_quotes_or_timeline(db):
    create_codebook(db, "", "kbh_plus")
    house = {c.key: c.id for c in codable_codes(db, active_codebook(db))}["huset"]
    story = add(db, "Emil kom i huset. Emil lavede mad i køkkenet.", pseudonym="U-0007")
    add(db, "Emil og vennerne kom i huset igen.", pseudonym="U-0007")
    add_coding(db, story.id, house, start=0, end=17, coder="a")
    evaluator = Actor("eva", "evaluator")
    assert "emil" in {w.lemma for w in word_counts(db, Selection()).rows}
    assert "emil" not in {w.lemma for w in word_counts(db, Selection(actor=evaluator)).rows}
    assert "emil" not in {w.lemma for g in distinctive_words(db, Selection(actor=evaluator), "site") for w in g.words}
    assert coded_sentences(db, Selection(), house)[0].text == "Emil kom i huset."
    hidden = coded_sentences(db, Selection(actor=evaluator), house)[0]
    assert "Emil" not in hidden.text and "kom i huset" in hidden.text and hidden.pseudonymised
    typical = typical_stories(db, Selection(actor=evaluator), house)[0]
    assert "Emil" not in typical.text
    published = Selection(StoryFilter(purpose="evaluation"))
    assert "Emil" not in coded_sentences(db, published, house)[0].text


def test_extra_attribute_values_respect_consent_and_scope(db):
    from coding.themes.groups import extra_values
    from stories.model import Consent, Story
    from stories.storage import create_story

    create_story(db, Story(text="En.", significance="x", site="Valby", extra={"hold": "A"},
                           consent=Consent(internal=True, evaluation=True)))
    create_story(db, Story(text="To.", significance="x", site="Amager", extra={"hold": "B"},
                           consent=Consent(internal=True)))
    assert extra_values(db, "hold") == ["A", "B"]
    assert extra_values(db, "hold", actor=Actor("eva", "evaluator")) == ["A"]
    assert extra_values(db, "hold", actor=Actor("s", "staff", frozenset({"Amager"}))) == ["B"]


@pytest.mark.parametrize("by", ["code", "site", "teller_role"])
def test_group_sums_are_the_same_for_few_groups_and_many(db, coded, monkeypatch, by):
    import coding.nlp.lemma_matrix as lemma_matrix

    few = distinctive_words(db, Selection(), by)  # a dense weight array
    monkeypatch.setattr(lemma_matrix, "DENSE_GROUPS", 0)  # as for more than 64 groups: a sparse one
    many = distinctive_words(db, Selection(), by)
    assert few == many and any(g.words for g in few)


def test_typical_stories_are_ranked_by_the_cosine_to_the_codes_tf_idf_centroid(db, coded):
    from coding.themes.words import content_mask

    stories, codes = coded
    seqs = [db.execute("SELECT seq FROM stories WHERE id = ?", [s.id]).fetchone()[0] for s in stories]
    matrix = load_matrix(db)
    coded_seqs = sorted(seqs[:3])  # the stories carrying "huset"
    x = matrix.counts[matrix.rows(coded_seqs)].toarray().astype(float)  # the definition, on dense rows
    idf = np.log((1 + len(coded_seqs)) / (1 + (x > 0).sum(axis=0))) + 1
    x = x * content_mask(db, matrix) * idf
    centroid = x.mean(axis=0)
    cosine = x @ centroid / np.linalg.norm(x, axis=1) / np.linalg.norm(centroid)
    expected = sorted(zip(-cosine, coded_seqs))
    typical = typical_stories(db, Selection(), codes["huset"])
    ids = {seq: s.id for seq, s in zip(seqs, stories)}
    assert [q.story_id for q in typical] == [ids[seq] for _, seq in expected]
    assert [q.score for q in typical] == pytest.approx([-c for c, _ in expected])
