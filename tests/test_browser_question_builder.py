"""End to end on a desktop: an admin builds a form with every question kind on the page
"Spørgsmål" in a real browser (Chromium): adds a triad, a dyad, a single and a multiple choice,
a scale and a write-in (one about the teller, one required, one with "does not apply"), then
makes /tell ask them all, in order."""

import pytest

from changestories.database import connect
from stories.questions.library import KINDS, form_questions
from tests.e2e import chromium, live_app, require_chromium, sized_page

pytestmark = pytest.mark.browser

QUESTIONS = [  # kind label, key, Danish, English, options, extras
    ("Trekant (tre poler)", "hvad_hjalp", "Hvad hjalp mest?", "What helped most?",
     "Huset | The house\nVennerne | Friends\nDe voksne | The adults", ()),
    ("Skala mellem to poler", "humoer", "Hvordan havde du det?", "How did you feel?",
     "Bekymret | Worried\nHåbefuld | Hopeful", ()),
    ("Vælg én", "sted", "Hvor skete det?", "Where did it happen?", "Skolen | School\nHjemme | Home",
     ("Svaret 'Passer ikke' er muligt",)),
    ("Vælg flere", "hvem", "Hvem var med?", "Who was there?", "Venner | Friends\nFamilie | Family\nPersonale | Staff",
     ()),
    ("Skala 0-100", "stoerrelse", "Hvor stor var forandringen?", "How big was the change?", "", ("Skal besvares",)),
    ("Kort skrevet svar", "et_ord", "Ét ord for forandringen", "One word for the change", "", ("fortælleren",)),
]


def choose(scope, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox or multiselect by its label and the option's text
    (a click on a box that kept the focus may close its list: then it is clicked again)."""
    box = scope.get_by_role("combobox", name=label)
    page = getattr(scope, "page", scope)  # a Locator knows its page
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        box.click()
        try:
            wanted.wait_for(timeout=3000)
            break
        except Exception:
            continue
    wanted.click()


def test_an_admin_builds_a_form_with_every_kind_in_the_browser(db_path):
    require_chromium()
    with live_app(db_path) as url, chromium() as browser:
        page = sized_page(browser, "desktop")
        page.goto(f"{url}/questions")
        page.get_by_text("Spørgsmålet på dansk").first.wait_for()
        new = page.get_by_test_id("stForm").first  # the new question's form (the library's edit forms follow)
        for kind, key, da, en, options, extras in QUESTIONS:
            choose(new, "Type", kind)
            new.get_by_label("Nøgle (små bogstaver, tal og _)").fill(key)
            new.get_by_label("Spørgsmålet på dansk").fill(da)
            new.get_by_label("Spørgsmålet på engelsk").fill(en)
            new.get_by_label("Poler eller svarmuligheder (én pr. linje: dansk | engelsk)").fill(options)
            for extra in extras:
                new.get_by_text(extra, exact=True).click()
            new.get_by_role("button", name="Gem spørgsmålet").click()
            page.get_by_text(f"Spørgsmålet '{key}' er gemt.").wait_for()
            for extra in extras:  # the form keeps its values: untick for the next question
                if extra != "fortælleren":
                    new.get_by_text(extra, exact=True).click()
        page.get_by_role("tab", name="Formularer").click()
        for n, (_, _, da, _, _, _) in enumerate(QUESTIONS, start=1):
            choose(page, "Spørgsmålene i formularen, i rækkefølge: tilføj en mere", da)  # added in this order
            page.get_by_role("button", name=f"{n}. {da}", exact=True).wait_for()  # numbered among the chosen
        page.get_by_text("Alt er valgt.", exact=True).wait_for()
        page.get_by_role("button", name="Gem formularen").click()
        page.get_by_text("Formularen stiller nu 6 spørgsmål.").wait_for()
        page.screenshot(path=str(db_path.parent / "question-builder-desktop.png"), full_page=True)
    db = connect(db_path)
    asked = form_questions(db, "tell")
    assert [q.key for q in asked] == [q[1] for q in QUESTIONS]
    assert sorted(q.kind for q in asked) == sorted(KINDS)
    by = {q.key: q for q in asked}
    assert [o.en for o in by["hvad_hjalp"].options] == ["The house", "Friends", "The adults"]
    assert by["stoerrelse"].required and not by["sted"].required and by["sted"].allow_na
    assert by["et_ord"].about == "teller" and by["humoer"].wording_en == "How did you feel?"
    assert [o.da for o in by["hvem"].options] == ["Venner", "Familie", "Personale"]
