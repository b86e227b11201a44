"""A teller's name on a camp's wall is what the room knows them by: feedback and reports that leave
the room replace it wherever it stands, also in its possessive form, whether or not the name
detector takes the word for a name ("Lynet" is also a Danish noun)."""

from __future__ import annotations

from changestories.database import memory_db
from stories.camps.camps import camp_story_as_seen
from stories.msc.told import Told
from stories.trust.permissions import SYSTEM


def told(display_name: str) -> Told:
    return Told(seq=1, id="a1", title="Scenen", text="Jeg stod på scenen og sang for første gang.",
                significance="Nu tør jeg mere.", domain="huset", site="Nordvest", teller_role="young",
                display_name=display_name, created_at="2026-11-30T10:00:00+00:00")


def test_the_wall_name_is_replaced_in_the_reasons_also_as_a_possessive():
    shown, notes = camp_story_as_seen(memory_db(), told("Lynet"),
                                      ["Vi valgte Lynets historie, fordi modet smitter.", "Lynet's courage."],
                                      actor=SYSTEM, purpose="publication")
    assert shown.display_name == "[Person 1]"
    assert notes == ["Vi valgte [Person 1] historie, fordi modet smitter.", "[Person 1] courage."]


def test_inside_the_room_nothing_is_replaced():
    shown, notes = camp_story_as_seen(memory_db(), told("Lynet"), ["Vi valgte Lynets historie."],
                                      actor=SYSTEM, purpose="internal")
    assert (shown.display_name, notes) == ("Lynet", ["Vi valgte Lynets historie."])
