"""In a real browser: hostile and damaged files uploaded in the app get one line in Danish,
never a traceback, and nothing is stored (issue 9, points 2, 3 and 5)."""

import pytest

from changestories.database import connect
from tests import hostile
from tests.e2e import chromium, live_app, phone_page, require_chromium

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(page, name: str, mime: str, data: bytes) -> None:
    page.locator("input[type=file]").first.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])


def no_traceback(page) -> None:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error:" not in text, text[-2000:]


def test_hostile_uploads_get_a_danish_message_and_store_nothing(db_path):
    require_chromium()
    mixed = ("text,site\nSøren og Åse,Valby\n".encode() + "Ærø,Nordvest\n".encode("cp1252"))
    cases = [
        ("broken.xlsx", XLSX, hostile.xlsx_broken_xml(), "Excel-arket er beskadiget"),
        ("inflating.xlsx", XLSX, hostile.xlsx_inflating(5 * 1024 * 1024), "ligner en zip-bombe"),
        ("mixed.csv", "text/csv", mixed, "Linje 3 er ikke UTF-8"),
        ("quote.csv", "text/csv", 'text,site\nFørste,A\n"Anden,B\nTredje,C\n'.encode(), "Linje 3: anførselstegnene"),
    ]
    with live_app(db_path) as url, chromium() as browser:
        page = phone_page(browser)
        page.goto(f"{url}/transfer")
        page.get_by_text("Vælg en fil").first.wait_for()
        for name, mime, data, message in cases:
            upload(page, name, mime, data)
            page.get_by_text(message).first.wait_for()
            no_traceback(page)

        page.goto(f"{url}/codebook")
        page.get_by_text("Importér en kodebog").first.wait_for()
        upload(page, "dyb.qdc", "application/xml", hostile.qdc_deep(5000))
        page.get_by_role("button", name="Importér kodebogen").click()
        page.get_by_text("Kodetræet er indlejret mere end 50 niveauer").first.wait_for()
        no_traceback(page)
    db = connect(db_path)
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == 0
