"""Browser: a copied link reopens the same filtered view; changing a filter changes the URL."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from lib.filters import Filters, apply_feedback
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import wait_for_app


def kept_count(f: Filters) -> str:
    return f"{len(apply_feedback(load_dataset(Settings()).feedback, f)):,}"


def test_a_link_with_filters_opens_the_filtered_view(page, demo_server):
    page.goto(f"{demo_server.url}/?group=Private+sector&reaction=Disagree")
    wait_for_app(page)
    expected = kept_count(Filters(role_groups=("Private sector",), reactions=("I disagree with this",)))
    metric = page.locator(".st-key-overview_metrics").get_by_test_id("stMetricValue").first
    expect(metric).to_have_text(expected)
    expect(page.locator(".st-key-sidebar_count")).to_contain_text(f"{expected} of ")
    # the filter travels with the navigation to another page and back
    page.get_by_test_id("stSidebarNav").get_by_text("Data quality").click()
    page.wait_for_url(re.compile(r".*/data_quality\?.*group=Private"))
    page.get_by_test_id("stSidebarNav").get_by_text("Overview").click()
    wait_for_app(page)
    expect(page.locator(".st-key-overview_metrics").get_by_test_id("stMetricValue").first).to_have_text(expected)


def test_changing_a_filter_changes_the_url(page, demo_server):
    page.goto(demo_server.url)
    wait_for_app(page)
    page.locator(".st-key-group").get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Central government").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r".*group=Central.*"))
    assert parse_qs(urlsplit(page.url).query)["group"] == ["Central government"]
    expected = kept_count(Filters(role_groups=("Central government",)))
    expect(page.locator(".st-key-overview_metrics").get_by_test_id("stMetricValue").first).to_have_text(expected)
    page.locator(".st-key-sidebar_clear").get_by_role("button").click()
    page.wait_for_url(re.compile(r"^[^?]*$"))
