"""AppTest of the Priorities page on the hand-counted workbook (tests/small_workbook.py): the
survey's figures and tables under filters, with the means and counts written out there."""

from urllib.parse import parse_qs

import pytest

from tests.app.conftest import chart, metrics, new_app

PAGE = "app_pages/priorities.py"
DTC, IDQ, ITM = "Data tool collaboration", "Improving data quality", "Influencing technology markets"
LIKELY, USEFUL, BOTH = ("Likely to be used, less useful", "Useful, less likely to be used",
                        "Useful and likely to be used")


def table_with(at, column: str):
    """The page's table holding ``column`` (read-only tables carry no key in AppTest)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, column
    return found[0]


def test_figures_for_two_role_groups(small):
    at = new_app(PAGE, query={"group": ["Local authority", "Private sector"]})   # survey rows 2, 3 and 4
    assert metrics(at) == {"Survey responses": "3", "Scored at least one idea": "3",
                           "Ticked at least one activity": "3", "Left a comment": "2"}

    likert = chart(at, "priorities_likert_chart")
    fives = next(t for t in likert.data if t.xaxis == "x" and t.legendgroup == "5")    # usefulness, score 5
    assert list(fives.y[:3]) == [ITM, IDQ, DTC]                     # by mean usefulness: 5.0, 4.5, 4.0
    assert list(fives.x[:3]) == pytest.approx([100.0, 50.0, 100 / 3], abs=0.01)
    assert not any(fives.x[3:])

    quad = chart(at, "priorities_quadrant_chart")
    assert list(quad.data[0].customdata) == [DTC, IDQ, ITM]
    assert list(quad.data[0].x) == pytest.approx([4.0, 4.5, 5.0])
    assert list(quad.data[0].y) == pytest.approx([3.0, 4.0, 1.0])
    rect = next(s for s in quad.layout.shapes if s.type == "rect")   # the overall means: 26/6 and 11/4
    assert (rect.x0, rect.y0) == pytest.approx((26 / 6, 11 / 4))

    ideas = table_with(at, "Usefulness: 95% CI")
    assert list(ideas["Idea"][:3]) == [ITM, IDQ, DTC]
    assert list(ideas["Usefulness: n"][:4]) == [1, 2, 3, 0]
    assert list(ideas["Quadrant"][:3]) == [USEFUL, BOTH, LIKELY]

    top = chart(at, "priorities_top_chart").data[0]
    assert [cd[0] for cd in top.customdata] == [2, 2]                 # each ticked by 2 of the 3
    assert list(top.x) == pytest.approx([66.7, 66.7])
    dots = chart(at, "priorities_groups_chart")
    assert {t.name for t in dots.data} == {"Local authority (2, small number)", "Private sector (1, small number)"}


def test_sorting_reorders_the_bars_and_the_table(small):
    at = new_app(PAGE)
    sort = at.segmented_control(key="priorities_sort")
    assert sort.options == ["Mean usefulness", "Mean likelihood", "Gap (usefulness − likelihood)"]
    sort.set_value("Gap (usefulness − likelihood)").run()
    assert not at.exception
    order = [ITM, DTC, IDQ]                                             # gaps 4.0, 1.0, 0.5
    assert list(chart(at, "priorities_likert_chart").data[0].y[:3]) == order
    assert list(table_with(at, "Usefulness: 95% CI")["Idea"][:3]) == order


def test_a_small_group_is_flagged_and_a_group_can_be_chosen(small):
    at = new_app(PAGE)
    flagged = {t.name for t in chart(at, "priorities_groups_chart").data if str(t.marker.symbol).endswith("-open")}
    assert flagged == {"Local authority (2, small number)", "Central government (1, small number)",
                       "Private sector (1, small number)"}
    assert at.segmented_control(key="priorities_group").options == ["Local authority", "Central government",
                                                                     "Private sector"]
    assert at.warning[0].value.startswith("**Small number**: 2 respondents in this group")
    at.segmented_control(key="priorities_group").set_value("Private sector").run()
    assert at.warning[0].value.startswith("**Small number**: 1 respondent in this group")
    g_quad = chart(at, "priorities_group_quadrant_chart").data[0]     # survey row 4 alone
    assert (list(g_quad.customdata), list(g_quad.x), list(g_quad.y)) == ([ITM], [5.0], [1.0])


def test_measures_are_explained_and_ignored_filters_noted(small):
    at = new_app(PAGE, query={"reaction": ["Disagree"]})
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "“Usefulness to the sector, if successfully achieved”" in text
    assert ("“Likelihood of your organisation directly using their outputs to achieve local service improvements”"
            in text)
    assert any("reaction" in i.value for i in at.info)
    assert metrics(at)["Survey responses"] == "4"   # the reaction filter doesn't narrow the survey


def test_comments_table_has_no_email_and_links_to_the_explorer(small):
    at = new_app(PAGE, query={"group": ["Local authority"]})
    table = table_with(at, "Comment")
    assert list(table["Comment"]) == ["Publish the shared rulebook"]   # row 3 left none
    assert not any("mail" in col.lower() for col in table.columns)
    assert not any("@" in str(v) for v in table.to_numpy().ravel())
    (link,) = [link for link in at.page_link if "comments" in link.proto.page]
    # a link carries only its page's own view; the filters travel with the session (and its address bar)
    assert parse_qs(link.proto.query_string) == {"comments_source": ["Survey comments"]}


def test_no_survey_responses_is_a_plain_message(small):
    at = new_app(PAGE, query={"group": ["People with lived or no experience of social care"]})
    assert metrics(at)["Survey responses"] == "0"
    assert any("No survey responses" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_single_response_shows_undefined_intervals(small):
    at = new_app(PAGE, query={"org": ["Acme Data"]})                  # survey row 4
    assert metrics(at)["Survey responses"] == "1"
    assert at.warning[0].value.startswith("**Small number**: 1 respondent in this group")
    quad = chart(at, "priorities_quadrant_chart").data[0]
    assert list(quad.customdata) == [ITM] and list(quad.x) == [5.0]
    assert all("95% CI undefined (1 score)" in h for h in quad.hovertext)
    ideas = table_with(at, "Usefulness: 95% CI")
    assert list(ideas["Usefulness: 95% CI"][:2]) == ["undefined (1 score)", "undefined (1 score)"]   # ITM, DTC
    assert set(ideas["Usefulness: 95% CI"][2:]) == {"no scores"}
