"""Every migration set of the application, in the order they are applied.

Each area owns one `sqlite_utils.migrations.Migrations` set in its own `schema` module; this
list is the one place that orders them. A set's NAME is stored in each database
(`_sqlite_migrations`), so names never change, and an applied migration is never edited.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from coding.schema import migrations as coding_migrations
from stories.camps.schema import migrations as camps_migrations
from stories.msc.schema import migrations as msc_migrations
from stories.questions.schema import migrations as questions_migrations
from stories.schema import migrations as stories_migrations
from stories.textindex.schema import migrations as textindex_migrations
from stories.trust.schema import migrations as trust_migrations

MIGRATION_SETS: list[Migrations] = [
    stories_migrations,  # "stories": the story record, full-text search, consent, review
    textindex_migrations,  # "nlp": sentences, lemmas, per-story counts
    coding_migrations,  # "coding": codebooks, codings, memos, themes' tables
    trust_migrations,  # "trust": users, sign-in attempts, audit log, personal-data corrections
    camps_migrations,  # "camps": camps, signifiers, selection rounds
    msc_migrations,  # "msc": domains of change, reporting periods
    questions_migrations,  # "questions": the question library, forms, answers (after "camps": it reads signifiers)
]


def all_migration_sets() -> list[Migrations]:
    return list(MIGRATION_SETS)


def apply_migrations(db: Database) -> None:
    """Apply every pending migration, set by set in order."""
    for migration_set in MIGRATION_SETS:
        if migration_set.pending(db):
            migration_set.apply(db)
