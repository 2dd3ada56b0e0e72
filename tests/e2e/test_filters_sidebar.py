"""Browser: changing a filter or a page's view writes the URL, so a copied link reopens the view
(AppTest can't see the address bar: the browser writes bound parameters there)."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_changing_a_view_or_a_filter_changes_the_url_and_clear_resets_it(page, small_server):
    page.goto(f"{small_server.url}/reactions")
    wait_for_app(page)
    page.locator(".st-key-reactions_scale").get_by_role("radio", name="Counts").click()
    page.wait_for_url(re.compile(r".*reactions_scale=Counts.*"))
    page.locator(".st-key-group").get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Central government").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r".*group=Central.*"))
    assert query(page) == {"reactions_scale": ["Counts"], "group": ["Central government"]}
    # tests/small_workbook.py: rows 3 and 11 are central government's
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text("2 matching responses")
    page.locator(".st-key-sidebar_clear").get_by_role("button").click()
    page.wait_for_url(lambda url: "group=" not in url)
    assert query(page) == {"reactions_scale": ["Counts"]}          # the page's own view is no filter
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text("15 matching responses")
