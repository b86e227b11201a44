"""A participant at a story camp: join by code from a phone and tell a story, no account needed.

Link: /camp_join?camp=CODE. Step 1 is the short story form plus a display name and the
camp's domain; step 2 asks the teller to place the story (signifiers) and sends it.
"""

import uuid

import streamlit as st

from ui.camp_widgets import (domain_label, public_camp_intro, read_signifiers, signifier_inputs,
                             signifiers_from_draft)
from ui.page import get_db, lang, setup_page, show_errors, show_text, show_user_error, tr
from ui.question_inputs import question_inputs, read_answers, read_back
from ui.story_form import field_names, read_fields, story_fields
from stories.camps.camps import CampClosed, CampInvalid
from stories.camps.submissions import (
    MAX_DISPLAY_NAME, CampSubmission, check_camp_submission, new_teller_pseudonym,
)
from stories.db import DatabaseBusy
from stories.camps.questions import camp_questions
from stories.camps.signifiers import SignifierInvalid
from stories.questions.answers import check_answers
from stories.questions.errors import QuestionInvalid

PREFIX = "camp_form_"
TELLER_KEY = "camp_teller"  # one pseudonym per participant's browser session, kept across stories
ROLES = ("young_person", "staff", "other")

setup_page()
st.session_state.setdefault(PREFIX + "key", str(uuid.uuid4()))
st.session_state.setdefault(PREFIX + "step", "story")
st.session_state.setdefault(PREFIX + "errors", [])
st.session_state.setdefault(PREFIX + "draft", {"language": lang(), "teller_role": "young_person"})
st.session_state.setdefault(TELLER_KEY, new_teller_pseudonym())

camp = public_camp_intro(st.header)
questions = camp_questions(get_db(), camp.id)  # the library's questions, when the camp chose any


def names() -> dict[str, str]:
    return field_names("short") | {"display_name": tr("camps.display_name"), "domain": tr("camps.domain")}


def refused_text(text: str, significance: str) -> None:
    """The story the camp refused, shown back to copy, so nothing is lost."""
    st.caption(tr("camps.join.your_text"))
    with st.container(border=True):  # plain text to copy (st.code's copy button says "Copy to clipboard")
        show_text(text)
    if significance:
        with st.container(border=True):
            show_text(significance)


def submission(draft: dict) -> CampSubmission:
    return CampSubmission(
        text=draft.get("text", ""), significance=draft.get("significance", ""),
        display_name=draft.get("display_name", ""), consent_internal=bool(draft.get("internal")),
        domain=draft.get("domain") or "", teller_role=draft.get("teller_role") or "young_person",
        polarity=draft.get("polarity") or None, language=draft.get("language") or lang(),
        consent_evaluation=bool(draft.get("evaluation")), teller_under_15=bool(draft.get("teller_under_15")),
        guardian=bool(draft.get("guardian")),
        signifiers=None if questions else signifiers_from_draft(camp.signifiers, draft),
        teller_pseudonym=st.session_state[TELLER_KEY], answers=dict(draft.get("answers") or {}),
    )


def send(draft: dict) -> None:
    from ui.page import get_db
    from stories.camps.submissions import submit_camp_story

    try:
        saved = submit_camp_story(get_db(), camp.id, submission(draft), submission_key=st.session_state[PREFIX + "key"])
    except CampInvalid as exc:
        st.session_state[PREFIX + "errors"] = exc.errors
        st.session_state[PREFIX + "step"] = "story"
        st.rerun()
    except SignifierInvalid as exc:
        st.error(tr(exc.key, **exc.params))
    except QuestionInvalid as exc:
        show_user_error(exc)
    except CampClosed as exc:
        st.error(tr("camps.join.closed_on_send"), icon="🔒")
        refused_text(exc.text, exc.significance)
    except DatabaseBusy:
        st.error(tr("error.busy"))
    else:
        st.session_state[PREFIX + "saved"] = saved.id
        st.session_state[TELLER_KEY] = saved.teller_pseudonym
        st.session_state[PREFIX + "step"] = "done"
        st.rerun()


draft = st.session_state[PREFIX + "draft"]
step = st.session_state[PREFIX + "step"]

if step == "done":
    st.success(tr("camps.join.thanks"), icon="✅")
    st.caption(tr("form.saved_ref", ref=st.session_state.get(PREFIX + "saved", "")[:8]))
    st.caption(tr("safety.camp.teller_id", teller=st.session_state[TELLER_KEY]))
    if st.button(tr("camps.join.another"), type="primary", width="stretch"):
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(PREFIX)]:
            del st.session_state[key]
        st.rerun()
    st.page_link("app_pages/camp_feedback.py", label=tr("camps.join.see_feedback"), icon="💬",
                 query_params={"camp": camp.code})
    st.stop()

