"""Widgets the camp pages share: finding a camp by code or by choice, labels, links, signifier inputs."""

from __future__ import annotations

import uuid
from urllib.parse import quote
from collections.abc import Callable

import streamlit as st

from ui.page import client_address, current_actor, escape_markdown, get_db, lang, show_text, tr
from ui.picture import picture
from ui.form_enter import enter_form
from stories.camps.access import TooManyAttempts, base_url, find_camp, join_link, qr_png
from stories.trust.permissions import PermissionDenied
from stories.camps.address import MAX_LENGTH as MAX_ADDRESS, CampAddressInvalid, phone_address, save_address, saved_address
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
    """The address phones use (`stories.camps.address.phone_address`): kept for the install,
    else where this browser reached the app, else the one `serve --lan` detected."""
    return phone_address(get_db(), st.context.url)[0]


def address_box() -> None:
    """Where the link and QR code point, why, and a form to keep another address for the install."""
    db, actor = get_db(), current_actor()
    address, source = phone_address(db, st.context.url)
    if source == "local":
        st.warning(tr("camps.address.source.local"), icon="📵")
    else:
        st.caption(tr(f"camps.address.source.{source}"))
    with st.form("camp_address", border=False, enter_to_submit=False):
        typed = st.text_input(tr("camps.address.label"), value=saved_address(db), max_chars=MAX_ADDRESS,
                              placeholder=address, key="camp_address_input")
        st.caption(tr("camps.address.help"))
        submitted = st.form_submit_button(tr("camps.address.save"))
    if submitted:
        try:
            value = save_address(db, typed, actor=actor)
        except CampAddressInvalid as exc:
            st.error(tr(exc.key, **{k: escape_markdown(str(v)) for k, v in exc.params.items()}), icon="⚠️")
            return
        except PermissionDenied:
            st.error(tr("error.permission"))
            return
        st.session_state["camp_flash"] = (tr("camps.address.saved", address=escape_markdown(value)) if value
                                          else tr("camps.address.cleared"))
        st.rerun()


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
    with enter_form(key, border=True):  # a code typed on a phone goes with its Enter
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


SELECTED_CAMP = "camp_selected"  # the camp chosen last in this session, shared by every camp page


def select_camp(code: str) -> None:
    """Make this camp the selected one on every camp page of the session (e.g. just created)."""
    st.session_state[SELECTED_CAMP] = code
    st.query_params["camp"] = code


def pick_camp(key: str) -> Camp | None:
    """A facilitator's choice among the camps they may run: ?camp=CODE, else the camp selected
    last in this session, else the first open one."""
    camps = list_camps(get_db(), actor=current_actor())
    if not camps:
        st.info(tr("camps.none_yet"))
        return None
    codes = [c.code for c in camps]
    wanted = normalise_code(st.query_params.get("camp", ""))
    if wanted not in codes:
        wanted = st.session_state.get(SELECTED_CAMP)
    if wanted not in codes:
        wanted = next((c.code for c in camps if c.is_open()), codes[0])
    st.session_state[key] = wanted  # the address (or a new camp) decides, not the widget's last value
    names = {c.code: f"{c.name} ({c.code})" for c in camps}
    chosen = st.selectbox(tr("camps.pick"), codes, format_func=names.__getitem__, key=key,
                          on_change=lambda: select_camp(st.session_state[key]), placeholder=tr("widgets.choose"), filter_mode=None)
    st.session_state[SELECTED_CAMP] = chosen
    if st.query_params.get("camp") != chosen:
        st.query_params["camp"] = chosen
    return next(c for c in camps if c.code == chosen)


def current_camp() -> Camp | None:
    """The wall's camp: ?camp=CODE among the camps this facilitator may run (an unknown code says
    so), else the camp selected last in this session, else the first open one."""
    camps = list_camps(get_db(), actor=current_actor())
    code = normalise_code(st.query_params.get("camp", ""))
    if code:
        camp = next((c for c in camps if c.code == code), None)
        if camp is None:
            st.error(tr("camps.wall.unknown", code=code), icon="🔒")
        else:
            st.session_state[SELECTED_CAMP] = camp.code
        return camp
    if not camps:
        st.info(tr("camps.none_yet"))
        return None
    wanted = st.session_state.get(SELECTED_CAMP)
    camp = next((c for c in camps if c.code == wanted), None) or next((c for c in camps if c.is_open()), camps[0])
    select_camp(camp.code)
    return camp


def wall_link(camp: Camp) -> str:
    """The wall of this camp at the address this browser uses (the projector hangs on this machine)."""
    return f"{base_url(st.context.url)}/wall?camp={quote(camp.code)}"


def wall_join_panel(camp: Camp) -> None:
    """For the projector: the QR code, the join code in large type and the link, sized to the screen."""
    link = join_link(app_base(), camp.code)
    with st.container(key="wall_join"):
        st.caption(tr("camps.qr_caption"))
        picture(qr_png(link, scale=12), alt=tr("camps.qr_caption"))
        with st.container(key="wall_code"):
            st.text(camp.code)
        with st.container(key="wall_link"):
            st.text(link)


def join_box(camp: Camp, *, qr_width: int = 220) -> None:
    """The code, the link and a QR code to join the camp."""
    link = join_link(app_base(), camp.code)
    left, right = st.columns([2, 1])
    with left:
        st.caption(tr("camps.join.code"))
        with st.container(key="camp_code"):
            st.text(camp.code)
        st.caption(tr("camps.link"))
        with st.container(border=True):  # plain text to copy (st.code's copy button says "Copy to clipboard")
            show_text(link)
    with right:
        picture(qr_png(link), alt=tr("camps.qr_caption"), width=qr_width, caption=tr("camps.qr_caption"))


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
                 captions=None, key=f"{prefix}w_slider{i}")
        st.caption(tr("camps.sig.slider_help"))


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
