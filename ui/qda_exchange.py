"""Exchange with QDA software: a REFI-QDA project or the codings as a spreadsheet, to download."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st
from sqlite_utils import Database

from coding.coding_export import export_codings
from coding.refi.qdpx_export import export_qdpx
from stories.trust.permissions import Actor, can_export
from ui.code_editor import ERRORS, fail
from ui.page import lang, tr

EXTENSIONS = {"qdpx": "qdpx", "codings-xlsx": "xlsx", "codings-csv": "csv"}


def exchange_panel(db: Database, actor: Actor) -> None:
    """Prepare and download an export (for actors who may export)."""
    if not can_export(actor):
        return
    st.subheader(tr("coding.exchange.title"), anchor=False)
    st.caption(tr("coding.exchange.help"))
    fmt = st.radio(tr("coding.exchange.format"), ("qdpx", "codings-xlsx", "codings-csv"), horizontal=True,
                   format_func=lambda f: tr(f"coding.exchange.{f}"), key="exchange_format")
    if st.button(tr("coding.exchange.prepare"), key="exchange_prepare"):
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / f"changestories.{EXTENSIONS[fmt]}"
            try:
                if fmt == "qdpx":
                    export_qdpx(db, out, actor=actor, lang=lang())
                else:
                    export_codings(db, out, fmt, actor=actor, lang=lang())
            except ERRORS as exc:
                fail(exc)
            else:
                st.session_state["exchange_file"] = (fmt, out.name, out.read_bytes())
    prepared = st.session_state.get("exchange_file")
    if prepared and prepared[0] == fmt:
        st.download_button(tr("coding.exchange.download", name=prepared[1]), prepared[2], file_name=prepared[1],
                           key="exchange_download")
