"""Stories with their personal data replaced: what evaluators, exports and reports see.

`stories.privacy` finds names, CPR numbers, phone numbers, e-mail and street addresses;
staff may have confirmed or corrected those findings at submission (`pii_corrections`).
`StoryPseudonyms` applies both to every text field of one story and numbers people
across the whole story, so "[Person 1]" is the same person in the story, its
significance and any sentence cut out of it: coding works on character offsets into the
ORIGINAL text, and `StoryPseudonyms.slice(start, end)` gives that slice pseudonymised
with the story's numbering. Notes about a story (memos on it, coding memos, a camp
group's reasons) are numbered after the story's own fields, so a name keeps the story's
number in them.

WHO gets pseudonymised text is decided in one place, `needs_pseudonymisation(actor,
purpose)`: evaluators (and the public) always, and anything made for evaluation or
publication. Every public function that hands story text, memos or camp texts on asks it:
`storage.get_story` and `search.query_stories`, memos and codings, the REFI-QDA and
table exports, the camp report, feedback and the public feedback page. HOW names are
found is `stories.privacy.detection`'s business.

This module reads the stories it is given and the stored corrections; it never reads
stories itself (`stories.storage` calls it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlite_utils import Database

from stories.errors import UserError
from stories.model import Story
from stories.trust.permissions import SYSTEM, Actor, sees_pseudonymised

TEXT_FIELDS = ("title", "text", "significance", "difference")
PERSON_FIELDS = ("recorded_by",)  # the whole value is a person's name
NOTE_PREFIX = "note."  # free texts about the story (memos, reasons), numbered after its fields
PURPOSES_PSEUDONYMISED = ("evaluation", "publication")
KEEP_EXTRA = ("about",)  # extra values that are pseudonyms already
ACTIONS = ("add", "remove")
# Joins finding texts for numbering; validation refuses control characters in stories.
_SEP = "\n\x1e\n"


class CorrectionInvalid(UserError, ValueError):
    """A correction of the personal data found in a story is malformed."""


@dataclass(frozen=True)
class Correction:
    """Staff's correction: `add` marks text the detector missed, `remove` a false finding."""

    action: str
    kind: str
    text: str
    field: str = "text"


@functools.lru_cache(maxsize=4096)
def _detect(text: str, lang: str = "da") -> tuple:
    from stories.privacy.detection import find_personal_data

    return tuple(find_personal_data(text, lang))


def cached_findings(text: str, lang: str = "da") -> tuple:
    """`privacy.find_personal_data`, remembered per text: a page rerun does not detect again."""
    return _detect(text, lang)


def needs_pseudonymisation(actor: Actor, purpose: str | None = None) -> bool:
    """THE rule: whether text shown to `actor` for `purpose` must have its personal data replaced.

    Evaluators (and the public) always; anyone else when the text is for evaluation or
    publication (an export, a report, the public camp feedback).
    """
    return sees_pseudonymised(actor) or purpose in PURPOSES_PSEUDONYMISED


def _occurrences(text: str, needle: str) -> Iterable[tuple[int, int]]:
    """Where `needle` stands as a word of its own in `text`, any case, with its possessive: a
    confirmed "Lynet" also hides "Lynets" and "Lynet's" (Danish and English genitives)."""
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?:'s|s|')?(?!\w)"
    for m in re.finditer(pattern, text, flags=re.IGNORECASE):
        yield m.start(), m.end()


class StoryPseudonyms:
    """The personal data in one story's fields and its placeholder for each finding."""

    def __init__(self, story: Story, corrections: Sequence[Correction] = (), lang: str | None = None,
                 notes: Sequence[str] = ()):
        from stories.privacy.detection import Finding, pseudonymise

        self.story = story
        self.notes = tuple(n or "" for n in notes)
        self.lang = lang or story.language
        removed = {(c.kind, c.text.casefold()) for c in corrections if c.action == "remove"}
        # Longest first: a confirmed "Mads Jensen" wins over a confirmed "Mads" inside it.
        added = sorted((c for c in corrections if c.action == "add" and c.text.strip()), key=lambda c: -len(c.text))
        self.findings: dict[str, list] = {}
        note_fields = [f"{NOTE_PREFIX}{i}" for i in range(len(self.notes))]
        for name in (*TEXT_FIELDS, *PERSON_FIELDS, *self._extra_fields(), *note_fields):
            value = self._value(name)
            if not value:
                continue
            if name in PERSON_FIELDS:
                self.findings[name] = [Finding(0, len(value), "person", value)]
                continue
            candidates = [Finding(s, e, c.kind, value[s:e]) for c in added for s, e in _occurrences(value, c.text)]
            candidates += [f for f in _detect(value, story.language) if (f.kind, f.text.casefold()) not in removed]
            kept: list = []
            for f in candidates:  # corrections first: their kind wins over overlapping detections
                overlapping = [k for k in kept if f.start < k.end and k.start < f.end]
                if overlapping:  # the union is hidden: a confirmed "Holm" must not leave "Mikkel" of "Mikkel Holm"
                    start = min(f.start, *(k.start for k in overlapping))
                    end = max(f.end, *(k.end for k in overlapping))
                    kept = [k for k in kept if k not in overlapping]
                    f = Finding(start, end, overlapping[0].kind, value[start:end])
                kept.append(f)
            self.findings[name] = sorted(kept, key=lambda f: f.start)
        ordered = [(name, f) for name, found in self.findings.items() for f in found]
        self.labels: dict[tuple[str, int, int], str] = {}
        if ordered:
            joined, shifted, pos = [], [], 0
            for _, f in ordered:
                shifted.append(Finding(pos, pos + len(f.text), f.kind, f.text))
                joined.append(f.text)
                pos += len(f.text) + len(_SEP)
            labels = pseudonymise(_SEP.join(joined), shifted, self.lang).split(_SEP)
            if len(labels) != len(ordered):
                raise ValueError("a finding contains the internal separator")
            self.labels = {(name, f.start, f.end): label for (name, f), label in zip(ordered, labels)}

    def _extra_fields(self) -> list[str]:
        return [f"extra.{k}" for k in sorted(self.story.extra) if k not in KEEP_EXTRA]

    def _value(self, name: str) -> str:
        if name.startswith(NOTE_PREFIX):
            return self.notes[int(name[len(NOTE_PREFIX):])]
        if name.startswith("extra."):
            return self.story.extra.get(name[6:], "") or ""
        return getattr(self.story, name) or ""

    def slice(self, start: int, end: int, field: str = "text") -> str:
        """`value[start:end]` of a field with its findings replaced; a finding cut by the
        slice is replaced whole, so no part of a name leaks."""
        value = self._value(field)
        start, end = max(0, start), min(len(value), end)
        out, pos = [], start
        for f in self.findings.get(field, ()):
            if f.end <= start or f.start >= end:
                continue
            out.append(value[pos:max(pos, f.start)])
            out.append(self.labels[(field, f.start, f.end)])
            pos = max(pos, f.end)
        out.append(value[pos:end] if pos < end else "")
        return "".join(out)

    def field(self, name: str) -> str:
        return self.slice(0, len(self._value(name)), name)

    def note(self, index: int) -> str:
        """The `index`-th note given to the constructor, pseudonymised with the story's numbering."""
        return self.field(f"{NOTE_PREFIX}{index}")

    def pseudonymised_story(self) -> Story:
        changes = {name: self.field(name) for name in (*TEXT_FIELDS, *PERSON_FIELDS)}
        extra = {k: (v if k in KEEP_EXTRA else self.field(f"extra.{k}")) for k, v in self.story.extra.items()}
        return replace(self.story, **changes, extra=extra)


