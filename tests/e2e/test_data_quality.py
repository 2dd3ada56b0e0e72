"""Browser: the Data quality page opens from the navigation and shows its counts."""

from playwright.sync_api import expect

from lib.settings import Settings, load_dataset
from tests.e2e.conftest import wait_for_app


def test_data_quality_in_the_browser(page, demo_server):
    page.goto(demo_server.url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Data quality").click()
    page.wait_for_url("**/data_quality")
    wait_for_app(page)
    assert page.get_by_test_id("stMain").get_by_text("Demo data").first.is_visible()
    q = load_dataset(Settings()).feedback_quality
    values = page.locator(".st-key-quality_feedback_counts").get_by_test_id("stMetricValue")
    expect(values).to_have_text(
        [f"{q.rows_read:,}", f"{q.kept:,}", f"{q.spam:,}", f"{q.duplicates:,}", f"{q.bad_timestamps:,}"])


def test_a_deep_link_as_the_first_request_keeps_the_shared_frame(page):
    """The first request a fresh server sees is a link straight to a page: the entry script's
    frame (badge, sidebar) must still be drawn. With page files in a folder named ``pages/``,
    Streamlit's legacy auto-discovery runs the page alone on that first request."""
    from tests.e2e.conftest import StreamlitServer

    server = StreamlitServer()
    try:
        page.goto(f"{server.url}/data_quality")
        wait_for_app(page)
        page.locator(".st-key-quality_feedback_counts").wait_for()
        assert page.get_by_test_id("stMain").get_by_text("Demo data").count() == 1
        assert page.locator(".st-key-sidebar_upload").count() == 1
    finally:
        server.stop()
