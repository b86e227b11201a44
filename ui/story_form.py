"""The story form's widgets: fill in, read back ("Is this right?"), save.

`full` is the staff form, `short` the young people's form. What was typed lives in a
draft in session state, so nothing is lost between the steps or after an error.
"""

from __future__ import annotations

import datetime as dt
import uuid

import streamlit as st

from ui.page import current_actor, escape_markdown, get_db, lang, show_errors, show_text, tr
from stories.db import DatabaseBusy
from stories.i18n import choice_label, error_message
from stories.questions.answers import check_answers
from stories.questions.errors import QuestionInvalid
from stories.model import LANGUAGES, MECHANISMS, POLARITIES, TELLER_ROLES, Consent, Story
from stories.trust.permissions import PUBLIC, PermissionDenied
from stories.camps.signifiers import SignifierConfig
from stories.submission import REVIEWED_FIELDS, marked, personal_data_in, submit_story
from stories.validation import MAX_LONG, MAX_SHORT, MAX_TEXT, FieldError, StoryInvalid, validate
from ui.question_inputs import asked, form_key_for, question_inputs, read_answers, read_back
from ui.date_field import date_field, date_in_state
from ui.table import table

CONSENT_KEYS = ("internal", "evaluation", "publication", "teller_under_15", "guardian")
DATE_FIELDS = ("happened_on", "period_start", "period_end")
FIELD_KEYS = {
    "text": "field.text", "significance": "field.significance", "difference": "field.difference",
    "title": "field.title", "teller_role": "field.teller_role", "teller_pseudonym": "field.teller_pseudonym",
    "recorded_by": "field.recorded_by", "site": "field.site", "programme": "field.programme",
    "session_type": "field.session_type", "happened_on": "field.happened_on",
    "period_start": "field.period_start", "period_end": "field.period_end", "language": "field.language",
    "polarity": "field.polarity", "teller_mechanism": "field.teller_mechanism", "consent": "field.consent",
    "extra": "field.extra", "domain": "field.domain",
}


# The labels a form shows (errors name the field as the teller saw it, without the "*").
SHOWN_LABELS = {
    "full": {"text": "form.question", "significance": "form.significance", "difference": "form.difference",
             "title": "form.title"},
    "short": {"text": "tell.question", "significance": "tell.significance", "polarity": "tell.feeling",
              "domain": "msc.form.domain", "consent": "tell.consent_field"},
}
# What the young people's form asks, so its read-back shows nothing else.
SHORT_FIELDS = ("text", "significance", "polarity", "domain", "consent")
# The fields whose text a teller writes (the draft is "kept" only when one of them has some).
WRITTEN = ("text", "significance", "difference", "title")


def field_names(mode: str | None = None) -> dict[str, str]:
    """Field name → its label; with a form `mode`, the labels that form shows."""
    names = {name: tr(key) for name, key in FIELD_KEYS.items()}
    names.update({name: tr(key).rstrip(" *") for name, key in SHOWN_LABELS.get(mode or "", {}).items()})
    return names


def draft_to_story(draft: dict, mode: str) -> Story:
    consent = Consent(**{k: bool(draft.get(k)) for k in CONSENT_KEYS})
    values = {k: draft.get(k) for k in FIELD_KEYS if k not in ("consent", "extra") and k in draft}
    values["polarity"] = values.get("polarity") or None
    values["domain"] = values.get("domain") or None
    if values["domain"] in MECHANISMS or (values["domain"] and values.get("teller_mechanism") in MECHANISMS):
        values["teller_mechanism"] = values["domain"] if values["domain"] in MECHANISMS else ""
    if mode == "short":
        values.update(teller_role="young_person", language=draft.get("language") or lang())
    return Story(**{"text": "", **values}, consent=consent, source="form")


def story_to_draft(story: Story) -> dict:
    draft = {k: getattr(story, k) for k in FIELD_KEYS if k not in ("consent", "extra")}
    draft.update({k: getattr(story.consent, k) for k in CONSENT_KEYS})
    draft["polarity"] = draft["polarity"] or ""
    draft["domain"] = draft["domain"] or ""
    return draft


def _errors_for(prefix: str, name: str, mode: str = "full") -> None:
    errors = [e for e in st.session_state.get(prefix + "errors", []) if e.field == name]
    if errors:
        show_errors(errors, field_names(mode))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _choice(prefix: str, name: str, label: str, options: tuple, draft: dict, kind: str, optional: bool) -> None:
    choices = ("", *options) if optional else options
    current = draft.get(name) or ("" if optional else options[0])
    st.radio(label, choices, index=choices.index(current) if current in choices else 0,
             format_func=lambda v, language=lang(): choice_label(kind, v, language), key=prefix + "w_" + name, horizontal=True)


