"""What every page shares: language, the database connection of this rerun, the actor, plain text."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlite_utils import Database

from stories.db import connect, resolve_db_path
from stories.i18n import LANGUAGES, t
from stories.permissions import Actor


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


def get_db() -> Database:
    """A connection for this rerun only (never cached across reruns or threads)."""
    return connect(resolve_db_path())


def current_actor() -> Actor:
    """The signed-in user; until accounts exist, the local staff user of this machine."""
    return st.session_state.get("actor") or Actor("local", "admin")


def show_text(value: str | None) -> None:
    """User text, shown as text: never parsed as Markdown or HTML."""
    st.text(value or "")


def escape_markdown(value: str) -> str:
    """For the few labels that Streamlit parses as Markdown: every markup character escaped."""
    specials = "\\`*_{}[]<>()#+-.!|~$:="
    return "".join("\\" + ch if ch in specials else ch for ch in value or "")


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


def visible_pages(sections: dict[str, list[PageSpec]]) -> dict[str, list]:
    """The st.Page objects the current actor may open, by translated section title."""
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
    return result
