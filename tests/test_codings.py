"""Coding stories and sentences as a team: spans, saving, blind coding, the queue, suggestions,
memos, the story_codes view, reconciling, demo codings and the codings table export."""

import csv
import threading

import pytest

from coding.codebook.codes import create_codebook, list_codes
from coding.codebook.edit import add_code, retire_code
from coding.codings import (
    WHOLE, CodingError, add_coding, coder_status, codings_of, may_see_others, record_suggestion,
    remove_coding, save_coding, set_blind_coding, set_coding_memo, story_codings, suggestion_acceptance,
)
from coding.coding_view import coding_view
from coding.queue import coding_queue, queue_item, queue_page
from coding.memos import add_memo, delete_memo, list_memos
from stories.textindex.pipeline import story_sentences
from coding.reconcile import proposed_selection, reconcile_story, reconciled_selection, undo_reconciliation
from changestories.database import connect
from stories.model import Consent, Story
from stories.trust.permissions import Actor
from stories.storage import StoryNotFound, create_story, delete_story, purge_deleted, story_seq
from stories.visibility import StoryFilter

TEXT = "Jeg kom i huset for første gang. Vi lavede mad sammen. Hun lyttede til mig."
A, B = Actor("coder-a", "evaluator"), Actor("coder-b", "evaluator")


def add_story(db, text=TEXT, evaluation=True, title=""):
    return create_story(db, Story(text=text, title=title, significance="Det gør en forskel.",
                                  consent=Consent(internal=True, evaluation=evaluation))).id


@pytest.fixture
def setup(db):
    codebook = create_codebook(db, "", "kbh_plus")
    codes = [c.id for c in list_codes(db, codebook)]
    story = add_story(db)
    seq = story_seq(db, story)
    spans = [(s, e) for s, e, _ in story_sentences(db, seq, TEXT)]
    return db, codes, story, seq, spans


def test_whole_story_and_sentence_codings_record_coder_time_and_memo(setup):
    db, (huset, skabe, _), story, seq, spans = setup
    whole = add_coding(db, story, huset, memo="tydeligt", actor=A)
    sentence = add_coding(db, story, skabe, start=spans[1][0], end=spans[1][1], actor=A)
    assert whole.whole_story and whole.coder == "coder-a" and whole.memo == "tydeligt" and whole.created_at
    assert TEXT[sentence.start:sentence.end] == "Vi lavede mad sammen."
    assert sentence.origin == "manual" and len(whole.guid) == 36
    assert coder_status(db, seq, "coder-a") == "started"
    assert set_coding_memo(db, sentence.id, " ny note ", actor=A).memo == "ny note"
    with pytest.raises(CodingError):
        set_coding_memo(db, sentence.id, "not mine", actor=B)
    remove_coding(db, whole.id, actor=A)
    assert [c.id for c in codings_of(db, seq, "coder-a")] == [sentence.id]


@pytest.mark.parametrize("start, end", [(-1, 5), (5, 5), (10, 3), (0, len(TEXT) + 1), (0, None), (None, 4)])
def test_spans_outside_the_text_are_refused(setup, start, end):
    db, (huset, *_), story, seq, _ = setup
    with pytest.raises(CodingError):
        add_coding(db, story, huset, start=start, end=end, actor=A)
    assert codings_of(db, seq, "coder-a") == []


def test_groups_retired_and_unknown_codes_are_refused(setup):
    db, (huset, *_), story, seq, _ = setup
    group = add_code(db, 1, "Gruppe", is_group=True)
    retire_code(db, huset)
    for code in (group.id, huset, 999):
        with pytest.raises(CodingError):
            add_coding(db, story, code, actor=A)
    assert codings_of(db, seq, "coder-a") == []


def test_evaluators_cannot_code_stories_without_evaluation_consent(db):
    create_codebook(db, "", "kbh_plus")
    story = add_story(db, evaluation=False)
    with pytest.raises(StoryNotFound):
        add_coding(db, story, 1, actor=A)
    assert coding_queue(db, actor=A) == []


def test_save_coding_changes_only_the_named_spans_and_keeps_unchanged_codings(setup):
    db, (huset, skabe, tillid), story, seq, spans = setup
    first = save_coding(db, story, {WHOLE: {huset}, spans[0]: {huset}, spans[2]: {tillid}}, actor=A,
                        memos={(None, None, huset): "stedet"})
    kept = next(c for c in first if c.whole_story)
    assert kept.memo == "stedet" and coder_status(db, seq, "coder-a") == "done"
    second = save_coding(db, story, {WHOLE: {huset, skabe}, spans[0]: set()}, actor=A)
    assert next(c for c in second if c.whole_story and c.code_id == huset).guid == kept.guid
    assert sorted((c.span, c.code_id) for c in second if not c.whole_story) == [(spans[2], tillid)]
    assert {c.code_id for c in second if c.whole_story} == {huset, skabe}