# --- corrections --------------------------------------------------------------------

def corrections_by_story(db: Database, story_ids: Sequence[str]) -> dict[str, list[Correction]]:
    """Stored corrections of several stories, in one query."""
    import json

    rows = db.execute(
        "SELECT s.id, c.action, c.kind, c.text, c.field FROM pii_corrections c JOIN stories s ON s.seq = c.story_seq"
        " WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY c.id",
        [json.dumps(list(story_ids))],
    ).fetchall()
    found: dict[str, list[Correction]] = {}
    for story_id, *values in rows:
        found.setdefault(story_id, []).append(Correction(*values))
    return found


def corrections_for(db: Database, story_id: str) -> list[Correction]:
    return corrections_by_story(db, [story_id]).get(story_id, [])


# --- what an actor sees -------------------------------------------------------------

def pseudonyms_for(db: Database, story: Story, lang: str | None = None, notes: Sequence[str] = ()) -> StoryPseudonyms:
    """The pseudonyms of one ORIGINAL story (with staff's corrections), notes numbered after it."""
    return StoryPseudonyms(story, corrections_for(db, story.id), lang, notes)


def pseudonymise_stories(db: Database, stories: Sequence[Story], lang: str | None = None) -> list[Story]:
    corrections = corrections_by_story(db, [s.id for s in stories])
    return [StoryPseudonyms(s, corrections.get(s.id, ()), lang).pseudonymised_story() for s in stories]


def pseudonymise_titles(db: Database, titles: Sequence[tuple[str, str]], lang: str | None = None) -> list[str]:
    """(story id, title) pairs -> the titles pseudonymised with staff's corrections, for a listing
    that shows titles only (the title alone is searched, so it is cheap on a long queue)."""
    corrections = corrections_by_story(db, [story_id for story_id, title in titles if title])
    return [StoryPseudonyms(Story(text="", title=title, id=story_id), corrections.get(story_id, ()), lang).field("title")
            if title else title for story_id, title in titles]


def pseudonymise_text(text: str, lang: str = "da") -> str:
    """Free text that belongs to no story (a memo on a code): its personal data replaced."""
    from stories.privacy.detection import pseudonymise

    return pseudonymise(text, list(_detect(text)), lang) if text else text


def shown_stories(db: Database, stories: Sequence[Story], actor: Actor = SYSTEM, purpose: str | None = None,
                  lang: str | None = None) -> list[Story]:
    """Stored stories as `actor` may see them for `purpose` (pseudonymised when the rule says so)."""
    if not needs_pseudonymisation(actor, purpose):
        return list(stories)
    return pseudonymise_stories(db, stories, lang)


def shown_notes(db: Database, story: Story, notes: Sequence[str], actor: Actor = SYSTEM,
                purpose: str | None = None, lang: str | None = None) -> list[str]:
    """Notes about one ORIGINAL story (memos, reasons, a display name) as `actor` may see them."""
    if not needs_pseudonymisation(actor, purpose):
        return list(notes)
    pseudonyms = pseudonyms_for(db, story, lang, notes)
    return [pseudonyms.note(i) for i in range(len(notes))]


def shown_text(text: str, actor: Actor = SYSTEM, purpose: str | None = None, lang: str = "da") -> str:
    """Free text about no story in particular (a memo on a code) as `actor` may see it."""
    return pseudonymise_text(text, lang) if needs_pseudonymisation(actor, purpose) else text


def slice_for(db: Database, story: Story, start: int, end: int, *, actor: Actor = SYSTEM,
              field: str = "text", pseudonyms: StoryPseudonyms | None = None) -> str:
    """A sentence (offsets into the ORIGINAL text of `story`) as the actor may see it."""
    if not needs_pseudonymisation(actor):
        return (getattr(story, field) or "")[start:end]
    return (pseudonyms or pseudonyms_for(db, story)).slice(start, end, field)