if not camp.is_open():
    if draft.get("text"):  # closed while this participant was writing: give the text back
        st.error(tr("camps.join.closed_on_send"), icon="🔒")
        refused_text(draft.get("text", ""), draft.get("significance", ""))
    else:
        st.warning(tr("camps.join.closed"), icon="🔒")
    st.page_link("app_pages/camp_feedback.py", label=tr("camps.join.see_feedback"), icon="💬",
                 query_params={"camp": camp.code})
    st.stop()

asks = bool(questions) or camp.signifiers.asks_anything
if step == "story":
    if st.session_state[PREFIX + "errors"]:
        st.warning(tr("form.fix_errors"))
        mine = [e for e in st.session_state[PREFIX + "errors"] if e.field in ("display_name", "domain")]
        show_errors(mine, names())
    with st.form(PREFIX + "form", border=False, enter_to_submit=False):
        st.text_input(tr("camps.display_name"), value=draft.get("display_name", ""), max_chars=MAX_DISPLAY_NAME,
                      key=PREFIX + "w_display_name")
        st.caption(tr("camps.display_name_help"))
        st.radio(tr("camps.join.role"), ROLES, horizontal=True, index=ROLES.index(draft.get("teller_role", ROLES[0])),
                 format_func=lambda r: tr(f"teller_role.{r}"), key=PREFIX + "w_teller_role")
        if camp.domains:
            current = draft.get("domain")
            st.radio(tr("camps.domain"), camp.domains, format_func=domain_label, key=PREFIX + "w_domain",
                     index=camp.domains.index(current) if current in camp.domains else None)
        story_fields(PREFIX, draft, "short", ask_domain=False)
        go = st.form_submit_button(tr("form.continue" if asks else "camps.join.send"), type="primary",
                                   width="stretch")
    if go:
        draft = read_fields(PREFIX, "short", draft)
        for name in ("display_name", "teller_role", "domain"):
            draft[name] = st.session_state.get(PREFIX + "w_" + name)
        st.session_state[PREFIX + "draft"] = draft
        try:
            check_camp_submission(camp, submission(draft))
        except CampInvalid as exc:
            st.session_state[PREFIX + "errors"] = exc.errors
            st.rerun()
        st.session_state[PREFIX + "errors"] = []
        if asks:
            st.session_state[PREFIX + "step"] = "signify"
            st.rerun()
        send(draft)
elif questions and step == "confirm":  # the answers read back before they are sent
    st.subheader(tr("form.review_heading"), anchor=False)
    read_back(questions, draft.get("answers") or {})
    if st.button(tr("camps.join.send"), type="primary", width="stretch", key=PREFIX + "confirm_send"):
        send(draft)
    if st.button(tr("qform.change_answers"), width="stretch", key=PREFIX + "confirm_back"):
        st.session_state[PREFIX + "step"] = "signify"
        st.rerun()
elif questions:
    with st.form(PREFIX + "q_form", border=False, enter_to_submit=False):
        question_inputs(PREFIX, questions)
        go = st.form_submit_button(tr("form.continue"), type="primary", width="stretch")
    if st.button(tr("camps.join.back"), width="stretch"):
        st.session_state[PREFIX + "step"] = "story"
        st.rerun()
    if go:
        draft["answers"] = read_answers(PREFIX, questions)
        st.session_state[PREFIX + "draft"] = draft
        try:
            check_answers(questions, draft["answers"])
        except QuestionInvalid as exc:
            show_user_error(exc)
        else:
            st.session_state[PREFIX + "step"] = "confirm"
            st.rerun()
else:
    with st.form(PREFIX + "sig_form", border=False, enter_to_submit=False):
        signifier_inputs(camp.signifiers, PREFIX, draft)
        sent = st.form_submit_button(tr("camps.join.send"), type="primary", width="stretch")
    if st.button(tr("camps.join.back"), width="stretch"):
        st.session_state[PREFIX + "draft"] = read_signifiers(camp.signifiers, PREFIX, draft)
        st.session_state[PREFIX + "step"] = "story"
        st.rerun()
    if sent:
        draft = read_signifiers(camp.signifiers, PREFIX, draft)
        st.session_state[PREFIX + "draft"] = draft
        send(draft)

st.caption(tr("camps.join.feedback_hint"))
st.page_link("app_pages/camp_feedback.py", label=tr("camps.join.see_feedback"), icon="💬",
             query_params={"camp": camp.code})
