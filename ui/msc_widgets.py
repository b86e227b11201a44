"""Widgets the Most Significant Change pages share: running an action with its message, labels."""

from __future__ import annotations

import streamlit as st

from ui.page import escape_markdown, get_db, lang, tr
from stories.errors import UserError
from stories.trust.permissions import PermissionDenied


def act(action, success_key: str | None = None, **params) -> bool:
    """Run a domain function; refused input becomes one message in the user's language, never a traceback."""
    try:
        action()
    except PermissionDenied:
        st.error(tr("error.permission"), icon="⛔")
        return False
    except UserError as exc:
        if hasattr(exc, "key"):
            st.error(tr(exc.key, **{k: escape_markdown(str(v)) for k, v in getattr(exc, "params", {}).items()}),
                     icon="⚠️")
        else:
            st.error(escape_markdown(str(exc)), icon="⚠️")
        return False
    if success_key:
        st.session_state["msc_flash"] = tr(success_key, **params)
    st.rerun()
    return True


def flash() -> None:
    """The message an action left before its rerun."""
    if "msc_flash" in st.session_state:
        st.success(st.session_state.pop("msc_flash"), icon="✅")


def domain_names() -> dict[str, str]:
    from stories.msc.domains import domain_names as names

    return names(get_db(), lang())
