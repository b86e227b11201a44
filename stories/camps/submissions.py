"""A participant's story arriving at a camp: checked, stored with its camp link, signifiers and
answers in one transaction, under a display name and a random teller pseudonym (no account)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from stories.camps.camps import Camp, CampClosed, CampInvalid, CampNotFound, clean_line, select_camps
from stories.camps.signifiers import Signifiers, check_sliders, normalise_weights, save_signifiers
from stories.model import MECHANISMS, Consent, Story
from stories.storage import create_story, story_seq
from stories.trust.permissions import PUBLIC
from stories.validation import CONTROL_RE, PSEUDONYM_RE, FieldError, StoryInvalid, validate

MAX_DISPLAY_NAME = 40


@dataclass
class CampSubmission:
    """A participant's story from the camp form (no account: a display name they choose)."""

    text: str
    significance: str
    display_name: str
    consent_internal: bool
    domain: str = ""
    title: str = ""
    teller_role: str = "young_person"
    polarity: str | None = None
    language: str = "da"
    consent_evaluation: bool = False
    teller_under_15: bool = False
    guardian: bool = False
    signifiers: Signifiers | None = None
    teller_pseudonym: str = ""  # one per participant (browser session); see new_teller_pseudonym
    answers: dict[int, object] = field(default_factory=dict)  # the camp's library questions: id -> value


TELLER_PREFIX = "CAMP"
TELLER_DIGITS = 8


def new_teller_pseudonym() -> str:
    """A random pseudonym for a camp participant (CAMP-12345678, the same form as other tellers'):
    their stories can be found and erased by it; the display name never becomes a teller field."""
    return f"{TELLER_PREFIX}-{secrets.randbelow(10 ** TELLER_DIGITS):0{TELLER_DIGITS}d}"


def _teller_pseudonym(value: str) -> str:
    value = clean_line(value)
    if value.startswith(TELLER_PREFIX + "-") and PSEUDONYM_RE.match(value):
        return value
    return new_teller_pseudonym()


def _taken_elsewhere(db: Database, pseudonym: str, camp_id: int) -> bool:
    """True when a story outside this camp already carries the pseudonym (a random clash)."""
    return db.execute(
        "SELECT 1 FROM stories AS s LEFT JOIN camp_stories AS c ON c.story_seq = s.seq"
        " WHERE s.teller_pseudonym = ? AND (c.camp_id IS NULL OR c.camp_id != ?) LIMIT 1", [pseudonym, camp_id]
    ).fetchone() is not None


def check_camp_submission(camp: Camp, s: CampSubmission) -> Story:
    """The story to store, after checking the camp-specific fields."""
    errors: list[FieldError] = []
    name = clean_line(s.display_name)
    if not name:
        errors.append(FieldError("display_name", "error.required"))
    elif len(name) > MAX_DISPLAY_NAME:
        errors.append(FieldError("display_name", "error.too_long", {"max": MAX_DISPLAY_NAME, "n": len(name)}))
    elif CONTROL_RE.search(name):
        errors.append(FieldError("display_name", "error.control_characters"))
    if camp.domains and s.domain not in camp.domains:
        errors.append(FieldError("domain", "error.choice", {"value": s.domain}))
    if not s.consent_internal:
        errors.append(FieldError("consent", "error.consent_required"))
    story = Story(
        text=s.text, significance=s.significance, title=s.title, teller_role=s.teller_role, site=camp.site,
        teller_pseudonym=_teller_pseudonym(s.teller_pseudonym),
        session_type="camp", language=s.language, source="camp", polarity=s.polarity or None,
        teller_mechanism=s.domain if s.domain in MECHANISMS else "",
        consent=Consent(internal=bool(s.consent_internal), evaluation=bool(s.consent_evaluation),
                        teller_under_15=bool(s.teller_under_15), guardian=bool(s.guardian)),
    )
    try:
        story = validate(story)
    except StoryInvalid as exc:
        errors = exc.errors + errors
    if errors:
        raise CampInvalid(errors)
    return story


def submit_camp_story(db: Database, camp_id: int, submission: CampSubmission, *, submission_key: str,
                      now: dt.datetime | None = None) -> Story:
    """Store a participant's story with its camp link, signifiers and answers to the camp's library
    questions (checked first: QuestionInvalid), all in one transaction.

    The same `submission_key` again (a double tap) returns the first story and stores
    nothing. A closed camp refuses with CampClosed, which carries the text back.
    """
    from stories.db import write_transaction

    if not submission_key:
        raise ValueError("a submission key is required")
    camps = select_camps(db, "id = ?", [camp_id])
    if not camps:
        raise CampNotFound(str(camp_id))
    answers = None
    if submission.signifiers is not None and not submission.signifiers.empty:
        answers = Signifiers(camps[0].signifiers.poles, normalise_weights(submission.signifiers.weights),
                             check_sliders(submission.signifiers.sliders))
    from stories.camps.questions import camp_questions
    from stories.questions.answers import check_answers, write_answers

    questions = camp_questions(db, camp_id)
    clean = check_answers(questions, submission.answers or {})  # QuestionInvalid before anything is written
    # The text's NLP index before the write lock (a room of phones sends at once); create_story
    # works it out again only if the checked story's text turns out different.
    from stories.textindex.pipeline import prepare_index

    try:
        draft = check_camp_submission(camps[0], submission)
        index = prepare_index([draft.text], [draft.language])
    except StoryInvalid:
        index = None  # refused under the lock, with every error named
    with write_transaction(db):
        existing = db.execute("SELECT id FROM stories WHERE submission_key = ?", [submission_key]).fetchone()
        camp = select_camps(db, "id = ?", [camp_id])[0]  # read again under the write lock
        if not existing and not camp.is_open(now):
            raise CampClosed(camp, submission.text, submission.significance)
        story = check_camp_submission(camp, submission)
        if submission.domain and db.execute("SELECT 1 FROM msc_domains WHERE key = ?", [submission.domain]).fetchone():
            story = replace(story, domain=submission.domain)  # one of the install's domains of change
        while not existing and _taken_elsewhere(db, story.teller_pseudonym, camp.id):
            story = replace(story, teller_pseudonym=new_teller_pseudonym())
        stored = create_story(db, story, actor=PUBLIC, submission_key=submission_key, index=index)
        seq = story_seq(db, stored.id)
        db.conn.execute("INSERT OR IGNORE INTO camp_stories (story_seq, camp_id, domain, display_name)"
                        " VALUES (?, ?, ?, ?)", [seq, camp.id, submission.domain, clean_line(submission.display_name)])
        if answers is not None:
            save_signifiers(db, seq, answers)
        if clean and not existing:
            write_answers(db, seq, questions, clean)
    return stored
