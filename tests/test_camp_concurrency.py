"""A room of 40 phones submitting at once, through the functions the camp page uses."""

import threading

from stories.camps.camps import CampDraft, camp_stories, create_camp
from stories.camps.submissions import CampSubmission, submit_camp_story
from changestories.database import connect
from stories.camps.signifiers import Signifiers

PHONES = 40
DOUBLE_TAPPERS = 10  # these phones send their form twice at the same moment


def test_forty_phones_at_once_none_lost_none_duplicated(db_path):
    camp = create_camp(connect(db_path), CampDraft(name="Fortællecamp med fuldt hus", domains=["huset"]))
    start = threading.Barrier(PHONES + DOUBLE_TAPPERS + 1)
    errors: list[BaseException] = []
    wall_counts: list[int] = []
    done = threading.Event()

    def phone(n: int) -> None:
        db = connect(db_path)  # each phone's rerun has its own connection, as on the page
        entry = CampSubmission(
            text=f"Telefon {n}: jeg lavede mad i huset for første gang.", significance="Jeg var stolt.",
            display_name=f"Telefon {n}", consent_internal=True, domain="huset",
            signifiers=Signifiers(weights=(n % 5 + 1, 2, 1), sliders={"change_size": n % 10 + 1}),
        )
        try:
            start.wait()
            submit_camp_story(db, camp.id, entry, submission_key=f"form-{n}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            db.conn.close()

    def wall() -> None:
        db = connect(db_path)
        start.wait()
        while not done.wait(0.02):  # the wall re-reads while the phones write
            wall_counts.append(len(camp_stories(db, camp.id)))
        wall_counts.append(len(camp_stories(db, camp.id)))
        db.conn.close()

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(PHONES)]
    threads += [threading.Thread(target=phone, args=(n,)) for n in range(DOUBLE_TAPPERS)]
    reader = threading.Thread(target=wall)
    for thread in [*threads, reader]:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    reader.join(timeout=60)

    assert errors == []
    assert not any(t.is_alive() for t in [*threads, reader])
    db = connect(db_path)
    stored = camp_stories(db, camp.id)
    assert sorted(s.display_name for s in stored) == sorted(f"Telefon {n}" for n in range(PHONES))
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == PHONES
    assert db.execute("SELECT count(*) FROM story_signifiers").fetchone()[0] == PHONES
    assert db.execute("SELECT count(*) FROM story_sliders").fetchone()[0] == PHONES
    assert db.execute("SELECT count(DISTINCT story_seq) FROM sentences").fetchone()[0] == PHONES
    assert wall_counts == sorted(wall_counts) and wall_counts[-1] == PHONES  # the wall only ever grows
