"""What every page shares: language, the database connection of this rerun, the actor, plain text."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import streamlit as st
from sqlite_utils import Database

from changestories.database import connect
from stories.db import resolve_db_path
from stories.i18n import LANGUAGES, error_message, t
from stories.trust.permissions import PUBLIC, Actor


def lang() -> str:
    return st.session_state.get("lang", "da")


def tr(key: str, **params) -> str:
    """The UI string `key` in the session's language."""
    return t(key, lang(), **params)


def setup_page() -> None:
    """Call first on every page: session defaults and the language picker."""
    requested = st.query_params.get("lang")
    st.session_state.setdefault("lang", requested if requested in LANGUAGES else "da")
    names = {"da": "Dansk", "en": "English"}
    choice = st.sidebar.selectbox(
        "Sprog / Language", LANGUAGES, index=LANGUAGES.index(lang()), format_func=names.get, key="lang_picker"
    )
    if choice != lang():
        st.session_state["lang"] = choice
        st.rerun()


_RERUN = threading.local()  # the connection of the rerun running on this thread


def get_db() -> Database:
    """The connection of this rerun: opened on first use, closed when the rerun ends.

    Never kept across reruns or shared between threads. Inside `rerun_scope` (app.py wraps
    every run of a page in one) every call in the rerun gets the same connection, and it is
    closed when the page's script ends, however it ends (st.stop, st.rerun, an error):
    a connection left to the garbage collector keeps its page cache for as long as the
    collector takes, and glibc seldom gives that memory back.
    """
    path = resolve_db_path()
    db, opened_for = getattr(_RERUN, "db", None), getattr(_RERUN, "path", None)
    if db is not None and opened_for == path:
        return db
    db = connect(path)
    if getattr(_RERUN, "depth", 0):
        if _RERUN.__dict__.get("db") is not None:
            _RERUN.db.conn.close()
        _RERUN.db, _RERUN.path = db, path
    return db


@contextlib.contextmanager
def rerun_scope() -> Iterator[None]:
    """Around one run of a page (or of a fragment): its connection is closed at the end."""
    _RERUN.depth = getattr(_RERUN, "depth", 0) + 1
    try:
        yield
    finally:
        _RERUN.depth -= 1
        if not _RERUN.depth:
            db = _RERUN.__dict__.pop("db", None)
            _RERUN.__dict__.pop("path", None)
            if db is not None:
                db.conn.close()


LOGIN_PAGE = "app_pages/login.py"
_USER_KEY, _SEEN_KEY, _TIMED_OUT_KEY = "auth_user_id", "auth_last_seen", "auth_timed_out"


def auth_required() -> bool:
    """$CHANGESTORIES_AUTH: sign-in on unless turned off (checked at start by `stories.environment`)."""
    from stories.environment import auth_required as from_environment

    return from_environment()


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def client_address() -> str | None:
    """The browser's network address (Streamlit's `st.context.ip_address`). Behind a proxy on
    this machine (caddy) it is the address the proxy added last to X-Forwarded-For."""
    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get("X-Forwarded-For", "") if address in LOOPBACK else ""
    except Exception:  # not in a browser session (bare script)
        return None
    if not isinstance(address, str):  # AppTest has no client
        return None
    if isinstance(forwarded, str) and forwarded:
        address = forwarded.split(",")[-1].strip()
    return address[:64] or None


def signed_in() -> bool:
    return _USER_KEY in st.session_state


def sign_in(user) -> None:
    """Start a session for an authenticated `stories.accounts.User`."""
    st.session_state.update({"actor": user.actor(), _USER_KEY: user.id, _SEEN_KEY: time.time()})
    st.session_state.pop(_TIMED_OUT_KEY, None)


def sign_out() -> None:
    for key in ("actor", _USER_KEY, _SEEN_KEY):
        st.session_state.pop(key, None)


def pop_timed_out() -> bool:
    """True once after a session ended for being idle (the sign-in page says so)."""
    return bool(st.session_state.pop(_TIMED_OUT_KEY, False))


def _session_expired() -> bool:
    from stories.trust.accounts import session_timeout_seconds

    return time.time() - st.session_state.get(_SEEN_KEY, 0) > session_timeout_seconds()


def current_actor() -> Actor:
    """The signed-in user (the session ends after the idle timeout); nobody signed in is
    the public, or with CHANGESTORIES_AUTH=off the local admin of this machine."""
    if signed_in():
        if not _session_expired():
            return st.session_state["actor"]
        sign_out()
        st.session_state[_TIMED_OUT_KEY] = True
    actor = st.session_state.get("actor")
    if actor is not None:
        return actor  # set by a test or a tool, not by signing in
    return PUBLIC if auth_required() else Actor("local", "admin")


