"""Meta-monitoring of the Most Significant Change cycle: who tells, in which domains, what is selected,
whether feedback went back, and what still awaits selection (counts only)."""

import pandas as pd
import streamlit as st

from stories.i18n import choice_label
from stories.msc.monitor import cells_csv, monitor
from stories.trust.permissions import can_monitor
from ui.msc_widgets import domain_names
from ui.page import current_actor, get_db, lang, setup_page, tr
from ui.table import table

setup_page()
st.header(tr("msc.monitor.title"), anchor=False)
actor = current_actor()
if not can_monitor(actor):
    st.error(tr("error.permission"), icon="⛔")
    st.stop()
figures = monitor(get_db(), actor=actor)


def percent(share) -> str:
    return "–" if share is None else f"{share:.0%}"


left, mid, right = st.columns(3)
left.metric(tr("msc.monitor.stories"), figures.stories)
mid.metric(tr("msc.monitor.young"), percent(figures.share_told_by_young_people))
mid.caption(tr("msc.monitor.young_help", n=figures.told_by_young_people))
right.metric(tr("msc.monitor.negative"), percent(figures.share_negative))
right.caption(tr("msc.monitor.negative_help", n=figures.negative))
if figures.without_domain:
    st.warning(tr("msc.monitor.without_domain", n=figures.without_domain))

st.subheader(tr("msc.monitor.periods"), anchor=False)
table(pd.DataFrame([{tr("msc.monitor.col.period"): p.period, tr("msc.monitor.col.stories"): p.stories,
                     tr("msc.monitor.col.awaiting"): p.awaiting_selection,
                     tr("msc.monitor.col.no_domain"): p.without_domain} for p in figures.periods]),
      hide_index=True)
st.subheader(tr("msc.monitor.levels"), anchor=False)
table(pd.DataFrame([{tr("msc.monitor.col.process"): f.process, tr("msc.monitor.col.level"): f.level_name,
                     tr("msc.monitor.col.read"): f.read, tr("msc.monitor.col.chosen"): f.chosen,
                     tr("msc.monitor.col.rate"): percent(f.rate),
                     tr("msc.monitor.col.feedback"): tr("msc.monitor.sent" if f.feedback_sent
                                                         else "msc.monitor.not_sent")}
                    for f in figures.levels]), hide_index=True)
st.subheader(tr("msc.monitor.cells"), anchor=False)
names = domain_names()
table(pd.DataFrame([{tr("msc.monitor.col.period"): c["period"] or tr("msc.monitor.no_period"),
                     tr("msc.monitor.col.site"): c["site"],
                     tr("msc.monitor.col.domain"): names.get(c["domain"], c["domain"]) or tr("msc.domain.none"),
                     tr("msc.monitor.col.role"): choice_label("teller_role", c["teller_role"], lang()),
                     tr("msc.monitor.col.stories"): c["stories"]} for c in figures.cells]), hide_index=True)
st.download_button(tr("msc.monitor.csv"), cells_csv(figures), file_name="monitor.csv", mime="text/csv", icon="⬇️")
