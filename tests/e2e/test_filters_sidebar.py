"""Browser: changing a filter or a page's view writes the URL, so a copied link reopens the view
(AppTest can't see the address bar: the browser writes bound parameters there)."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_changing_a_view_or_a_filter_changes_the_url_and_clear_resets_it(page, small_server):
    page.goto(f"{small_server.url}/comments")
    wait_for_app(page)
    page.locator(".st-key-comments_source").get_by_role("radio", name="Both").click()
    page.wait_for_url(re.compile(r".*comments_source=Both.*"))
    page.locator(".st-key-group").get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Central government").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r".*group=Central.*"))
    assert query(page) == {"comments_source": ["Both"], "group": ["Central government"]}
    # tests/small_workbook.py: central government's page feedback rows 3 and 11, survey row 5
    table = page.locator(".st-key-comments_table_box")
    expect(table).to_contain_text("Showing 1–3 of 3 responses.")
    clear = page.locator(".st-key-sidebar_clear").get_by_role("button")
    expect(clear).to_be_enabled()
    wait_for_app(page)
    clear.click()
    page.wait_for_url(lambda url: "group=" not in url)
    assert query(page) == {"comments_source": ["Both"]}            # the page's own view is no filter
    expect(table).to_contain_text("Showing 1–18 of 18 responses.")  # 15 page responses, 3 survey comments
