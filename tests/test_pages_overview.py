"""The admin's start page: numbers, and the demo offer on an empty database."""

from changestories.database import connect
from stories.trust.permissions import Actor
from tests.apptest import click, open_app


def test_an_admin_starts_on_the_overview_and_can_load_the_demo(db_path):
    at = open_app(actor=Actor("chef", "admin"))
    assert at.header[0].value == "Overblik"
    assert [m.label for m in at.metric] == ["Fortællinger denne måned", "Åbne fortællecamps", "Venter på gennemsyn"]
    assert [m.value for m in at.metric] == ["0", "0", "0"]
    click(at, "Indlæs demo-fortællinger")
    assert at.success[0].value.endswith("fiktive demo-fortællinger er indlæst.")
    assert connect(db_path).execute("SELECT count(*) FROM stories").fetchone()[0] > 0
    assert not [b for b in at.button if b.label == "Indlæs demo-fortællinger"]  # offered only while empty


def test_other_roles_start_elsewhere(db_path):
    for role, header in [("staff", "Ny forandringsfortælling"), ("facilitator", "Fortællecamps"),
                         ("evaluator", "Kod fortællinger")]:
        at = open_app(actor=Actor(f"x-{role}", role))
        assert at.header[0].value == header, role
