"""AppTest of the Reactions page on the demo: the figures draw what ``lib`` computes, filters
and links change them, and a chart selection applies its page/role/reaction filter."""

import json
from urllib.parse import parse_qs

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from lib import reactions as rx
from lib.figures import axis_label, esc
from lib.filters import Filters, apply_feedback
from lib.settings import Settings, load_dataset
from tests.app.conftest import chart, new_app, shown
from tests.conftest import PROJECT

PAGE = "app_pages/reactions.py"
IDQ = "/appendix-2-more-on-possible-mechanisms-for-change/improving-data-quality/"
ENTH = "I’m enthusiastic about this"
NO_FILTER = Filters()
TABLE = {"reactions_comments_view": "Table"}   # the matching responses as a table (the reading view: test_reading_view.py)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(Settings())


def expected(ds, dim, f=NO_FILTER):
    fb = apply_feedback(ds.feedback, f)
    return rx.reaction_table(fb, rx.rows_for(dim, ds, fb, f), dim, rx.reactions_in_view(ds.consultation, fb, f))


def drawn(at, key):
    """{trace name: x values} and the note at the end of each bar of a stacked bar chart."""
    fig = chart(at, key)
    return {tr.name: list(tr.x) for tr in fig.data}, [a.text for a in fig.layout.annotations if a.name == "n"]


def as_expected(ds, table, *, percent):
    values = table.shares() if percent else table.counts
    short = ds.consultation.short_reaction
    return {short[r]: pytest.approx(list(values[r])) for r in table.reactions}


