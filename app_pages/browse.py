"""Browse and search stories; open one to read, edit, delete or withdraw consent; restore from the bin."""

import datetime as dt

import streamlit as st

from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_errors, show_text, tr
from ui.story_form import draft_to_story, field_names, read_fields, show_story, story_fields, story_to_draft
from ui.choose_many import choose_many
from ui.date_field import date_range
from changestories.demo import load_demo
from stories.demo import has_stories
from stories.i18n import choice_label
from stories.model import MECHANISMS, POLARITIES, SOURCES, TELLER_ROLES
from stories.trust.permissions import PermissionDenied, can_edit_story
from stories.storage import (
    StoryNotFound, delete_story, deleted_stories, distinct_values, get_story, purge_deleted, restore_story,
    stories_by_seq, stories_version, update_story, withdraw_consent,
)
from stories.visibility import StoryFilter
from stories.search import ranked_seqs
from stories.validation import StoryInvalid

PAGE_SIZE = 20

setup_page()
st.session_state.setdefault("browse_open", None)
st.session_state.setdefault("browse_limit", PAGE_SIZE)
st.session_state.setdefault("browse_hits", None)  # (query key, data version, ranked seqs) of the last search
st.session_state.setdefault("browse_mode", "read")
st.session_state.setdefault("browse_notice", None)
db = get_db()
actor = current_actor()
if "browse_purged" not in st.session_state:  # once a session: the bin keeps stories for 30 days only
    st.session_state["browse_purged"] = purge_deleted(db)
st.title(tr("browse.title"), anchor=False)

if st.session_state["browse_notice"]:
    st.success(st.session_state["browse_notice"])
    st.session_state["browse_notice"] = None


def label(kind: str):
    language = lang()  # bound now: format functions may be called outside this run
    return lambda value: choice_label(kind, value, language)


def close_story() -> None:
    st.session_state.update(browse_open=None, browse_mode="read")


def story_meta(story) -> str:
    when = story.happened_on or (story.created_at or "")[:10]
    parts = [when, story.site, choice_label("teller_role", story.teller_role, lang()), story.teller_pseudonym,
             choice_label("polarity", story.polarity, lang()) if story.polarity else ""]
    if story.is_demo:
        parts.append(tr("browse.demo_marker"))
    return " · ".join(p for p in parts if p)


if not has_stories(db):
    st.info(tr("browse.empty_db"))
    if st.button(tr("browse.load_demo"), type="primary"):
        report = load_demo(db)
        st.session_state["browse_notice"] = tr("browse.demo_loaded", n=report.stories_added)
        st.rerun()
    st.stop()

open_id = st.session_state["browse_open"]
if open_id:
    st.button(tr("browse.close"), on_click=close_story, key="browse_back")
    try:
        story = get_story(db, open_id, actor=actor)
    except StoryNotFound:
        st.error(tr("error.not_found"))
        st.stop()
    editable = can_edit_story(actor, story)
    mode = st.session_state["browse_mode"]
    if mode == "edit" and editable:
        prefix = f"edit_{story.id}_"
        st.session_state.setdefault(prefix + "draft", story_to_draft(story))
        with st.form(prefix + "form", border=False, enter_to_submit=False):
            story_fields(prefix, st.session_state[prefix + "draft"], "full")
            save = st.form_submit_button(tr("browse.save"), type="primary")
        if st.button(tr("browse.cancel"), key="browse_cancel"):
            st.session_state["browse_mode"] = "read"
            st.rerun()
        if save:
            draft = read_fields(prefix, "full", st.session_state[prefix + "draft"])
            st.session_state[prefix + "draft"] = draft
            edited = draft_to_story(draft, "full")
            changes = {name: getattr(edited, name) for name in draft if name in field_names() and name != "consent"}
            changes["consent"] = edited.consent
            changes["consent"].version = story.consent.version
            changes["source"] = story.source
            try:
                update_story(db, story.id, changes, actor=actor)
            except StoryInvalid as exc:
                st.session_state[prefix + "errors"] = exc.errors
                show_errors(exc.errors, field_names())
            except PermissionDenied:
                st.error(tr("error.permission"))
            else:
                del st.session_state[prefix + "draft"]
                st.session_state.update(browse_mode="read", browse_notice=tr("browse.saved"))
                st.rerun()
        st.stop()

    with st.container(border=True):
        st.caption(escape_markdown(story_meta(story)))
        show_story(story, journey=True)
    if editable:
        cols = st.columns(3)
        if cols[0].button(tr("browse.edit"), key="browse_edit", use_container_width=True):
            st.session_state["browse_mode"] = "edit"
            st.rerun()
        if cols[1].button(tr("browse.delete"), key="browse_delete", use_container_width=True):
            st.session_state["browse_mode"] = "confirm_delete"
        if cols[2].button(tr("browse.withdraw"), key="browse_withdraw", use_container_width=True):
            st.session_state["browse_mode"] = "confirm_withdraw"
        mode = st.session_state["browse_mode"]
        if mode in ("confirm_delete", "confirm_withdraw"):
            st.warning(tr("browse.delete_confirm" if mode == "confirm_delete" else "browse.withdraw_confirm"))
            if st.button(tr("browse.confirm"), type="primary", key="browse_confirm"):
                if mode == "confirm_delete":
                    delete_story(db, story.id, actor=actor)
                    notice = tr("browse.deleted")
                else:
                    withdraw_consent(db, story.id, actor=actor)
                    notice = tr("browse.withdrawn")
                close_story()
                st.session_state["browse_notice"] = notice
                st.rerun()
    st.stop()

