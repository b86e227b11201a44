"""The camp's questions from the library: chosen on the camp's settings, asked on the phone form."""

from __future__ import annotations

import streamlit as st

from stories.camps.camps import Camp
from stories.camps.questions import camp_questions, set_camp_questions
from stories.errors import UserError
from stories.questions.library import list_questions
from stories.trust.permissions import Actor
from ui.page import get_db, lang, show_user_error, tr
from ui.choose_many import choose_in_order


def camp_questions_box(camp: Camp, actor: Actor) -> None:
    """Which library questions the camp's phone form asks, in order (none: the triangle and sliders above)."""
    db = get_db()
    st.subheader(tr("camps.questions.heading"), anchor=False)
    st.caption(tr("camps.questions.help"))
    by_id = {q.id: q for q in list_questions(db)}
    current = [q.id for q in camp_questions(db, camp.id) if q.id in by_id]
    chosen = choose_in_order(tr("qadmin.form_questions"), list(by_id), default=current, key=f"camp_questions_{camp.id}",
                             format_func=lambda i, lg=lang(): by_id[i].wording(lg))
    if st.button(tr("camps.questions.save"), key=f"camp_questions_save_{camp.id}"):
        try:
            set_camp_questions(db, camp.id, chosen, actor=actor)
        except UserError as exc:
            show_user_error(exc)
        else:
            st.success(tr("qadmin.form_saved", n=len(chosen)), icon="✅")
