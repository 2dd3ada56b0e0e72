"""AppTest of the Priorities page: its figures and tables match the demo's survey under a filter."""

import datetime as dt
from urllib.parse import parse_qs

import pytest

from lib import figures
from lib import priorities as pr
from lib.filters import Filters, apply_survey
from lib.settings import Settings, load_dataset
from tests.app.conftest import chart, metrics, new_app

PAGE = "app_pages/priorities.py"
GROUPS = ("Local authority", "Private sector")
TITLES = {"usefulness": "Usefulness", "likelihood": "Likelihood"}


@pytest.fixture(scope="module")
def demo():
    return load_dataset(Settings())


def table_with(at, column: str):
    """The page's table holding ``column`` (read-only tables carry no key in AppTest)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, column
    return found[0]


def expected(ds, f: Filters):
    sv = apply_survey(ds.survey, f)
    return sv, pr.restrict(ds.scores, sv), pr.restrict(ds.activities, sv)


def test_figures_match_the_demo_scores_for_two_role_groups(demo):
    c = demo.consultation
    sv, scores, acts = expected(demo, Filters(role_groups=GROUPS))
    at = new_app(PAGE, query={"group": list(GROUPS)})
    assert metrics(at)["Survey responses"] == f"{len(sv):,}"
    assert metrics(at)["Survey responses"] != f"{len(apply_survey(demo.survey, Filters())):,}"   # the filter bit
    table = pr.idea_table(scores, c)
    order = list(pr.sort_ideas(table, "Mean usefulness")["idea"])

    likert = chart(at, "priorities_likert_chart")
    shares = pr.likert(scores, c)
    assert len(likert.data) == 10
    for trace in likert.data:
        measure = "usefulness" if trace.xaxis == "x" else "likelihood"
        seg = shares[(shares["measure"] == measure) & (shares["score"] == int(trace.legendgroup))]
        seg = seg.set_index("idea").reindex(order)
        assert list(trace.y) == [figures.esc(i) for i in order]
        assert list(trace.x) == pytest.approx(list(seg["share"] * 100), abs=0.01)
        assert list(trace.base) == pytest.approx(list(seg["start"] * 100), abs=0.01)
        assert [d[1] for d in trace.customdata] == list(seg["n"])

    quad = chart(at, "priorities_quadrant_chart")
    assert list(quad.data[0].x) == pytest.approx(list(table["usefulness_mean"]))
    assert list(quad.data[0].y) == pytest.approx(list(table["likelihood_mean"]))
    assert list(quad.data[0].error_x.array) == pytest.approx(list(table["usefulness_ci_high"] - table["usefulness_mean"]))
    labels = [a.text for a in quad.layout.annotations if a.name == "idea"]
    assert labels == [figures.wrap_label(i, 24) for i in c.ideas]
    lines = pr.overall_means(scores, c)
    rect = next(s for s in quad.layout.shapes if s.type == "rect")
    assert (rect.x0, rect.y0) == pytest.approx((lines["usefulness"], lines["likelihood"]))

    # the table under the bars, in the same order
    ideas = table_with(at, "Usefulness: 95% CI")
    assert list(ideas["Idea"]) == order
    assert list(ideas["Usefulness: n"]) == list(pr.sort_ideas(table, "Mean usefulness")["usefulness_n"])

    top = chart(at, "priorities_top_chart")
    expected_top = pr.top_activities(pr.activity_table(acts, sv, c))
    assert [d[0] for d in top.data[0].customdata] == list(expected_top["n"])
    assert list(top.data[0].x) == pytest.approx(list((expected_top["share"] * 100).round(1)))
    sections = chart(at, "priorities_sections_chart")
    assert sum(sum(t.x) for t in sections.data if t.type == "bar") == len(acts.drop_duplicates(["response_id", "label"]))

    # the group comparison only has the two filtered groups, with their respondents
    dots = chart(at, "priorities_groups_chart")
    names = {t.name for t in dots.data}
    assert names == {f"{g} ({(sv['role_group'] == g).sum()})" for g in GROUPS}


def test_sorting_by_the_gap_reorders_the_bars(demo):
    c = demo.consultation
    at = new_app(PAGE)
    at.segmented_control(key="priorities_sort").set_value("Gap (usefulness − likelihood)").run()
    assert not at.exception
    _, scores, _ = expected(demo, Filters())
    order = list(pr.sort_ideas(pr.idea_table(scores, c), "Gap (usefulness − likelihood)")["idea"])
    assert list(chart(at, "priorities_likert_chart").data[0].y) == [figures.esc(i) for i in order]
    assert order[0] == "Influencing technology markets"   # the demo's story: useful, rarely likely to be used
    assert list(table_with(at, "Usefulness: 95% CI")["Idea"]) == order


def test_a_small_group_is_flagged(demo):
    c = demo.consultation
    # a date range in which some role group has fewer than five survey responses
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 25)
    f = Filters(date_from=start, date_to=end)
    sv, scores, _ = expected(demo, f)
    sizes = pr.group_sizes(sv, c)
    small = [g for g, n in sizes.items() if 0 < n < pr.SMALL_NUMBER]
    assert small, "the demo should have a small group in this range"
    at = new_app(PAGE, query={"dates": [start.isoformat(), end.isoformat()]})
    dots = chart(at, "priorities_groups_chart")
    flagged = {t.name for t in dots.data if t.marker.symbol.endswith("-open")}
    assert flagged == {f"{g} ({sizes[g]}, small number)" for g in small}
    at.segmented_control(key="priorities_group").set_value(small[0]).run()
    assert any(w.value.startswith("**Small number**") for w in at.warning)
    assert f"{sizes[small[0]]} respondent" in at.warning[0].value
    g_quad = chart(at, "priorities_group_quadrant_chart")
    members = sv[sv["role_group"] == small[0]]
    g_table = pr.idea_table(pr.restrict(scores, members), c).dropna(subset=["usefulness_mean", "likelihood_mean"])
    assert list(g_quad.data[0].x) == pytest.approx(list(g_table["usefulness_mean"]))


def test_measures_are_explained_and_ignored_filters_noted(demo):
    at = new_app(PAGE, query={"reaction": ["Disagree"]})
    text = " ".join(m.value for m in at.markdown)
    for m in demo.consultation.measures:
        assert m.question in text.replace("\\", "")
    assert any("reaction" in i.value for i in at.info)
    # the reaction filter doesn't narrow the survey
    assert metrics(at)["Survey responses"] == f"{len(apply_survey(demo.survey, Filters())):,}"


def test_comments_table_has_no_email_and_links_to_the_explorer(demo):
    sv, _, _ = expected(demo, Filters(role_groups=("Central government",)))
    at = new_app(PAGE, query={"group": ["Central government"]})
    table = table_with(at, "Comment")
    want = pr.survey_comments(sv)
    assert list(table["Comment"]) == list(want["Comment"])
    assert not any("mail" in col.lower() for col in table.columns)
    assert not any("@" in str(v) for v in table.to_numpy().ravel())
    (link,) = [link for link in at.page_link if "comments" in link.proto.page and "whole" in link.proto.label]
    assert parse_qs(link.proto.query_string) == {"comments_source": ["Survey comments"]}   # filters: in the session


def test_no_survey_responses_is_a_plain_message(demo):
    days = sorted(set(demo.survey["submitted_at"].dropna().dt.date))
    group = "Other public sector"
    quiet = next(d for d in days[:-1] if apply_survey(
        demo.survey, Filters(date_from=d, date_to=d + dt.timedelta(days=1), role_groups=(group,))).empty)
    at = new_app(PAGE, query={"dates": [quiet.isoformat(), (quiet + dt.timedelta(days=1)).isoformat()],
                              "group": [group]})
    assert metrics(at)["Survey responses"] == "0"
    assert any("No survey responses" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_single_response_shows_undefined_intervals(demo):
    c = demo.consultation
    kept = apply_survey(demo.survey, Filters())
    counts = kept[kept["organisation"] != ""]["organisation"].value_counts()
    org = next(o for o, n in counts.items() if n == 1
               and len(apply_survey(demo.survey, Filters(organisations=(o,)))) == 1)
    sv, scores, _ = expected(demo, Filters(organisations=(org,)))
    at = new_app(PAGE, query={"org": [org]})
    assert metrics(at)["Survey responses"] == "1"
    assert "**Small number**: 1 respondent in this group" in at.warning[0].value
    quad = chart(at, "priorities_quadrant_chart")
    table = pr.idea_table(scores, c).dropna(subset=["usefulness_mean", "likelihood_mean"])
    assert list(quad.data[0].x) == pytest.approx(list(table["usefulness_mean"]))
    assert all("95% CI undefined (1 score)" in h for h in quad.data[0].hovertext)
    ideas = table_with(at, "Usefulness: 95% CI")
    scored = ideas[ideas["Usefulness: n"] == 1]
    assert len(scored) and set(scored["Usefulness: 95% CI"]) == {"undefined (1 score)"}
    assert set(ideas.loc[ideas["Usefulness: n"] == 0, "Usefulness: 95% CI"]) <= {"no scores"}
