"""The signed-in session of a browser: kept in a cookie, so it survives a reload, a new tab and a bookmark.

Signing in starts a session in `stories.trust.sessions` and hands its token to the browser, which
asks the app's own `/api/session` route (server.py) to store it as an HttpOnly cookie.
Every rerun checks the token (this tab's, or for a new tab the cookie it arrived with)
against the database: an expired, revoked or forged token signs nobody in and asks the
browser to drop the cookie. Nothing here trusts the cookie beyond that lookup.
"""

from __future__ import annotations

import json

import streamlit as st
from sqlite_utils import Database

from stories.trust.sessions import COOKIE_NAME, TOKEN_RE, SessionEnded, SessionExpired

LANG_COOKIE = "changestories_lang"
SESSION_ROUTE = "/api/session"
_USER_KEY, _TOKEN_KEY, _TIMED_OUT_KEY = "auth_user_id", "auth_token", "auth_timed_out"
_PENDING_KEY, _CLEAR_KEY, _DEAD_KEY = "auth_cookie_pending", "auth_cookie_clear", "auth_dead_cookie"
_LANG_SET_KEY = "lang_cookie_pending"


def request_cookie(name: str) -> str | None:
    """A cookie the browser sent when this tab connected (None in tests without a browser)."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser connection (AppTest, bare mode)
        return None
    return value if isinstance(value, str) else None


def signed_in() -> bool:
    return _USER_KEY in st.session_state


def sign_in(db: Database, user) -> None:
    """Start a session for an authenticated `stories.trust.accounts.User`, in this tab and in a cookie."""
    from stories.trust.accounts import session_timeout_seconds
    from stories.trust.sessions import start_session

    token = start_session(db, user.id, idle_seconds=session_timeout_seconds())
    _remember(user, token)
    st.session_state[_PENDING_KEY] = True
    st.session_state.pop(_TIMED_OUT_KEY, None)


def _remember(user, token: str) -> None:
    st.session_state.update({"actor": user.actor(), _USER_KEY: user.id, _TOKEN_KEY: token})


def _forget(token: str | None) -> None:
    for key in ("actor", _USER_KEY, _TOKEN_KEY, _PENDING_KEY):
        st.session_state.pop(key, None)
    if token:
        st.session_state[_DEAD_KEY] = token  # the cookie this tab came with is not tried again
        st.session_state[_CLEAR_KEY] = True


def sign_out(db: Database) -> None:
    """End the session everywhere (the token is revoked), audited; the browser drops the cookie."""
    from stories.trust.sessions import end_session

    token = st.session_state.get(_TOKEN_KEY)
    end_session(db, token, st.session_state["actor"])
    _forget(token)


def pop_timed_out() -> bool:
    """True once after a session ended for being idle (the sign-in page says so)."""
    return bool(st.session_state.pop(_TIMED_OUT_KEY, False))


def refresh(db: Database) -> None:
    """Once per rerun: this tab's session, or the cookie's; end it if expired, revoked or disabled.

    Role, sites and the disabled flag are read again every time, so an admin's change
    applies at the next click.
    """
    from stories.trust import audit
    from stories.trust.accounts import get_user
    from stories.trust.sessions import resume_session

    token = st.session_state.get(_TOKEN_KEY)
    if token is None:
        cookie = request_cookie(COOKIE_NAME)
        if not cookie or cookie == st.session_state.get(_DEAD_KEY):
            return
        token = cookie
    try:
        session = resume_session(db, token)
        user = get_user(db, session.user_id)
        if user is None or user.disabled:
            raise SessionEnded("user disabled")
    except SessionExpired as exc:
        user = get_user(db, exc.user_id) if exc.user_id else None
        if user is not None:
            audit.log(db, user.actor(), "session_timeout")
        _forget(token)
        st.session_state[_TIMED_OUT_KEY] = True
    except SessionEnded:
        _forget(token)
    else:
        _remember(user, token)
        if session.cookie_set:
            st.session_state.pop(_PENDING_KEY, None)
        else:  # signed in here, and the browser has not yet confirmed the cookie
            st.session_state[_PENDING_KEY] = True


def session_holds(db: Database) -> bool:
    """For a page that refreshes itself (the wall's fragment, which skips app.py): is this tab's
    session still live? Checking it counts as activity, so an open wall keeps its session until
    sign-out, a revocation or the 12-hour limit. True when the tab has no session token (sign-in
    off, or an actor set by a test)."""
    from stories.trust.sessions import resume_session

    token = st.session_state.get(_TOKEN_KEY)
    if token is None:
        return True
    try:
        resume_session(db, token)
    except SessionEnded:
        return False
    return True


def remember_language(lang: str) -> None:
    """Keep the chosen language in a cookie, for the next tab and the sign-in page."""
    st.session_state[_LANG_SET_KEY] = lang


_BRIDGE_CSS = "<style>.st-key-cookie_bridge { display: none; }</style>"


def cookie_bridge() -> None:
    """Hand cookie changes to the browser: a same-origin request to /api/session, or the language.

    The script runs in this page only (st.html, no iframe); it never contains user input:
    the token is checked against TOKEN_RE and the language against the catalogue's codes.
    """
    scripts = []
    token = st.session_state.get(_TOKEN_KEY)
    if st.session_state.get(_PENDING_KEY) and isinstance(token, str) and TOKEN_RE.match(token):
        scripts.append(f"fetch({json.dumps(SESSION_ROUTE)}, {{method: 'POST', credentials: 'same-origin',"
                       f" headers: {{'Content-Type': 'text/plain', 'X-Changestories': '1'}},"
                       f" body: {json.dumps(token)}}});")
    elif st.session_state.pop(_CLEAR_KEY, False):
        scripts.append(f"fetch({json.dumps(SESSION_ROUTE)}, {{method: 'DELETE', credentials: 'same-origin',"
                       f" headers: {{'X-Changestories': '1'}}}});")
    lang = st.session_state.pop(_LANG_SET_KEY, None)
    if lang in ("da", "en"):
        scripts.append(f"document.cookie = {json.dumps(LANG_COOKIE + '=' + lang)} + '; path=/; max-age=31536000;"
                       " samesite=lax' + (location.protocol === 'https:' ? '; secure' : '');")
    if scripts:
        st.html(_BRIDGE_CSS)
        with st.container(key="cookie_bridge"):
            st.html("<script>" + "\n".join(scripts) + "</script>", unsafe_allow_javascript=True)
