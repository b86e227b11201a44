"""Printable story cards for a group's sensemaking session: a PDF of A4 pages, each cut into four
A6 cards, one story per card with its answers to the questions.

The stories are read through `stories.search.query_stories`, so consent, scope and the one
pseudonymisation rule (`stories.privacy.pseudonymised.needs_pseudonymisation`) apply: an
evaluator, or anyone making cards for evaluation or publication, gets pseudonymised text, and
written answers are pseudonymised as notes of their story. Drawn with fpdf2 (LGPL-3.0) in
DejaVu Sans (the Bitstream Vera licence), the TTF matplotlib ships, so Danish letters render.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from stories.i18n import t
from stories.questions.answers import story_answers
from stories.questions.errors import QuestionInvalid
from stories.trust.permissions import SYSTEM, Actor, can_read_patterns, require

MAX_CARDS = 200
PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
CARD_W, CARD_H = PAGE_W / 2, PAGE_H / 2  # A6
MARGIN = 7.0
TEXT_PT, SMALL_PT, TITLE_PT = 9.0, 7.5, 11.0


def font_path(bold: bool = False) -> Path:
    """DejaVu Sans from matplotlib's data (a dependency already): covers æ, ø, å and more."""
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def card_stories(db: Database, story_ids: Sequence[str], *, actor: Actor = SYSTEM, purpose: str = "internal",
                 lang: str = "da"):
    """[(story as the actor may see it, [(question wording, answer text)])] in the order given."""
    from stories.privacy.pseudonymised import needs_pseudonymisation, shown_notes
    from stories.search import query_stories
    from stories.storage import stories_by_seq, story_seq
    from stories.visibility import StoryFilter

    ids = list(dict.fromkeys(story_ids))
    if not ids:
        raise QuestionInvalid("cards.error.none")
    if len(ids) > MAX_CARDS:
        raise QuestionInvalid("cards.error.too_many", max=MAX_CARDS)
    shown = {s.id: s for s in query_stories(db, StoryFilter(story_ids=ids, purpose=purpose), actor=actor, lang=lang)}
    pseudonymise = needs_pseudonymisation(actor, purpose)
    out = []
    for story_id in ids:
        story = shown.get(story_id)
        if story is None:
            continue  # withdrawn, deleted or out of the actor's scope meanwhile
        seq = story_seq(db, story_id)
        lines = []
        for answer in story_answers(db, seq):
            text = answer.text(lang)
            if pseudonymise and answer.question.kind == "text" and not answer.not_applicable:
                original = stories_by_seq(db, [seq])
                text = shown_notes(db, original[0], [text], actor, purpose, lang)[0] if original else ""
            lines.append((answer.question.wording(lang), text))
        out.append((story, lines))
    if not out:
        raise QuestionInvalid("cards.error.none")
    return out


def _wrap(pdf, text: str, width: float, line_h: float) -> list[str]:
    """The lines fpdf2 breaks the text into in the current font (one dry run)."""
    return pdf.multi_cell(width, line_h, text, dry_run=True, output="LINES") if text else []


def _fit(pdf, text: str, width: float, height: float, line_h: float,
         lines: list[str] | None = None) -> tuple[str, bool]:
    """The text cut at a word so it fits the box with " …" (True: it was cut); line breaks kept.
    Each wrapped line is found again in the text, so one dry run tells where to cut."""
    room = max(int((height + 0.01) // line_h), 0)
    lines = _wrap(pdf, text, width, line_h) if lines is None else lines
    if len(lines) <= room:
        return text, False
    if not room:
        return "", True
    end = 0
    for line in lines[:room]:
        found = text.find(line.strip(), end)
        if found < 0:
            break
        end = found + len(line.strip())
    kept, last = text[:end].rstrip(), lines[room - 1].rstrip()
    usable = width - 2 * pdf.c_margin
    while " " in kept and pdf.get_string_width(last + " …") > usable:  # room for the ellipsis
        cut = kept.rfind(" ")
        last = last[: max(len(last) - (len(kept) - cut), 0)].rstrip()
        kept = kept[:cut].rstrip()
    return kept + " …", True


def story_cards_pdf(db: Database, story_ids: Sequence[str], *, actor: Actor = SYSTEM, purpose: str = "internal",
                    lang: str = "da") -> bytes:
    """The cards of these stories as PDF bytes (four A6 cards to an A4 page, cutting lines between)."""
    require(can_read_patterns(actor), "story cards")
    from fpdf import FPDF

    from stories.trust import audit

    cards = card_stories(db, story_ids, actor=actor, purpose=purpose, lang=lang)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("DejaVu", "", str(font_path()))
    pdf.add_font("DejaVu", "B", str(font_path(bold=True)))
    pdf.set_title(t("cards.title", lang))
    pdf.set_creator("changestories")
    width = CARD_W - 2 * MARGIN
    for i, (story, answers) in enumerate(cards):
        if i % 4 == 0:
            pdf.add_page()
            pdf.set_draw_color(170, 170, 170)
            pdf.set_dash_pattern(dash=2, gap=2)
            pdf.line(CARD_W, 0, CARD_W, PAGE_H)
            pdf.line(0, CARD_H, PAGE_W, CARD_H)
            pdf.set_dash_pattern()
        x0, y0 = (i % 2) * CARD_W + MARGIN, ((i % 4) // 2) * CARD_H + MARGIN
        bottom = y0 + CARD_H - 2 * MARGIN
        pdf.set_xy(x0, y0)
        pdf.set_font("DejaVu", "B", TITLE_PT)
        title = story.title or t("cards.untitled", lang)
        title, _ = _fit(pdf, title, width, 2 * 5.0, 5.0)
        pdf.multi_cell(width, 5.0, title, align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_font("DejaVu", "", SMALL_PT)
        pdf.set_text_color(110, 110, 110)
        pdf.set_x(x0)
        pdf.cell(width, 4.0, t("cards.ref", lang, ref=story.id[:8], n=i + 1, total=len(cards)),
                 new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        # the answers and the significance at the bottom; the story fills what is left
        tail = [(t("cards.significance", lang), story.significance)] if story.significance else []
        tail += answers
        tail_text = "\n".join(f"{q}: {a}" for q, a in tail)
        pdf.set_font("DejaVu", "", SMALL_PT)
        tail_lines = _wrap(pdf, tail_text, width, 3.4)
        pdf.set_font("DejaVu", "", TEXT_PT)
        text_top = pdf.get_y() + 1.5
        room = bottom - text_top - 2
        text_lines = _wrap(pdf, story.text, width, 4.2)
        tail_h = min(len(tail_lines) * 3.4, max(room - len(text_lines) * 4.2, room * 0.4))  # the story first,
        # the answers get 40 % at least
        text, cut = _fit(pdf, story.text, width, bottom - tail_h - text_top - 2, 4.2, text_lines)
        pdf.set_xy(x0, text_top)
        pdf.multi_cell(width, 4.2, text, align="L", new_x="LEFT", new_y="NEXT")
        if tail_text:
            pdf.set_font("DejaVu", "", SMALL_PT)
            tail_text, _ = _fit(pdf, tail_text, width, tail_h, 3.4, tail_lines)
            pdf.set_xy(x0, bottom - tail_h)
            pdf.set_draw_color(200, 200, 200)
            pdf.line(x0, bottom - tail_h - 1, x0 + width, bottom - tail_h - 1)
            pdf.multi_cell(width, 3.4, tail_text, align="L", new_x="LEFT", new_y="NEXT")
    data = bytes(pdf.output())
    audit.log(db, actor, "export", fmt="cards", purpose=purpose, n=len(cards))
    return data
