"""Widgets the camp pages share: finding a camp by code or by choice, labels, links, signifier inputs."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import streamlit as st

from ui.page import client_address, current_actor, escape_markdown, get_db, lang, show_text, tr
from stories.camps.access import TooManyAttempts, base_url, find_camp, join_link, qr_png
from stories.camps.camps import Camp, CampNotFound, label, list_camps, normalise_code
from stories.camps.signifiers import SLIDER_MAX, SLIDER_MIN, SignifierConfig, Signifiers

CAMP_CSS = """
<style>
[class*="st-key-wall_story"] [data-testid="stText"] { font-size: 1.45rem; line-height: 1.45; white-space: pre-wrap; }
[class*="st-key-wall_title"] [data-testid="stText"] { font-size: 2rem; font-weight: 700; }
[class*="st-key-wall_name"] [data-testid="stText"] { font-size: 1.2rem; opacity: 0.75; }
[class*="st-key-feedback_title"] [data-testid="stText"], [class*="st-key-chosen"] [data-testid="stText"],
[class*="st-key-sig_story_title"] [data-testid="stText"] { font-weight: 700; font-size: 1.15rem; }
[class*="st-key-camp_code"] [data-testid="stText"] { font-size: 3rem; font-weight: 800; letter-spacing: 0.3rem; }
</style>
"""


def big_text_css() -> None:
    """Large type for projector and code display (fixed CSS, no user content)."""
    st.html(CAMP_CSS)


def domain_label(value: str) -> str:
    """An install domain's name in the user's language, else the camp's own word for it."""
    from stories.msc.domains import domain_names

    if not value:
        return tr("camps.no_domain")
    return domain_names(get_db(), lang()).get(value) or label("domain", value, lang())


def md(value: str) -> str:
    """A label of facilitator text where Streamlit parses Markdown (headers, expanders, buttons)."""
    return escape_markdown(value)


def app_base() -> str:
    """The address phones use: chosen on the camps page, else where this browser reached the app."""
    return st.session_state.get("camp_base_url") or base_url(st.context.url)


def client_keys() -> tuple[str, str | None]:
    """This browser session and its address, for slowing down guessed codes."""
    session = st.session_state.setdefault("camp_client", uuid.uuid4().hex)
    return session, client_address()


def camp_by_code(code: str) -> Camp | None:
    """The camp for a code from the link or typed in; a clear message when there is none.

    A code refused once in this session is not looked up again on every rerun.
    """
    code = normalise_code(code)
    if not code:
        return None
    refused = st.session_state.setdefault("camp_refused_codes", [])
    if code in refused:
        st.error(tr("camps.join.unknown", code=code), icon="🔒")
        return None
    session, address = client_keys()
    try:
        return find_camp(get_db(), code, session=session, address=address)
    except TooManyAttempts as exc:
        st.error(tr("camps.join.too_many", minutes=exc.wait_minutes), icon="⏳")
    except CampNotFound:
        refused.append(code)
        st.error(tr("camps.join.unknown", code=code), icon="🔒")
    return None


def code_entry(key: str) -> None:
    """A small form to type a camp code; the code goes into the page's address."""
    with st.form(key, border=True):
        typed = st.text_input(tr("camps.join.code"), max_chars=12, placeholder="ABC234")
        if st.form_submit_button(tr("camps.join.go"), type="primary", width="stretch"):
            st.query_params["camp"] = normalise_code(typed)[:12]
            st.rerun()


def public_camp() -> Camp | None:
    """The camp of a public page: from ?camp=CODE, or asked for."""
    camp = camp_by_code(st.query_params.get("camp", ""))
    if camp is None:
        code_entry("camp_code_entry")
    return camp


def public_camp_intro(heading: Callable[[str], object]) -> Camp:
    """The camp of a public page (the page stops until there is one), its name drawn by
    `heading` (st.header, st.subheader) and its prompt."""
    camp = public_camp()
    if camp is None:
        st.stop()
    heading(md(camp.name))
    if camp.prompt:
        show_text(camp.prompt)
    return camp


def pick_camp(key: str) -> Camp | None:
    """A facilitator's choice among the camps they may run (?camp=CODE preselects)."""
    camps = list_camps(get_db(), actor=current_actor())
    if not camps:
        st.info(tr("camps.none_yet"))
        return None
    wanted = normalise_code(st.query_params.get("camp", ""))
    codes = [c.code for c in camps]
    chosen = st.selectbox(tr("camps.pick"), codes, index=codes.index(wanted) if wanted in codes else 0,
                          format_func=lambda c: next(f"{x.name} ({x.code})" for x in camps if x.code == c),
                          key=key)
    if chosen != wanted:
        st.query_params["camp"] = chosen
    return next(c for c in camps if c.code == chosen)


def join_box(camp: Camp, *, qr_width: int = 220) -> None:
    """The code, the link and a QR code to join the camp."""
    link = join_link(app_base(), camp.code)
    left, right = st.columns([2, 1])
    with left:
        st.caption(tr("camps.join.code"))
        with st.container(key="camp_code"):
            st.text(camp.code)
        st.caption(tr("camps.link"))
        st.code(link, language=None, wrap_lines=True)
    with right:
        st.image(qr_png(link), width=qr_width, caption=tr("camps.qr_caption"))


def signifier_inputs(config: SignifierConfig, prefix: str, draft: dict) -> None:
    """The teller's own placement: three amounts for the triangle's poles, and slider questions."""
    if config.triangle:
        st.markdown(f"**{tr('camps.sig.triangle_heading')}**")
        st.caption(tr("camps.sig.triangle_help"))
        for i, pole in enumerate(config.poles):
            st.slider(md(label("pole", pole, lang())), 0, 10, value=int(draft.get(f"pole{i}", 0)),
                      key=f"{prefix}w_pole{i}")
    for i, slider in enumerate(config.sliders):
        options = list(range(SLIDER_MIN, SLIDER_MAX + 1))
        current = draft.get(f"slider{i}")
        st.radio(md(label("slider", slider, lang())), options, horizontal=True,
                 index=options.index(current) if current in options else None,
                 captions=None, key=f"{prefix}w_slider{i}", help=tr("camps.sig.slider_help"))


def read_signifiers(config: SignifierConfig, prefix: str, draft: dict) -> dict:
    """The draft with the signifier widgets' values."""
    draft = dict(draft)
    for i in range(3 if config.triangle else 0):
        draft[f"pole{i}"] = st.session_state.get(f"{prefix}w_pole{i}", 0)
    for i in range(len(config.sliders)):
        draft[f"slider{i}"] = st.session_state.get(f"{prefix}w_slider{i}")
    return draft


def signifiers_from_draft(config: SignifierConfig, draft: dict) -> Signifiers:
    weights = tuple(draft.get(f"pole{i}", 0) for i in range(3)) if config.triangle else None
    if weights is not None and not any(weights):
        weights = None
    sliders = {s: draft.get(f"slider{i}") for i, s in enumerate(config.sliders) if draft.get(f"slider{i}")}
    return Signifiers(config.poles, weights, sliders)
