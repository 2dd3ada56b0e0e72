"""Browser, at 1440 and 390 px: on the Comments page the first response is readable where it is
listed (its whole summary and details are visible text, nothing cut), and a search marks whole
words in a strong colour."""

import re

import pytest
from playwright.sync_api import expect

from lib import comments as cm
from lib.filters import Filters
from lib.privacy import apply_policy
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import wait_for_drawing
from tests.small_workbook import LONG_DETAILS


def rows(query: str = ""):
    ds = apply_policy(load_dataset(Settings()), may_see_email=False)
    return cm.search(cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK), query)


@pytest.mark.parametrize("width", [1440, 390])
def test_the_first_response_is_read_whole_where_it_is_listed(browser, small_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 400 else 844})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(f"{small_server.url}/comments?comments_q=clear+picture")     # row 2: a long text
        wait_for_drawing(page)
        card = page.locator(".st-key-comments_reading_0")
        card.scroll_into_view_if_needed()
        expect(card).to_contain_text("A clear picture of the whole system")
        expect(card).to_contain_text(" ".join(LONG_DETAILS.split()))
        expect(card).to_contain_text(re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d"))   # the date, day first
        # every line of it inside the card and the window: wrapped, not cut
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        overflowing = card.evaluate(
            "c => [...c.querySelectorAll('p, span, a')].filter(e => e.scrollWidth > e.clientWidth + 1"
            " && getComputedStyle(e).overflowX !== 'visible').length")
        assert overflowing == 0
    finally:
        context.close()


def test_a_search_marks_whole_words_in_a_strong_colour(page, demo_server):
    found = rows("subscription")
    assert any("subscriptions" in (s + d).lower() for s, d in zip(found["summary"], found["details"]))
    page.goto(f"{demo_server.url}/comments?comments_q=subscription")
    wait_for_drawing(page)
    marks = page.locator(".st-key-comments_reading span").filter(has_text=re.compile(r"^subscriptions?$", re.I))
    expect(marks.first).to_be_visible()
    texts = marks.all_text_contents()
    assert "subscriptions" in [t.lower() for t in texts]           # the whole word, never "subscription" + "s"
    colour = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(v) for v in re.findall(r"\d+", colour)[:3])
    assert red > 200 and green > 200 and blue < 150                 # a highlighter yellow, not a faint tint
