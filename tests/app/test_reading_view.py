"""AppTest of the reading view: on the Comments page every response of the page shown whole
(summary, details, page, reaction, role, organisation, date), paged, with the search marked;
under Reactions the responses behind a chart selection, read the same way."""

import pytest

from lib import comments as cm
from lib.filters import Filters, apply_feedback
from lib.privacy import apply_policy
from lib.settings import Settings, load_dataset
from tests.app.conftest import new_app
from tests.app.test_reactions import point, select

COMMENTS = "app_pages/comments.py"
REACTIONS = "app_pages/reactions.py"


@pytest.fixture(scope="module")
def ds():
    return apply_policy(load_dataset(Settings()), may_see_email=False)


def read(at) -> list[tuple[str, str]]:
    """The responses shown whole, in order: (text, the line about it)."""
    boxes = [b for b in at.main if getattr(b, "key", None) and str(b.key).endswith("_reading")]
    out = []
    for box in boxes:
        for card in box.children.values():
            texts = [m.value for m in card.markdown]
            out.append((texts[0], card.caption[0].value))
    return out


def test_comments_open_on_whole_responses_paged_and_searched(ds):
    at = new_app(COMMENTS, query={"comments_q": "subscription"})
    assert at.segmented_control(key="comments_view").value == "Read"
    rows = cm.search(cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK), "subscription")
    assert 1 < len(rows) <= 25
    assert read(at) == [cm.reading_markdown(row, "subscription", ds.consultation) for _, row in rows.iterrows()]
    first_text = read(at)[0][0]
    assert cm.HIGHLIGHT.format("subscriptions") in first_text or cm.HIGHLIGHT.format("subscription") in first_text
    assert not at.dataframe                                   # no table to click through in the reading view


def test_the_reading_view_pages_through_every_response(ds):
    at = new_app(COMMENTS)
    rows = cm.comments(ds.feedback, ds.survey, ds.site, Filters(), cm.FEEDBACK)
    (pager,) = at.pagination
    assert pager.num_pages == -(-len(rows) // 25)
    pager.set_value(3).run()
    assert read(at) == [cm.reading_markdown(row, "", ds.consultation) for _, row in rows.iloc[50:75].iterrows()]
    at.selectbox(key="comments_read_size").set_value(50).run()
    assert len(read(at)) == 50 and read(at)[0] == cm.reading_markdown(rows.iloc[0], "", ds.consultation)


def test_the_table_is_one_click_away_and_a_link_opens_it():
    at = new_app(COMMENTS)
    at.segmented_control(key="comments_view").set_value("Table").run()
    assert not read(at) and any(d.key and d.key.startswith("comments_table_") for d in at.dataframe)
    linked = new_app(COMMENTS, query={"comments_view": "Table"})
    assert not read(linked) and linked.segmented_control(key="comments_view").value == "Table"


def test_the_responses_behind_a_reactions_selection_are_read_whole(ds):
    at = new_app(REACTIONS)
    idq = "/appendix-2-more-on-possible-mechanisms-for-change/improving-data-quality/"
    select(at, "reactions_pages_chart", [point(at, "reactions_pages_chart", "Disagree", idq)])
    f = Filters(pages=(idq,), reactions=("I disagree with this",))
    behind = cm.newest_first(cm.feedback_rows(apply_feedback(ds.feedback, f), ds.site))
    assert len(behind) > 0
    assert read(at) == [cm.reading_markdown(row, "", ds.consultation) for _, row in behind.head(5).iterrows()]
    assert any(c.value.startswith(f"The {len(behind)} responses behind the charts") for c in at.caption)
    assert all("**Disagree**" in about for _, about in read(at))