def test_a_double_tap_stores_one_coding(setup):
    db, (huset, *_), story, seq, _ = setup
    add_coding(db, story, huset, actor=A)
    add_coding(db, story, huset, actor=A)
    assert len(codings_of(db, seq, "coder-a")) == 1


def test_blind_coding_hides_others_until_my_coding_is_saved(setup):
    db, (huset, skabe, _), story, seq, _ = setup
    save_coding(db, story, {WHOLE: {huset}}, actor=A)
    save_coding(db, story, {WHOLE: {skabe}}, actor=B, done=False)
    assert [c.coder for c in story_codings(db, story, actor=B)] == ["coder-b"]
    assert not may_see_others(db, seq, "coder-b")
    assert may_see_others(db, seq, "lead", strict=False) and not may_see_others(db, seq, "coder-b", strict=False)
    save_coding(db, story, {WHOLE: {skabe}}, actor=B)
    assert sorted(c.coder for c in story_codings(db, story, actor=B)) == ["coder-a", "coder-b"]
    set_blind_coding(db, False)
    assert may_see_others(db, add_story_seq(db), "coder-b")


def add_story_seq(db):
    return story_seq(db, add_story(db, text="En anden fortælling."))


def test_two_coders_saving_the_same_story_at_once_lose_nothing(db_path):
    db = connect(db_path)
    create_codebook(db, "", "kbh_plus")
    story = add_story(db)
    codes = [c.id for c in list_codes(db, 1)]
    barrier, errors = threading.Barrier(2), []

    def code_as(actor, code_id):
        own = connect(db_path)
        try:
            barrier.wait()
            for _ in range(15):
                save_coding(own, story, {WHOLE: {code_id}}, actor=actor)
                add_coding(own, story, codes[2], start=0, end=5, actor=actor)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=code_as, args=(A, codes[0])), threading.Thread(target=code_as, args=(B, codes[1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seq = story_seq(db, story)
    assert sorted((c.span, c.code_id) for c in codings_of(db, seq, "coder-a") if c.whole_story) == [(WHOLE, codes[0])]
    assert sorted((c.span, c.code_id) for c in codings_of(db, seq, "coder-b") if c.whole_story) == [(WHOLE, codes[1])]
    assert len(codings_of(db, seq, "coder-a")) == len(codings_of(db, seq, "coder-b")) == 2


def test_queue_lists_uncoded_first_then_coded_by_others_then_mine_to_finish(db):
    create_codebook(db, "", "kbh_plus")
    s1, s2, s3, s4 = (add_story(db, text=f"Fortælling nummer {i}.") for i in range(4))
    save_coding(db, s1, {WHOLE: {1}}, actor=A, done=False)  # mine to finish
    save_coding(db, s2, {WHOLE: {1}}, actor=B)  # coded by another
    save_coding(db, s4, {WHOLE: {1}}, actor=A)  # done by me
    queue = coding_queue(db, actor=A)
    assert [(q.story_id, q.status) for q in queue] == [(s3, "none"), (s2, "none"), (s1, "started")]
    assert [q.coders_done for q in queue] == [0, 1, 0]
    assert s4 in [q.story_id for q in coding_queue(db, actor=A, include_done=True)]


def test_accepted_suggestion_codes_the_story_and_both_answers_are_counted(setup):
    db, (huset, skabe, _), story, seq, _ = setup
    coding = record_suggestion(db, story, huset, "coder-a", True, 0.8)
    assert coding.origin == "suggestion" and coding.whole_story and coding.code_id == huset
    assert record_suggestion(db, story, skabe, "coder-a", False, 0.3) is None
    assert [c.code_id for c in codings_of(db, seq, "coder-a")] == [huset]
    assert suggestion_acceptance(db) == {huset: (1, 1), skabe: (0, 1)}
    rows = db.execute("SELECT story_seq, coder, accepted, score FROM suggestion_events ORDER BY id").fetchall()
    assert rows == [(seq, "coder-a", 1, 0.8), (seq, "coder-a", 0, 0.3)]


def test_story_codes_view_uses_distinct_codings_until_reconciled(setup):
    db, (huset, skabe, tillid), story, seq, spans = setup
    save_coding(db, story, {WHOLE: {huset}, spans[1]: {skabe}}, actor=A)
    save_coding(db, story, {WHOLE: {huset, tillid}}, actor=B)

    def view():
        return sorted(db.execute("SELECT code_id, start, end FROM story_codes WHERE story_seq = ?", [seq]).fetchall(),
                      key=str)

    assert view() == sorted([(huset, None, None), (tillid, None, None), (skabe, *spans[1])], key=str)
    proposal = proposed_selection(db, seq)
    assert proposal[WHOLE] == {huset, tillid} and proposal[spans[1]] == {skabe}
    assert reconcile_story(db, story, {WHOLE: {huset}}, actor=A) == 1
    assert view() == [(huset, None, None)] and reconciled_selection(db, seq) == {WHOLE: {huset}}
    assert len(codings_of(db, seq, "coder-a")) == 2  # the coders' own codings stay
    reconcile_story(db, story, {}, actor=A)
    assert view() == [] and reconciled_selection(db, seq) == {}
    undo_reconciliation(db, story, actor=A)
    assert len(view()) == 3 and reconciled_selection(db, seq) is None


def test_memos_on_stories_and_codes(setup):
    db, (huset, *_), story, seq, _ = setup
    on_story = add_memo(db, "Vigtig pointe", story_id=story, actor=A)
    add_memo(db, "Definitionen er bred", code_id=huset, actor=B)
    assert [m.text for m in list_memos(db, story_seq=seq)] == ["Vigtig pointe"]
    assert [m.author for m in list_memos(db, code_id=huset)] == ["coder-b"]
    with pytest.raises(CodingError):
        add_memo(db, "  ", story_id=story, actor=A)
    with pytest.raises(CodingError):
        delete_memo(db, on_story.id, actor=B)
    delete_memo(db, on_story.id, actor=A)
    assert list_memos(db, story_seq=seq) == []


def test_erasing_a_story_erases_its_codings_and_memos(setup):
    import datetime as dt

    db, (huset, *_), story, seq, _ = setup
    add_coding(db, story, huset, actor=A)
    add_memo(db, "memo", story_id=story)
    record_suggestion(db, story, huset, "coder-a", False)
    delete_story(db, story)
    purge_deleted(db, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    for table in ("codings", "memos", "story_coders", "suggestion_events"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_demo_codes_part_of_the_stories_by_two_coders_who_mostly_agree(db):
    from coding.agreement import agreement_report
    from coding.codebook.codes import active_codebook
    from changestories.demo import load_demo

    load_demo(db)
    count = db.execute("SELECT count(*) FROM codings").fetchone()[0]
    load_demo(db)
    assert db.execute("SELECT count(*) FROM codings").fetchone()[0] == count > 0
    report = agreement_report(db, active_codebook(db), "story")
    assert report.coders == ["demo-coder-a", "demo-coder-b"]
    assert 0.6 < report.overall.alpha < 1 and report.disagreements
    levels = db.execute("SELECT DISTINCT start IS NULL FROM codings").fetchall()
    assert sorted(levels) == [(0,), (1,)]
    assert db.execute("SELECT count(*) FROM reconciliations").fetchone()[0] > 0
    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    coded = db.execute("SELECT count(DISTINCT story_seq) FROM codings").fetchone()[0]
    assert 0 < coded < stories


def test_codings_table_export_has_the_coded_text_and_story_fields(setup, tmp_path):
    from openpyxl import load_workbook

    from coding.coding_export import export_codings

    db, (huset, skabe, _), story, seq, spans = setup
    save_coding(db, story, {WHOLE: {huset}, spans[1]: {skabe}}, actor=A, memos={(None, None, huset): "=1+1"})
    assert export_codings(db, tmp_path / "c.csv", "codings-csv") == 2
    with open(tmp_path / "c.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    whole = next(r for r in rows if r["level"] == "story")
    sentence = next(r for r in rows if r["level"] == "passage")
    assert whole["coded_text"] == TEXT and whole["code"] == "Huset" and whole["coder"] == "coder-a"
    assert sentence["coded_text"] == "Vi lavede mad sammen." and sentence["story_id"] == story
    assert export_codings(db, tmp_path / "c.xlsx", "codings-xlsx") == 2
    sheet = load_workbook(tmp_path / "c.xlsx").active
    header = [c.value for c in sheet[1]]
    memo_cells = [row[header.index("memo")] for row in sheet.iter_rows(min_row=2)]
    assert any(c.value == "=1+1" and c.data_type == "s" for c in memo_cells)  # text, never a formula


def test_the_coding_queue_shows_titles_as_the_coder_sees_the_story(db):
    """Staff read the original story on the coding page, so their queue lists its original title
    (no name model loaded for it); evaluators' titles are pseudonymised, and so is a queue asked
    for with the evaluation purpose."""
    title = "Mikkel og Karen i køkkenet"  # fictional people
    story = add_story(db, title=title)
    staff = Actor("anna", "staff")
    assert coding_view(db, story, actor=staff).story.title == title
    assert [q.title for q in queue_page(db, actor=staff).items] == [title]
    assert queue_item(db, story, actor=staff).title == title
    db.execute("UPDATE stories SET awaiting_review = 0")
    db.conn.commit()
    for pseudonymised in (queue_page(db, actor=A).items[0].title, queue_item(db, story, actor=A).title,
                          queue_page(db, actor=staff, story_filter=StoryFilter(purpose="evaluation")).items[0].title):
        assert "Mikkel" not in pseudonymised and "Karen" not in pseudonymised and "køkkenet" in pseudonymised
