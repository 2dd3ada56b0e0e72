"""Browser: open the Themes page from a link, rename a theme, and follow it to the Comments page,
filtered by the renamed theme (the link carries it), on a workbook of four planted topics."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.app.test_themes_page import rows, workbook
from tests.e2e.conftest import StreamlitServer, wait_for_app


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("themes")
    book = workbook(folder / "topics.xlsx", rows())
    running = StreamlitServer({"INSIGHT_SOURCE": str(book),
                               "INSIGHT_STORE": f"sqlite+pysqlite:///{folder / 'analysis.sqlite'}"})
    yield running
    running.stop()


def test_rename_a_theme_and_read_it_in_comments(page, server):
    page.goto(f"{server.url}/themes?group=Local+authority&group=Private+sector")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Themes")).to_be_visible()

    picker = page.locator(".st-key-themes_pick").get_by_test_id("stSelectbox")
    option = page.get_by_role("option").filter(has_text=re.compile(r"^Long-term funding"))
    for _ in range(5):   # the list opens on a click; a click during a rerun may be lost
        picker.click()
        try:
            option.wait_for(timeout=3_000)
            break
        except Exception:
            wait_for_app(page)
    option.click()
    wait_for_app(page)
    detail = page.locator(".st-key-themes_detail")
    expect(detail.get_by_role("heading")).to_contain_text("Long-term funding")

    fix = page.locator(".st-key-themes_fix")
    fix.locator('input[aria-label="Name"][value^="Long-term funding"]').fill("Money worries")
    fix.get_by_role("button", name="Rename").click()
    wait_for_app(page)
    expect(detail.get_by_role("heading")).to_have_text("Money worries")
    expect(page.locator(".st-key-themes_detail")).to_contain_text("5 responses under the filters")
    expect(page).to_have_url(re.compile(r"themes_pick=Money\+worries"))   # a link to the theme by its new name

    detail.get_by_role("button", name="Read these 5 responses in Comments").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/comments\?"))
    query = parse_qs(urlparse(page.url).query)
    assert query["theme"] == ["Money worries"]
    assert set(query["group"]) == {"Local authority", "Private sector"}   # the other filters came along
    expect(page.locator(".st-key-sidebar_count")).to_contain_text("5 of 22 page responses")
    box = page.locator(".st-key-comments_table_box")
    expect(box).to_contain_text("Showing 1–5 of 5 responses.")
    # the theme filter is in the sidebar, with the new name
    expect(page.locator(".st-key-theme")).to_contain_text("Money worries")
