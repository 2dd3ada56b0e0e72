"""AppTest of the reading view on the hand-counted workbook (tests/small_workbook.py): the
Comments page opens on whole responses (summary, details, then page, reaction, role,
organisation, date), paged, with the search marked on whole words; the table is one click (or a
link) away; under Reactions the responses behind the filters are read the same way."""

from tests.app.conftest import new_app, shown
from tests.app.test_comments import NEWEST_FIRST
from tests.small_workbook import LONG_DETAILS

COMMENTS = "app_pages/comments.py"
REACTIONS = "app_pages/reactions.py"


def read(at) -> list[tuple[str, str]]:
    """The responses shown whole, in order: (text, the line about it), escapes resolved."""
    boxes = [b for b in at.main if getattr(b, "key", None) and str(b.key).endswith("_reading")]
    out = []
    for box in boxes:
        for card in box.children.values():
            texts = [m.value for m in card.markdown]
            out.append((shown(texts[0]), shown(card.caption[0].value)))
    return out


def test_comments_open_on_whole_responses_with_the_search_marked(small):
    at = new_app(COMMENTS, query={"comments_q": "chair"})
    assert at.segmented_control(key="comments_view").value == "Read"
    ((text, about),) = read(at)                                          # row 2 only
    summary, details = text.split("\n\n", 1)
    assert summary == "**A clear picture of the whole system**"
    assert details.replace(":yellow-background[chair]", "chair") == " ".join(LONG_DETAILS.split())
    assert ":yellow-background[chair]" in details                           # the whole word, marked
    assert about == ("[How our system works](https://data-to-insight.github.io/centre-of-excellence/"
                     "how-our-system-works/) · **Enthusiastic** · Local authority data professional · Northshire · "
                     "05/10/2026 09:00")
    assert not at.dataframe                                               # nothing to click through


def test_the_reading_view_pages_through_every_response(small):
    at = new_app(COMMENTS)
    at.selectbox(key="comments_read_size").set_value(10).run()
    (pager,) = at.pagination
    assert pager.num_pages == 2                                           # 15 kept responses
    assert [t.split("\n\n")[0] for t, _ in read(at)] == [f"**{s}**" for s in NEWEST_FIRST[:10]]
    pager.set_value(2).run()
    assert [t.split("\n\n")[0] for t, _ in read(at)] == [f"**{s}**" for s in NEWEST_FIRST[10:]]


def test_the_table_is_one_click_away_and_a_link_opens_it(small):
    at = new_app(COMMENTS)
    at.segmented_control(key="comments_view").set_value("Table").run()
    assert not read(at) and any(d.key and d.key.startswith("comments_table_") for d in at.dataframe)
    linked = new_app(COMMENTS, query={"comments_view": "Table"})
    assert not read(linked) and linked.segmented_control(key="comments_view").value == "Table"


def test_the_responses_behind_the_filters_are_read_whole_under_reactions(small):
    at = new_app(REACTIONS, query={"page": "Models for delivery", "reaction": "Disagree"})
    assert [t.split("\n\n")[0] for t, _ in read(at)] == ["**Suppliers were not asked**", "**Markup in the details**"]
    assert all("**Disagree**" in about for _, about in read(at))
