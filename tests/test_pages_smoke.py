"""Every page opens without an error, in Danish and English, for every role that sees it,
on the demo data (stories, codings, signifiers and a finished camp)."""

import re

import pytest

from stories.trust.permissions import Actor
from tests.apptest import ROOT, open_app

ROLES = ("admin", "staff", "facilitator", "evaluator")


def pages_by_role():
    """(page, role) pairs from app.py: which roles see which page."""
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    pairs = []
    for line in source.splitlines():
        m = re.search(r'page\("(app_pages/\w+\.py)"', line)
        if not m:
            continue
        if "public=True" in line:
            roles = ROLES
        elif "roles=STAFF" in line:
            roles = ("admin", "staff", "facilitator")
        elif "roles=(" in line:
            roles = tuple(re.findall(r'"(\w+)"', line.split("roles=(")[1]))
        else:
            roles = ROLES
        pairs += [(m.group(1), role) for role in roles]
    return pairs


PAIRS = pages_by_role()


def test_the_router_lists_pages():
    assert len({p for p, _ in PAIRS}) >= 15


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("page,role", PAIRS)
def test_page_opens(demo_path, monkeypatch, page, role, lang):
    monkeypatch.setenv("CHANGESTORIES_DB", str(demo_path))
    at = open_app(page, actor=Actor(f"smoke-{role}", role), lang=lang, query={"camp": "KBHDEM"}, timeout=90)
    assert not at.exception
    assert at.main.children, "the page shows something"