def _domain_choice(prefix: str, draft: dict) -> None:
    """The install's domains of change, each with its description (the teller or staff choose one)."""
    from stories.msc.domains import list_domains

    domains = list_domains(get_db())
    names = {d.key: escape_markdown(d.name(lang())) for d in domains}
    options = ("", *names)
    current = draft.get("domain") or ""
    none = tr("msc.domain.none")
    st.radio(tr("msc.form.domain"), options, index=options.index(current) if current in options else 0,
             format_func=lambda key: names.get(key) or none,
             captions=["", *(escape_markdown(d.description(lang())) for d in domains)], key=prefix + "w_domain")
    st.caption(tr("msc.form.domain_help"))
    _errors_for(prefix, "domain")


def story_fields(prefix: str, draft: dict, mode: str, *, signifiers: bool = False, ask_domain: bool = True) -> None:
    """The form's widgets, pre-filled from `draft`; errors shown under their fields.

    `signifiers` adds the teller's optional placement of the story (new stories only); a camp asks
    for the domain itself (`ask_domain=False`).
    """
    w = prefix + "w_"
    today = dt.date.today()
    if mode == "short":
        st.text_area(tr("tell.question"), value=draft.get("text", ""), height=180, max_chars=MAX_TEXT, key=w + "text")
        st.caption(tr("tell.question_help"))
        _errors_for(prefix, "text", mode)
        st.text_area(tr("tell.significance"), value=draft.get("significance", ""), height=120,
                     max_chars=MAX_LONG, key=w + "significance")
        _errors_for(prefix, "significance", mode)
        _choice(prefix, "polarity", tr("tell.feeling"), POLARITIES, draft, "polarity", optional=True)
        if ask_domain:
            _domain_choice(prefix, draft)
        st.checkbox(tr("tell.consent"), value=bool(draft.get("internal")), key=w + "internal")
        st.checkbox(tr("tell.consent_evaluation"), value=bool(draft.get("evaluation")), key=w + "evaluation")
        st.checkbox(tr("tell.under_15"), value=bool(draft.get("teller_under_15")), key=w + "teller_under_15")
        st.checkbox(tr("tell.guardian"), value=bool(draft.get("guardian")), key=w + "guardian")
        _errors_for(prefix, "consent", mode)
        if signifiers:
            signifier_fields(prefix, draft)
        return

    st.caption(tr("form.question_intro"))
    st.text_area(tr("form.question"), value=draft.get("text", ""), height=200, max_chars=MAX_TEXT, key=w + "text")
    st.caption(tr("form.question_help"))
    _errors_for(prefix, "text")
    st.text_area(tr("form.significance"), value=draft.get("significance", ""), height=120, max_chars=MAX_LONG,
                 key=w + "significance")
    _errors_for(prefix, "significance")
    st.text_area(tr("form.difference"), value=draft.get("difference", ""), height=90, max_chars=MAX_LONG,
                 key=w + "difference")
    st.text_input(tr("form.title"), value=draft.get("title", ""), max_chars=MAX_SHORT, key=w + "title")
    _errors_for(prefix, "title")
    _choice(prefix, "teller_role", tr("field.teller_role"), TELLER_ROLES, draft, "teller_role", optional=False)
    st.text_input(tr("field.teller_pseudonym"), value=draft.get("teller_pseudonym", ""), max_chars=20, placeholder="U-0142",
                  key=w + "teller_pseudonym")
    st.caption(tr("form.pseudonym_help"))
    _errors_for(prefix, "teller_pseudonym")
    _choice(prefix, "polarity", tr("field.polarity"), POLARITIES, draft, "polarity", optional=True)
    if ask_domain:
        _domain_choice(prefix, draft)
    with st.expander(tr("form.more"), expanded=any(draft.get(k) for k in ("site", "programme", *DATE_FIELDS))):
        st.text_input(tr("field.site"), value=draft.get("site", ""), max_chars=MAX_SHORT, key=w + "site")
        st.text_input(tr("field.programme"), value=draft.get("programme", ""), max_chars=MAX_SHORT,
                      key=w + "programme")
        st.text_input(tr("field.session_type"), value=draft.get("session_type", ""), max_chars=MAX_SHORT,
                      key=w + "session_type")
        st.text_input(tr("field.recorded_by"), value=draft.get("recorded_by", ""), max_chars=MAX_SHORT,
                      key=w + "recorded_by")
        for name in DATE_FIELDS:
            date_field(tr(FIELD_KEYS[name]), value=_date(draft.get(name)), min_value=dt.date(1990, 1, 1),
                       max_value=today, key=w + name)
            _errors_for(prefix, name)
        _choice(prefix, "language", tr("field.language"), LANGUAGES, draft, "language", optional=False)
    st.markdown(f"**{tr('form.consent_heading')}**")
    for key in CONSENT_KEYS:
        label = {"teller_under_15": "form.under_15", "guardian": "form.guardian"}.get(key, f"form.consent_{key}")
        st.checkbox(tr(label), value=bool(draft.get(key)), key=w + key)
    _errors_for(prefix, "consent")
    if signifiers:
        signifier_fields(prefix, draft)


