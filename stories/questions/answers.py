"""Answers to questions, per story per question: checked against the question, stored with
the version answered, and read back in that version's wording (never rewritten)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from stories.clock import now_iso
from stories.db import write_transaction
from stories.questions.errors import QuestionInvalid
from stories.questions.library import MAX_LABEL, Question, get_question

NOT_APPLICABLE = "n/a"  # the answer "does not apply"
MAX_TEXT = 500
SUM_TOLERANCE = 0.001


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError
    return float(value)


def check_answer(q: Question, value):
    """The stored form of an answer to `q` (None: skipped, NOT_APPLICABLE: does not apply),
    or QuestionInvalid naming what is wrong. A required question may not be skipped."""
    if value is None or value == "" or value == [] or (q.kind == "triad" and value == (0, 0, 0)):
        if q.required:
            raise QuestionInvalid("questions.error.required", question=q.wording_da)
        return None
    if value == NOT_APPLICABLE:
        if not q.allow_na:
            raise QuestionInvalid("questions.error.na", question=q.wording_da)
        return NOT_APPLICABLE
    try:
        if q.kind == "triad":
            weights = [_number(v) for v in value]
            if len(weights) != 3 or any(w < 0 or w > 1 for w in weights) or abs(sum(weights) - 1) > SUM_TOLERANCE:
                raise ValueError
            return [round(w, 4) for w in weights]
        if q.kind == "dyad":
            number = _number(value)
            if not 0 <= number <= 100:
                raise ValueError
            return round(number, 2)
        if q.kind == "scale":
            number = _number(value)
            if not q.scale_min <= number <= q.scale_max:
                raise QuestionInvalid("questions.error.scale", min=q.scale_min, max=q.scale_max)
            return int(number) if number == int(number) else round(number, 2)
        if q.kind == "single":
            if q.option(str(value)) is None:
                raise QuestionInvalid("questions.error.not_on_list", value=str(value)[:MAX_LABEL])
            return str(value)
        if q.kind == "multiple":
            if isinstance(value, str):
                raise ValueError
            chosen = list(dict.fromkeys(str(v) for v in value))
            wrong = [v for v in chosen if q.option(v) is None]
            if wrong:
                raise QuestionInvalid("questions.error.not_on_list", value=wrong[0][:MAX_LABEL])
            return chosen or None
        if q.kind == "text":
            text = str(value).strip()
            if len(text) > MAX_TEXT:
                raise QuestionInvalid("questions.error.text_long", max=MAX_TEXT)
            return text or None
    except QuestionInvalid:
        raise
    except (TypeError, ValueError):
        raise QuestionInvalid(f"questions.error.{q.kind}") from None
    raise QuestionInvalid("questions.error.kind")


def check_answers(questions: Sequence[Question], values: Mapping[int, object]) -> dict[int, object]:
    """Every answer of a form checked (question id -> stored form); skipped ones left out."""
    asked = {q.id for q in questions}
    if any(k not in asked for k in values):
        raise QuestionInvalid("questions.error.not_asked")
    clean = {}
    for q in questions:
        value = check_answer(q, values.get(q.id))
        if value is not None:
            clean[q.id] = value
    return clean


def write_answers(db: Database, story_seq: int, questions: Sequence[Question], clean: Mapping[int, object]) -> None:
    """Store checked answers (call inside the story's write transaction)."""
    stamp = now_iso()
    versions = {q.id: q.version for q in questions}
    for qid, value in clean.items():
        na = value == NOT_APPLICABLE
        db.execute("INSERT OR REPLACE INTO story_answers (story_seq, question_id, version, value, not_applicable,"
                   " answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [story_seq, qid, versions[qid], None if na else json.dumps(value, ensure_ascii=False),
                    int(na), stamp])


def save_answers(db: Database, story_seq: int, questions: Sequence[Question], values: Mapping[int, object]) -> int:
    """Check every answer, then store them all in one transaction (nothing is written when one is wrong)."""
    clean = check_answers(questions, values)
    with write_transaction(db):
        write_answers(db, story_seq, questions, clean)
    return len(clean)


@dataclass(frozen=True)
class Answer:
    """A stored answer, with the question as the version answered words it."""

    question: Question
    value: object  # None when "does not apply"
    not_applicable: bool

    def text(self, lang: str = "da") -> str:
        """The answer for people, in `lang`."""
        return answer_text(self.question, self.value, self.not_applicable, lang)


def answer_text(q: Question, value, not_applicable: bool = False, lang: str = "da") -> str:
    from stories.i18n import t

    if not_applicable:
        return t("questions.answer.na", lang)
    if q.kind == "triad":
        return " · ".join(f"{o.label(lang)} {round(w * 100)} %" for o, w in zip(q.options, value))
    if q.kind == "dyad":
        return f"{q.options[0].label(lang)} {round(100 - value)} % · {q.options[1].label(lang)} {round(value)} %"
    if q.kind == "single":
        option = q.option(value)
        return option.label(lang) if option else str(value)
    if q.kind == "multiple":
        return ", ".join(q.option(v).label(lang) if q.option(v) else str(v) for v in value)
    return str(value)


def story_answers(db: Database, story_seq: int) -> list[Answer]:
    """A story's answers, each read with the wording and options of the version it answered."""
    rows = db.execute(
        "SELECT question_id, version, value, not_applicable FROM story_answers WHERE story_seq = ?"
        " ORDER BY question_id", [story_seq]).fetchall()
    return [Answer(get_question(db, qid, version), None if na else json.loads(value), bool(na))
            for qid, version, value, na in rows]


def answers_by_story(db: Database, question_id: int, story_seqs: Sequence[int] | None = None) -> dict[int, object]:
    """story seq -> value for one question (does-not-apply answers left out)."""
    sql = "SELECT story_seq, value FROM story_answers WHERE question_id = ? AND not_applicable = 0"
    params: list = [question_id]
    if story_seqs is not None:
        sql += f" AND story_seq IN ({','.join('?' * len(story_seqs)) or 'NULL'})"
        params.extend(story_seqs)
    return {seq: json.loads(v) for seq, v in db.execute(sql, params).fetchall()}


def export_answers(db: Database, story_ids: Sequence[str], *, pseudonymise: bool = False) -> dict[str, dict]:
    """story id -> {question key: value} for exports ("n/a" for does not apply). Written answers are
    left out of pseudonymised exports (they are free text that may name people)."""
    rows = db.execute(
        "SELECT s.id, q.key, q.kind, a.value, a.not_applicable FROM story_answers AS a JOIN stories AS s"
        " ON s.seq = a.story_seq JOIN questions AS q ON q.id = a.question_id"
        " WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY q.id", [json.dumps(list(story_ids))]).fetchall()
    out: dict[str, dict] = {sid: {} for sid in story_ids}
    for sid, key, kind, value, na in rows:
        if pseudonymise and kind == "text":
            continue
        out[sid][key] = NOT_APPLICABLE if na else json.loads(value)
    return out
