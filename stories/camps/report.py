"""The camp report (DOCX): the camp's stories, the selection at every level with its reasons, the
signifier plots; and the tellers' feedback as its own DOCX.

Plots are drawn with matplotlib's object API (no pyplot state), so a page thread can build a report.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from sqlite_utils import Database

from stories.msc.verification import verifications
from stories.camps.camps import Camp, camp_stories, get_camp, label
from stories.i18n import t
from stories.trust.permissions import SYSTEM, Actor
from stories.camps.selection import feedback, results
from stories.camps.signifiers import SLIDER_MAX, SLIDER_MIN, TrianglePoint, slider_values, ternary_xy, triangle_points

PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def ternary_png(points: Sequence[TrianglePoint], pole_labels: Sequence[str], colour_of: dict[str, str],
                group_of=lambda p: p.teller_role) -> bytes:
    """A triangle with pole A at the top, B bottom left, C bottom right; one dot per story."""
    fig = _figure(6, 5.6)
    ax = fig.add_subplot(1, 1, 1)
    corners = [ternary_xy(w) for w in ((0, 1, 0), (0, 0, 1), (1, 0, 0), (0, 1, 0))]
    ax.plot([c[0] for c in corners], [c[1] for c in corners], color="#333333", linewidth=1)
    for step in (0.25, 0.5, 0.75):  # grid lines at 25 % steps for each pole
        for line in (((step, 1 - step, 0), (step, 0, 1 - step)), ((1 - step, step, 0), (0, step, 1 - step)),
                     ((1 - step, 0, step), (0, 1 - step, step))):
            (x0, y0), (x1, y1) = ternary_xy(line[0]), ternary_xy(line[1])
            ax.plot([x0, x1], [y0, y1], color="#dddddd", linewidth=0.6, zorder=0)
    by_group: dict[str, list[TrianglePoint]] = defaultdict(list)
    for p in points:
        by_group[group_of(p)].append(p)
    for i, (group, members) in enumerate(sorted(by_group.items())):
        xy = [ternary_xy(p.weights) for p in members]
        ax.scatter([x for x, _ in xy], [y for _, y in xy], s=40, alpha=0.8, color=PALETTE[i % len(PALETTE)],
                   label=colour_of.get(group, group), edgecolors="white", linewidths=0.5)
    a, b, c = pole_labels
    ax.text(0.5, 3 ** 0.5 / 2 + 0.04, a, ha="center", va="bottom", fontsize=10)
    ax.text(-0.02, -0.04, b, ha="left", va="top", fontsize=10)
    ax.text(1.02, -0.04, c, ha="right", va="top", fontsize=10)
    ax.set_xlim(-0.1, 1.1)
    ax.set_ylim(-0.15, 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    if by_group:
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    return _png(fig)


def slider_png(values: Sequence[tuple[str, int]], title: str, colour_of: dict[str, str]) -> bytes:
    """How the answers on one slider are spread, one row of dot counts per group."""
    fig = _figure(6, 0.6 + 0.5 * max(1, len({g for g, _ in values})))
    ax = fig.add_subplot(1, 1, 1)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for group, value in values:
        counts[group][value] += 1
    for row, (group, spread) in enumerate(sorted(counts.items())):
        xs = sorted(spread)
        ax.scatter(xs, [row] * len(xs), s=[40 * spread[x] for x in xs], color=PALETTE[row % len(PALETTE)], alpha=0.8)
    groups = sorted(counts)
    ax.set_yticks(range(len(groups)), [colour_of.get(g, g) for g in groups])
    ax.set_xticks(range(SLIDER_MIN, SLIDER_MAX + 1))
    ax.set_xlim(SLIDER_MIN - 0.5, SLIDER_MAX + 0.5)
    ax.set_ylim(-0.7, len(groups) - 0.3)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", color="#eeeeee")
    return _png(fig)


def _docx():
    from docx import Document

    return Document()


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _camp_heading(doc, camp: Camp, lang: str, title_key: str) -> None:
    doc.add_heading(t(title_key, lang, name=camp.name), level=0)
    facts = [(t("camps.held_on", lang), camp.held_on or "–"), (t("camps.site", lang), camp.site or "–"),
             (t("camps.prompt", lang), camp.prompt or "–"),
             (t("camps.domains", lang), ", ".join(label("domain", d, lang) for d in camp.domains) or "–")]
    for name, value in facts:
        para = doc.add_paragraph()
        para.add_run(f"{name}: ").bold = True
        para.add_run(value)


def _reasons(doc, reasons, camp: Camp, lang: str) -> None:
    for reason in reasons:
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(f"{camp.level_name(reason.level, lang)} – {reason.panel}: ").bold = True
        para.add_run(reason.reasons)


PURPOSE = "publication"  # a report or feedback leaves the room: names replaced (stories.privacy.pseudonymised)


def feedback_docx(db: Database, camp_id: int, lang: str = "da") -> bytes:
    """The feedback for tellers: which stories were chosen, at which level, and why (names replaced)."""
    camp = get_camp(db, camp_id)
    doc = _docx()
    _camp_heading(doc, camp, lang, "camps.feedback.doc_title")
    items = feedback(db, camp.id, purpose=PURPOSE, lang=lang)
    checked = verifications(db)
    if not items:
        doc.add_paragraph(t("camps.feedback.none", lang))
    for domain in dict.fromkeys(i.domain for i in items):
        doc.add_heading(label("domain", domain, lang) or t("camps.no_domain", lang), level=1)
        for item in (i for i in items if i.domain == domain):
            doc.add_heading(f"{item.story.title or t('camps.untitled', lang)} ({item.story.display_name})", level=2)
            reached = doc.add_paragraph(t("camps.feedback.reached", lang,
                                          level=camp.level_name(item.highest_level, lang)))
            if item.story.seq not in checked:
                reached.add_run(" · " + t("msc.feedback.unverified", lang)).bold = True
            doc.add_paragraph(item.story.text)
            _reasons(doc, item.reasons, camp, lang)
    return _save(doc)


def role_labels(lang: str) -> dict[str, str]:
    from stories.model import TELLER_ROLES

    return {r: t(f"teller_role.{r}", lang) for r in TELLER_ROLES}


def camp_report_docx(db: Database, camp_id: int, lang: str = "da", *, actor: Actor = SYSTEM) -> bytes:
    """The whole camp: facts, selection results with reasons at every level, signifier plots, the
    stories; names replaced in every story text, title, display name and reason."""
    from docx.shared import Cm

    camp = get_camp(db, camp_id, actor=actor)
    stories = camp_stories(db, camp.id, actor=actor, purpose=PURPOSE, lang=lang)
    doc = _docx()
    _camp_heading(doc, camp, lang, "camps.report.title")
    doc.add_paragraph(t("camps.report.count", lang, n=len(stories)))

    doc.add_heading(t("camps.report.selection", lang), level=1)
    checked = verifications(db)
    by_domain = defaultdict(list)
    for result in results(db, camp.id, actor=actor, purpose=PURPOSE, lang=lang):
        by_domain[result.round.domain].append(result)
    if not by_domain:
        doc.add_paragraph(t("camps.results.none", lang))
    for domain, rounds in by_domain.items():
        doc.add_heading(label("domain", domain, lang) or t("camps.no_domain", lang), level=2)
        for result in rounds:
            for group in result.panels:
                doc.add_heading(f"{camp.level_name(result.round.level, lang)} – {group.panel.name}", level=3)
                if group.tally:
                    table = doc.add_table(rows=1, cols=2)
                    table.style = "Light List"
                    table.rows[0].cells[0].text = t("camps.story", lang)
                    table.rows[0].cells[1].text = t("camps.dots", lang)
                    for story, dots, _ in group.tally:
                        cells = table.add_row().cells
                        cells[0].text = f"{story.title or story.text[:60]} ({story.display_name})"
                        cells[1].text = str(dots)
                if group.choice:
                    s = group.choice
                    para = doc.add_paragraph()
                    para.add_run(t("camps.results.chosen", lang) + " ").bold = True
                    para.add_run(f"{s.story.title or s.story.text[:60]} ({s.story.display_name})")
                    if s.story.seq not in checked:
                        para.add_run(" · " + t("msc.feedback.unverified", lang)).bold = True
                    para = doc.add_paragraph()
                    para.add_run(t("camps.results.why", lang) + " ").bold = True
                    para.add_run(s.reasons)
                    if s.earlier:
                        doc.add_paragraph(t("camps.results.earlier", lang))
                        _reasons(doc, s.earlier, camp, lang)
                else:
                    doc.add_paragraph(t("camps.results.not_chosen", lang))

    seqs = [s.seq for s in stories]
    points = triangle_points(db, camp.signifiers.poles, story_seqs=seqs)
    doc.add_heading(t("camps.report.signifiers", lang), level=1)
    if points:
        poles = [label("pole", p, lang) for p in camp.signifiers.poles]
        doc.add_picture(io.BytesIO(ternary_png(points, poles, role_labels(lang))), width=Cm(14))
    for slider in camp.signifiers.sliders:
        values = slider_values(db, slider, "teller_role", story_seqs=seqs)
        if values:
            doc.add_picture(io.BytesIO(slider_png(values, label("slider", slider, lang), role_labels(lang))),
                            width=Cm(14))
    if not points and not any(slider_values(db, s, story_seqs=seqs) for s in camp.signifiers.sliders):
        doc.add_paragraph(t("camps.report.no_signifiers", lang))

    doc.add_heading(t("camps.report.stories", lang), level=1)
    for story in stories:
        doc.add_heading(f"{story.title or t('camps.untitled', lang)} ({story.display_name})", level=2)
        if story.domain:
            doc.add_paragraph().add_run(label("domain", story.domain, lang)).italic = True
        doc.add_paragraph(story.text)
        if story.significance:
            para = doc.add_paragraph()
            para.add_run(t("field.significance", lang) + " ").bold = True
            para.add_run(story.significance)
    return _save(doc)
