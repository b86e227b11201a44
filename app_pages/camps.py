"""Story camps for facilitators: create a camp, show its code and QR, open or close it, form groups
and run the Most Significant Change selection rounds."""

import datetime as dt

import streamlit as st

from ui.camp_questions import camp_questions_box
from ui.camp_rounds import groups_section, rounds_section
from ui.camp_widgets import address_box, big_text_css, domain_label, join_box, md, pick_camp, select_camp, wall_link
from ui.page import current_actor, get_db, lang, setup_page, show_errors, tr
from ui.choose_many import choose_many
from ui.date_field import date_field
from ui.time_field import time_field
from stories.camps.camps import (
    DEFAULT_LEVELS, Camp, CampDraft, CampInvalid, close_camp, create_camp, label, reopen_camp, update_camp,
)
from stories.model import MECHANISMS
from stories.trust.permissions import PermissionDenied, can_run_camp
from stories.camps.signifiers import DEFAULT_POLES, DEFAULT_SLIDER, SignifierInvalid, make_config
from stories.msc.domains import domain_keys

FIELDS = ("name", "held_on", "site", "prompt", "domains", "levels", "closes_at")

setup_page()
big_text_css()
st.header(tr("camps.title"), anchor=False)
actor = current_actor()
if not can_run_camp(actor):
    st.error(tr("error.permission"))
    st.stop()
if "camp_flash" in st.session_state:
    st.success(st.session_state.pop("camp_flash"), icon="✅")


def pole_options() -> list[str]:
    """The KBH+ mechanisms, then the codes of the active codebook (any three may be poles)."""
    from coding.codebook.codes import active_codebook, codable_codes

    db = get_db()
    codes = [c.name(lang()) for c in codable_codes(db, active_codebook(db)) if c.key not in MECHANISMS]
    return list(dict.fromkeys([*MECHANISMS, *codes]))


def level_lines(levels) -> str:
    return "\n".join(label("level", v, lang()) for v in levels)


def level_keys(text: str) -> list[str]:
    """Typed level names; the default names are stored as keys so they follow the language."""
    names = {tr(f"camps.level.{k}"): k for k in DEFAULT_LEVELS}
    return [names.get(line.strip(), line.strip()) for line in text.splitlines() if line.strip()]


def camp_form(key: str, camp: Camp | None = None) -> CampDraft | None:
    """The camp's fields; returns a draft when submitted (signifier problems shown here)."""
    installed = domain_keys(get_db())
    domains = list(camp.domains) if camp else installed
    signifiers = camp.signifiers if camp else None
    poles = list(signifiers.poles) if signifiers else list(DEFAULT_POLES)
    sliders = list(signifiers.sliders) if signifiers else [DEFAULT_SLIDER]
    options = pole_options()
    options += [p for p in poles if p not in options]
    with st.form(key, enter_to_submit=False):
        name = st.text_input(tr("camps.name") + " *", value=camp.name if camp else "", max_chars=120)
        held_on = date_field(tr("camps.held_on"), key=f"{key}_held_on", value=dt.date.fromisoformat(camp.held_on)
                             if camp and camp.held_on else dt.date.today())
        site = st.text_input(tr("camps.site"), value=camp.site if camp else "", max_chars=120)
        prompt = st.text_area(tr("camps.prompt"), value=camp.prompt if camp else tr("camps.default_prompt"),
                              max_chars=1000)
        # Chips, not a multi-select: with every domain chosen (the default) its open list would say "No results".
        chosen = choose_many(tr("camps.domains"), installed, default=[d for d in domains if d in installed],
                             format_func=domain_label)
        own = st.text_area(tr("camps.own_domains"), value="\n".join(d for d in domains if d not in installed))
        levels = st.text_area(tr("camps.levels"), value=level_lines(camp.levels if camp else DEFAULT_LEVELS[:2]))
        st.caption(tr("camps.levels_help"))
        st.markdown(f"**{tr('camps.sig.heading')}**")
        triangle = st.checkbox(tr("camps.sig.ask_triangle"), value=signifiers.triangle if signifiers else True)
        cols = st.columns(3)
        picked = [cols[i].selectbox(tr("camps.sig.pole", n=i + 1), options, index=options.index(poles[i]),
                                    format_func=lambda p, language=lang(): label("pole", p, language), key=f"{key}_pole{i}",
                                    placeholder=tr("widgets.choose"), filter_mode=None)
                  for i in range(3)]
        ask_size = st.checkbox(tr("camps.sig.ask_change_size"), value=DEFAULT_SLIDER in sliders)
        other = st.text_input(tr("camps.sig.own_slider"), value=next((s for s in sliders if s != DEFAULT_SLIDER), ""),
                              max_chars=120)
        auto_close = st.checkbox(tr("camps.auto_close"), value=bool(camp and camp.closes_at))
        closes = dt.datetime.fromisoformat(camp.closes_at).astimezone() if camp and camp.closes_at else None
        left, right = st.columns(2)
        close_day = date_field(tr("camps.close_day"), key=f"{key}_close_day",
                               value=closes.date() if closes else dt.date.today(), container=left)
        close_time = time_field(tr("camps.close_time"), key=f"{key}_close_time",
                                value=closes.time() if closes else dt.time(16, 0), container=right)
        submitted = st.form_submit_button(tr("camps.save" if camp else "camps.create"), type="primary")
    if not submitted:
        return None
    try:
        config = make_config(triangle, picked, ([DEFAULT_SLIDER] if ask_size else []) + [other])
    except SignifierInvalid as exc:
        st.error(tr(exc.key, **exc.params), icon="⚠️")
        return None
    if auto_close and (close_day is None or close_time is None):
        st.error(tr("widgets.time.missing", label=tr("camps.auto_close")), icon="⚠️")
        return None
    closes_at = dt.datetime.combine(close_day, close_time).astimezone().isoformat() if auto_close else None
    return CampDraft(name=name, held_on=held_on.isoformat() if held_on else None, site=site, prompt=prompt,
                     domains=[*chosen, *own.splitlines()], levels=level_keys(levels), signifiers=config,
                     closes_at=closes_at)


