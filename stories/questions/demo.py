"""Demo extension: a form with every kind of question, asked on the staff form and /tell, and
fictional answers for the demo stories with a real pattern in them (hopeful stories tell of
bigger changes; stories from the house lean to the house in the triad)."""

from __future__ import annotations

import random

from sqlite_utils import Database

from stories.db import write_transaction
from stories.trust.permissions import Actor
from stories.questions.answers import NOT_APPLICABLE, check_answers, write_answers
from stories.questions.library import add_question, form_questions, get_question, make_question, set_form
from stories.questions.presets import add_preset

DEMO_QUESTIONS = (
    make_question("where_it_happened", "single", "Hvor skete forandringen?", "Where did the change happen?",
                  options=[{"key": "huset", "da": "I huset", "en": "In the house"},
                           {"key": "skolen", "da": "I skolen", "en": "At school"},
                           {"key": "hjemme", "da": "Derhjemme", "en": "At home"}], allow_na=True),
    make_question("one_word", "text", "Ét ord for forandringen", "One word for the change"),
    make_question("age_band", "single", "Hvor gammel er du?", "How old are you?", about="teller",
                  options=[{"key": "13_15", "da": "13-15 år", "en": "13-15"},
                           {"key": "16_18", "da": "16-18 år", "en": "16-18"},
                           {"key": "19_25", "da": "19-25 år", "en": "19-25"}]),
    make_question("time_in_programme", "single", "Hvor længe har du været med?", "How long have you taken part?",
                  about="teller", options=[{"key": "under_6m", "da": "Under et halvt år", "en": "Under six months"},
                                           {"key": "over_6m", "da": "Et halvt år eller mere",
                                            "en": "Six months or more"}]),
)
DEMO_FORM = ("kbh_mechanisms", "feeling", "change_size", "dr_elements", "where_it_happened", "one_word", "age_band",
             "time_in_programme")
WORDS = ("Mod", "Ro", "Håb", "Venner", "Plan", "Tillid", "Glæde", "Styrke")


def _answers(rng: random.Random, polarity: str, i: int) -> dict[str, object]:
    hopeful = {"positive": 75, "mixed": 50, "negative": 25}.get(polarity, 50)
    feeling = max(0, min(100, round(rng.gauss(hopeful, 12))))
    change = max(0, min(100, round(feeling * 0.8 + rng.gauss(10, 10))))
    where = rng.choice(("huset", "huset", "skolen", "hjemme"))
    house = 0.6 if where == "huset" else 0.2
    rest = rng.random() * (1 - house)
    triad = [round(house, 2), round(rest, 2), round(1 - round(house, 2) - round(rest, 2), 2)]
    elements = sorted(rng.sample(("express_care", "challenge_growth", "provide_support", "share_power",
                                  "expand_possibilities"), rng.randint(1, 3)))
    return {"kbh_mechanisms": triad, "feeling": feeling, "change_size": change, "dr_elements": elements,
            "where_it_happened": NOT_APPLICABLE if i % 13 == 0 else where, "one_word": rng.choice(WORDS),
            "age_band": rng.choice(("13_15", "16_18", "19_25")),
            "time_in_programme": "over_6m" if change > 55 or rng.random() < 0.3 else "under_6m"}


def load_demo_questions(db: Database) -> str:
    """The demo question library and form, and answers for the demo stories (idempotent)."""
    for preset in ("kbh_mechanisms", "feelings", "change_size", "developmental_relationships"):
        add_preset(db, preset)
    for q in DEMO_QUESTIONS:
        if not db.execute("SELECT 1 FROM questions WHERE key = ?", [q.key]).fetchone():
            add_question(db, q)
    ids = [get_question(db, key).id for key in DEMO_FORM]
    for form in ("staff", "tell"):
        if not form_questions(db, form):
            set_form(db, form, ids)
    questions = [get_question(db, key) for key in DEMO_FORM]
    rng = random.Random(14)
    stored = 0
    rows = db.execute("SELECT seq, COALESCE(polarity, '') FROM stories WHERE import_key LIKE 'demo:%'"
                      " ORDER BY import_key").fetchall()
    with write_transaction(db):
        for i, (seq, polarity) in enumerate(rows):
            values = _answers(rng, polarity, i)
            answered = {r[0] for r in db.execute("SELECT question_id FROM story_answers WHERE story_seq = ?", [seq])}
            clean = check_answers(questions, {q.id: values[q.key] for q in questions if q.id not in answered})
            if clean:
                write_answers(db, seq, questions, clean)
                stored += 1
    added = _demo_observations(db)
    return f"{stored} stories' answers added, {added} observations"


DEMO_OBSERVATIONS = (
    ("feeling", "change_size",
     "Jo mere håbefulde de unge var, jo større kalder de forandringen. Mønsteret er tydeligt i alle tre huse.",
     ["De unge, der har det godt, ser lettere forandringer i deres liv (stemningen farver svaret).",
      "Store forandringer giver håb: det er forandringen, der skaber følelsen, ikke omvendt.",
      "Personalet hjælper især dem, der allerede er godt på vej, med at fortælle."]),
    ("where_it_happened", "kbh_mechanisms#huset",
     "Historier om forandringer i huset lægger sig tæt på 'Huset' i trekanten.",
     ["Huset som sted og som mekanisme er det samme for de unge.",
      "Spørgsmålet om stedet påvirker, hvordan de placerer historien i trekanten bagefter."]),
)


DEMO_EVALUATOR = Actor("fond", "evaluator")  # the demo's board/funder account (README)


def _demo_observations(db: Database) -> int:
    """Fictional observations with competing interpretations on two of the demo's patterns (once)."""
    from stories.questions.observations import add_observation

    if db.execute("SELECT 1 FROM pattern_observations LIMIT 1").fetchone():
        return 0
    for a, b, text, readings in DEMO_OBSERVATIONS:
        add_observation(db, a, b, text, readings, actor=DEMO_EVALUATOR)
    return len(DEMO_OBSERVATIONS)
