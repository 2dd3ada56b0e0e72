"""Browser: the Reactions page opens from a link, writes its view into the URL, and a click on
a bar applies that bar's page and reaction filter."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from lib import reactions as rx
from lib.filters import Filters, apply_feedback
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import wait_for_app

#: Five Plotly charts on a busy two-core machine can take a while to draw.
SLOW = 90_000
IDQ = "/appendix-2-more-on-possible-mechanisms-for-change/improving-data-quality/"


def matching(f: Filters) -> str:
    return f"{len(apply_feedback(load_dataset(Settings()).feedback, f)):,} matching responses"


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def open_page(page, url: str) -> None:
    """Open ``url`` and wait until the page's last table is drawn."""
    page.goto(url)
    wait_for_app(page)
    expect(page.locator(".st-key-reactions_comments")).to_contain_text("newest first", timeout=SLOW)
    expect(page.locator(".st-key-reactions_pages_chart g.annotation").first).to_be_visible(timeout=SLOW)


def test_a_link_opens_the_filtered_view(page, demo_server):
    open_page(page, f"{demo_server.url}/reactions?group=Private+sector&reactions_scale=Counts"
                    "&reactions_heat_value=Disagree")
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text(
        matching(Filters(role_groups=("Private sector",))), timeout=SLOW)
    expect(page.locator(".st-key-reactions_scale").get_by_role("radio", name="Counts")).to_be_checked()
    expect(page.locator(".st-key-reactions_heat_value").get_by_role("radio", name="Disagree")).to_be_checked()
    # the role chart shows only the private-sector roles
    roles = page.locator(".st-key-reactions_roles_chart")
    expect(roles.locator("g.annotation text", has_text="Local authority")).to_have_count(0, timeout=SLOW)
    expect(roles.locator("g.annotation text", has_text="Data and digital")).to_have_count(2, timeout=SLOW)
    expect(roles).to_contain_text("Data and digital supplier/partner")
    assert query(page)["reactions_scale"] == ["Counts"] and query(page)["group"] == ["Private sector"]


def test_changing_a_view_or_a_filter_changes_the_url(page, demo_server):
    open_page(page, f"{demo_server.url}/reactions")
    page.locator(".st-key-reactions_scale").get_by_role("radio", name="Counts").click()
    page.wait_for_url(re.compile(r".*reactions_scale=Counts.*"), timeout=SLOW)
    page.locator(".st-key-group").get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Central government").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r".*group=Central.*"), timeout=SLOW)
    assert query(page)["group"] == ["Central government"] and query(page)["reactions_scale"] == ["Counts"]
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text(
        matching(Filters(role_groups=("Central government",))), timeout=SLOW)


def test_clicking_a_bar_applies_its_page_and_reaction(page, demo_server):
    ds = load_dataset(Settings())
    fb = apply_feedback(ds.feedback, Filters())
    pages = rx.rows_for(rx.PAGE, ds, fb, Filters())
    index = list(pages["key"]).index(IDQ)
    open_page(page, f"{demo_server.url}/reactions")
    bar = page.locator(".st-key-reactions_pages_chart .barlayer .trace").first.locator(".point").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r".*page=Appendix.*reaction=Enthusiastic.*"), timeout=SLOW)
    assert query(page)["page"] == ["Appendix 2 › Improving data quality"]
    assert query(page)["reaction"] == ["Enthusiastic"]
    f = Filters(pages=(IDQ,), reactions=("I’m enthusiastic about this",))
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text(matching(f), timeout=SLOW)
    expect(page.locator(".st-key-sidebar_count")).to_contain_text(f"{len(apply_feedback(ds.feedback, f)):,} of ",
                                                                  timeout=SLOW)
    # the link to this view reopens it
    open_page(page, page.url)
    expect(page.locator(".st-key-reactions_view_comments")).to_contain_text(matching(f), timeout=SLOW)
    # the chart clicked keeps every page, the chosen one's name in bold
    chosen = page.locator(".st-key-reactions_pages_chart g.annotation text", has_text="Improving data quality")
    expect(chosen.locator("xpath=.//*[name()='tspan' and contains(@style, 'bold')]")).to_have_count(1, timeout=SLOW)
