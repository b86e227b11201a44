"""In a real browser: the themes page's co-occurrence, sentiment and timeline views draw their
charts with Plotly (no English toolbar), and each chart's PNG is made when its download button is
clicked (behaviour only, nothing timed)."""

import pytest

from tests.e2e import chromium, live_app, require_chromium, themes_view

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("view", ["Koder der optræder sammen", "Stemning", "Tidslinje"])
def test_the_view_draws_its_chart_in_the_browser_and_downloads_a_png(demo, view):
    require_chromium()
    with live_app(demo) as url, chromium() as browser:
        page = themes_view(browser, url, view)
        chart = page.get_by_test_id("stPlotlyChart")
        chart.first.locator(".main-svg").first.wait_for()
        assert chart.count() == 1
        assert chart.first.locator(".heatmaplayer, .boxlayer .trace, .scatterlayer .trace").count() >= 1
        assert not page.locator(".modebar").count()  # no English toolbar
        assert not page.locator('img[src^="data:image/png"]').count()  # nothing rendered on the server
        with page.expect_download() as download:
            page.get_by_role("button", name="Hent grafen (PNG)").first.click()
        assert open(download.value.path(), "rb").read()[:8] == PNG
        assert not page.get_by_test_id("stDownloadButtonError").count()
