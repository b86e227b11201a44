"""The feedback as a DOCX (python-docx) for the tellers' houses and the staff who recorded the stories."""

from __future__ import annotations

import io

from sqlite_utils import Database

from stories.i18n import t
from stories.msc.domains import domain_names
from stories.msc.feedback import feedback
from stories.msc.periods import get_period
from stories.msc.process import get_process
from stories.trust.permissions import SYSTEM, Actor


def how_chosen(item, lang: str) -> str:
    """"4 votes from 2 people; 3 other stories had votes" in words."""
    key = "msc.feedback.how_scores" if item.method == "scores" else "msc.feedback.how_votes"
    return t(key, lang, n=item.votes, voters=item.voters, others=item.others)


def feedback_docx(db: Database, process_id: int, lang: str = "da", *, actor: Actor = SYSTEM) -> bytes:
    """Per level: every chosen story, why the panel chose it, how (votes or scores, discussion), the reasons
    from the levels below, and whether its facts were checked."""
    from docx import Document

    process = get_process(db, process_id)
    report = feedback(db, process_id, actor=actor)
    names = domain_names(db, lang)
    doc = Document()
    doc.add_heading(t("msc.feedback.doc_title", lang, name=process.name), level=0)
    if process.period_id is not None:
        period = get_period(db, process.period_id)
        doc.add_paragraph(t("msc.feedback.doc_period", lang, name=period.name, start=period.starts_on,
                            end=period.ends_on))
    doc.add_paragraph(t("msc.feedback.doc_intro", lang))
    for level in report:
        doc.add_heading(t("msc.feedback.level", lang, n=level.level.level, name=level.level.name), level=1)
        if not level.chosen:
            doc.add_paragraph(t("msc.feedback.none_at_level", lang))
        for item in level.chosen:
            doc.add_heading(f"{names.get(item.domain, item.domain)} – {item.story.title or item.story.text[:60]}",
                            level=2)
            facts = doc.add_paragraph()
            facts.add_run(t("msc.feedback.chosen_by", lang, panel=item.panel)).italic = True
            if not item.verified:
                facts.add_run(" · " + t("msc.feedback.unverified", lang)).bold = True
            doc.add_paragraph(item.story.text)
            for label, text in ((t("msc.feedback.why", lang), item.reasons), (t("msc.feedback.how", lang),
                                how_chosen(item, lang)), (t("msc.feedback.discussion", lang), item.discussion)):
                if text:
                    para = doc.add_paragraph()
                    para.add_run(label + " ").bold = True
                    para.add_run(text)
            for reason in item.earlier:
                para = doc.add_paragraph(style="List Bullet")
                para.add_run(t("msc.feedback.earlier", lang, level=reason.level, panel=reason.panel) + " ").bold = True
                para.add_run(reason.reasons)
        for sent in level.sent:
            doc.add_paragraph(t("msc.feedback.sent_to", lang, audience=sent.audience, when=sent.sent_at[:10]))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
