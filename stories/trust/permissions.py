"""The permission policy, in one place: who may do what with which story.

Every data function that reads or writes stories asks these `can_*` functions first
(check permission, validate, write, log, reply). Pages only decide what to show.
"""

from __future__ import annotations

from stories.errors import UserError

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stories.model import Story

ROLES = ("admin", "facilitator", "staff", "evaluator", "public", "system")


class PermissionDenied(UserError):
    """The actor's role does not allow this action."""

    key = "trust.error.permission"  # shown to the user in their language; the message names the action for logs


@dataclass(frozen=True)
class Actor:
    """Who is acting. `sites` limits staff and facilitators; empty means every site."""

    name: str
    role: str
    sites: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")


# Trusted local callers: the command line run by the machine's owner, and tests.
SYSTEM = Actor("system", "system")
PUBLIC = Actor("public", "public")


def on_behalf_of(actor: Actor) -> Actor:
    """The system doing what an action `actor` was allowed (and checked) to do implies, such as
    the questions and the codebook a staff member's project import brings: the system's powers,
    and the audit log names the person."""
    return Actor(actor.name, "system")


def _all_powerful(actor: Actor) -> bool:
    return actor.role in ("admin", "system")


def _site_ok(actor: Actor, site: str) -> bool:
    return not actor.sites or site in actor.sites


def can_submit_story(actor: Actor) -> bool:
    return True  # young people submit without an account


def can_read_story(actor: Actor, story: Story) -> bool:
    if _all_powerful(actor):
        return True
    if actor.role in ("staff", "facilitator"):
        return _site_ok(actor, story.site)
    if actor.role == "evaluator":
        return story.consent.covers("evaluation")
    return False


def can_edit_story(actor: Actor, story: Story) -> bool:
    if _all_powerful(actor):
        return True
    return actor.role in ("staff", "facilitator") and _site_ok(actor, story.site)


def can_export(actor: Actor) -> bool:
    return _all_powerful(actor) or actor.role in ("staff", "evaluator")


def can_import(actor: Actor) -> bool:
    return _all_powerful(actor) or actor.role == "staff"


def can_code(actor: Actor) -> bool:
    return _all_powerful(actor) or actor.role in ("evaluator", "staff")


def can_manage_codebook(actor: Actor) -> bool:
    return _all_powerful(actor) or actor.role == "evaluator"


def can_run_camp(actor: Actor) -> bool:
    return _all_powerful(actor) or actor.role == "facilitator"


def can_manage_users(actor: Actor) -> bool:
    return _all_powerful(actor)


# --- the Most Significant Change cycle (stories.msc) --------------------------------

def can_manage_domains(actor: Actor) -> bool:
    """Set up the install's domains of change."""
    return _all_powerful(actor)


def can_manage_periods(actor: Actor) -> bool:
    """Name the reporting periods."""
    return _all_powerful(actor)


def can_run_selection(actor: Actor) -> bool:
    """Set up selection processes, their levels and panels; open and close rounds; record a meeting."""
    return _all_powerful(actor) or actor.role == "facilitator"


def can_read_feedback(actor: Actor) -> bool:
    """Read what was chosen, why and how (evaluators pseudonymised)."""
    return _all_powerful(actor) or actor.role in ("facilitator", "staff", "evaluator")


def can_monitor(actor: Actor) -> bool:
    """See the figures of the whole cycle (counts only, no story text)."""
    return _all_powerful(actor) or actor.role in ("facilitator", "staff", "evaluator")


def can_verify_story(actor: Actor, site: str = "") -> bool:
    """Record who checked a chosen story's facts with the teller or a witness."""
    if _all_powerful(actor):
        return True
    return actor.role in ("facilitator", "staff") and _site_ok(actor, site)


def can_act_for_panel(actor: Actor, is_member: bool, panel_sites=()) -> bool:
    """Vote, score, choose and give reasons for a panel: its members, or a facilitator recording its meeting
    (a facilitator limited to some sites only for a panel of those sites)."""
    if _all_powerful(actor):
        return True
    if is_member:
        return actor.role in ("admin", "facilitator", "staff", "evaluator")
    if actor.role == "facilitator":
        return not actor.sites or bool(panel_sites) and set(panel_sites) <= set(actor.sites)
    return False


# --- questions about stories (stories.questions) -----------------------------------

def can_manage_questions(actor: Actor) -> bool:
    """Edit the install's question library and choose the questions of each form."""
    return _all_powerful(actor)


def can_choose_form_questions(actor: Actor, form_key: str) -> bool:
    """Choose which of the library's questions a form asks: an admin any form, a facilitator a camp's."""
    return can_manage_questions(actor) or (form_key.startswith("camp:") and can_run_camp(actor))


def can_write_observations(actor: Actor) -> bool:
    """Write observations on patterns and their interpretations (sensemaking): evaluators and facilitators."""
    return _all_powerful(actor) or actor.role in ("facilitator", "evaluator")


def can_read_patterns(actor: Actor) -> bool:
    """See patterns across the answers (counts and statistics; stories as the actor may read them)."""
    return _all_powerful(actor) or actor.role in ("facilitator", "staff", "evaluator")


# --- trust: sites, audit, erasure, access, backups, pseudonymisation ---------------

def can_manage_sites(actor: Actor) -> bool:
    return _all_powerful(actor)


def can_read_audit(actor: Actor) -> bool:
    return _all_powerful(actor)


def can_erase(actor: Actor) -> bool:
    """Erase everything held about a teller (GDPR art. 17)."""
    return _all_powerful(actor)


def can_export_teller_data(actor: Actor) -> bool:
    """Export everything held about a teller (GDPR art. 15)."""
    return _all_powerful(actor)


def can_backup(actor: Actor) -> bool:
    return _all_powerful(actor)


def can_change_password(actor: Actor, user_name: str) -> bool:
    """Admins set anyone's password; everyone else only their own."""
    if _all_powerful(actor):
        return True
    return actor.role in ("facilitator", "staff", "evaluator") and actor.name.casefold() == user_name.casefold()


def can_review_story(actor: Actor, story: Story) -> bool:
    """Staff of the story's site (and admins) review a story that arrived without staff."""
    return can_edit_story(actor, story)


def can_change_settings(actor: Actor) -> bool:
    """Per-install settings (e.g. whether stories wait for review)."""
    return _all_powerful(actor)


def sees_pseudonymised(actor: Actor) -> bool:
    """Evaluators (external) only ever see story text with personal data replaced."""
    return actor.role in ("evaluator", "public")


def require(allowed: bool, what: str) -> None:
    """Raise PermissionDenied naming the action unless `allowed`."""
    if not allowed:
        raise PermissionDenied(what)
