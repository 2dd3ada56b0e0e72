"""Browser: an open page refreshes itself when the live sheet is read again on its TTL (a timer
in the browser, which AppTest can't run), against the stand-in for Google (a Streamlit server
whose secrets point at it through STREAMLIT_SECRETS_FILES), serving the rows of
tests/small_workbook.py. The badge, "Refresh now", the banner and the request counts are
AppTests (tests/app/test_live_sheet.py)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import fb_row
from tests.e2e.conftest import StreamlitServer, wait_for_app
from tests.sheets_standin import SHEET_KEY, SheetsStandIn, live_secrets, toml_text
from tests.small_workbook import TABS

TITLE = "Consultation responses (live)"
WAIT = 60_000  # ms: a busy machine may take a while to draw charts and metrics
BADGE = re.compile(rf"Live: {re.escape(TITLE)} · loaded \d\d:\d\d · next refresh \d\d:\d\d$")


@pytest.fixture
def live(tmp_path):
    """A stand-in holding the small workbook's rows, and a function starting a server pointed at it."""
    standin = SheetsStandIn()
    account = standin.service_account()
    standin.add_sheet(SHEET_KEY, TITLE, TABS, shared_with=[account["client_email"]])
    servers = []

    def serve(**sheets) -> StreamlitServer:
        path = tmp_path / "secrets.toml"
        path.write_text(toml_text(live_secrets(standin, account, **sheets)))
        servers.append(StreamlitServer(env={"STREAMLIT_SECRETS_FILES": str(path)}))
        return servers[-1]

    yield standin, serve
    for server in servers:
        server.stop()
    standin.close()


def open_live(page, url: str) -> None:
    """Open the dashboard and wait (with the context's timeout) until the live badge is drawn."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_test_id("stMain").get_by_text(BADGE).wait_for(timeout=WAIT)
    wait_for_app(page)


def first_metric(page, key):
    return page.locator(f".st-key-{key}").get_by_test_id("stMetricValue").first


def test_the_page_refreshes_itself_on_the_ttl(live, page):
    standin, serve = live
    server = serve(ttl=2)
    open_live(page, server.url)
    expect(first_metric(page, "overview_metrics")).to_have_text("15", timeout=WAIT)   # its kept responses
    standin.sheets[SHEET_KEY].tabs["Feedback"].append(
        fb_row(when=dt.datetime(2026, 10, 20, 10, 0), summary="Arrived while you watched"))
    expect(first_metric(page, "overview_metrics")).to_have_text("16", timeout=WAIT)
    assert standin.counts["values"] >= 2 and standin.counts["metadata"] == 1
