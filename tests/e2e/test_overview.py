"""Browser: the Overview page on the demo shows the demo badge, its metrics and charts."""

from lib.dataset import kept
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import download_csv, wait_for_app


def test_overview_in_the_browser(page, demo_server):
    page.goto(demo_server.url)
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    assert "Demo data" in main.locator(".stBadge, [class*='badge'], span").filter(has_text="Demo data").first.inner_text()
    metric = page.locator(".st-key-overview_metrics").get_by_test_id("stMetricValue").first
    assert metric.inner_text() == f"{len(kept(load_dataset(Settings()).feedback)):,}"
    pages_chart = page.locator(".st-key-overview_pages_chart").get_by_test_id("stPlotlyChart")
    pages_chart.locator("svg.main-svg").first.wait_for()
    # the page titles are drawn as the chart's axis labels, sections included
    assert pages_chart.locator("text", has_text="Appendix 1 › Context").count() == 1


def test_a_chart_table_downloads_as_safe_csv(page, demo_server, tmp_path):

    from lib.aggregates import by_page

    page.goto(f"{demo_server.url}/?group=Central+government")
    wait_for_app(page)
    name, _, rows = download_csv(page, "overview_pages", tmp_path)
    assert name.startswith("pages_group-Central-government_")
    from lib.filters import Filters, apply_feedback

    ds = load_dataset(Settings())
    expected = by_page(apply_feedback(ds.feedback, Filters(role_groups=("Central government",))), ds.site)
    assert [(r["Page"], int(r["Responses"])) for r in rows] == list(zip(expected["label"], expected["n"]))
