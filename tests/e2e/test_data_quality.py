"""Browser: a link straight to a page, as the first request a fresh server sees, keeps the shared frame."""

from tests.e2e.conftest import StreamlitServer, wait_for_app


def test_a_deep_link_as_the_first_request_keeps_the_shared_frame(page):
    """The first request a fresh server sees is a link straight to a page: the entry script's
    frame (badge, sidebar) must still be drawn. With page files in a folder named ``pages/``,
    Streamlit's legacy auto-discovery runs the page alone on that first request."""
    server = StreamlitServer()
    try:
        page.goto(f"{server.url}/data_quality")
        wait_for_app(page)
        page.locator(".st-key-quality_feedback_counts").wait_for()
        assert page.get_by_test_id("stMain").get_by_text("Demo data").count() == 1
        assert page.locator(".st-key-sidebar_upload").count() == 1
    finally:
        server.stop()
