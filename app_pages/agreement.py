"""Agreement between coders, per code and overall, the stories where they disagree, and reconciling."""

import streamlit as st

from ui.coding_widgets import code_label, number, percent
from ui.page import current_actor, escape_markdown, get_db, lang, setup_page, show_text, tr, trn
from ui.table import table
from ui.choose_many import choose_many
from coding.agreement import agreement_report, disagreeing_stories
from coding.codebook.codes import active_codebook, list_codes
from coding.codings import CodingError, others_visible
from coding.reconcile import (coder_selections, proposed_selection, reconcilable_stories, reconcile_story,
                              reconciled_selection)
from stories.trust.permissions import can_code
from coding.coding_view import coding_view
from stories.privacy.pseudonymised import needs_pseudonymisation
from stories.storage import StoryNotFound, ids_and_titles

SHOWN = 100  # disagreeing stories listed

setup_page()
st.header(tr("coding.agreement.title"), anchor=False)
db, actor = get_db(), current_actor()
codebook_id = active_codebook(db)
if codebook_id is None:
    st.info(tr("coding.code.no_codebook"))
    st.stop()
codes = {c.id: c for c in list_codes(db, codebook_id, include_retired=True) if not c.is_group}
level = st.radio(tr("coding.agreement.level"), ("story", "sentence"), horizontal=True,
                 format_func=lambda k: tr(f"coding.agreement.level.{k}"), key="agreement_level")
st.caption(tr(f"coding.agreement.level_help.{level}"))
report = agreement_report(db, codebook_id, level, actor=actor)
if len(report.coders) < 2:
    st.info(tr("coding.agreement.too_few"))
    st.stop()


def name(code_id: int) -> str:
    return codes[code_id].name(lang()) if code_id in codes else str(code_id)


# ---- figures -----------------------------------------------------------------------------
overall = report.overall
cols = st.columns(4)
cols[0].metric(tr("coding.agreement.units"), overall.units)
cols[1].metric(tr("coding.agreement.percent"), percent(overall.percent))
cols[1].caption(tr("coding.agreement.percent_help"))
cols[2].metric(tr("coding.agreement.kappa"), number(overall.kappa))
cols[2].caption(tr("coding.agreement.kappa_help"))
cols[3].metric(tr("coding.agreement.alpha"), number(overall.alpha))
cols[3].caption(tr("coding.agreement.alpha_help"))
if len(report.coders) > 2:
    st.caption(tr("coding.agreement.kappa_many"))
with st.expander(tr("coding.agreement.how")):
    st.markdown(tr("coding.agreement.how_text"))

st.subheader(tr("coding.agreement.coders"), anchor=False)
table([{tr("coding.col.coder"): coder, tr(f"coding.agreement.units_coded.{level}"): report.units_by_coder[coder],
        tr("coding.agreement.applied"): overall.applied.get(coder, 0)} for coder in report.coders],
      hide_index=True)
if len(report.coders) > 2:
    table([{tr("coding.col.coder"): f"{a} · {b}", tr("coding.agreement.kappa"): number(k)}
           for (a, b), k in report.pairwise_kappa.items()], hide_index=True)

st.subheader(tr("coding.agreement.per_code"), anchor=False)
rows = []
for figures in report.per_code:
    row = {tr("coding.col.code"): name(figures.code_id), tr("coding.agreement.units"): figures.units,
           tr("coding.agreement.percent"): percent(figures.percent),
           tr("coding.agreement.kappa"): number(figures.kappa), tr("coding.agreement.alpha"): number(figures.alpha)}
    row.update({coder: figures.applied.get(coder, 0) for coder in report.coders})
    rows.append(row)
table(rows, hide_index=True)
st.caption(tr("coding.agreement.applied_help"))

# ---- disagreements -----------------------------------------------------------------------
seqs = disagreeing_stories(report)
st.subheader(tr("coding.agreement.disagreements", n=len(seqs)), anchor=False)
evaluator_view = needs_pseudonymisation(actor)


hidden = 0
shown_seqs = seqs[:SHOWN]
ids_of = {seq: story_id for seq, (story_id, _) in ids_and_titles(db, shown_seqs, actor=actor).items()}
visible = others_visible(db, shown_seqs, actor.name, strict=False)
by_story: dict[int, list] = {}
for item in report.disagreements:
    if item.unit[0] in visible:
        by_story.setdefault(item.unit[0], []).append(item)
