"""What every page shares: language, the database connection of this rerun, the actor, plain text."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import streamlit as st
from sqlite_utils import Database

from changestories.database import connect
from stories import formatting
from stories.db import resolve_db_path
from stories.i18n import LANGUAGES, error_message, t
from stories.trust.permissions import PUBLIC, Actor

from ui.aria_labels import translate_labels
from ui.browser_session import (
    LANG_COOKIE, cookie_bridge, refresh, remember_language, request_cookie, sign_out, signed_in,
)


def initial_lang() -> str:
    """A new tab's language: ?lang= in the address, else the one chosen before (a cookie), else Danish."""
    for requested in (st.query_params.get("lang"), request_cookie(LANG_COOKIE)):
        if requested in LANGUAGES:
            return requested
    return "da"


def lang() -> str:
    return st.session_state.get("lang") or initial_lang()


def tr(key: str, **params) -> str:
    """The UI string `key` in the session's language."""
    return t(key, lang(), **params)


def trn(key: str, n: int, **params) -> str:
    """The plural form of catalog entry `key` (`KEY#one` / `KEY#other`) for `n`, in the session's language."""
    return formatting.plural(key, n, lang(), **params)


def date_format() -> str:
    """st.date_input's `format` for the session's language ("DD.MM.YYYY" in Danish)."""
    return formatting.date_input_format(lang())


def setup_page() -> None:
    """Call first on every page: session defaults and the language picker."""
    st.session_state.setdefault("lang", initial_lang())
    names = {"da": "Dansk", "en": "English"}
    choice = st.sidebar.selectbox(
        "Sprog / Language", LANGUAGES, index=LANGUAGES.index(lang()), format_func=names.get, key="lang_picker",
                                  placeholder=tr("widgets.choose"), filter_mode=None
    )
    if choice != lang():
        st.session_state["lang"] = choice
        remember_language(choice)
        st.rerun()
    translate_labels(lang())  # Streamlit's English aria-labels and tooltips in the session's language


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
HOME = "home"  # the start page's own url_path: Streamlit serves the default page at "/" only


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


def current_actor() -> Actor:
    """The signed-in user (checked against the session table on every rerun); nobody signed
    in is the public, or with CHANGESTORIES_AUTH=off the local admin of this machine."""
    actor = st.session_state.get("actor")
    if actor is not None:
        return actor  # signed in, or set by a test or a tool
    return PUBLIC if auth_required() else Actor("local", "admin")


def _sign_out_button(db: Database) -> None:
    actor = st.session_state["actor"]
    st.sidebar.caption(tr("trust.signed_in_as", name=escape_markdown(actor.name), role=tr(f"trust.role.{actor.role}")))
    if st.sidebar.button(tr("trust.sign_out"), key="trust_sign_out", icon=":material/logout:"):
        sign_out(db)
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
    return t(key, lang())


STAFF = ("admin", "staff", "facilitator")
EVERYONE = ("admin", "staff", "facilitator", "evaluator")


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    roles: tuple[str, ...]
    public: bool
    landing: tuple[str, ...]

    @property
    def url_path(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".py")


def page(path: str, title_key: str, icon: str, *, roles: tuple[str, ...] = EVERYONE,
         public: bool = False, landing: tuple[str, ...] = ()) -> PageSpec:
    """Declare a page: who sees it in the navigation (public pages need no sign-in), and for
    which roles it is the start page after signing in (`landing`)."""
    return PageSpec(path, title_key, icon, tuple(roles), public, tuple(landing))


def _login_page(title_key: str, *, url: str = "login", default: bool = False, hidden: bool = False):
    return st.Page(LOGIN_PAGE, title=nav_title(title_key), icon=":material/key:", url_path=url, default=default,
                   visibility="hidden" if hidden else "visible")


def _no_access() -> None:
    """A signed-in user followed a link to a page their role does not open."""
    setup_page()
    st.header(tr("trust.no_access.title"), anchor=False)
    st.error(tr("error.permission"), icon="🔒")


def _to_start_page(start) -> None:
    """/login once signed in (the sign-in form has just been sent): on to the start page."""
    st.switch_page(start)


def _may_open(spec: PageSpec, actor: Actor) -> bool:
    return spec.public or actor.role in spec.roles or actor.role == "system"


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
    and their account page, starting on the page whose `landing` names their role. Every
    other page's address stays known, hidden, and shows the sign-in form (so a bookmark or
    a link lands on the page asked for after signing in) or, signed in, a "no access" message:
    never Streamlit's "page not found".
    """
    _refuse_invalid_settings()
    account = nav_title("trust.nav.section.account")
    gate = auth_required() or signed_in()
    setup = False
    if gate:
        from stories.trust.accounts import has_admin

        db = get_db()
        refresh(db)
        setup = auth_required() and not signed_in() and not has_admin(db)
        if signed_in():
            _sign_out_button(db)
    cookie_bridge()
    actor = current_actor()
    public = actor.role == "public"
    specs = [spec for section in sections.values() for spec in section]
    start = None if setup else next((s for s in specs if actor.role in s.landing and _may_open(s, actor)), None)
    result: dict[str, list] = {}
    hidden: list = []
    start_page = None
    for section, section_specs in sections.items():
        shown = []
        for spec in section_specs:
            if setup or not _may_open(spec, actor):
                if gate:
                    hidden.append(_login_page("trust.nav.login", url=spec.url_path, hidden=True) if public or setup
                                  else st.Page(_no_access, title=nav_title(spec.title_key), url_path=spec.url_path,
                                               visibility="hidden"))
                continue
            title = nav_title(spec.title_key)
            if spec is start:  # at "/", and at its own address (hidden there, so it is listed once)
                start_page = st.Page(spec.path, title=title, icon=spec.icon, url_path=HOME, default=True)
                shown += [start_page, st.Page(spec.path, title=title, icon=spec.icon, url_path=spec.url_path,
                                              visibility="hidden")]
            else:
                shown.append(st.Page(spec.path, title=title, icon=spec.icon, url_path=spec.url_path))
        if shown:
            result[nav_title(section)] = shown
    if setup or public:
        key = "trust.nav.setup" if setup else "trust.nav.login"
        pages = [_login_page(key, url=HOME, default=True), _login_page(key, hidden=True), *hidden,
                 _login_page(key, url="account", hidden=True)]
        if setup:
            return {account: pages}
    elif not gate:
        return result
    else:
        if start_page is None:  # a role without a start page of its own starts on the account page
            start_page = _login_page("trust.nav.account", url=HOME, default=True)
            pages = [start_page, _login_page("trust.nav.account", url="account", hidden=True)]
        else:
            pages = [_login_page("trust.nav.account", url="account")]
        pages += [*hidden, st.Page(lambda: _to_start_page(start_page), title=nav_title("trust.nav.login"),
                                   url_path="login", visibility="hidden")]
    result.setdefault(account, []).extend(pages)
    return result
