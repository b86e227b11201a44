"""Filter choices (`distinct_values`) are kept per process under the story version: a kept list
is what a fresh query returns, and every change to the stories shows at once."""

import pytest

import stories.storage
from stories.model import Consent, Story
from stories.staging import publish, reserve
from stories.storage import create_story, delete_story, distinct_values, update_story


def add(db, site, role="staff"):
    return create_story(db, Story(text=f"En fortælling fra {site}.", significance="Vigtigt.", site=site,
                                  teller_role=role, consent=Consent(internal=True)))


def fresh(db, column):
    stories.storage._DISTINCT.clear()
    return distinct_values(db, column)


def test_kept_values_follow_every_change(db):
    a = add(db, "Valby")
    add(db, "Amager", "young_person")
    assert distinct_values(db, "site") == ["Amager", "Valby"] == fresh(db, "site")
    assert distinct_values(db, "site") == ["Amager", "Valby"]  # kept
    add(db, "Nørrebro")
    assert distinct_values(db, "site") == ["Amager", "Nørrebro", "Valby"]
    update_story(db, a.id, {"site": "Vesterbro"})
    assert distinct_values(db, "site") == ["Amager", "Nørrebro", "Vesterbro"] == fresh(db, "site")
    delete_story(db, a.id)
    assert distinct_values(db, "site") == ["Amager", "Nørrebro"] == fresh(db, "site")
    assert distinct_values(db, "teller_role") == fresh(db, "teller_role")


def test_an_import_being_written_stays_out_until_published(db):
    add(db, "Valby")
    assert distinct_values(db, "site") == ["Valby"]
    staged = reserve(db, 1)
    db.execute("INSERT INTO stories(id, seq, text, site, created_at, updated_at, consent_internal)"
               " VALUES ('00000000-0000-4000-8000-0000000000aa', ?, 'Importeret.', 'Amager', '2026-01-01', '2026-01-01', 1)",
               [staged.first_seq])
    assert distinct_values(db, "site") == ["Valby"] == fresh(db, "site")
    publish(db, staged)
    assert distinct_values(db, "site") == ["Amager", "Valby"]


def test_only_plain_columns(db):
    with pytest.raises(ValueError):
        distinct_values(db, "text")


def test_sites_read_along_their_index_are_the_sites_a_scan_finds(db):
    from stories.staging import visible

    for site in ("Valby", "Amager", "Amager", "", "Østerbro", "amager", "Nørrebro"):
        add(db, site)
    delete_story(db, add(db, "Sydhavn").id)  # a site whose only story is deleted
    delete_story(db, add(db, "Valby").id)  # and one that keeps another story
    scan = [r[0] for r in db.execute(
        f"SELECT DISTINCT site FROM stories AS s WHERE deleted_at IS NULL AND site != '' AND {visible('s')} ORDER BY 1")]
    assert fresh(db, "site") == scan == ["Amager", "Nørrebro", "Valby", "amager", "Østerbro"]