search = st.text_input(tr("browse.search"), key="browse_search", placeholder="🔍", live="300ms")
with st.expander(tr("browse.filters")):
    sites = choose_many(tr("browse.sites"), distinct_values(db, "site"), key="browse_sites")
    roles = choose_many(tr("browse.roles"), TELLER_ROLES, format_func=label("teller_role"), key="browse_roles")
    date_from, date_to = date_range(tr("browse.date_from"), tr("browse.date_to"), keys=("browse_from", "browse_to"),
                                    min_value=dt.date(1990, 1, 1))
    polarities = choose_many(tr("browse.polarities"), POLARITIES, format_func=label("polarity"), key="browse_polarities")
    mechanisms = choose_many(tr("browse.mechanisms"), MECHANISMS, format_func=label("mechanism"), key="browse_mechanisms")
    sources = choose_many(tr("browse.sources"), SOURCES, format_func=label("source"), key="browse_sources")

story_filter = StoryFilter(sites=sites, teller_roles=roles, polarities=polarities, mechanisms=mechanisms,
                           sources=sources, search=search, date_from=date_from.isoformat() if date_from else None,
                           date_to=date_to.isoformat() if date_to else None)


def hits(story_filter: StoryFilter) -> list[int]:
    """The ranked seqs of the listing, kept in the session for its query and the data version:
    "show more" and reruns page through them without running the search again."""
    query = repr((story_filter, actor))
    version = stories_version(db)
    kept = st.session_state["browse_hits"]
    if kept and kept[0] == query and kept[1] == version:
        return kept[2]
    if not kept or kept[0] != query:
        st.session_state["browse_limit"] = PAGE_SIZE  # a new search starts on its first page
    seqs = ranked_seqs(db, story_filter, actor=actor)
    st.session_state["browse_hits"] = (query, version, seqs)
    return seqs


seqs = hits(story_filter)
total = len(seqs)
st.caption(tr("browse.count", n=total))
if not total:
    st.info(tr("browse.none"))
for story in stories_by_seq(db, seqs[:st.session_state["browse_limit"]]):
    with st.container(border=True):
        if story.title:
            show_text(story.title)
        st.caption(escape_markdown(story_meta(story)))
        show_text(story.text[:280] + ("…" if len(story.text) > 280 else ""))
        if st.button(tr("browse.open"), key=f"open_{story.id}"):
            st.session_state.update(browse_open=story.id, browse_mode="read")
            st.rerun()
if total > st.session_state["browse_limit"]:
    if st.button(tr("browse.more"), key="browse_more"):
        st.session_state["browse_limit"] += PAGE_SIZE
        st.rerun()

binned = deleted_stories(db, actor=actor)
with st.expander(tr("browse.bin")):
    if not binned:
        st.caption(tr("browse.bin_empty"))
    for story in binned:
        show_text(story.title or story.text[:80])
        st.caption(tr("browse.deleted_on", when=(story.deleted_at or "")[:16].replace("T", " ")))
        if st.button(tr("browse.restore"), key=f"restore_{story.id}"):
            restore_story(db, story.id, actor=actor)
            st.session_state["browse_notice"] = tr("browse.restored")
            st.rerun()
