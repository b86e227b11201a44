"""The admin page's tabs for a teller's erasure and access export, and for backups."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlite_utils import Database

from changestories.backup import backup, list_backups
from stories.errors import UserError
from stories.trust.erasure import erase_teller, teller_report_json, teller_stories
from stories.trust.permissions import Actor
from stories import formatting
from ui.page import escape_markdown, lang, show_text, show_user_error, tr
from ui.table import table


def erasure_tab(db: Database, actor: Actor) -> None:
    """Everything held about a teller: preview, access export (GDPR art. 15), erasure (art. 17)."""
    st.caption(tr("trust.admin.erasure_intro"))
    teller = st.text_input(tr("trust.admin.teller"), max_chars=200, key="trust_teller", live="300ms").strip()
    if st.session_state.get("trust_access_file", (teller,))[0] != teller:
        st.session_state.pop("trust_access_file")  # another teller: forget the prepared file
    if teller:
        try:
            held = teller_stories(db, teller, actor=actor)
        except UserError as exc:
            show_user_error(exc)
            held = []
        else:
            st.write(tr("trust.admin.teller_stories", n=len(held), teller=escape_markdown(teller)))
        if held:
            with st.expander(tr("trust.admin.preview")):
                for story in held:
                    show_text(story.title)
                    show_text(story.text)
                    st.divider()
            if st.button(tr("trust.admin.access_prepare"), key="trust_access"):
                report, _ = teller_report_json(db, teller, actor=actor)
                st.session_state["trust_access_file"] = (teller, report)
            prepared = st.session_state.get("trust_access_file")
            if prepared and prepared[0] == teller:
                st.download_button(tr("trust.admin.access_download"), prepared[1].encode("utf-8"),
                                   file_name="access.json", mime="application/json", key="trust_access_download")
            confirm = st.checkbox(tr("trust.admin.erase_confirm", teller=escape_markdown(teller)),
                                  key="trust_erase_confirm")
            if st.button(tr("trust.admin.erase"), key="trust_erase", type="primary", disabled=not confirm):
                n = erase_teller(db, teller, actor=actor)
                st.session_state["trust_notice"] = tr("trust.admin.erased", n=n)
                st.session_state.pop("trust_access_file", None)
                st.session_state.pop("trust_erase_confirm", None)
                st.rerun()


def backups_tab(db: Database, actor: Actor) -> None:
    """The backups there are (and which predate an erasure), and making one now."""
    st.caption(tr("safety.backups.intro"))
    found = list_backups(db, actor=actor)
    if not found:
        st.info(tr("safety.backups.none"))
    else:
        table(
            pd.DataFrame(
                [{tr("safety.backups.col.file"): b.path.name,
                  tr("safety.backups.col.taken"): formatting.datetime(b.taken_at, lang()),
                  tr("safety.backups.col.size"): formatting.file_size(b.size, lang()),
                  tr("safety.backups.col.stories"): formatting.number(b.stories, lang()),
                  tr("safety.backups.col.erased"): str(b.erased_inside) if b.predates_erasure else ""}
                 for b in found]
            ),
            hide_index=True,
        )
        older = [b for b in found if b.predates_erasure]
        if older:
            st.warning(tr("safety.backups.predate", n=len(older)), icon="⚠️")
        st.caption(tr("safety.backups.folder", folder=escape_markdown(str(found[0].path.parent))))
    if st.button(tr("safety.backups.make"), key="safety_backup_now", icon=":material/backup:"):
        try:
            made = backup(db, actor=actor)
        except UserError as exc:
            show_user_error(exc)
        else:
            st.session_state["trust_notice"] = tr("safety.backups.made", name=escape_markdown(made.name))
            st.rerun()
