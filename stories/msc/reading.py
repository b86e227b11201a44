"""What a panel member reads: the round's stories and earlier reasons, pseudonymised where the rule says so.

The rule is the project's one rule (`stories.privacy.pseudonymised.needs_pseudonymisation`): an
evaluator always, and anyone reading at a level whose purpose is evaluation or publication
(a board or funder outside the organisation).
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from stories.model import Story
from stories.msc.process import get_level, get_panel, get_process
from stories.msc.rounds import Candidate, Reason, candidates, get_round
from stories.privacy.pseudonymised import StoryPseudonyms, needs_pseudonymisation, pseudonymise_stories
from stories.visibility import StoryFilter
from stories.search import query_stories
from stories.trust.permissions import SYSTEM, Actor


def hide_names(text: str) -> str:
    """Free text (a panel's reasons) with the personal data found in it replaced."""
    if not text:
        return text
    return StoryPseudonyms(Story(text=text)).pseudonymised_story().text


def pseudonymised_candidates(db: Database, items: list[Candidate]) -> list[Candidate]:
    stories = {s.id: s for s in pseudonymise_stories(db, query_stories(
        db, StoryFilter(story_ids=[c.story.id for c in items]), actor=SYSTEM))}
    out = []
    for c in items:
        hidden = stories.get(c.story.id)
        story = replace(c.story, title=hidden.title, text=hidden.text, significance=hidden.significance,
                        display_name=c.story.display_name if hidden else "") if hidden else c.story
        earlier = tuple(Reason(r.level, r.panel, hide_names(r.reasons), hide_names(r.discussion)) for r in c.earlier)
        out.append(Candidate(story, earlier))
    return out


def panel_reading(db: Database, round_id: int, panel_id: int, *, actor: Actor = SYSTEM) -> list[Candidate]:
    """The stories the panel reads in the round, as this actor may see them."""
    rnd, panel = get_round(db, round_id), get_panel(db, panel_id)
    level = get_level(db, get_process(db, panel.process_id), rnd.level)
    items = candidates(db, round_id, panel_id)
    if needs_pseudonymisation(actor, level.purpose):
        return pseudonymised_candidates(db, items)
    return items
