"""Browser: links between pages keep the address a shareable link (each filter once), and a
headline opens the view that shows it."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from lib import headlines as hl
from lib.filters import Filters, options_for
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import wait_for_drawing


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_view_these_comments_and_the_last_7_days_keep_each_filter_once(page, demo_server):
    page.goto(f"{demo_server.url}/reactions?group=Private+sector")
    wait_for_drawing(page)
    page.locator(".st-key-reactions_view_comments").get_by_role("link").click()
    page.wait_for_url("**/comments?**")
    wait_for_drawing(page)
    assert query(page) == {"group": ["Private sector"]}                  # not group=…&group=…

    ds = load_dataset(Settings())
    recent = hl.recent_feedback(ds, Filters(role_groups=("Private sector",)), options_for(ds))
    page.goto(f"{demo_server.url}/?group=Private+sector")
    wait_for_drawing(page)
    page.locator(".st-key-overview_headline_recent").get_by_role("button").click()
    page.wait_for_url("**/comments?**")
    wait_for_drawing(page)
    assert query(page) == {"group": ["Private sector"], "dates": list(recent.link.params["dates"])}
    expect(page.locator(".st-key-comments_table_box")).to_contain_text(
        f"Showing 1–{recent.n} of {recent.n} response")
