"""Signing in, the first administrator of a new install, and one's own account."""

import streamlit as st

from ui.browser_session import pop_timed_out, sign_in, sign_out, signed_in
from ui.form_enter import enter_form
from ui.page import auth_required, client_address, current_actor, escape_markdown, get_db, setup_page, tr
from stories.trust.accounts import (
    MIN_PASSWORD, AccountError, authenticate, authenticate_sso, create_first_admin, find_user, has_admin, set_password,
)

setup_page()
db = get_db()


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def show_account_error(exc: AccountError) -> None:
    params = {k: escape_markdown(str(v)) for k, v in exc.params.items()}
    st.error(tr(exc.key, **params), icon="⚠️")


def first_admin_form() -> None:
    st.header(tr("trust.setup.title"), anchor=False)
    st.write(tr("trust.setup.intro"))
    with enter_form("trust_setup"):
        name = st.text_input(tr("trust.login.name"), max_chars=64)
        password = st.text_input(tr("trust.login.password"), type="password")
        st.caption(tr("trust.password.hint", min=MIN_PASSWORD))
        repeat = st.text_input(tr("trust.password.repeat"), type="password")
        submitted = st.form_submit_button(tr("trust.setup.submit"), type="primary")
    if submitted:
        if password != repeat:
            st.error(tr("trust.password.mismatch"), icon="⚠️")
            return
        try:
            user = create_first_admin(db, name, password)
        except AccountError as exc:
            show_account_error(exc)
            return
        sign_in(db, user)
        st.rerun()


def sign_in_form() -> None:
    st.header(tr("trust.login.title"), anchor=False)
    if pop_timed_out():
        st.info(tr("trust.timed_out"), icon="⏱️")
    st.write(tr("trust.login.intro"))
    with enter_form("trust_login"):
        name = st.text_input(tr("trust.login.name"), max_chars=64, key="trust_login_name")
        password = st.text_input(tr("trust.login.password"), type="password", key="trust_login_password")
        submitted = st.form_submit_button(tr("trust.login.submit"), type="primary")
    if submitted:
        try:
            user = authenticate(db, name, password, address=client_address())
        except AccountError as exc:
            show_account_error(exc)
        else:
            sign_in(db, user)
            st.rerun()
    if sso_configured():
        sso_sign_in()


def sso_sign_in() -> None:
    """Single sign-on through Streamlit's OIDC login, mapped to a local account by e-mail."""
    st.divider()
    if not st.user.is_logged_in:
        if st.button(tr("trust.login.sso"), key="trust_sso"):
            st.login()
        return
    email = str(st.user.get("email") or "")
    try:
        user = authenticate_sso(db, email)
    except AccountError:
        st.error(tr("trust.login.sso_unknown", email=escape_markdown(email)), icon="⚠️")
        if st.button(tr("trust.sign_out"), key="trust_sso_out"):
            st.logout()
        return
    sign_in(db, user)
    st.rerun()


def account_view() -> None:
    actor = current_actor()
    st.header(tr("trust.account.title"), anchor=False)
    st.markdown(tr("trust.account.who", name=escape_markdown(actor.name), role=tr(f"trust.role.{actor.role}")))
    sites = ", ".join(sorted(actor.sites)) or tr("trust.account.all_sites")
    st.caption(tr("trust.account.sites", sites=escape_markdown(sites)))
    if st.button(tr("trust.sign_out"), key="trust_sign_out_page", icon="🚪"):
        sign_out(db)
        st.rerun()
    user = find_user(db, actor.name)
    if user is None:
        return
    with st.form("trust_password", clear_on_submit=True, enter_to_submit=False):
        st.subheader(tr("trust.account.change_password"), anchor=False)
        old = st.text_input(tr("trust.account.old_password"), type="password")
        new = st.text_input(tr("trust.account.new_password"), type="password")
        st.caption(tr("trust.password.hint", min=MIN_PASSWORD))
        repeat = st.text_input(tr("trust.password.repeat"), type="password")
        submitted = st.form_submit_button(tr("trust.account.change_password"))
    if submitted:
        if new != repeat:
            st.error(tr("trust.password.mismatch"), icon="⚠️")
        else:
            try:
                set_password(db, user.name, new, actor=actor, old_password=old)
            except AccountError as exc:
                show_account_error(exc)
            else:
                sign_in(db, user)  # the change ended every session of this account; this tab goes on
                st.success(tr("trust.account.password_changed"))


if signed_in():
    account_view()
elif not auth_required():
    st.info(tr("trust.login.auth_off"))
elif not has_admin(db):
    first_admin_form()
else:
    sign_in_form()
