"""The install's question library: questions of six kinds, their versions, retiring, and forms.

A question's wording and options are versioned: an edit after stories answered it adds a
version, so every stored answer is read with the wording it answered. A question with
answers is never deleted, only retired (forms stop asking it; its answers stay).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from stories.clock import now_iso
from stories.db import write_transaction
from stories.questions.errors import QuestionInvalid
from stories.trust import audit
from stories.trust.permissions import SYSTEM, Actor, can_choose_form_questions, can_manage_questions, require

KINDS = ("triad", "dyad", "single", "multiple", "scale", "text")
ABOUT = ("story", "teller")
MAX_WORDING = 300
MAX_LABEL = 120
MAX_CHOICES = 30
FIXED_FORMS = ("staff", "tell")
KEY_RE = re.compile(r"^[a-z0-9_:|\-]{1,80}$")


@dataclass(frozen=True)
class Option:
    """A pole or a choice: a stable key and its words in Danish and English."""

    key: str
    da: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.da


@dataclass(frozen=True)
class Question:
    """One question as one version words it."""

    id: int | None
    key: str
    kind: str
    wording_da: str
    wording_en: str
    about: str = "story"
    required: bool = False
    allow_na: bool = False
    options: tuple[Option, ...] = ()  # poles (triad: 3, dyad: 2) or choices
    scale_min: int = 0
    scale_max: int = 100
    version: int = 1
    retired: bool = False

    def wording(self, lang: str) -> str:
        return self.wording_en if lang == "en" and self.wording_en else self.wording_da

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    def options_json(self) -> str:
        data: dict = {}
        if self.kind in ("triad", "dyad"):
            data["poles"] = [o.__dict__ for o in self.options]
        elif self.kind in ("single", "multiple"):
            data["choices"] = [o.__dict__ for o in self.options]
        elif self.kind == "scale":
            data.update(min=self.scale_min, max=self.scale_max)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def to_dict(self) -> dict:
        """The question as it travels in a form file (no ids, no versions)."""
        return {"key": self.key, "kind": self.kind, "about": self.about, "required": self.required,
                "allow_na": self.allow_na, "wording": {"da": self.wording_da, "en": self.wording_en},
                "options": json.loads(self.options_json())}


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _slug(text: str) -> str:
    """An option's key made from its words: lower case, Danish letters spelled out, '_' between words."""
    text = text.casefold().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:60]


def _options(raw, kind: str) -> tuple[Option, ...]:
    out = []
    for item in raw or ():
        if isinstance(item, Option):
            item = item.__dict__
        if isinstance(item, str):
            item = {"da": item}
        if not isinstance(item, Mapping):
            raise QuestionInvalid("questions.error.options")
        da, en = _clean(item.get("da")), _clean(item.get("en"))
        key = _clean(item.get("key")) or _slug(en or da)
        if not da or not key:
            raise QuestionInvalid("questions.error.option_empty")
        if len(da) > MAX_LABEL or len(en) > MAX_LABEL:
            raise QuestionInvalid("questions.error.label_long", max=MAX_LABEL)
        out.append(Option(key, da, en or da))
    keys = [o.key for o in out]
    if len(set(keys)) != len(keys):
        raise QuestionInvalid("questions.error.options_repeat")
    need = {"triad": 3, "dyad": 2}.get(kind)
    if need is not None and len(out) != need:
        raise QuestionInvalid(f"questions.error.{kind}_poles")
    if kind in ("single", "multiple") and not 2 <= len(out) <= MAX_CHOICES:
        raise QuestionInvalid("questions.error.choices", max=MAX_CHOICES)
    if kind in ("scale", "text"):
        return ()
    return tuple(out)


def make_question(key: str, kind: str, wording_da: str, wording_en: str = "", *, options=(), about: str = "story",
                  required: bool = False, allow_na: bool = False, scale_min: int = 0, scale_max: int = 100
                  ) -> Question:
    """A checked question (not stored): every refusal is a QuestionInvalid with a catalog key."""
    key = _clean(key).casefold()
    if not KEY_RE.match(key):
        raise QuestionInvalid("questions.error.key")
    if kind not in KINDS:
        raise QuestionInvalid("questions.error.kind")
    if about not in ABOUT:
        raise QuestionInvalid("questions.error.about")
    da, en = _clean(wording_da), _clean(wording_en)
    if not da:
        raise QuestionInvalid("questions.error.wording")
    if len(da) > MAX_WORDING or len(en) > MAX_WORDING:
        raise QuestionInvalid("questions.error.wording_long", max=MAX_WORDING)
    if kind == "scale":
        if not (isinstance(scale_min, int) and isinstance(scale_max, int) and 0 <= scale_min < scale_max <= 100):
            raise QuestionInvalid("questions.error.scale_range")
    else:
        scale_min, scale_max = 0, 100
    return Question(None, key, kind, da, en or da, about, bool(required), bool(allow_na), _options(options, kind),
                    scale_min, scale_max)


