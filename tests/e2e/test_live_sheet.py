"""Browser: the whole dashboard live against the stand-in for Google (a Streamlit server
whose secrets point at it through STREAMLIT_SECRETS_FILES): the badge, Overview and Data
quality on the sheet's rows, "Refresh now", the failure banner and the page refreshing
itself on the TTL. Request counts are asserted."""

import datetime as dt
import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from lib.dataset import kept
from lib.settings import Settings, load_dataset
from lib.sources import RawTables, SourceInfo, table_from_rows
from tests.conftest import fb_row
from tests.e2e.conftest import StreamlitServer, wait_for_app
from tests.sheets_standin import SHEET_KEY, SheetsStandIn, demo_tabs, live_secrets, toml_text

TITLE = "Consultation responses (live)"
WAIT = 60_000  # ms: a busy machine may take a while to draw charts and metrics
BADGE = re.compile(rf"Live: {re.escape(TITLE)} · loaded \d\d:\d\d · next refresh \d\d:\d\d$")


def dataset_of(tabs):
    raw = RawTables(table_from_rows(tabs["Feedback"]), table_from_rows(tabs["MainFeedback"]), None,
                    SourceInfo("workbook", "w", pd.Timestamp.now(tz="UTC")))
    return load_dataset(Settings(), raw=raw)


@pytest.fixture
def live(tmp_path):
    """A stand-in holding part of the demo rows, and a function starting a server pointed at it."""
    standin = SheetsStandIn()
    account = standin.service_account()
    standin.add_sheet(SHEET_KEY, TITLE, demo_tabs(feedback_rows=200, survey_rows=40),
                      shared_with=[account["client_email"]])
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


def counts(standin) -> tuple[int, int, int]:
    return standin.counts["token"], standin.counts["metadata"], standin.counts["values"]


def open_live(page, url: str) -> None:
    """Open the dashboard and wait (with the context's timeout) until the live badge is drawn."""
    page.goto(url)
    wait_for_app(page)
    page.get_by_test_id("stMain").get_by_text(BADGE).wait_for(timeout=WAIT)
    wait_for_app(page)


def new_page(browser):
    """Another viewer: a fresh browser context (its own session)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(WAIT)
    return context.new_page()


def first_metric(page, key):
    return page.locator(f".st-key-{key}").get_by_test_id("stMetricValue").first


def test_the_whole_dashboard_runs_live(live, page, browser):
    standin, serve = live
    server = serve()
    ds = dataset_of(standin.sheets[SHEET_KEY].tabs)
    open_live(page, server.url)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(BADGE)).to_have_count(1, timeout=WAIT)
    expect(first_metric(page, "overview_metrics")).to_have_text(f"{len(kept(ds.feedback)):,}", timeout=WAIT)
    page.locator(".st-key-overview_pages_chart").get_by_test_id("stPlotlyChart").locator("svg.main-svg").first \
        .wait_for(timeout=WAIT)
    page.get_by_test_id("stSidebarNav").get_by_text("Data quality").click(timeout=WAIT)
    page.wait_for_url("**/data_quality", timeout=WAIT)
    wait_for_app(page)
    q = ds.feedback_quality
    expect(page.locator(".st-key-quality_feedback_counts").get_by_test_id("stMetricValue")).to_have_text(
        [f"{q.rows_read:,}", f"{q.kept:,}", f"{q.spam:,}", f"{q.duplicates:,}", f"{q.bad_timestamps:,}"], timeout=WAIT)
    expect(main.get_by_text(BADGE)).to_have_count(1, timeout=WAIT)
    other = new_page(browser)  # a second viewer within the TTL
    open_live(other, server.url)
    expect(first_metric(other, "overview_metrics")).to_have_text(f"{len(kept(ds.feedback)):,}", timeout=WAIT)
    other.context.close()
    assert counts(standin) == (1, 1, 1)
    assert page.get_by_text("Traceback").count() == 0


def test_refresh_now_in_the_browser(live, page):
    standin, serve = live
    server = serve()
    open_live(page, server.url)
    expect(page.get_by_test_id("stMain").get_by_text(BADGE)).to_have_count(1, timeout=WAIT)
    note = page.locator(".st-key-sidebar_refresh_note")
    page.locator(".st-key-sidebar_refresh").get_by_role("button").click(timeout=WAIT)
    expect(note).to_contain_text("Read from Google at ", timeout=WAIT)
    assert counts(standin) == (1, 1, 2)
    page.locator(".st-key-sidebar_refresh").get_by_role("button").click(timeout=WAIT)
    expect(note).to_contain_text("can be read again on request from ", timeout=WAIT)
    assert counts(standin) == (1, 1, 2)


def test_the_failure_banner_in_the_browser(live, page, browser):
    standin, serve = live
    server = serve()
    ds = dataset_of(standin.sheets[SHEET_KEY].tabs)
    open_live(page, server.url)
    expect(first_metric(page, "overview_metrics")).to_have_text(f"{len(kept(ds.feedback)):,}", timeout=WAIT)
    standin.fail_always("values", 500)
    page.locator(".st-key-sidebar_refresh").get_by_role("button").click(timeout=WAIT)
    banner = page.locator(".st-key-live_banner")
    expect(banner).to_contain_text(re.compile(
        r"Live data unavailable since \d\d:\d\d — showing data loaded at \d\d:\d\d\. Google Sheets answered with "
        r"a server error \(HTTP 500, 3 attempts\)\."), timeout=WAIT)
    expect(first_metric(page, "overview_metrics")).to_have_text(f"{len(kept(ds.feedback)):,}", timeout=WAIT)
    assert counts(standin) == (1, 1, 4)
    other = new_page(browser)  # another viewer during the outage
    open_live(other, server.url)
    expect(other.locator(".st-key-live_banner")).to_contain_text("Live data unavailable since", timeout=WAIT)
    expect(first_metric(other, "overview_metrics")).to_have_text(f"{len(kept(ds.feedback)):,}", timeout=WAIT)
    other.context.close()
    assert counts(standin) == (1, 1, 4)
    assert page.get_by_text("Traceback").count() == 0


def test_the_page_refreshes_itself_on_the_ttl(live, page):
    standin, serve = live
    server = serve(ttl=2)
    tabs = standin.sheets[SHEET_KEY].tabs
    before = len(kept(dataset_of(tabs).feedback))
    open_live(page, server.url)
    expect(first_metric(page, "overview_metrics")).to_have_text(f"{before:,}", timeout=WAIT)
    tabs["Feedback"].append(fb_row(when=dt.datetime(2026, 10, 20, 10, 0), summary="Arrived while you watched"))
    expect(first_metric(page, "overview_metrics")).to_have_text(f"{before + 1:,}", timeout=WAIT)
    assert standin.counts["values"] >= 2 and standin.counts["metadata"] == 1
