"""Admins set up the Most Significant Change cycle: the install's domains of change and reporting periods."""

import datetime as dt

import streamlit as st

from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_text, tr
from ui.msc_widgets import act, flash
from ui.date_field import date_field
from stories.msc.domains import (
    MAX_DESCRIPTION, MAX_NAME, NEGATIVE, add_domain, apply_preset, delete_domain, domain_usage, list_domains,
    presets, set_negative_domain, update_domain,
)
from stories.msc.periods import add_period, delete_period, list_periods, period_counts
from stories.trust.permissions import can_manage_domains

setup_page()
st.header(tr("msc.setup.title"), anchor=False)
actor = current_actor()
if not can_manage_domains(actor):
    st.error(tr("error.permission"), icon="⛔")
    st.stop()
flash()
db = get_db()


def domain_fields(key: str, domain=None) -> tuple[str, str, str, str]:
    left, right = st.columns(2)
    name_da = left.text_input(tr("msc.domain.name_da"), value=domain.name_da if domain else "", max_chars=MAX_NAME,
                              key=f"{key}_name_da")
    name_en = right.text_input(tr("msc.domain.name_en"), value=domain.name_en if domain else "", max_chars=MAX_NAME,
                               key=f"{key}_name_en")
    description_da = left.text_area(tr("msc.domain.description_da"), value=domain.description_da if domain else "",
                                    max_chars=MAX_DESCRIPTION, key=f"{key}_description_da")
    description_en = right.text_area(tr("msc.domain.description_en"), value=domain.description_en if domain else "",
                                     max_chars=MAX_DESCRIPTION, key=f"{key}_description_en")
    return name_da, name_en, description_da, description_en


def domains_tab() -> None:
    st.caption(tr("msc.domains.intro"))
    usage = domain_usage(db)
    for domain in list_domains(db):
        with st.container(border=True):
            with st.container(key=f"msc_domain_{domain.key}"):
                show_text(domain.name(lang()))
            if domain.description(lang()):
                st.caption(escape_markdown(domain.description(lang())))
            st.caption(tr(f"msc.domain.kind.{domain.kind}") + " · " + tr("msc.domain.used", n=usage.get(domain.key, 0)))
            with st.expander(tr("msc.domain.edit")):
                with st.form(f"edit_domain_{domain.key}", border=False, enter_to_submit=False):
                    values = domain_fields(f"edit_{domain.key}", domain)
                    if st.form_submit_button(tr("msc.save")):
                        act(lambda v=values, k=domain.key: update_domain(db, k, *v, actor=actor), "msc.domain.saved")
                if domain.kind == "named" and st.button(tr("msc.domain.delete"), key=f"delete_domain_{domain.key}"):
                    act(lambda k=domain.key: delete_domain(db, k, actor=actor), "msc.domain.deleted")
    with st.expander(tr("msc.domain.add")):
        with st.form("add_domain", border=False, enter_to_submit=False):
            values = domain_fields("add")
            if st.form_submit_button(tr("msc.domain.add"), type="primary"):
                act(lambda: add_domain(db, *values, actor=actor), "msc.domain.saved")
    negative = any(d.key == NEGATIVE for d in list_domains(db))
    st.caption(tr("msc.domain.negative_help"))
    if st.button(tr("msc.domain.negative_off" if negative else "msc.domain.negative_on"), key="msc_negative"):
        act(lambda: set_negative_domain(db, not negative, actor=actor), "msc.domain.saved")
    with st.form("domain_preset", enter_to_submit=False):
        options = {p.key: p for p in presets()}
        chosen = st.selectbox(tr("msc.domain.preset"), list(options), format_func=lambda k: options[k].name(lang()),
                              placeholder=tr("widgets.choose"), filter_mode=None)
        st.caption(tr("msc.domain.preset_help"))
        if st.form_submit_button(tr("msc.domain.apply_preset")):
            act(lambda: apply_preset(db, chosen, actor=actor), "msc.domain.saved")


def periods_tab() -> None:
    st.caption(tr("msc.periods.intro"))
    counts = period_counts(db)
    with st.form("add_period", enter_to_submit=False):
        name = st.text_input(tr("msc.period.name"), max_chars=80, key="period_name")
        left, right = st.columns(2)
        starts = date_field(tr("msc.period.starts_on"), key="period_start", min_value=dt.date(1990, 1, 1), container=left)
        ends = date_field(tr("msc.period.ends_on"), key="period_end", min_value=dt.date(1990, 1, 1), container=right)
        if st.form_submit_button(tr("msc.period.add"), type="primary"):
            act(lambda: add_period(db, name, starts, ends, actor=actor), "msc.period.saved")
    periods = list_periods(db)
    if not periods:
        st.info(tr("msc.periods.none"))
    for period in periods:
        with st.container(border=True):
            show_text(period.name)
            st.caption(tr("msc.period.count", start=period.starts_on, end=period.ends_on, n=counts.get(period.id, 0)))
            if st.button(tr("msc.period.delete"), key=f"delete_period_{period.id}"):
                act(lambda p=period.id: delete_period(db, p, actor=actor), "msc.period.deleted")


domains, periods = st.tabs([tr("msc.setup.tab.domains"), tr("msc.setup.tab.periods")])
with domains:
    domains_tab()
with periods:
    periods_tab()
