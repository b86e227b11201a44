"""Patterns across the answers to questions: the strongest pairs, and any two questions' figure,
test and stories."""

import streamlit as st

from coding.themes.patterns import analyse, strongest, variables
from stories.questions.library import list_questions
from stories.questions.observations import observation_counts
from ui.page import current_actor, get_db, lang, setup_page, tr
from ui.pattern_observations import observations_section
from ui.patterns_views import figure, filters, ranked_table, stories_of

setup_page()
st.session_state.setdefault("pat_pair", None)
st.header(tr("patterns.title"), anchor=False)
st.caption(tr("patterns.intro"))
db, actor = get_db(), current_actor()
selection = filters(db, actor)
questions = list_questions(db, include_retired=True)
chosen_vars = variables(questions, split=True)
if len(chosen_vars) < 2:
    st.info(tr("patterns.none"))
    st.stop()

st.subheader(tr("patterns.strongest"), anchor=False)
ranked = strongest(db, selection, questions=questions, limit=15)
if ranked:
    st.caption(tr("patterns.strongest_help"))
    ranked_table(ranked, observation_counts(db))
else:
    st.info(tr("patterns.no_ranked"))

st.subheader(tr("patterns.pair"), anchor=False)
keys = [v.key for v in chosen_vars]
by_key = {v.key: v for v in chosen_vars}
first = st.selectbox(tr("patterns.first"), keys, key="pat_a", format_func=lambda k, lg=lang(): by_key[k].label(lg),
                     index=keys.index(ranked[0].a.key) if ranked else 0, placeholder=tr("widgets.choose"), filter_mode=None)
others = [k for k in keys if by_key[k].question.id != by_key[first].question.id]
default = ranked[0].b.key if ranked and ranked[0].b.key in others else (others[0] if others else None)
second = st.selectbox(tr("patterns.second"), others, key="pat_b", format_func=lambda k, lg=lang(): by_key[k].label(lg),
                      index=others.index(default) if default in others else 0, placeholder=tr("widgets.choose"), filter_mode=None)
if second:
    pattern = analyse(db, by_key[first], by_key[second], selection)
    figure(pattern)
    observations_section(db, pattern, actor)
    stories_of(db, pattern, actor)
