"""Browser: on a workbook where every field is hostile (tests/hostile.py), no page shows a link,
an image, maths or a request that came from planted text; a crafted link's notice is no link."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import StreamlitServer, wait_for_app
from tests.hostile import HOST, PLANT, hostile_workbook

PAGES = ["", "reactions", "priorities", "comments", "data_quality", "you-said-we-did", "themes"]
HEADER_HEIGHT = ROW_HEIGHT = 35


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = hostile_workbook(tmp_path_factory.mktemp("hostile") / "hostile.xlsx")
    s = StreamlitServer({"INSIGHT_SOURCE": str(path)})
    yield s
    s.stop()


#: Our own links to the site's pages (built from its address and the page's path) may be named
#: after a page whose title is planted; the title is their text, never their target.
SITE = "https://data-to-insight.github.io/centre-of-excellence/"


def planted_elements(page) -> dict[str, list[str]]:
    """Links, images and maths anywhere on the page that carry planted text or point at its host
    (links to the site's own pages excepted when only their text is planted)."""
    return page.evaluate(f"""() => {{
        const bad = s => (s || "").includes("{PLANT}") || (s || "").includes("{HOST}");
        const ours = a => a.href.startsWith("{SITE}") && !bad(a.href);
        return {{
            links: [...document.querySelectorAll("a")].filter(a => bad(a.href) || (bad(a.textContent) && !ours(a)))
                                                      .map(a => a.outerHTML.slice(0, 200)),
            images: [...document.querySelectorAll("img, iframe, script[src]")].filter(i => bad(i.src))
                                                      .map(i => i.outerHTML.slice(0, 200)),
            maths: [...document.querySelectorAll(".katex")].map(k => k.textContent.slice(0, 100)),
        }};
    }}""")


def test_no_page_turns_planted_text_into_links_images_or_requests(page, server):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if HOST in r.url or PLANT in r.url else None)
    for path in PAGES:
        page.goto(f"{server.url}/{path}")
        wait_for_app(page)
        assert planted_elements(page) == {"links": [], "images": [], "maths": []}, path
    # the comments' detail view, for the first responses
    page.goto(f"{server.url}/comments?comments_view=Table")
    wait_for_app(page)
    grid = page.locator(".st-key-comments_table_box").get_by_test_id("stDataFrame")
    grid.locator("canvas").first.wait_for()
    for i in range(6):
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * i + ROW_HEIGHT / 2)
        wait_for_app(page)
        page.locator(".st-key-comments_detail").get_by_text(PLANT).first.wait_for()
        assert planted_elements(page) == {"links": [], "images": [], "maths": []}, i
    assert requests == []


def test_a_crafted_link_in_the_address_bar_gives_no_link(page, server):
    page.goto(f"{server.url}/?http://{HOST}/{PLANT}=1")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("is not a filter of this dashboard").wait_for()
    assert sidebar.locator("a", has_text=PLANT).count() == 0
    assert planted_elements(page)["links"] == []
