"""Import stories from CSV/XLSX (checked first, all or nothing) and export them."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from ui.page import current_actor, get_db, setup_page, show_user_error, tr
from ui.file_field import file_field
from ui.table import table
from stories.exporter import FORMATS, export_stories
from stories.importer import ImportFailed, import_file
from stories.limits import LimitExceeded
from stories.trust.permissions import PermissionDenied, can_export, can_import
from stories.visibility import StoryFilter
from stories.tabular import UnreadableFile

setup_page()
st.session_state.setdefault("transfer_export", None)
db = get_db()
actor = current_actor()
st.title(tr("transfer.title"), anchor=False)


def show_import_errors(report) -> None:
    st.error(tr("transfer.errors", n=len({e.line for e in report.errors})))
    table(
        pd.DataFrame(
            [{tr("transfer.error_line", line=""): e.line, tr("transfer.error_field"): e.field,
              tr("transfer.error_message"): tr(e.key, **e.params)} for e in report.errors]
        ),
        hide_index=True,
    )


if can_import(actor):
    st.subheader(tr("transfer.import_heading"), anchor=False)
    st.caption(tr("transfer.import_help"))
    upload = file_field(tr("transfer.upload"), types=["csv", "txt", "tsv", "xlsx"], key="transfer_upload")
    if upload is not None:
        data = upload.getvalue()
        try:
            report = import_file(db, upload.name, data=data, dry_run=True, actor=actor)
        except ImportFailed as exc:
            show_import_errors(exc.report)
        except (UnreadableFile, LimitExceeded) as exc:
            show_user_error(exc)
        else:
            st.success(tr("transfer.check_ok", rows=report.rows, added=report.added, dup=report.duplicates))
            if report.extra_columns:
                st.caption(tr("transfer.extra_columns", cols=", ".join(report.extra_columns)))
            if report.added and st.button(tr("transfer.do_import", n=report.added), type="primary"):
                bar = st.progress(0.0, text=tr("transfer.progress.reading"))

                def show_progress(written: int, total: int) -> None:
                    bar.progress(written / total if total else 1.0,
                                 text=tr("transfer.progress.writing", done=written, total=total))

                try:
                    done = import_file(db, upload.name, data=data, actor=actor, progress=show_progress)
                except ImportFailed as exc:
                    bar.empty()
                    show_import_errors(exc.report)
                except (UnreadableFile, LimitExceeded) as exc:
                    bar.empty()
                    show_user_error(exc)
                else:
                    bar.empty()
                    st.success(tr("transfer.imported", added=done.added, dup=done.duplicates))

if can_export(actor):
    st.subheader(tr("transfer.export_heading"), anchor=False)
    fmt = st.selectbox(tr("transfer.format"), FORMATS, key="transfer_format", placeholder=tr("widgets.choose"), filter_mode=None)
    purposes = ("internal", "evaluation", "publication")
    purpose = st.selectbox(tr("transfer.purpose"), purposes, format_func=lambda p, names={p: tr(f"purpose.{p}") for p in purposes}: names[p],
                           key="transfer_purpose", placeholder=tr("widgets.choose"), filter_mode=None)
    if st.button(tr("transfer.prepare"), key="transfer_prepare"):
        name = f"changestories-{purpose}.{fmt}"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            bar = st.progress(0.0, text=tr("transfer.progress.exporting", done=0, total="…"))

            def show_export(written: int, total: int) -> None:
                bar.progress(written / total if total else 1.0,
                             text=tr("transfer.progress.exporting", done=written, total=total))

            try:
                count = export_stories(db, path, fmt, actor=actor, story_filter=StoryFilter(purpose=purpose),
                                       progress=show_export)
            except PermissionDenied:
                bar.empty()
                st.error(tr("error.permission"))
            else:
                bar.empty()
                st.session_state["transfer_export"] = (name, path.read_bytes(), count)
    prepared = st.session_state["transfer_export"]
    if prepared:
        name, payload, count = prepared
        st.caption(tr("transfer.exported", n=count))
        st.download_button(tr("transfer.download", name=name), payload, file_name=name, key="transfer_download")