def question_from_dict(data: Mapping) -> Question:
    """A question from a form file or a preset (checked)."""
    if not isinstance(data, Mapping):
        raise QuestionInvalid("questions.error.file")
    wording = data.get("wording") or {}
    options = data.get("options") or {}
    if not isinstance(wording, Mapping) or not isinstance(options, Mapping):
        raise QuestionInvalid("questions.error.file")
    return make_question(str(data.get("key") or ""), str(data.get("kind") or ""), wording.get("da", ""),
                         wording.get("en", ""), options=options.get("poles") or options.get("choices") or (),
                         about=str(data.get("about") or "story"), required=bool(data.get("required")),
                         allow_na=bool(data.get("allow_na")), scale_min=options.get("min", 0),
                         scale_max=options.get("max", 100))


_SELECT = ("SELECT q.id, q.key, q.kind, v.wording_da, v.wording_en, q.about, q.required, q.allow_na, v.options,"
           " v.version, q.retired_at FROM questions AS q JOIN question_versions AS v ON v.question_id = q.id")


def _row(row) -> Question:
    options = json.loads(row[8] or "{}")
    raw = options.get("poles") or options.get("choices") or ()
    return Question(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]),
                    tuple(Option(o["key"], o.get("da") or o["key"], o.get("en") or o.get("da") or o["key"])
                          for o in raw),
                    int(options.get("min", 0)), int(options.get("max", 100)), row[9], row[10] is not None)


def list_questions(db: Database, *, include_retired: bool = False) -> list[Question]:
    """Every question in its current wording, in the order they were made."""
    where = "v.version = q.version" + ("" if include_retired else " AND q.retired_at IS NULL")
    return [_row(r) for r in db.execute(f"{_SELECT} WHERE {where} ORDER BY q.id").fetchall()]


class QuestionNotFound(QuestionInvalid):
    """No question has this id or key."""

    def __init__(self):
        super().__init__("questions.error.not_found")


def get_question(db: Database, ident: int | str, version: int | None = None) -> Question:
    """A question by id or key, in its current wording or in `version`."""
    column = "q.id" if isinstance(ident, int) else "q.key"
    ver = "?" if version is not None else "q.version"
    params = [ident] + ([version] if version is not None else [])
    row = db.execute(f"{_SELECT} WHERE {column} = ? AND v.version = {ver}", params).fetchone()
    if row is None:
        raise QuestionNotFound()
    return _row(row)


def answer_count(db: Database, question_id: int) -> int:
    return db.execute("SELECT count(*) FROM story_answers WHERE question_id = ?", [question_id]).fetchone()[0]


def _insert(db: Database, q: Question, stamp: str) -> int:
    cur = db.execute("INSERT INTO questions (key, kind, about, required, allow_na, version, created_at)"
                     " VALUES (?, ?, ?, ?, ?, 1, ?)", [q.key, q.kind, q.about, int(q.required), int(q.allow_na), stamp])
    qid = cur.lastrowid
    db.execute("INSERT INTO question_versions (question_id, version, wording_da, wording_en, options, created_at)"
               " VALUES (?, 1, ?, ?, ?, ?)", [qid, q.wording_da, q.wording_en, q.options_json(), stamp])
    return qid


def add_question(db: Database, question: Question, *, actor: Actor = SYSTEM) -> Question:
    """Store a new question (its key must be new)."""
    require(can_manage_questions(actor), "manage questions")
    with write_transaction(db):
        if db.execute("SELECT 1 FROM questions WHERE key = ?", [question.key]).fetchone():
            raise QuestionInvalid("questions.error.key_taken", name=question.key)
        qid = _insert(db, question, now_iso())
        audit.log(db, actor, "question_edit", question.key, change="add", kind=question.kind)
    return get_question(db, qid)


def edit_question(db: Database, question_id: int, changed: Question, *, actor: Actor = SYSTEM) -> Question:
    """Change a question's wording, options or flags. Wording and options get a new version
    (answers keep theirs); the kind cannot change once stories answered it."""
    require(can_manage_questions(actor), "manage questions")
    with write_transaction(db):
        old = get_question(db, question_id)
        if changed.kind != old.kind and answer_count(db, question_id):
            raise QuestionInvalid("questions.error.kind_answered")
        version = old.version
        if (changed.wording_da, changed.wording_en, changed.options_json()) != (
                old.wording_da, old.wording_en, old.options_json()) or changed.kind != old.kind:
            version = old.version + 1
            db.execute("INSERT INTO question_versions (question_id, version, wording_da, wording_en, options,"
                       " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [question_id, version, changed.wording_da, changed.wording_en, changed.options_json(),
                        now_iso()])
        db.execute("UPDATE questions SET kind = ?, about = ?, required = ?, allow_na = ?, version = ? WHERE id = ?",
                   [changed.kind, changed.about, int(changed.required), int(changed.allow_na), version, question_id])
        audit.log(db, actor, "question_edit", old.key, change="edit", version=version)
    return get_question(db, question_id)