SIGNIFIERS = SignifierConfig()  # the KBH+ triangle and "how big was the change for you?"


def signifier_fields(prefix: str, draft: dict) -> None:
    """The teller's own placement of the story (optional), as at a story camp."""
    from ui.camp_widgets import signifier_inputs

    with st.expander(tr("form.signifiers"), expanded=False):
        signifier_inputs(SIGNIFIERS, prefix, draft)


def signifier_answers(draft: dict):
    from ui.camp_widgets import signifiers_from_draft

    answers = signifiers_from_draft(SIGNIFIERS, draft)
    return None if answers.empty else answers


def signifier_summary(draft: dict) -> str:
    """The answers read back as plain text, e.g. "Huset 50 % · ... · Forandringens størrelse: 7"."""
    from stories.camps.camps import label

    answers = signifier_answers(draft)
    if answers is None:
        return ""
    parts = []
    if answers.weights:
        total = sum(answers.weights) or 1
        parts += [f"{label('pole', pole, lang())} {round(100 * w / total)} %"
                  for pole, w in zip(answers.poles, answers.weights)]
    parts += [f"{label('slider', name, lang())}: {v}" for name, v in answers.sliders.items()]
    return " · ".join(parts)


def read_fields(prefix: str, mode: str, base: dict, *, signifiers: bool = False) -> dict:
    """The draft as the widgets hold it now."""
    w = prefix + "w_"
    draft = dict(base)
    for name in (*FIELD_KEYS, *CONSENT_KEYS):
        if w + name in st.session_state:
            value = date_in_state(w + name) if name in DATE_FIELDS else st.session_state[w + name]
            draft[name] = value.isoformat() if isinstance(value, dt.date) else value
    if signifiers:
        from ui.camp_widgets import read_signifiers

        draft = read_signifiers(SIGNIFIERS, prefix, draft)
    return draft


def show_story(story: Story, *, journey: bool = False, mode: str | None = None) -> None:
    """A story read back field by field, every value as plain text; `journey` adds how far it went in the
    Most Significant Change selection and with which reasons. `mode="short"` reads back only what the
    young people's form asked, under the labels it showed."""
    names = field_names(mode)
    asked = SHORT_FIELDS if mode == "short" else tuple(FIELD_KEYS)
    for name in ("title", "text", "significance", "difference", "teller_pseudonym", "site", "programme",
                 "session_type", "recorded_by", *DATE_FIELDS):
        value = getattr(story, name)
        if value and name in asked:
            st.caption(names[name])
            show_text(value)
    for name, kind in (("teller_role", "teller_role"), ("polarity", "polarity"),
                       ("teller_mechanism", "mechanism"), ("language", "language")):
        if name == "teller_mechanism" and story.teller_mechanism in ("", story.domain):
            continue  # the domain below says it
        if name in asked:
            st.caption(names[name])
            st.text(choice_label(kind, getattr(story, name), lang()))
    from stories.msc.domains import domain_names

    if "domain" in asked:
        st.caption(names["domain"])
        st.text(domain_names(get_db(), lang()).get(story.domain or "", tr("msc.domain.none")))
    purposes = [tr(f"purpose.{p}") for p in ("internal", "evaluation", "publication") if getattr(story.consent, p)]
    st.caption(names["consent"])
    st.text(", ".join(purposes) or tr("browse.consent_none"))
    if story.extra:
        st.caption(names["extra"])
        table({"key": list(story.extra), "value": list(story.extra.values())}, hide_index=True)
    if journey:
        from ui.msc_feedback import story_journey_of

        story_journey_of(story)


def personal_data_review(prefix: str, story: Story) -> list:
    """Staff see the personal data found, marked in the text, and confirm or correct it."""
    from stories.privacy.pseudonymised import Correction

    found = personal_data_in(story)
    st.markdown(f"**{tr('pii.heading')}**")
    if found:
        st.warning(tr("pii.found"))
        names = field_names()
        for field in REVIEWED_FIELDS:
            if any(f.field == field for f in found):
                st.caption(names[field])
                show_text(marked(getattr(story, field), story.language))
        for i, item in enumerate(found):
            st.checkbox(tr("pii.hide", text=escape_markdown(item.text), kind=tr(f"pii.kind.{item.kind}")),
                        value=True, key=f"{prefix}pii_{i}")
    else:
        st.caption(tr("pii.none"))
    missed = st.text_input(tr("pii.add"), key=prefix + "pii_add", max_chars=500, live="1s")
    st.caption(tr("pii.add_help"))
    corrections = [Correction("remove", f.kind, f.text, f.field) for i, f in enumerate(found)
                   if not st.session_state.get(f"{prefix}pii_{i}", True)]
    for text in (part.strip() for part in missed.split(",")):
        corrections += [Correction("add", "person", text, field) for field in REVIEWED_FIELDS
                        if text and text in (getattr(story, field) or "")]
    return corrections


