"""AppTest of the Reactions page on the hand-counted workbook (tests/small_workbook.py): the
figures, the tables and the links follow the filters and the page's own settings. (A click on a
bar or a cell is a browser test: AppTest has no public way to select a chart's points.)"""

from urllib.parse import parse_qs

import pandas as pd
import pytest

from tests.app.conftest import chart, new_app, shown

PAGE = "app_pages/reactions.py"
REACTIONS = ["Enthusiastic", "Unsure", "Disagree", "General reflection", "Specific issue", "Other"]
#: The chart's rows: the 25 pages with a form, in the site's order (names written above the bars), then "(unknown)".
#: Only P1, P2, P3, P4 and (unknown) have feedback.
PAGES = ["Imagining a Centre of Excellence", "How our system works", "Possible mechanisms for change",
         "Models for delivery", "Engagement opportunities", "Appendix 1 › Context", "Appendix 1 › Status",
         "Appendix 1 › Value", "Appendix 1 › Quality", "Appendix 1 › Cost", "Appendix 2 › Data tool collaboration",
         "Appendix 2 › Improving data quality", "Appendix 2 › Facilitating information sharing",
         "Appendix 2 › Making sense of case management systems",
         "Appendix 2 › Making sense of AI, RPA, and other advanced and integrative software",
         "Appendix 2 › Influencing technology markets", "Appendix 2 › Curating technical standards",
         "Appendix 2 › Advocacy across internal hierarchies", "Appendix 2 › Supporting professional development",
         "Appendix 2 › Helping leadership to expect excellence",
         "Appendix 2 › Redefining cross-sector collaboration", "Appendix 2 › Responding to large scale change",
         "Appendix 2 › Discovering what works", "Appendices › Appendix 3: More on models for delivery",
         "Appendices › Appendix 4: Reference projects",
         "(unknown)"]   # row 16: a page address matching no page (listed because the data has one)
P1, P2, P3, P4, UNKNOWN = 1, 3, 5, 11, 25


def drawn(at, key) -> tuple[dict[str, list], list[str]]:
    """{trace name: x values} and the notes at the end of the bars of a stacked bar chart."""
    fig = chart(at, key)
    return {tr.name: list(tr.x) for tr in fig.data}, [a.text for a in fig.layout.annotations if a.name == "n"]


def _rows(names: list[str], values: dict) -> dict[str, object]:
    """Expected traces: for each name, ``values["_n"]`` rows, all 0 except {name: {row: value}}."""
    n = values.pop("_n")
    return {name: pytest.approx([values.get(name, {}).get(i, 0.0) for i in range(n)]) for name in names}


