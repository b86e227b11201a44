"""The install's questions about stories: the library (every kind), presets, and the questions
each form asks (the staff form, /tell and each camp), with form files for other installs."""

import streamlit as st

from stories.camps.camps import list_camps
from stories.trust.permissions import can_manage_questions
from ui.page import current_actor, get_db, setup_page, tr
from ui.question_editor import add_tab, forms_tab, library_tab

setup_page()
st.session_state.setdefault("qform_key", "tell")
st.header(tr("qadmin.title"), anchor=False)
db, actor = get_db(), current_actor()
if not can_manage_questions(actor):
    st.error(tr("error.permission"))
    st.stop()
camps = {f"camp:{c.id}": f"{c.name} ({c.code})" for c in list_camps(db, actor=actor)}


def form_label(key: str, names={"staff": tr("qadmin.form.staff"), "tell": tr("qadmin.form.tell")}) -> str:
    return names.get(key) or tr("qadmin.form.camp", name=camps.get(key, key))


new, library, forms = st.tabs([tr("qadmin.tab.add"), tr("qadmin.tab.library"), tr("qadmin.tab.forms")])
with new:
    add_tab(db, actor)
with library:
    library_tab(db, actor)
with forms:
    forms_tab(db, actor, ["staff", "tell", *camps], form_label)
