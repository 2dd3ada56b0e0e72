"""AppTest of the headlines at the top of Overview, Reactions and Priorities: the sentences
``lib.headlines`` computes from the filtered data, and the view each one opens."""

import datetime as dt

import pytest

from lib import headlines as hl
from lib.filters import Filters, options_for
from lib.safe_text import escape_markdown
from lib.settings import Settings, load_dataset
from tests.app.conftest import new_app


@pytest.fixture(scope="module")
def ds():
    return load_dataset(Settings())


LEADS = ("Most welcomed", "Least welcomed", "Not yet heard from", "Heard from", "Last 7 days",
         "Top ideas by usefulness", "Usefulness far above likelihood")


def headlines(at, here: str) -> list[str]:
    """The headline sentences shown on page ``here``, top to bottom."""
    return [m.value for m in at.markdown if any(m.value.startswith(f"**{lead}:** ") for lead in LEADS)]


def expected(items) -> list[str]:
    return [f"**{escape_markdown(h.lead)}:** {escape_markdown(h.text)}" for h in items]


@pytest.mark.parametrize(("page", "here", "compute"), [
    (None, "overview", hl.for_overview),
    ("app_pages/reactions.py", "reactions", hl.for_reactions),
    ("app_pages/priorities.py", "priorities", hl.for_priorities),
])
def test_each_page_opens_with_its_headlines_under_the_filters(ds, page, here, compute):
    query = {"group": "Central government", "dates": ["2026-09-14", "2026-10-18"]}
    at = new_app(page, query=query)
    f = Filters(role_groups=("Central government",), date_to=dt.date(2026, 10, 18))
    want = expected(compute(ds, f, options_for(ds)))
    assert headlines(at, here) == want
    assert want != expected(compute(ds, Filters(), options_for(ds)))   # the filters changed them
    assert "18\\/10\\/2026" in " ".join(want)                         # the last 7 days end on the chosen day


def test_headlines_link_to_the_place_on_the_page_or_to_the_page_that_shows_them():
    at = new_app("app_pages/reactions.py")
    anchors = [m.value for m in at.markdown if m.value.startswith("[") and "↓](#" in m.value]
    assert anchors == ["[Net scores ↓](#net-score)", "[Net scores ↓](#net-score)",
                       "[Missing voices ↓](#missing-voices)"]
    overview = new_app()
    targets = {link.proto.label: link.proto.page for link in overview.page_link}
    assert targets == {"Net scores": "reactions", "Missing voices": "reactions", "Scores by idea": "priorities"}


def test_the_last_7_days_headline_opens_those_days_comments(ds):
    at = new_app(query={"group": "Private sector"})
    at.button(key="overview_headline_recent_go").click().run()
    assert not at.exception
    assert at.title[0].value == "Comments"
    assert at.date_input(key="dates").value == (dt.date(2026, 10, 19), dt.date(2026, 10, 25))
    assert at.multiselect(key="group").value == ["Private sector"]        # the other filters kept
    head = hl.recent_feedback(ds, Filters(role_groups=("Private sector",)), options_for(ds))
    assert any(c.value.startswith(f"Showing 1–{head.n} of {head.n} response") for c in at.caption)