def table_with(at, column):
    """The table (``st.dataframe``) that has ``column``."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_the_page_draws_percentages_of_every_page_by_default(small):
    at = new_app(PAGE)
    bars, notes = drawn(at, "reactions_pages_chart")
    assert list(chart(at, "reactions_pages_chart").data[0].y) == PAGES
    assert bars == _rows(REACTIONS + ["Not given", "Unrecognised"], {
        "_n": 26, "Enthusiastic": {P1: 50.0, P2: 20.0, P4: 100.0}, "Unsure": {P1: 100 / 6, UNKNOWN: 100.0},
        "Disagree": {P1: 100 / 6, P2: 40.0}, "General reflection": {P2: 20.0}, "Specific issue": {P2: 20.0},
        "Other": {P3: 50.0}, "Not given": {P1: 100 / 6}, "Unrecognised": {P3: 50.0}})
    small = " · <i>small number</i>"   # fewer than 5 responses: said at the end of the bar
    assert notes == [{P1: "n=6", P2: "n=5", P3: "n=2" + small, P4: "n=1" + small, UNKNOWN: "n=1" + small}.get(
        i, "none yet") for i in range(26)]


def test_counts_and_a_sidebar_filter_change_the_figures(small):
    at = new_app(PAGE)
    at.button_group(key="reactions_scale").set_value("Counts").run()
    roles = chart(at, "reactions_roles_chart").data
    la_data = {tr.name: tr.x[0] for tr in roles}   # the first role: rows 2, 7, 10, 13, 16
    assert la_data == {"Enthusiastic": 2, "Unsure": 1, "Disagree": 0, "General reflection": 0, "Specific issue": 0,
                       "Other": 1, "Not given": 1, "Unrecognised": 0}
    at.multiselect(key="group").select("Private sector").run()
    bars, _ = drawn(at, "reactions_pages_chart")
    assert bars == _rows(REACTIONS, {"_n": 26, "Enthusiastic": {P1: 1}, "Disagree": {P1: 1, P2: 2}})
    assert list(chart(at, "reactions_roles_chart").data[0].y) == [
        "Data and digital supplier/partner", "Data and digital consultant", "Other private sector professional role"]


def test_a_link_preselects_filters_and_the_page_view(small):
    at = new_app(PAGE, query={"group": "Private sector", "reactions_scale": "Counts", "reactions_heat_by": "Role",
                              "reactions_heat_value": "Disagree"})
    assert at.multiselect(key="group").value == ["Private sector"]
    # the chart by role group keeps every group, Private sector highlighted among them (a chart never
    # filters by its own dimension): LA rows 2, 5, 7, 10, 13, 14, 16; CG 3, 11; OPS 12; Private 4, 6, 8, 9;
    # none for people with lived experience; row 15's role is unrecognised
    assert drawn(at, "reactions_groups_chart") == (
        _rows(REACTIONS + ["Not given", "Unrecognised"], {
            "_n": 6, "Enthusiastic": {0: 2, 1: 1, 3: 1, 5: 1}, "Unsure": {0: 2}, "Disagree": {3: 3},
            "General reflection": {2: 1}, "Specific issue": {1: 1}, "Other": {0: 1}, "Not given": {0: 1},
            "Unrecognised": {0: 1}}),
        ["7", "2", "1", "4", "none yet", "1"])                                       # in counts, the totals
    heat = chart(at, "reactions_heat_chart")
    colour, none, small = heat.data[:3]
    assert colour.name == "Disagree %"
    assert list(colour.x) == ["Data and digital<br>supplier/partner", "Data and digital consultant",
                              "Other private sector<br>professional role"]
    assert all(v is None for row in colour.z for v in row)   # every cell has fewer than 5 responses…
    texts = [list(row) for row in small.text]                 # …so each is pale, with its n
    assert texts[P1] == ["n=1", "n=1", ""] and texts[P2] == ["n=1", "n=1", ""]   # rows 6, 4 / 9, 8
    assert all(row == ["", "", ""] for i, row in enumerate(texts) if i not in (P1, P2))
    assert len(at.get("plotly_chart")) == 5


def test_missing_voices_lists_silent_pages_and_groups_not_heard(small):
    at = new_app(PAGE, query={"section": "Appendix 1: More on how our system works"})
    listing = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert [shown(line[2:]) for line in listing.splitlines()] == [
        "Appendix 1 › Status", "Appendix 1 › Value", "Appendix 1 › Quality", "Appendix 1 › Cost"]
    gaps = table_with(at, "Not yet heard from")
    assert gaps.to_dict("records") == [   # Context: rows 13 and 14, both local authority
        {"Page": "Appendix 1 › Context", "Not yet heard from": "Central government; Other public sector; Private "
                                                                "sector; People with lived or no experience of social care"},
        *({"Page": f"Appendix 1 › {p}", "Not yet heard from": "No feedback at all"}
          for p in ("Status", "Value", "Quality", "Cost"))]


def test_net_score_ranks_only_pages_with_five_responses(small):
    at = new_app(PAGE)
    fig = chart(at, "reactions_score_chart").data[0]
    assert list(fig.y) == ["How our system works", "Models for delivery", "Appendix 1 › Context",
                           "Appendix 2 › Improving data quality"]
    assert list(fig.x) == pytest.approx([200 / 6, -20.0, 0.0, 0.0])   # (3 − 1) / 6, (1 − 2) / 5; then small numbers
    scores = table_with(at, "Net score")
    assert [None if pd.isna(r) else r for r in scores["Rank"]] == [1, 2, None, None]
    assert list(scores["Note"]) == ["", "", "small number", "small number"]


def test_the_matching_comments_are_those_under_the_filters(small):
    at = new_app(PAGE, query={"page": "Models for delivery", "reaction": "Disagree",
                              "reactions_comments_view": "Table"})
    assert any(m.value == "**2** matching responses" for m in at.markdown)
    table = table_with(at, "Summary")
    assert list(table["Summary"]) == ["Suppliers were not asked", "Markup in the details"]   # rows 9, 8
    assert "email" not in [c.lower() for c in table.columns]


def test_a_filter_that_matches_nothing_is_a_plain_message(small):
    at = new_app(PAGE, query={"group": "Central government", "page": "Appendix 1 › Status"})
    assert not at.exception
    assert any("No responses match" in i.value for i in at.info)
    # the page chart keeps every page (its own filter highlights one): central government's rows 3 and 11
    notes = drawn(at, "reactions_pages_chart")[1]
    assert notes[P1] == notes[P2] == "n=1 · <i>small number</i>" and notes.count("none yet") == 24


def test_view_these_comments_links_to_the_matching_comments(small):
    at = new_app(PAGE, query={"group": "Private sector"})
    link = next(el for el in at.get("page_link") if el.proto.label == "View these comments")
    # the filters travel in the session (repeated in the link, Streamlit wrote them twice into the URL)
    assert link.proto.page.endswith("comments") and parse_qs(link.proto.query_string) == {}
