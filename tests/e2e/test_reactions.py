"""Browser: a click on a bar of the Reactions page applies that bar's page and reaction filter and
writes it into the URL (that such a link opens the view is an AppTest)."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

#: Five Plotly charts on a busy two-core machine can take a while to draw.
SLOW = 90_000
#: Row of "How our system works" in the chart (the site's order of pages with a form).
P1_ROW = 1


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def open_page(page, url: str) -> None:
    """Open ``url`` and wait until the page's last table is drawn."""
    page.goto(url)
    wait_for_app(page)
    expect(page.locator(".st-key-reactions_comments")).to_contain_text("newest first", timeout=SLOW)
    expect(page.locator(".st-key-reactions_pages_chart g.annotation").first).to_be_visible(timeout=SLOW)


def test_clicking_a_bar_applies_its_page_and_reaction(page, small_server):
    open_page(page, f"{small_server.url}/reactions")
    enthusiastic = page.locator(".st-key-reactions_pages_chart .barlayer .trace").first    # the first reaction
    bar = enthusiastic.locator(".point").nth(P1_ROW)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r".*page=How.*reaction=Enthusiastic.*"), timeout=SLOW)
    assert query(page) == {"page": ["How our system works"], "reaction": ["Enthusiastic"]}
    expect(page.get_by_test_id("stToast")).to_contain_text("Filter applied", timeout=SLOW)
    # tests/small_workbook.py: rows 2, 3 and 6
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text("3 matching responses", timeout=SLOW)
    expect(page.locator(".st-key-sidebar_count")).to_contain_text("3 of 15", timeout=SLOW)
    # the clicked chart keeps every page for comparison, the chosen one's name in bold
    chosen = page.locator(".st-key-reactions_pages_chart g.annotation text", has_text="How our system works")
    expect(chosen.locator("xpath=.//*[name()='tspan' and contains(@style, 'bold')]")).to_have_count(1, timeout=SLOW)
    expect(page.locator(".st-key-reactions_pages_chart .barlayer .trace").first.locator(".point")).to_have_count(
        26, timeout=SLOW)
