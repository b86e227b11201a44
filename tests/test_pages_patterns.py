"""The patterns page on the demo data: an evaluator finds the strongest pattern, reads its test
and a story behind it; filters narrow the stories; English on request."""


from stories.trust.permissions import Actor
from tests.apptest import open_app, tables

PAGE = "app_pages/patterns.py"
EVALUATOR = Actor("Eva", "evaluator")


def test_an_evaluator_finds_and_reads_a_pattern(demo_path, monkeypatch):
    monkeypatch.setenv("CHANGESTORIES_DB", str(demo_path))
    at = open_app(PAGE, actor=Actor("admin", "admin"))
    assert not at.exception
    ranked = tables(at)[0]
    assert len(ranked) >= 3
    first = ranked.iloc[0]
    assert {first["Spørgsmål"], first["Sammen med"]} == {"Hvordan har du det, når du tænker på historien?",
                                                        "Hvor stor var forandringen? (0 = ingen, 100 = meget stor)"}
    assert first["Test"] == "Spearmans rho" and first["Justeret p"] == "< 0,001"
    assert any(c.value.startswith("Spearmans rho = 0,") or c.value.startswith("Spearmans rho = ")
               for c in at.caption)
    at.selectbox(key="pat_b").set_value("time_in_programme").run()
    assert not at.exception
    assert any("Mann-Whitney U" in c.value for c in at.caption)
    at.selectbox(key="pat_group").select_index(1).run()
    story_box = next(s for s in at.selectbox if s.key and s.key.startswith("pat_story_"))
    assert len(story_box.options) > 2
    texts_before = len(at.text)
    story_box.select_index(1).run()
    assert not at.exception
    assert len(at.text) > texts_before  # the story behind the picture is shown, as text


def test_the_page_in_english_with_a_filter(demo_path, monkeypatch):
    monkeypatch.setenv("CHANGESTORIES_DB", str(demo_path))
    at = open_app(PAGE, actor=Actor("admin", "admin"), lang="en")
    assert at.header[0].value == "Patterns in the answers"
    assert any(c.value.startswith("Spearman's rho = ") and "(48 stories)" in c.value for c in at.caption)
    at.pills(key="pat_sites").set_value(["Valby"]).run()
    assert not at.exception
    assert any(c.value.startswith("Spearman's rho = ") and "(12 stories)" in c.value for c in at.caption)


def test_an_evaluator_sees_only_stories_consented_for_evaluation(demo_path, monkeypatch):
    monkeypatch.setenv("CHANGESTORIES_DB", str(demo_path))
    at = open_app(PAGE, actor=EVALUATOR)
    assert not at.exception
    assert not any("(48 historier)" in c.value for c in at.caption)
