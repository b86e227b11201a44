"""The agreement report: per code and overall at one level, with the units where coders disagree,
kept per process under the data's version."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from sqlite_utils import Database

from coding.agreement.figures import AgreementReport, Disagreement
from coding.agreement.ratings import LEVELS
from coding.agreement.table import Table
from coding.codebook.codes import list_codes
from coding.codings import codings_version
from coding.kept_results import KeptResults
from stories.storage import stories_version
from stories.visibility import StoryFilter, filter_sql
from stories.trust.permissions import SYSTEM, Actor


CACHE_ENTRIES = 16
_REPORTS: KeptResults[AgreementReport] = KeptResults(CACHE_ENTRIES)


def data_version(db: Database) -> tuple:
    """Changes whenever an agreement report may change: the story rows (scope, consent), who coded
    what (`coding.codings.codings_version`), the settings and the imports being written (both in
    the scope's SQL)."""
    staged = db.execute("SELECT count(*), total(first_seq), total(last_seq) FROM staged_imports").fetchone()
    settings = db.execute("SELECT group_concat(key || '=' || value, char(10)) FROM settings").fetchone()[0]
    return stories_version(db), codings_version(db), tuple(staged), settings


def agreement_report(db: Database, codebook_id: int, level: str = "story", *, actor: Actor = SYSTEM,
                     story_filter: StoryFilter | None = None) -> AgreementReport:
    """Agreement per code and overall at one level, with the units where coders disagree.

    Kept per process under `data_version` and the scope's SQL (never a connection), so a page
    rerun with nothing changed does not read every coding again. The report returned is shared:
    read it, do not change it."""
    code_ids = [c.id for c in list_codes(db, codebook_id, include_retired=True) if not c.is_group]
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    where, params = filter_sql(story_filter or StoryFilter(purpose="evaluation"), actor)
    key = (data_version(db), codebook_id, level, tuple(code_ids), where, tuple(params))
    return _REPORTS.get(key, lambda: compute_report(db, codebook_id, level, code_ids, actor=actor,
                                                    story_filter=story_filter))


def clear_cache() -> None:
    _REPORTS.clear()


def compute_report(db: Database, codebook_id: int, level: str, code_ids: Sequence[int], *, actor: Actor = SYSTEM,
                   story_filter: StoryFilter | None = None) -> AgreementReport:
    """The report itself, read from the database (`agreement_report` keeps it)."""
    table = Table.from_db(db, codebook_id, level, code_ids, actor=actor, story_filter=story_filter)
    coders = table.coders
    per_code = [table.figures([i], code_id, coders) for i, code_id in enumerate(code_ids)]
    overall = table.figures(slice(None), None, coders)
    pairwise = {(coders[a], coders[b]): table.pairwise_kappa(a, b)
                for a, b in itertools.combinations(range(len(coders)), 2)}
    np = table.np
    m = table.present.sum(axis=0)  # coders per unit
    ones = table.applied.sum(axis=0)  # units x codes
    differs = (ones > 0) & (ones < m[:, None]) & (m[:, None] >= 2)
    disagreements = []
    for u in np.flatnonzero(differs.any(axis=1)):
        codes = [code_ids[c] for c in np.flatnonzero(differs[u])]
        by_coder = {coder: {code_ids[c] for c in np.flatnonzero(table.applied[r, u])}
                    for r, coder in enumerate(coders) if table.present[r, u]}
        disagreements.append(Disagreement(table.units[u], codes, by_coder))
    units_by_coder = {c: int(n) for c, n in zip(coders, table.present.sum(axis=1))}
    return AgreementReport(level, coders, per_code, overall, pairwise, disagreements, units_by_coder)


def disagreeing_stories(report: AgreementReport) -> list[int]:
    """The story seqs with at least one disagreement, in order."""
    return sorted({d.unit[0] for d in report.disagreements})
