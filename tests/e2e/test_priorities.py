"""Browser: the Priorities page opens on the demo with the quadrant chart's 13 idea labels,
the measures explained, a link-bound sort and a CSV download of the quadrant's table."""

import html
import re
import time
from urllib.parse import quote

from playwright.sync_api import expect

from lib import figures
from lib import priorities as pr
from lib.filters import Filters, apply_survey
from lib.settings import Settings, load_dataset
from tests.e2e.conftest import download_csv, wait_for_app

#: Plotly's first drawing of a page's charts can take a while on a busy machine.
CHART_TIMEOUT = 120_000


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_priorities_page_shows_the_quadrant_with_every_idea(page, demo_server):
    c = load_dataset(Settings()).consultation
    page.goto(f"{demo_server.url}/priorities")
    wait_for_app(page)
    quad = page.locator(".st-key-priorities_quadrant_chart").get_by_test_id("stPlotlyChart")
    quad.locator("svg.main-svg").first.wait_for(timeout=CHART_TIMEOUT)
    measures = page.locator(".st-key-priorities_measures")
    for m in c.measures:
        expect(measures).to_contain_text(m.question)
    labels = quad.locator("g.annotation text")
    expect(labels).to_have_count(len(c.ideas) + 1)        # every idea and the highlighted quadrant's name
    drawn = {squeeze(t) for t in labels.all_text_contents()}
    assert drawn == {squeeze(i) for i in c.ideas} | {squeeze(c.quadrants[0])}
    expect(quad.locator("path.point")).to_have_count(len(c.ideas))


def test_a_link_sorts_the_ideas_and_the_quadrant_table_downloads(page, demo_server, tmp_path):
    ds = load_dataset(Settings())
    c = ds.consultation
    sort = "Gap (usefulness − likelihood)"
    page.goto(f"{demo_server.url}/priorities?priorities_sort={quote(sort)}&group=Private+sector")
    wait_for_app(page)
    sv = apply_survey(ds.survey, Filters(role_groups=("Private sector",)))
    table = pr.idea_table(pr.restrict(ds.scores, sv), c)
    order = list(pr.sort_ideas(table, sort)["idea"])
    bars = page.locator(".st-key-priorities_likert_chart").get_by_test_id("stPlotlyChart")
    ticks = bars.locator("g.annotation text").filter(has_not_text=re.compile("^(Usefulness|Likelihood)$"))
    expect(ticks).to_have_count(len(order), timeout=CHART_TIMEOUT)   # each idea's name above its bars
    # the idea labels from the top of the chart down (the DOM order is the axis's, not the screen's);
    # read until the drawing settles, as expect() does: an earlier render may still be on screen
    want = [squeeze(html.unescape(figures.bar_label(i))) for i in order]   # long names cut with "…"
    deadline = time.monotonic() + CHART_TIMEOUT / 1000
    while True:
        drawn = sorted(ticks.evaluate_all("els => els.map(e => [e.getBoundingClientRect().top, e.textContent])"))
        shown = [squeeze(text) for _, text in drawn]
        if shown == want or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert shown == want
    assert order[0] != pr.sort_ideas(table, "Mean usefulness")["idea"].iloc[0]   # the link's sort did something
    name, _, rows = download_csv(page, "priorities_quadrant", tmp_path)
    assert name.startswith("priorities-quadrant_group-Private-sector_")
    assert [r["Idea"] for r in rows] == list(c.ideas)
    assert [int(r["Usefulness: n"]) for r in rows] == list(table["usefulness_n"])
    assert [r["Quadrant"] for r in rows] == list(table["quadrant"])
    assert not any("@" in v for r in rows for v in r.values())
