"""Browser: search the comments, select a row, download the searched rows as a safe CSV."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from lib import comments as cm
from lib.filters import Filters
from lib.privacy import apply_policy
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import as_shown, download_csv, wait_for_app

HEADER_HEIGHT = ROW_HEIGHT = 35  # st.dataframe's default header and row heights (px)


def searched(query: str, source: str = cm.FEEDBACK):
    ds = apply_policy(load_dataset(Settings()), may_see_email=False)
    return cm.search(cm.comments(ds.feedback, ds.survey, ds.site, Filters(), source), query)


def search_for(page, query: str, n: int) -> None:
    """Type ``query`` in the search box and wait for the ``n`` matching rows."""
    box = page.locator(".st-key-comments_q input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r".*comments_q=.*"))
    expect(page.locator(".st-key-comments_table_box")).to_contain_text(
        f"Showing 1–{n} of {n} response{'s' if n > 1 else ''} matching the search")
    expect(page.locator(".st-key-comments_table_box").get_by_test_id("stDataFrame")).to_have_count(1)
    wait_for_app(page)


def select_row(page, i: int) -> None:
    """Tick row ``i`` of the comments table (its row-marker column is the grid's first)."""
    grid = page.locator(".st-key-comments_table_box").get_by_test_id("stDataFrame")
    grid.locator("canvas").first.wait_for()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * i + ROW_HEIGHT / 2)


def test_search_select_and_download_the_searched_rows(page, demo_server, tmp_path):
    query = "example"   # the demo's formula row says example.com; three others give an example
    rows = searched(query)
    assert 1 < len(rows) < 50
    page.goto(f"{demo_server.url}/comments")
    wait_for_app(page)
    search_for(page, query, len(rows))
    assert parse_qs(urlsplit(page.url).query)["comments_q"] == [query]     # the search travels with the link

    formula = int(rows.index[rows["summary"].str.startswith("=HYPERLINK")][0])
    select_row(page, formula)
    detail = page.locator(".st-key-comments_detail")
    expect(detail).to_contain_text(as_shown(rows["summary"][formula]))          # shown as typed, not run
    details = " ".join(rows["details"][formula].split())
    expect(detail).to_contain_text(as_shown(details) if details else "No details given.")

    name, data, records = download_csv(page, "comments", tmp_path)
    assert name.startswith("comments_search-example_all_")
    assert b"@" not in data.split(b"\r\n", 1)[0] and b"mail" not in data.split(b"\r\n", 1)[0].lower()
    assert "E-mail" not in records[0] and "email" not in records[0]
    assert [int(r["Sheet row"]) for r in records] == list(rows["sheet_row"])
    assert [r["Details"] for r in records] == list(rows["details"])
    assert records[formula]["Summary"] == "'" + rows["summary"][formula]     # neutralised formula text
    assert '"\'=HYPERLINK(""http://example.com"",""click"")"' in data.decode("utf-8-sig")


def test_markup_in_a_response_is_inert_and_the_match_marked(page, demo_server):
    query = "<b>bold</b>"
    rows = searched(query)
    assert len(rows) == 1
    page.goto(f"{demo_server.url}/comments")
    wait_for_app(page)
    search_for(page, query, 1)
    select_row(page, 0)
    text = page.locator(".st-key-comments_detail_text")
    expect(text).to_contain_text(as_shown("Please make the <b>bold</b> claims here *evidence-based* – see [link](http://x)"))
    assert text.locator("b, strong, em, a, script, img").count() == 0      # nothing of the user's became markup
    # the match is marked with a background colour, not an element of the user's
    marked = text.locator("span", has_text=re.compile(r"^<b>bold</b>$"))
    expect(marked).to_have_count(1)
    assert marked.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")


def test_the_table_toolbar_offers_no_download(page, demo_server):
    page.goto(f"{demo_server.url}/comments")
    wait_for_app(page)
    grid = page.locator(".st-key-comments_table_box").get_by_test_id("stDataFrame")
    grid.hover()
    toolbar = page.locator(".st-key-comments_table_box").get_by_test_id("stElementToolbar")
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible()      # the toolbar is shown...
    expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)   # ...without a download