def _reset(prefix: str) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def render_story_form(mode: str, *, site: str = "") -> None:
    """The whole flow: edit → read back → saved."""
    prefix = f"{mode}_form_"
    st.session_state.setdefault(prefix + "step", "edit")
    actor = current_actor()
    recorded_by = actor.name if mode == "full" and actor.role in ("admin", "staff", "facilitator") else ""
    st.session_state.setdefault(prefix + "draft", {"site": site, "language": lang(), "recorded_by": recorded_by})
    st.session_state.setdefault(prefix + "key", str(uuid.uuid4()))
    st.session_state.setdefault(prefix + "errors", [])
    step, draft = st.session_state[prefix + "step"], st.session_state[prefix + "draft"]

    questions = asked(get_db(), form_key_for(mode))  # the form's own questions replace the fixed signifiers
    if step == "edit":
        st.caption(tr("form.required_note"))
        if st.session_state.get(prefix + "qerror"):
            st.error(escape_markdown(st.session_state[prefix + "qerror"]), icon="⚠️")
        if st.session_state[prefix + "errors"]:
            written = any(str(draft.get(name) or "").strip() for name in WRITTEN)
            st.warning(tr("form.fix_errors") + (" " + tr("form.draft_kept") if written else ""))
        with st.form(prefix + "form", border=False, enter_to_submit=False):
            story_fields(prefix, draft, mode, signifiers=not questions)
            question_inputs(prefix, questions)
            go = st.form_submit_button(tr("form.continue"), type="primary", use_container_width=True)
        if go:
            draft = read_fields(prefix, mode, draft, signifiers=not questions)
            draft["answers"] = read_answers(prefix, questions)
            st.session_state[prefix + "draft"] = draft
            st.session_state[prefix + "qerror"] = ""
            try:
                check_answers(questions, draft["answers"])
            except QuestionInvalid as exc:
                st.session_state[prefix + "qerror"] = error_message(exc, lang())
                st.rerun()
            try:
                validate(draft_to_story(draft, mode), require_consent=True)
                st.session_state[prefix + "errors"] = []
                st.session_state[prefix + "step"] = "review"
            except StoryInvalid as exc:
                st.session_state[prefix + "errors"] = exc.errors
            st.rerun()
    elif step == "review":
        story = validate(draft_to_story(draft, mode), require_consent=True)
        st.subheader(tr("form.review_heading"), anchor=False)
        st.caption(tr("form.review_intro"))
        with st.container(border=True):
            show_story(story, mode=mode if mode == "short" else None)
            summary = signifier_summary(draft)
            if summary:
                st.caption(tr("form.signifiers"))
                st.text(summary)
            read_back(questions, draft.get("answers") or {})
        corrections = personal_data_review(prefix, story) if mode == "full" else []
        save = st.button(tr("form.save"), type="primary", use_container_width=True, key=prefix + "save")
        back = st.button(tr("form.back"), use_container_width=True, key=prefix + "back")
        if back:
            st.session_state[prefix + "step"] = "edit"
            st.rerun()
        if save:
            actor = PUBLIC if mode == "short" else current_actor()
            try:
                saved = submit_story(get_db(), story, actor=actor, corrections=corrections,
                                     signifiers=signifier_answers(draft),
                                     submission_key=st.session_state[prefix + "key"],
                                     answers=(questions, draft.get("answers") or {}) if questions else None)
            except StoryInvalid as exc:
                st.session_state[prefix + "errors"] = exc.errors
                st.session_state[prefix + "step"] = "edit"
                st.rerun()
            except QuestionInvalid as exc:
                st.session_state[prefix + "qerror"] = error_message(exc, lang())
                st.session_state[prefix + "step"] = "edit"
                st.rerun()
            except DatabaseBusy:
                st.error(tr("error.busy"))
            except PermissionDenied:
                st.error(tr("error.permission"))
            else:
                st.session_state[prefix + "saved_id"] = saved.id
                st.session_state[prefix + "step"] = "done"
                st.rerun()
    else:
        st.success(tr("tell.saved" if mode == "short" else "form.saved"), icon="✅")
        st.caption(tr("form.saved_ref", ref=st.session_state.get(prefix + "saved_id", "")[:8]))
        if st.button(tr("form.another"), type="primary", use_container_width=True, key=prefix + "again"):
            _reset(prefix)
            st.rerun()


__all__ = ["render_story_form", "story_fields", "read_fields", "story_to_draft", "draft_to_story",
           "show_story", "field_names", "FieldError"]
