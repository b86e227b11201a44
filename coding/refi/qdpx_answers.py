"""Answers to the question library as REFI-QDA story variables, and back.

Each question a story answered becomes variables named `q:<question key>`:
  triad     one Float per pole, `q:<key>:<pole>` (the weight, 0-1)
  dyad      one Float, the slider's position (0 = the first pole, 100 = the second)
  scale     one Float, the value
  single    one Text, the chosen option's words in the export's language
  multiple  one Boolean per choice, `q:<key>:<choice>`
  text      one Text, the written answer (left out of pseudonymised exports: free text may name people)
A VariableValue holding only its VariableRef is the answer "does not apply"; a skipped question
has no VariableValue. Each Variable's Description is the question's (and pole's or choice's)
wording, so another tool shows what was asked. Questions about the teller are also put on the
teller's Case (the answer of the teller's latest story).

On import, variables named for a question of this install are read back into answers
(the question's current version), checked like any answer; variables of questions this
install does not have stay attributes of the story.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlite_utils import Database

from stories.questions.answers import NOT_APPLICABLE, check_answer
from stories.questions.errors import QuestionInvalid
from stories.questions.library import FILE_FORMAT, Question, get_question, list_questions, question_from_dict

PREFIX = "q:"


@dataclass(frozen=True)
class AnswerVariable:
    """One variable value of one story: name, typeOfVariable, value (None: does not apply), description,
    and the key of the question it answers."""

    name: str
    type: str
    value: str | None
    description: str
    key: str = ""


def _float(number) -> str:
    text = f"{float(number):.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _variables(q: Question, value, na: bool, lang: str) -> list[AnswerVariable]:
    base = PREFIX + q.key
    wording = q.wording(lang)
    if q.kind == "triad":
        return [AnswerVariable(f"{base}:{o.key}", "Float", None if na else _float(w), f"{wording}: {o.label(lang)}")
                for o, w in zip(q.options, value if not na else [None] * 3)]
    if q.kind == "multiple":
        chosen = set() if na else set(value)
        return [AnswerVariable(f"{base}:{o.key}", "Boolean", None if na else ("true" if o.key in chosen else "false"),
                               f"{wording}: {o.label(lang)}") for o in q.options]
    if q.kind in ("dyad", "scale"):
        description = wording if q.kind == "scale" else f"{wording} ({q.options[0].label(lang)} 0 - " \
                                                          f"{q.options[1].label(lang)} 100)"
        return [AnswerVariable(base, "Float", None if na else _float(value), description)]
    if q.kind == "single":
        option = None if na else q.option(value)
        return [AnswerVariable(base, "Text", None if na else (option.label(lang) if option else str(value)), wording)]
    return [AnswerVariable(base, "Text", None if na else str(value), wording)]


def answer_variables(db: Database, story_ids: Sequence[str], *, pseudonymise: bool = False,
                     lang: str = "da") -> dict[str, list[AnswerVariable]]:
    """story id -> the variables of its answers, in question order (each read in the version it answered)."""
    rows = db.execute(
        "SELECT s.id, a.question_id, a.version, a.value, a.not_applicable FROM story_answers AS a"
        " JOIN stories AS s ON s.seq = a.story_seq WHERE s.id IN (SELECT value FROM json_each(?))"
        " ORDER BY a.question_id", [json.dumps(list(story_ids))]).fetchall()
    asked: dict[tuple[int, int], Question] = {}
    out: dict[str, list[AnswerVariable]] = {sid: [] for sid in story_ids}
    for sid, qid, version, value, na in rows:
        q = asked.get((qid, version))
        if q is None:
            q = asked[(qid, version)] = get_question(db, qid, version)
        if pseudonymise and q.kind == "text":
            continue
        out[sid].extend(replace(v, key=q.key) for v in _variables(q, None if na else json.loads(value), bool(na), lang))
    return out


def teller_question_keys(db: Database) -> set[str]:
    """Keys of the questions about the teller (their variables also go on the teller's Case)."""
    return {r[0] for r in db.execute("SELECT key FROM questions WHERE about = 'teller'")}


def is_teller_variable(name: str, teller_keys: set[str]) -> bool:
    if not name.startswith(PREFIX):
        return False
    rest = name[len(PREFIX):]
    return rest in teller_keys or rest.rsplit(":", 1)[0] in teller_keys


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError


def answers_from_variables(questions: Sequence[Question], variables: Mapping[str, str]
                           ) -> tuple[dict[str, object], set[str]]:
    """(question key -> checked answer, the variable names used) from one source's variables.

    Raises QuestionInvalid naming the question when a value is not an answer to it."""
    clean: dict[str, object] = {}
    used: set[str] = set()
    for q in questions:
        base = PREFIX + q.key
        if q.kind in ("triad", "multiple"):
            names = [f"{base}:{o.key}" for o in q.options]
            present = [n for n in names if n in variables]
            if not present:
                continue
            used.update(present)
            texts = [variables.get(n, "") for n in names]
            if all(t == "" for t in texts):
                value = NOT_APPLICABLE
            else:
                try:
                    if q.kind == "triad":
                        value = [float(t) for t in texts]
                    else:
                        value = [o.key for o, t in zip(q.options, texts) if t and _bool(t)]
                except ValueError:
                    raise QuestionInvalid("questions.error.qdpx_answer", question=q.key) from None
        else:
            if base not in variables:
                continue
            used.add(base)
            text = variables[base]
            if text == "":
                value = NOT_APPLICABLE
            elif q.kind in ("dyad", "scale"):
                try:
                    value = float(text)
                except ValueError:
                    raise QuestionInvalid("questions.error.qdpx_answer", question=q.key) from None
            elif q.kind == "single":
                folded = text.casefold()
                match = next((o.key for o in q.options if folded in (o.key.casefold(), o.da.casefold(),
                                                                     o.en.casefold())), None)
                value = match or text
            else:
                value = text
        if value == NOT_APPLICABLE and not q.allow_na:
            continue  # another install's "does not apply" to a question that does not offer it here: skipped
        try:
            checked = check_answer(replace(q, required=False), value)
        except QuestionInvalid:
            raise QuestionInvalid("questions.error.qdpx_answer", question=q.key) from None
        if checked is not None:
            clean[q.key] = checked
    return clean, used


QUESTIONS_NOTE = "changestories-questions"  # derived_guid(QUESTIONS_NOTE): the note holding the questions asked


def questions_note(db: Database, keys: Sequence[str]) -> str:
    """The answered questions as a form file (stories.questions.library's format), in library order."""
    return json.dumps({"format": FILE_FORMAT, "version": 1,
                       "questions": [q.to_dict() for q in sorted((get_question(db, key) for key in keys),
                                                                 key=lambda q: q.id)]}, ensure_ascii=False)


def questions_of_file(text: str | None) -> list[Question]:
    """The questions a questions note names (each checked); none when there is no such note."""
    if not text:
        return []
    try:
        parsed = json.loads(text)
    except ValueError:
        raise QuestionInvalid("questions.error.file") from None
    if not isinstance(parsed, dict) or parsed.get("format") != FILE_FORMAT or not isinstance(
            parsed.get("questions"), list):
        raise QuestionInvalid("questions.error.file")
    return [question_from_dict(item) for item in parsed["questions"]]


def import_questions(db: Database, from_file: Sequence[Question]) -> list[Question]:
    """The questions an import may answer: every question of this install (retired ones too) and
    the file's questions this install does not have (not stored yet: id None). A file question whose
    key is taken here by a question of another kind is left out, so its variables stay attributes."""
    here = {q.key: q for q in list_questions(db, include_retired=True)}
    out = list(here.values())
    for q in from_file:
        if q.key not in here:
            out.append(q)
            here[q.key] = q
        elif here[q.key].kind != q.kind:
            out = [o for o in out if o.key != q.key]
    return out
