"""The DOCX theme report's section on patterns: the strongest pairs ranked with corrected p-values
in plain Danish words, and the observations with their interpretations (pseudonymised for a
report for evaluation or publication)."""

import io

import pytest
from docx import Document

from changestories.database import connect
from changestories.demo import load_demo
from coding.themes.groups import Selection
from coding.themes.patterns_report import evidence_words
from coding.themes.report import theme_report
from stories.questions.observations import add_observation
from stories.trust.permissions import Actor


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(io.BytesIO(data)).paragraphs]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "demo.db"
    db = connect(path)
    load_demo(db)
    add_observation(db, "feeling", "time_in_programme", "Mads og de andre, der har været med længe, er gladere.",
                    ["Tiden i huset giver ro.", "De glade bliver hængende."], actor=Actor("fie", "facilitator"))
    return db


def test_the_report_ranks_the_patterns_in_plain_words_with_the_observations(demo):
    paras = paragraphs(theme_report(demo, Selection(), purpose="internal"))
    texts = [text for _, text in paras]
    start = texts.index("Mønstre i svarene")
    assert paras[start][0] == "Heading 1"
    ranked = [text for style, text in paras[start:] if style == "List Number"]
    assert 3 <= len(ranked) <= 10
    assert ranked[0].startswith("Hvordan har du det, når du tænker på historien? og Hvor stor var forandringen?") \
        or ranked[0].startswith("Hvor stor var forandringen?")
    assert "Spearmans rho = 0," in ranked[0] and "Justeret p < 0,001: meget stærkt belæg" in ranked[0]
    assert "= <" not in "\n".join(ranked)
    assert any("Benjamini-Hochberg" in text for text in texts[start:start + 3])
    assert "Iagttagelser og fortolkninger" in texts[start:]
    demo_obs = "Jo mere håbefulde de unge var, jo større kalder de forandringen. Mønsteret er tydeligt i alle tre huse."
    assert demo_obs in texts
    bullets = [text for style, text in paras if style == "List Bullet"]
    assert "Store forandringer giver håb: det er forandringen, der skaber følelsen, ikke omvendt." in bullets
    assert "Mads og de andre, der har været med længe, er gladere." in texts  # internal report: as written


def test_a_report_for_evaluation_pseudonymises_observations(demo):
    texts = [text for _, text in paragraphs(theme_report(demo, Selection(), purpose="evaluation"))]
    assert not any("Mads" in text for text in texts)
    assert any(text.endswith("og de andre, der har været med længe, er gladere.") for text in texts)
    assert "Tiden i huset giver ro." in texts


def test_the_english_report_says_it_in_english(demo):
    texts = [text for _, text in paragraphs(theme_report(demo, Selection(), purpose="internal", lang="en"))]
    assert "Patterns in the answers" in texts and "Observations and interpretations" in texts


@pytest.mark.parametrize("q, words", [(0.0004, "meget stærkt belæg"), (0.004, "stærkt belæg, næppe"),
                                      (0.03, "belæg, sandsynligvis ikke"), (0.07, "svagt belæg"),
                                      (0.4, "intet belæg"), (None, "intet belæg")])
def test_corrected_p_values_in_plain_words(q, words):
    assert evidence_words(q, "da").startswith(words)


def test_no_questions_no_section(db):
    from stories.model import Consent, Story
    from stories.storage import create_story

    create_story(db, Story(text="Jeg fik en ven.", significance="Det betyder meget.", consent=Consent(internal=True)))
    texts = [text for _, text in paragraphs(theme_report(db, Selection(), purpose="internal"))]
    assert "Mønstre i svarene" not in texts
