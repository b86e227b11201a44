"""The report and stop-list parts of the themes page (widgets only)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ui.choose_many import choose_many
from ui.page import current_actor, escape_markdown, tr
from stories.textindex.language import SUPPORTED
from coding.themes.quotes import coded_sentences, typical_stories
from coding.themes.report import REPORT_STEPS, theme_report
from coding.nlp.stopwords import InvalidStopWord, domain_entries, remove_stop_word, set_stop_word
from stories.i18n import choice_label
from stories.model import CONSENT_PURPOSES
from stories.trust.permissions import can_export, can_manage_codebook


@st.cache_resource(show_spinner=False)
def nlp_resources():
    """spaCy pipelines and lemma tables, loaded once per process (only the stop list edit needs them)."""
    from stories.textindex.language import SUPPORTED, load_lemma_table, load_pipeline

    return {lang: (load_pipeline(lang), load_lemma_table(lang)) for lang in SUPPORTED}


def report_view(ctx) -> None:
    if not can_export(ctx.selection.actor):
        st.info(tr("themes.report.not_allowed"))
        return
    st.caption(tr("themes.report.help"))
    purpose = st.selectbox(tr("themes.report.purpose"), CONSENT_PURPOSES, index=1,
                           format_func=lambda p: tr(f"themes.purpose.{p}"), key="themes_report_purpose",
                           placeholder=tr("widgets.choose"), filter_mode=None)
    title = st.text_input(tr("themes.report.title_field"), value=tr("themes.report.title"), key="themes_report_title", live="1s")
    selection = replace(ctx.selection, story=replace(ctx.selection.story, purpose=purpose))
    chosen = None  # the report's own choice: the first quotes of each code
    own = st.toggle(tr("themes.report.choose_own"), key="themes_report_own")
    st.caption(tr("themes.report.choose_own_help"))
    if own:
        chosen = {}
        for code_id, candidates in quote_candidates(ctx, selection).items():
            picks = choose_many(escape_markdown(ctx.codes[code_id].name), range(len(candidates)),
                                default=list(range(min(2, len(candidates)))),
                                format_func=lambda i, c=candidates: f"{c[i].teller_pseudonym} · {c[i].text[:90]}",
                                key=f"themes_report_quotes_{code_id}")
            if picks:
                chosen[code_id] = [candidates[i] for i in picks]
    # Made on the click of "Lav rapport" with a bar that moves section by section (a report of
    # 50,000 stories takes seconds), then downloaded; the tab itself renders at once. The report
    # made is kept in the session for exactly these choices and this data: any change discards it.
    key = report_key(ctx, selection, purpose, title, chosen)
    made = st.session_state.get("themes_report_made")
    if made is not None and made[0] != key:
        st.session_state.pop("themes_report_made", None)
        made = None
    if made is None:
        if not st.button(tr("themes.report.make"), key="themes_report_make", type="primary",
                         icon=":material/description:", help=tr("themes.report.download_help")):
            return
        made = (key, make_report(ctx, selection, purpose, title, chosen))
        st.session_state["themes_report_made"] = made
    st.success(tr("themes.report.ready"), icon="✅")
    st.download_button(tr("themes.report.download"), made[1],
                       file_name="temarapport.docx" if ctx.lang == "da" else "theme-report.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="themes_report_download", type="primary", icon=":material/download:", on_click="ignore")


def report_key(ctx, selection, purpose: str, title: str, chosen) -> tuple:
    """What the report depends on: the choices on the tab and the data's version."""
    from coding.themes.summary import data_version

    quotes = None if chosen is None else sorted((code_id, repr(picks)) for code_id, picks in chosen.items())
    return selection.key(), purpose, ctx.lang, title, repr(quotes), data_version(ctx.db)


def make_report(ctx, selection, purpose: str, title: str, chosen) -> bytes:
    """The DOCX, made in this rerun with a progress bar per section (`REPORT_STEPS`)."""
    bar = st.progress(0.0, text=tr(f"themes.report.step.{REPORT_STEPS[0]}"))
    data = theme_report(ctx.db, selection, purpose=purpose, lang=ctx.lang, title=title, quotes=chosen,
                        progress=lambda step, done: bar.progress(done, text=tr(f"themes.report.step.{step}")))
    bar.empty()
    return data


def quote_candidates(ctx, selection) -> dict:
    """Quotes to choose from per code, found once per selection and data version and kept in
    the session (finding them pseudonymises every candidate: too slow for every rerun)."""
    from coding.themes.summary import data_version

    key = (selection.key(), data_version(ctx.db), ctx.lang)
    kept = st.session_state.get("themes_report_candidates")
    if kept and kept[0] == key:
        return kept[1]
    found = {}
    with st.spinner(tr("themes.report.step.quotes")):
        for code_id in ctx.codes:
            candidates = coded_sentences(ctx.db, selection, code_id, 10) + typical_stories(ctx.db, selection, code_id, 3)
            if candidates:
                found[code_id] = candidates
    st.session_state["themes_report_candidates"] = (key, found)
    return found


def stopwords_view(ctx) -> None:
    actor = current_actor()
    st.caption(tr("themes.stop.help"))
    for lang in SUPPORTED:
        entries = domain_entries(ctx.db, lang)
        stop = ", ".join(e.word for e in entries if e.kind == "stop") or "–"
        keep = ", ".join(e.word for e in entries if e.kind == "keep") or "–"
        st.markdown(f"**{choice_label('language', lang, ctx.lang)}**")
        st.text(f"{tr('themes.stop.kind.stop')}: {stop}\n{tr('themes.stop.kind.keep')}: {keep}")
    if not can_manage_codebook(actor):
        st.info(tr("themes.stop.read_only"))
        return
    with st.form("themes_stop_form", clear_on_submit=True, enter_to_submit=False):
        cols = st.columns(3)
        word = cols[0].text_input(tr("themes.stop.word"))
        lang = cols[1].selectbox(tr("themes.f.languages"), SUPPORTED,
                                 format_func=lambda v: choice_label("language", v, ctx.lang),
                                 placeholder=tr("widgets.choose"), filter_mode=None)
        kind = cols[2].selectbox(tr("themes.stop.kind"), ("stop", "keep"), format_func=lambda k: tr(f"themes.stop.kind.{k}"),
                                 placeholder=tr("widgets.choose"), filter_mode=None)
        if st.form_submit_button(tr("themes.stop.add")):
            with st.spinner(tr("themes.stop.working")):  # the first time in a process: seconds
                nlp_resources()
            try:
                entry = set_stop_word(ctx.db, word, lang, kind, actor=actor)
            except InvalidStopWord:
                st.error(tr("themes.stop.invalid"))
            else:
                st.success(tr("themes.stop.added", word=escape_markdown(entry.word)))
    entries = domain_entries(ctx.db)
    if entries:
        cols = st.columns([3, 1])
        victim = cols[0].selectbox(tr("themes.stop.remove_pick"), range(len(entries)), key="themes_stop_remove",
                                   format_func=lambda i: f"{entries[i].word} ({entries[i].lang}, "
                                                         f"{tr('themes.stop.kind.' + entries[i].kind)})",
                                   placeholder=tr("widgets.choose"), filter_mode=None)
        if cols[1].button(tr("themes.stop.remove"), key="themes_stop_remove_button"):
            remove_stop_word(ctx.db, entries[victim].word, entries[victim].lang, actor=actor)
            st.rerun()
