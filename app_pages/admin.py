"""Admins: users and roles, sites, the audit log, a teller's erasure and access, and backups."""

import pandas as pd
import streamlit as st

from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_text, show_user_error, tr
from stories.trust.accounts import (
    ACCOUNT_ROLES, MIN_PASSWORD, add_user, list_users, set_disabled, set_password, set_role, set_sites,
)
from stories.trust.audit import ACTIONS, count_log, read_log
from stories.trust.audit_text import describe
from stories import formatting
from stories.errors import UserError
from stories.trust.permissions import PermissionDenied
from stories.sites import add_site, list_sites
from ui.trust_admin import backups_tab, erasure_tab
from ui.table import table
from ui.choose_many import choose_many

AUDIT_ROWS = 500

setup_page()
db = get_db()
actor = current_actor()
st.session_state.setdefault("trust_notice", None)
st.header(tr("trust.admin.title"), anchor=False)
if st.session_state["trust_notice"]:
    st.success(st.session_state["trust_notice"])
    st.session_state["trust_notice"] = None


def role_label(role: str) -> str:
    return tr(f"trust.role.{role}")


try:
    users = list_users(db, actor=actor)
except PermissionDenied as exc:
    show_user_error(exc)
    st.stop()
sites = list_sites(db)
tab_users, tab_sites, tab_audit, tab_erasure, tab_backups = st.tabs(
    [tr("trust.admin.tab.users"), tr("trust.admin.tab.sites"), tr("trust.admin.tab.audit"),
     tr("trust.admin.tab.erasure"), tr("safety.backups.tab")]
)

with tab_users:
    st.caption(tr("trust.admin.users_intro"))
    table(
        pd.DataFrame(
            [{tr("trust.admin.col.name"): u.name, tr("trust.admin.col.role"): role_label(u.role),
              tr("trust.admin.col.sites"): ", ".join(u.sites) or tr("trust.account.all_sites"),
              tr("trust.admin.col.disabled"): u.disabled, tr("trust.admin.col.created"): formatting.date(u.created_at, lang())}
             for u in users]
        ),
        hide_index=True,
    )
    with st.expander(tr("trust.admin.add_user")), st.form("trust_add_user", clear_on_submit=True, enter_to_submit=False):
        name = st.text_input(tr("trust.login.name"), max_chars=64)
        role = st.selectbox(tr("trust.admin.col.role"), ACCOUNT_ROLES, index=2, format_func=role_label,
                            placeholder=tr("widgets.choose"), filter_mode=None)
        user_sites = choose_many(tr("trust.admin.col.sites"), sites)
        password = st.text_input(tr("trust.login.password"), type="password")
        st.caption(tr("trust.password.hint", min=MIN_PASSWORD))
        if st.form_submit_button(tr("trust.admin.add_user"), type="primary"):
            try:
                user = add_user(db, name, role, password, sites=user_sites, actor=actor)
            except UserError as exc:
                show_user_error(exc)
            else:
                st.session_state["trust_notice"] = tr("trust.admin.user_added", name=escape_markdown(user.name))
                st.rerun()
    if users:
        st.subheader(tr("trust.admin.edit_user"), anchor=False)
        names = [u.name for u in users]
        picked = st.selectbox(tr("trust.admin.pick_user"), names, key="trust_pick_user",
                              placeholder=tr("widgets.choose"), filter_mode=None)
        user = users[names.index(picked)]
        with st.form(f"trust_edit_{user.id}", enter_to_submit=False):
            new_role = st.selectbox(tr("trust.admin.col.role"), ACCOUNT_ROLES,
                                    index=ACCOUNT_ROLES.index(user.role), format_func=role_label,
                                    placeholder=tr("widgets.choose"), filter_mode=None)
            site_options = sorted(set(sites) | set(user.sites))
            new_sites = choose_many(tr("trust.admin.col.sites"), site_options, default=list(user.sites))
            if st.form_submit_button(tr("trust.admin.save_user")):
                try:
                    set_role(db, user.name, new_role, actor=actor)
                    if set(new_sites) != set(user.sites):
                        set_sites(db, user.name, new_sites, actor=actor)
                except UserError as exc:
                    show_user_error(exc)
                else:
                    st.session_state["trust_notice"] = tr("trust.admin.user_saved")
                    st.rerun()
        label = tr("trust.admin.enable") if user.disabled else tr("trust.admin.disable")
        if st.button(label, key=f"trust_disable_{user.id}"):
            try:
                set_disabled(db, user.name, not user.disabled, actor=actor)
            except UserError as exc:
                show_user_error(exc)
            else:
                st.rerun()
        with st.form(f"trust_reset_{user.id}", clear_on_submit=True, enter_to_submit=False):
            new_password = st.text_input(tr("trust.admin.reset_password"), type="password")
            st.caption(tr("trust.password.hint", min=MIN_PASSWORD))
            if st.form_submit_button(tr("trust.admin.reset_password")):
                try:
                    set_password(db, user.name, new_password, actor=actor)
                except UserError as exc:
                    show_user_error(exc)
                else:
                    st.success(tr("trust.admin.password_set"))

with tab_sites:
    st.caption(tr("trust.admin.sites_intro"))
    for site in sites:
        show_text(site)
    if not sites:
        st.info(tr("trust.admin.no_sites"))
    with st.form("trust_add_site", clear_on_submit=True, enter_to_submit=False):
        site_name = st.text_input(tr("trust.admin.site_name"), max_chars=200)
        if st.form_submit_button(tr("trust.admin.add_site")):
            try:
                add_site(db, site_name, actor=actor)
            except UserError as exc:
                show_user_error(exc)
            else:
                st.session_state["trust_notice"] = tr("trust.admin.site_added")
                st.rerun()

with tab_audit:
    st.caption(tr("trust.admin.audit_intro"))
    action = st.selectbox(tr("trust.admin.audit_filter"), [None, *ACTIONS], key="trust_audit_action",
                          format_func=lambda a: tr(f"trust.audit.{a}") if a else tr("trust.admin.audit_all"),
                          placeholder=tr("widgets.choose"), filter_mode=None)
    entries = read_log(db, actor=actor, action=action, limit=AUDIT_ROWS)
    total = count_log(db, actor=actor, action=action)
    st.caption(tr("trust.admin.audit_count", n=total, shown=len(entries)))
    lines = [describe(e, lang()) for e in entries]
    table(
        pd.DataFrame([{tr("audit.col.when"): line.when, tr("audit.col.ago"): line.ago,
                tr("audit.col.who"): line.who, tr("audit.col.what"): line.says} for line in lines]),
        hide_index=True,
    )

with tab_erasure:
    erasure_tab(db, actor)

with tab_backups:
    backups_tab(db, actor)
