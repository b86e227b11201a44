"""The themes page on the demo data (AppTest), and accepting a suggestion on the coding page."""

import pytest

from changestories.database import connect
from stories.trust.permissions import Actor
from tests.apptest import open_app, pictures

VIEWS = ("words", "codes", "cooccurrence", "quotes", "sentiment", "timeline", "report", "stopwords")


def themes_page(actor=Actor("eva", "admin"), lang=None):
    return open_app("app_pages/themes.py", actor=actor, lang=lang, timeout=90)


def show(at, view):
    at.session_state["themes_view"] = view
    at.run()
    assert not at.exception, at.exception
    return at


def download_names(at):
    return {d.proto.label for d in at.get("download_button")}


def test_every_view_renders_on_the_demo_data(demo):
    at = themes_page()
    for view in VIEWS:
        show(at, view)
    at = show(at, "words")
    assert len(pictures(at)) >= 1  # the word cloud
    bar_lists = [h for h in at.html if h.value.startswith('<div role="list"')]
    assert len(bar_lists) >= 3  # distinctive words of the three mechanisms, drawn by the browser
    labels = download_names(at)
    assert "Hent grafen (PNG)" in labels and "Hent tabellen (CSV)" in labels


def test_the_words_view_shows_distinctive_words_for_the_three_mechanisms(demo):
    at = show(themes_page(), "words")
    shown = " ".join(m.value for m in at.markdown)
    for name in ("Huset", "Det at skabe med andre", "Tillidsfulde relationer"):
        assert name in shown


def test_codes_and_cooccurrence_views_offer_png_and_csv(demo):
    at = show(themes_page(), "codes")
    assert [s.value for s in at.subheader][:2] == ["Fortællinger pr. kode",
                                                   "Koder over tid (andel af periodens fortællinger)"]
    at.radio(key="themes_period").set_value("quarter").run()
    assert not at.exception
    at.selectbox(key="themes_codes_by").set_value("extra:age_group").run()
    assert not at.exception
    at = show(at, "cooccurrence")
    at.radio(key="themes_level").set_value("sentence").run()
    assert not at.exception
    assert "Hent grafen (PNG)" in download_names(at)


def test_quotes_and_timeline_show_pseudonyms_only(demo):
    at = show(themes_page(), "quotes")
    assert len(at.text) > 0
    at = show(at, "timeline")
    assert at.selectbox(key="themes_person").value.startswith("U-")
    assert not at.exception


def test_a_filter_that_matches_nothing_says_so(demo):
    at = themes_page()
    at.text_input(key="themes_to").input("1.1.1995")
    for view in ("words", "codes", "cooccurrence", "sentiment"):
        at = show(at, view)
        assert any("Ingen fortællinger passer" in i.value for i in at.info)


def test_the_report_downloads_as_docx(demo):
    at = show(themes_page(), "report")
    assert not at.exception
    assert "Hent rapporten (DOCX)" not in download_names(at)
    next(b for b in at.button if b.label == "Lav rapport").click().run()
    assert not at.exception
    assert "Hent rapporten (DOCX)" in download_names(at)


def test_evaluators_may_not_edit_the_stop_list_but_admins_may(demo):
    at = show(themes_page(Actor("eva", "staff")), "stopwords")
    assert any("Kun evaluatorer" in i.value for i in at.info)
    at = show(themes_page(), "stopwords")
    next(t for t in at.text_input if t.label == "Ord").input("køkkenet")
    next(b for b in at.button if b.label == "Gem").click().run()
    assert not at.exception
    assert any("køkkenet" in s.value for s in at.success)


def test_english_on_request(demo):
    at = themes_page(lang="en")
    assert at.title[0].value == "Themes in the stories"


def test_accepting_a_suggestion_on_the_coding_page_records_the_coding(demo):
    from coding.themes.classifier import trained_models

    trained_models(connect(demo), wait=True)  # as once the background training is done: the same suggestions each rerun
    at = open_app("app_pages/code.py", actor=Actor("coder-x", "evaluator"), timeout=90)
    accept = [b for b in at.button if b.key and b.key.startswith("suggest_") and b.key.endswith("_True")]
    assert accept, "the demo story on screen should get a suggestion"
    key = accept[0].key
    accept[0].click().run()
    assert not at.exception
    _, story_id, code_id, _ = key.split("_")
    db = connect(demo)
    row = db.execute("SELECT c.origin, e.accepted FROM codings AS c JOIN suggestion_events AS e"
                     " ON e.story_seq = c.story_seq AND e.code_id = c.code_id"
                     " WHERE c.coder = 'coder-x' AND c.code_id = ?", [int(code_id)]).fetchone()
    assert row == ("suggestion", 1)
    assert at.checkbox(key=f"whole_{story_id}_{code_id}").value is True


def test_the_codebook_page_shows_cross_validated_quality(demo):
    at = open_app("app_pages/codebook.py", actor=Actor("eva", "admin"), timeout=90)
    next(b for b in at.button if b.key == "themes_quality_run").click().run()
    assert not at.exception
    assert len(at.table) >= 1


def test_cooccurrence_sentiment_and_timeline_are_drawn_by_the_browser_with_a_png_download(demo):
    at = themes_page()
    for view in ("cooccurrence", "sentiment", "timeline"):
        at = show(at, view)
        assert len(at.get("plotly_chart")) == 1 and not pictures(at), view
        assert "Hent grafen (PNG)" in download_names(at), view


def test_the_browsers_boxes_are_matplotlibs():
    import numpy as np
    from matplotlib import cbook

    from ui.themes_charts import _box

    values = np.random.default_rng(5).normal(size=301).round(2)
    values[:3] = [9.0, -8.0, 7.5]  # beyond the whiskers
    box, stats = _box(values), cbook.boxplot_stats(values)[0]
    assert [box[k][0] for k in ("q1", "median", "q3", "lowerfence", "upperfence")] == pytest.approx(
        [stats["q1"], stats["med"], stats["q3"], stats["whislo"], stats["whishi"]])


def test_the_timelines_sentiment_line_shows_the_tables_values(demo):
    """The line's points (and so its hover texts) are the sentiment the table under it shows, to one
    decimal, not the raw score with six ("7,920792" in the browser)."""
    import json

    at = show(themes_page(), "timeline")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    line = next(trace for trace in figure["data"] if trace.get("mode") == "lines+markers")
    shown = [v for v in line["y"] if v is not None]
    assert shown and any(v != round(v) for v in shown), line["y"]  # real decimals, not whole numbers by chance
    table = at.table[0].value
    column = next(c for c in table.columns if str(c).startswith("Stemning"))
    in_table = [v for v in table[column].tolist() if v not in (None, "", "–")]
    assert in_table == [f"{v:g}".replace(".", ",") for v in shown]  # "2,6", "0": the table's Danish numbers


def test_the_heatmaps_counts_are_written_with_thousands_separators(demo):
    """Its cells and hovers group thousands (d3's ","), which the layout's Danish separators turn into
    "3.326" as the tables write it; the browser showed "3326" at 6,000 stories."""
    import json

    at = show(themes_page(), "cooccurrence")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    heatmap = next(trace for trace in figure["data"] if trace["type"] == "heatmap")
    assert heatmap["texttemplate"] == "%{z:,}" and "%{z:,}" in heatmap["hovertemplate"]
    assert heatmap["colorbar"]["tickformat"] == ","  # its scale too ("1500" before)
    assert figure["layout"]["separators"] == ",."