def table_with(at, column):
    """The table (``st.dataframe``) that has ``column``."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def select(at, key, points):
    """Rerun as the front end does after a click on chart ``key``: its selection state set."""
    el = next(e for e in at.get("plotly_chart") if e.proto.id.endswith(f"-{key}"))
    states = at._tree.get_widget_states()
    state = WidgetState(id=el.proto.id)
    state.string_value = json.dumps({"selection": {"points": points, "point_indices": [0], "box": [], "lasso": []}})
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, [e.message for e in at.exception]
    return at


def point(at, key, trace_name, row_key):
    """The point a click on the bar segment of ``row_key`` in trace ``trace_name`` reports."""
    fig = chart(at, key)
    trace = next(i for i, tr in enumerate(fig.data) if tr.name == trace_name)
    index = next(i for i, cd in enumerate(fig.data[trace].customdata) if row_key in cd[:3])
    return {"curve_number": trace, "point_index": index, "customdata": list(fig.data[trace].customdata[index])}


def test_the_page_draws_percentages_of_every_page_by_default(ds):
    at = new_app(PAGE)
    table = expected(ds, rx.PAGE)
    bars, notes = drawn(at, "reactions_pages_chart")
    assert bars == as_expected(ds, table, percent=True)
    silent = table.rows.loc[table.rows["n"] == 0, "label"]
    assert len(silent) == 3 and notes.count("none yet") == 3
    assert notes == ["none yet" if n == 0 else f"n={n}" + (" · <i>small number</i>" if n < rx.SMALL_NUMBER else "")
                     for n in table.rows["n"]]
    assert list(chart(at, "reactions_pages_chart").data[0].y) == [esc(lab) for lab in table.rows["label"]]


def test_counts_toggle_and_a_sidebar_filter_change_the_figures(ds):
    at = new_app(PAGE)
    at.button_group(key="reactions_scale").set_value("Counts").run()
    assert drawn(at, "reactions_roles_chart")[0] == as_expected(ds, expected(ds, rx.ROLE), percent=False)
    before = drawn(at, "reactions_pages_chart")[0]
    at.multiselect(key="group").select("Private sector").run()
    f = Filters(role_groups=("Private sector",))
    after = drawn(at, "reactions_pages_chart")[0]
    assert after == as_expected(ds, expected(ds, rx.PAGE, f), percent=False) and after != before
    roles = chart(at, "reactions_roles_chart").data[0].y
    assert list(roles) == ["Data and digital supplier/partner", "Data and digital consultant",
                           "Other private sector professional role"]


def test_a_link_preselects_filters_and_the_page_view(ds):
    at = new_app(PAGE, query={"group": "Central government", "reactions_scale": "Counts",
                              "reactions_heat_by": "Role", "reactions_heat_value": "Disagree"})
    assert at.multiselect(key="group").value == ["Central government"]
    f = Filters(role_groups=("Central government",))
    # the role-group chart keeps every group (the chosen one highlighted); the role chart follows the filter
    assert drawn(at, "reactions_groups_chart")[0] == as_expected(ds, expected(ds, rx.ROLE_GROUP), percent=False)
    assert drawn(at, "reactions_roles_chart")[0] == as_expected(ds, expected(ds, rx.ROLE, f), percent=False)
    heat = chart(at, "reactions_heat_chart")
    c = ds.consultation
    cg_roles = [r for r in c.roles if c.group_of_role[r] == "Central government"]
    assert list(heat.data[0].x) == [axis_label(r, 30) for r in cg_roles]
    fb = apply_feedback(ds.feedback, f)
    pages = rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, f))
    grid = rx.heat(fb, pages, rx.ROLE, cg_roles, "I disagree with this", c)
    shown = grid.value.where(~grid.small)   # small numbers are not coloured
    assert [[None if v != v else round(v, 6) for v in row] for row in shown.to_numpy()] == \
        [[None if v is None else round(v, 6) for v in row] for row in heat.data[0].z]
    assert len(at.get("plotly_chart")) == 5


def test_selecting_a_bar_applies_its_page_and_reaction(ds):
    at = new_app(PAGE, query=TABLE)
    before = drawn(at, "reactions_pages_chart")
    select(at, "reactions_pages_chart", [point(at, "reactions_pages_chart", "Enthusiastic", IDQ)])
    assert at.multiselect(key="page").value == [IDQ]
    assert at.multiselect(key="reaction").value == [ENTH]
    f = Filters(pages=(IDQ,), reactions=(ENTH,))
    fb = apply_feedback(ds.feedback, f)
    # the chart clicked keeps every page and reaction: the chosen bar is highlighted, the rest faded
    assert drawn(at, "reactions_pages_chart") == before
    fig = chart(at, "reactions_pages_chart")
    row = list(expected(ds, rx.PAGE).rows["key"]).index(IDQ)
    full = {(tr.name, i) for tr in fig.data for i, o in enumerate(tr.marker.opacity) if o == 1}
    assert ("Enthusiastic", row) in full and len(full) == 1
    table = table_with(at, "Summary")
    assert len(table) == len(fb) > 0 and set(table["Reaction"]) == {"Enthusiastic"}
    assert "email" not in [c.lower() for c in table.columns]
    assert list(table["Summary"]) == list(rx.matching_responses(fb, ds.consultation)["Summary"])
    assert table["Submitted"].is_monotonic_decreasing
    assert any("Filter applied" in t.proto.body for t in at.toast)


def test_selecting_a_heatmap_cell_applies_its_page_and_group(ds):
    at = new_app(PAGE, query={**TABLE, "reactions_heat_value": "Disagree"})
    heat = chart(at, "reactions_heat_chart")
    cells = heat.data[-1]
    market = "/appendix-2-more-on-possible-mechanisms-for-change/influencing-technology-markets/"
    index = next(i for i, cd in enumerate(cells.customdata) if cd[0] == market and cd[2] == "Private sector")
    select(at, "reactions_heat_chart", [{"curve_number": len(heat.data) - 1, "point_index": index,
                                         "customdata": list(cells.customdata[index])}])
    f = Filters(pages=(market,), role_groups=("Private sector",), reactions=("I disagree with this",))
    assert at.multiselect(key="page").value == [market]
    assert at.multiselect(key="group").value == ["Private sector"]
    assert at.multiselect(key="reaction").value == ["I disagree with this"]
    n = len(apply_feedback(ds.feedback, f))
    assert len(table_with(at, "Summary")) == n > 0


def test_missing_voices_lists_silent_pages_and_groups_not_heard(ds):
    at = new_app(PAGE)
    manifest = json.loads((PROJECT / "lib/data/demo_manifest.json").read_text(encoding="utf-8"))
    labels = ds.pages.set_index("path")["label"]
    silent = [labels[p] for p in manifest["Feedback"]["pages_without_feedback"]]
    listing = next(m.value for m in at.markdown if m.value.startswith("- "))
    assert sorted(shown(line[2:]) for line in listing.splitlines()) == sorted(silent)
    table = next(t.value for t in at.dataframe if "Not yet heard from" in t.value.columns)
    fb = apply_feedback(ds.feedback, Filters())
    gaps = rx.coverage_gaps(fb, rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, Filters())),
                            list(ds.consultation.role_group_labels))
    unheard = [lab for lab, m in zip(table["Page"], table["Not yet heard from"])
               if "Central government" in m.split("; ") or m == "No feedback at all"]
    assert unheard == [lab for lab, m in zip(gaps["label"], gaps["missing"]) if "Central government" in m]
    assert len(table) == int((gaps["missing"].map(len) > 0).sum())
    assert set(silent) <= set(unheard)


def test_net_score_ranks_only_pages_with_five_responses(ds):
    at = new_app(PAGE)
    fig = chart(at, "reactions_score_chart")
    fb = apply_feedback(ds.feedback, Filters())
    scores = rx.score_order(rx.net_scores(fb, rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, Filters())), rx.PAGE,
                                          ds.consultation))
    assert list(fig.data[0].y) == [esc(lab) for lab in scores["label"]]
    ranked = scores[scores["rank"].notna()]
    assert list(fig.data[0].x[: len(ranked)]) == pytest.approx(list(ranked["score"]))
    assert (ranked["n"] >= rx.SMALL_NUMBER).all()
    assert list(fig.data[0].x) == sorted(fig.data[0].x[: len(ranked)], reverse=True) + [0.0] * (len(scores) - len(ranked))


def test_a_filter_that_matches_nothing_is_a_plain_message(ds):
    at = new_app(PAGE, query={"group": "Central government", "page": "Appendix 1 › Status"})
    assert not at.exception
    assert any("No responses match" in i.value for i in at.info)
    assert len(table_with(at, "Summary")) == 0
    bars, notes = drawn(at, "reactions_pages_chart")   # every page (the chosen one highlighted) for the group
    labels = list(expected(ds, rx.PAGE).rows["label"])
    assert notes[labels.index("Appendix 1 › Status")] == "none yet"


def test_view_these_comments_links_to_the_matching_comments():
    at = new_app(PAGE, query={"group": "Private sector"})
    link = next(el for el in at.get("page_link") if el.proto.label == "View these comments")
    # the filters travel in the session (repeated in the link, Streamlit wrote them twice into the URL)
    assert link.proto.page.endswith("comments") and parse_qs(link.proto.query_string) == {}