def field_names() -> dict[str, str]:
    return {f: tr(f"camps.{f}") for f in FIELDS}


def save(action) -> None:
    try:
        camp = action()
    except CampInvalid as exc:
        show_errors(exc.errors, field_names())
    except PermissionDenied:
        st.error(tr("error.permission"))
    else:
        select_camp(camp.code)  # a new camp is the selected camp on every camp page
        st.session_state["camp_flash"] = tr("camps.saved", name=md(camp.name))
        st.rerun()


with st.expander(tr("camps.new"), expanded=not st.query_params.get("camp")):
    draft = camp_form("new_camp")
    if draft:
        save(lambda: create_camp(get_db(), draft, actor=actor))

camp = pick_camp("camps_camp")
if camp is None:
    st.stop()

join_tab, groups_tab, rounds_tab, settings_tab = st.tabs(
    [tr("camps.tab.join"), tr("camps.tab.groups"), tr("camps.tab.rounds"), tr("camps.tab.settings")])
with join_tab:
    if camp.is_open():
        st.success(tr("camps.status.open"), icon="🟢")
        if st.button(tr("camps.close"), key="close_camp"):
            close_camp(get_db(), camp.id, actor=actor)
            st.rerun()
    else:
        st.warning(tr("camps.status.closed"), icon="🔒")
        if st.button(tr("camps.reopen"), key="reopen_camp"):
            reopen_camp(get_db(), camp.id, actor=actor)
            st.rerun()
    join_box(camp)
    address_box()
    links = st.columns(3)
    links[0].link_button(tr("camps.open_wall_window"), wall_link(camp), icon="🖥️", help=tr("camps.open_wall_help"))
    links[1].page_link("app_pages/camp_results.py", label=tr("camps.open_results"), icon="🏆",
                       query_params={"camp": camp.code})
    links[2].page_link("app_pages/camp_feedback.py", label=tr("camps.open_feedback"), icon="💬",
                       query_params={"camp": camp.code})
with groups_tab:
    groups_section(camp)
with rounds_tab:
    rounds_section(camp)
with settings_tab:
    draft = camp_form("edit_camp", camp)
    if draft:
        save(lambda: update_camp(get_db(), camp.id, draft, actor=actor))
    camp_questions_box(camp, actor)
