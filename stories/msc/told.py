"""A told story as selection reads it: at a camp's wall and in every panel of a selection process."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Told:
    """A story as a panel (or a camp's group) reads it: a display name, never the teller's name."""

    seq: int
    id: str
    title: str
    text: str
    significance: str
    domain: str
    site: str
    teller_role: str
    display_name: str  # the camp's display name, else the teller's pseudonym (never a name)
    created_at: str


# The columns of a `Told`, in order, over `stories AS s LEFT JOIN camp_stories AS c`; `{domain}`
# is the domain column the caller reads (a camp story's, else the story's own).
TOLD_COLUMNS = ("s.seq, s.id, s.title, s.text, s.significance, {domain}, s.site, s.teller_role,"
                " COALESCE(c.display_name, s.teller_pseudonym, ''), s.created_at")
