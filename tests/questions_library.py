"""A library with one question of each of the six kinds, for the tests of the forms that ask them."""

from __future__ import annotations

from stories.questions.library import Question, add_question, make_question


def six_kinds(db) -> dict[str, Question]:
    """Adds a triad, a dyad, a single choice (with "does not apply"), a multiple choice, a required
    scale and a write-in to the library; returns them by key."""
    made = [make_question("hvad_hjalp", "triad", "Hvad hjalp mest?", options=["Huset", "Vennerne", "De voksne"]),
            make_question("humoer", "dyad", "Hvordan havde du det?", options=["Bekymret", "Håbefuld"]),
            make_question("sted", "single", "Hvor skete det?", options=["Skolen", "Hjemme"], allow_na=True),
            make_question("hvem", "multiple", "Hvem var med?", options=["Venner", "Familie"]),
            make_question("stoerrelse", "scale", "Hvor stor var forandringen?", required=True),
            make_question("et_ord", "text", "Ét ord for forandringen")]
    return {q.key: add_question(db, q) for q in made}