def remove_question(db: Database, question_id: int, *, actor: Actor = SYSTEM) -> str:
    """Delete a question nobody answered; retire one with answers (forms stop asking it).
    Returns "deleted" or "retired"."""
    require(can_manage_questions(actor), "manage questions")
    with write_transaction(db):
        q = get_question(db, question_id)
        if answer_count(db, question_id):
            db.execute("UPDATE questions SET retired_at = ? WHERE id = ?", [now_iso(), question_id])
            db.execute("DELETE FROM form_questions WHERE question_id = ?", [question_id])
            outcome = "retired"
        else:
            db.execute("DELETE FROM form_questions WHERE question_id = ?", [question_id])
            db.execute("DELETE FROM questions WHERE id = ?", [question_id])
            outcome = "deleted"
        audit.log(db, actor, "question_edit", q.key, change=outcome)
    return outcome


def restore_question(db: Database, question_id: int, *, actor: Actor = SYSTEM) -> None:
    require(can_manage_questions(actor), "manage questions")
    with write_transaction(db):
        q = get_question(db, question_id)
        db.execute("UPDATE questions SET retired_at = NULL WHERE id = ?", [question_id])
        audit.log(db, actor, "question_edit", q.key, change="restore")


# --- forms -------------------------------------------------------------------------

def check_form_key(form_key: str) -> str:
    if form_key in FIXED_FORMS or re.fullmatch(r"camp:\d+", form_key or ""):
        return form_key
    raise QuestionInvalid("questions.error.form")


def form_questions(db: Database, form_key: str) -> list[Question]:
    """The questions a form asks, in order, in their current wording (retired ones left out)."""
    rows = db.execute(f"{_SELECT} JOIN form_questions AS f ON f.question_id = q.id WHERE f.form_key = ?"
                      " AND v.version = q.version AND q.retired_at IS NULL ORDER BY f.position", [form_key]).fetchall()
    return [_row(r) for r in rows]


def set_form(db: Database, form_key: str, question_ids: Sequence[int], *, actor: Actor = SYSTEM) -> None:
    """The form asks exactly these questions, in this order."""
    check_form_key(form_key)
    require(can_choose_form_questions(actor, form_key), "choose a form's questions")
    ids = list(dict.fromkeys(int(i) for i in question_ids))
    with write_transaction(db):
        known = {r[0] for r in db.execute("SELECT id FROM questions WHERE retired_at IS NULL")}
        if any(i not in known for i in ids):
            raise QuestionNotFound()
        db.execute("INSERT OR REPLACE INTO forms (key, updated_at) VALUES (?, ?)", [form_key, now_iso()])
        db.execute("DELETE FROM form_questions WHERE form_key = ?", [form_key])
        for pos, qid in enumerate(ids):
            db.execute("INSERT INTO form_questions (form_key, question_id, position) VALUES (?, ?, ?)",
                       [form_key, qid, pos])
        audit.log(db, actor, "form_edit", form_key, questions=len(ids))


FILE_FORMAT = "changestories-questions"


def export_form(db: Database, form_key: str) -> str:
    """The form's questions as a JSON file another install can load."""
    return json.dumps({"format": FILE_FORMAT, "version": 1, "form": form_key,
                       "questions": [q.to_dict() for q in form_questions(db, form_key)]},
                      ensure_ascii=False, indent=2)


MAX_FILE = 1_000_000


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def import_form(db: Database, form_key: str, data: str | bytes, *, actor: Actor = SYSTEM) -> ImportReport:
    """Load a form file: new keys become questions, known keys (same kind) are reused as they
    are here; the form then asks the file's questions. All checked before anything is written."""
    require(can_manage_questions(actor), "manage questions")
    check_form_key(form_key)
    if len(data) > MAX_FILE:
        raise QuestionInvalid("questions.error.file")
    try:
        parsed = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise QuestionInvalid("questions.error.file") from None
    if not isinstance(parsed, dict) or parsed.get("format") != FILE_FORMAT or not isinstance(
            parsed.get("questions"), list):
        raise QuestionInvalid("questions.error.file")
    incoming = [question_from_dict(item) for item in parsed["questions"]]
    report = ImportReport()
    with write_transaction(db):
        ids, stamp = [], now_iso()
        for q in incoming:
            row = db.execute("SELECT id, kind FROM questions WHERE key = ?", [q.key]).fetchone()
            if row is not None and row[1] != q.kind:
                raise QuestionInvalid("questions.error.key_taken", name=q.key)
            if row is None:
                ids.append(_insert(db, q, stamp))
                report.added.append(q.key)
            else:
                db.execute("UPDATE questions SET retired_at = NULL WHERE id = ?", [row[0]])
                ids.append(row[0])
                report.reused.append(q.key)
        set_form(db, form_key, ids, actor=actor)
    return report