for seq in shown_seqs:
    if seq not in visible:
        hidden += 1
        continue
    try:
        view = coding_view(db, ids_of[seq], actor=actor, lang=lang())
    except StoryNotFound:
        continue
    items = by_story[seq]
    label = f"#{seq} {'' if evaluator_view else view.story.title}".strip()
    with st.expander(escape_markdown(label) + " · " + trn("coding.agreement.n_disagreements", len(items))):
        for item in items:
            where = (tr("coding.code.whole_story") if len(item.unit) == 1
                     else view.passage(item.unit[1], item.unit[2]))
            show_text(where if len(item.unit) > 1 else tr("coding.agreement.story_level"))
            # one text block per unit, not a table: a hundred small tables cost seconds to send
            show_text("\n".join(f"{coder}: " + (", ".join(name(c) for c in sorted(chosen) if c in item.codes) or "–")
                                for coder, chosen in item.by_coder.items()))
if hidden:
    st.caption(trn("coding.agreement.hidden", hidden))

# ---- reconcile ---------------------------------------------------------------------------
st.subheader(tr("coding.agreement.reconcile"), anchor=False)
if not can_code(actor):
    st.stop()
double = reconcilable_stories(db, actor)
if not double:
    st.info(tr("coding.agreement.nothing_to_reconcile"))
    st.stop()
disagreeing = set(seqs)
# The picker lists disagreeing stories first and at most SHOWN of them; any other story is
# found by its number (the browser never gets thousands of options).
wanted = st.text_input(tr("coding.reconcile.find"), key="reconcile_find", placeholder="#38", live="300ms").strip().lstrip("#").strip()
reconcilable = set(double)
if wanted:
    options = [int(wanted)] if wanted.isdigit() and int(wanted) in reconcilable else []
    if not options:
        st.info(tr("coding.reconcile.not_double", n=escape_markdown(wanted)))
        st.stop()
else:
    options = ([s for s in seqs if s in reconcilable] + [s for s in double if s not in disagreeing])[:SHOWN]
headers = ids_and_titles(db, options, actor=actor)
titles = {} if evaluator_view else {seq: title for seq, (_, title) in headers.items()}
choice = st.selectbox(tr("coding.agreement.reconcile_story"), options, key="reconcile_pick",
                      format_func=lambda s: ("⚠ " if s in disagreeing else "✓ ") + f"#{s} {titles.get(s) or ''}".strip(),
                      placeholder=tr("widgets.choose"), filter_mode=None)
try:
    view = coding_view(db, headers[choice][0], actor=actor, lang=lang())
except StoryNotFound:
    st.stop()
shown = view.story
agreed = reconciled_selection(db, choice)
if agreed is not None:
    st.caption(tr("coding.agreement.already_reconciled"))
start_from = agreed if agreed is not None else proposed_selection(db, choice)
by_coder = coder_selections(db, choice)
sentences = set(view.sentences)
spans = sorted({span for per in by_coder.values() for span in per if span[0] is not None} | {
    span for span in start_from if span[0] is not None}, key=lambda s: s[0])
with st.expander(tr("coding.agreement.story_text")):
    show_text(shown.text)
with st.form(f"reconcile_{choice}", enter_to_submit=False):
    st.markdown(f"**{tr('coding.code.whole_story')}**")
    for coder, per in by_coder.items():
        st.caption(f"{escape_markdown(coder)}: " + escape_markdown(", ".join(name(c) for c in sorted(per.get((None, None), ()))) or "–"))
    whole = [c for c in codes if st.checkbox(code_label(codes[c], lang()), value=c in start_from.get((None, None), set()),
                                             key=f"rec_{choice}_{c}")]
    chosen = {(None, None): set(whole)}
    for span in spans:
        st.divider()
        show_text(view.passage(*span) + ("" if span in sentences else " …"))
        for coder, per in by_coder.items():
            st.caption(f"{escape_markdown(coder)}: " + escape_markdown(", ".join(name(c) for c in sorted(per.get(span, ()))) or "–"))
        chosen[span] = set(choose_many(tr("coding.agreement.agreed_codes"), list(codes),
                                       default=[c for c in start_from.get(span, ()) if c in codes],
                                       format_func=name, key=f"rec_{choice}_{span[0]}_{span[1]}"))
    if st.form_submit_button(tr("coding.agreement.record"), type="primary"):
        try:
            count = reconcile_story(db, shown.id, chosen, actor=actor)
        except CodingError as exc:
            st.error(escape_markdown(str(exc)), icon="⚠️")
        else:
            st.session_state["reconciled_msg"] = tr("coding.agreement.recorded", n=count)
            st.rerun()
if "reconciled_msg" in st.session_state:
    st.success(st.session_state.pop("reconciled_msg"), icon="✅")
