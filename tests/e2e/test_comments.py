"""Browser: search the comments, select a row, download the searched rows as a safe CSV; user
markup is shown inert; the table's own toolbar offers no download. Rows from tests/small_workbook.py."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import as_shown, download_csv, wait_for_app
from tests.small_workbook import FORMULA, MARKUP

HEADER_HEIGHT = ROW_HEIGHT = 35  # st.dataframe's default header and row heights (px)


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


def test_search_select_and_download_the_searched_rows(page, small_server, tmp_path):
    page.goto(f"{small_server.url}/comments?comments_view=Table")
    wait_for_app(page)
    search_for(page, "funding", 2)                               # rows 4 (details) and 3 (summary)
    assert parse_qs(urlsplit(page.url).query)["comments_q"] == ["funding"]   # the search travels with the link
    select_row(page, 0)
    detail = page.locator(".st-key-comments_detail")
    expect(detail).to_contain_text(as_shown(FORMULA))                        # shown as typed, not run
    expect(detail).to_contain_text("Too simple a picture of how funding flows.")
    name, data, records = download_csv(page, "comments", tmp_path)
    assert name.startswith("comments_search-funding_all_")
    header = data.split(b"\r\n", 1)[0]
    assert b"@" not in header and b"mail" not in header.lower()
    assert [(r["Sheet row"], r["Summary"], r["Details"]) for r in records] == [
        ("4", "'" + FORMULA, "Too simple a picture of how funding flows."),   # the formula neutralised
        ("3", "Good start on funding", "")]
    assert '"\'=HYPERLINK(""http://example.com"",""click"")"' in data.decode("utf-8-sig")


def test_markup_is_inert_the_match_marked_and_the_toolbar_offers_no_download(page, small_server):
    page.goto(f"{small_server.url}/comments?comments_view=Table")
    wait_for_app(page)
    grid = page.locator(".st-key-comments_table_box").get_by_test_id("stDataFrame")
    grid.hover()
    toolbar = page.locator(".st-key-comments_table_box").get_by_test_id("stElementToolbar")
    expect(toolbar.get_by_role("button", name="Search")).to_be_visible()      # the toolbar is shown...
    expect(toolbar.get_by_role("button", name="Download as CSV")).to_have_count(0)   # ...without a download
    search_for(page, "<b>bold</b>", 1)                           # row 8's details
    select_row(page, 0)
    text = page.locator(".st-key-comments_detail_text")
    expect(text).to_contain_text(as_shown(MARKUP))
    assert text.locator("b, strong, em, a, script, img").count() == 0      # nothing of the user's became markup
    # the match is marked with a background colour, not an element of the user's
    marked = text.locator("span", has_text=re.compile(r"^<b>bold</b>$"))
    expect(marked).to_have_count(1)
    assert marked.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