def _refresh_session(db: Database) -> None:
    """Once per rerun: end an idle session, follow role, site and disabling changes."""
    from stories.trust import audit
    from stories.trust.accounts import get_user

    if not signed_in():
        return
    actor, expired = st.session_state["actor"], _session_expired()
    user = None if expired else get_user(db, st.session_state[_USER_KEY])
    if user is None or user.disabled:
        if expired:
            st.session_state[_TIMED_OUT_KEY] = True
            audit.log(db, actor, "session_timeout")
        sign_out()
        return
    st.session_state.update({"actor": user.actor(), _SEEN_KEY: time.time()})


def _sign_out_button(db: Database) -> None:
    from stories.trust import audit

    actor = st.session_state["actor"]
    st.sidebar.caption(tr("trust.signed_in_as", name=escape_markdown(actor.name), role=tr(f"trust.role.{actor.role}")))
    if st.sidebar.button(tr("trust.sign_out"), key="trust_sign_out", icon=":material/logout:"):
        audit.log(db, actor, "sign_out")
        sign_out()
        st.rerun()


def show_text(value: str | None) -> None:
    """User text, shown as text: never parsed as Markdown or HTML."""
    st.text(value or "")


def escape_markdown(value: str) -> str:
    """For the few labels that Streamlit parses as Markdown: every markup character escaped."""
    specials = "\\`*_{}[]<>()#+-.!|~$:="
    return "".join("\\" + ch if ch in specials else ch for ch in value or "")


def show_user_error(exc: Exception) -> None:
    """A refused action or file as one line in the user's language, shown as plain text."""
    st.error(escape_markdown(error_message(exc, lang())), icon="⚠️")


def show_errors(errors, field_names: dict[str, str]) -> None:
    """Validation errors as one clear message per field, in the user's language."""
    for error in errors:
        label = field_names.get(error.field, error.field)
        params = {k: escape_markdown(str(v)) for k, v in error.params.items()}
        st.error(f"{label}: {tr(error.key, **params)}", icon="⚠️")



def nav_title(key: str) -> str:
    """A page title for st.Page, in the session's language (used by app.py)."""
    requested = st.query_params.get("lang")
    return t(key, st.session_state.get("lang", requested if requested in LANGUAGES else "da"))


STAFF = ("admin", "staff", "facilitator")
EVERYONE = ("admin", "staff", "facilitator", "evaluator")


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    roles: tuple[str, ...]
    public: bool
    default: bool


def page(path: str, title_key: str, icon: str, *, roles: tuple[str, ...] = EVERYONE,
         public: bool = False, default: bool = False) -> PageSpec:
    """Declare a page: who sees it in the navigation (public pages need no sign-in)."""
    return PageSpec(path, title_key, icon, tuple(roles), public, default)


def _login_page(title_key: str, default: bool):
    # Signed in, the page lives at another address: the browser then leaves /login for the start page.
    url = "account" if title_key == "trust.nav.account" else "login"
    return st.Page(LOGIN_PAGE, title=nav_title(title_key), icon=":material/key:", url_path=url, default=default)


def _refuse_invalid_settings() -> None:
    """At every start of the app: a setting that cannot be used stops it with one clear line."""
    from stories.environment import SettingInvalid, check_environment

    try:
        check_environment()
    except SettingInvalid as exc:
        st.error(tr(exc.key, **{k: escape_markdown(str(v)) for k, v in exc.params.items()}), icon="⛔")
        st.stop()


def visible_pages(sections: dict[str, list[PageSpec]]) -> dict[str, list]:
    """The st.Page objects the current actor may open, by translated section title.

    With sign-in required: a new install shows only the first-admin setup; nobody signed
    in sees the public pages and the sign-in page; a signed-in user the pages of their role
    and their account page.
    """
    _refuse_invalid_settings()
    account = nav_title("trust.nav.section.account")
    gate = auth_required() or signed_in()
    if gate:
        from stories.trust.accounts import has_admin

        db = get_db()
        _refresh_session(db)
        if auth_required() and not signed_in() and not has_admin(db):
            return {account: [_login_page("trust.nav.setup", True)]}
        if signed_in():
            _sign_out_button(db)
    actor = current_actor()
    result: dict[str, list] = {}
    has_default = False
    for section, specs in sections.items():
        shown = [s for s in specs if s.public or actor.role in s.roles or actor.role == "system"]
        if not shown:
            continue
        pages = []
        for spec in shown:
            is_default = spec.default and not has_default
            has_default = has_default or is_default
            url = spec.path.rsplit("/", 1)[-1].removesuffix(".py")
            pages.append(st.Page(spec.path, title=nav_title(spec.title_key), icon=spec.icon,
                                 url_path=url, default=is_default))
        result[nav_title(section)] = pages
    if gate:
        public = actor.role == "public"
        result.setdefault(account, []).append(
            _login_page("trust.nav.login" if public else "trust.nav.account", not has_default))
    return result
