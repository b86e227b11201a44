"""In a real browser: the themes page's code view draws its charts in the browser (bars as HTML,
lines over time and codes by site with Plotly), and each chart's PNG is made when its download
button is clicked (behaviour only, nothing timed)."""

import pytest

from tests.e2e import chromium, live_app, require_chromium, themes_view

pytestmark = pytest.mark.browser


def test_the_code_view_draws_its_charts_in_the_browser_and_downloads_pngs(demo):
    require_chromium()
    with live_app(demo) as url, chromium() as browser:
        page = themes_view(browser, url, "Koder")
        page.get_by_role("heading", name="Fortællinger pr. kode").wait_for()
        page.locator('[role="list"] [role="listitem"]').first.wait_for()  # the totals, one bar per code
        charts = page.get_by_test_id("stPlotlyChart")
        charts.nth(1).locator(".main-svg").first.wait_for()  # over time, and by site
        assert charts.count() == 2
        assert charts.nth(0).locator(".scatterlayer .trace").count() >= 2  # a line per code
        assert not page.locator(".modebar").count()  # no English toolbar
        buttons = page.get_by_role("button", name="Hent grafen (PNG)")
        assert buttons.count() == 3
        for i in range(3):
            with page.expect_download() as download:
                buttons.nth(i).click()
            assert open(download.value.path(), "rb").read()[:8] == b"\x89PNG\r\n\x1a\n"
        assert not page.get_by_test_id("stDownloadButtonError").count()
