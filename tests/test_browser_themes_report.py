"""In a real browser: the theme report is made when "Lav rapport" is clicked (a progress bar
moves while it is made), then arrives as a DOCX with the tab's title (behaviour only, nothing timed)."""

import io

import pytest

from tests.e2e import chromium, live_app, require_chromium, themes_view

pytestmark = pytest.mark.browser


def test_the_report_is_made_on_lav_rapport_and_downloads_as_a_docx(demo):
    require_chromium()
    from docx import Document

    with live_app(demo) as url, chromium() as browser:
        page = themes_view(browser, url, "Rapport")
        page.get_by_role("button", name="Lav rapport").click()
        button = page.get_by_role("button", name="Hent rapporten (DOCX)")
        button.wait_for()
        with page.expect_download() as download:
            button.click()
        data = open(download.value.path(), "rb").read()
        assert data[:2] == b"PK"
        document = Document(io.BytesIO(data))
        assert document.paragraphs[0].text == "Temarapport"  # the title on the tab
        assert not page.get_by_test_id("stDownloadButtonError").count()
