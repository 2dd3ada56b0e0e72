"""Reactions on literal tables: counts and percentages (zero pages kept), the net score,
coverage gaps, small-number flags, and filters reached from a chart selection."""

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
import pytest

from lib import figures
from lib import reactions as rx
from lib.consultation import NOT_GIVEN
from lib.filters import Filters, apply_feedback, from_query, options_for, to_query
from tests.conftest import fb_row

D = dt.datetime
ENTH, UNSURE, DIS, OTHER = ("I’m enthusiastic about this", "I’m unsure about this", "I disagree with this", "Other")
LA_DATA, LA_LEAD = "Local authority data professional", "Local authority leadership"
CG_DATA, CG_LEAD = "Central government data professional", "Central government leadership"
SUPPLIER, CONSULTANT = "Data and digital supplier/partner", "Data and digital consultant"
P1, P2, P3 = "imagining-a-centre-of-excellence/", "models-for-delivery/", "appendix-1-more-on-how-our-system-works/context/"
COST = "appendix-1-more-on-how-our-system-works/cost/"
PATH = {p: "/" + p for p in (P1, P2, P3, COST)}
NO_FILTER = Filters()

# (page, reaction, role): every response a different summary and minute, so none is a duplicate
RESPONSES = [
    (P1, ENTH, LA_DATA), (P1, ENTH, LA_DATA), (P1, ENTH, LA_DATA), (P1, DIS, SUPPLIER), (P1, UNSURE, CG_DATA),
    (P1, "", LA_LEAD),
    (P2, DIS, SUPPLIER), (P2, DIS, SUPPLIER), (P2, DIS, SUPPLIER), (P2, DIS, CONSULTANT), (P2, UNSURE, CONSULTANT),
    (P2, ENTH, LA_DATA),
    (P3, ENTH, LA_DATA), (P3, OTHER, CG_LEAD),
]


@pytest.fixture
def ds(build):
    rows = [fb_row(when=D(2026, 10, 1, 9) + dt.timedelta(hours=i), page=page, nature=nature, role=role,
                   summary=f"response {i}", email=f"person{i}@example.org")
            for i, (page, nature, role) in enumerate(RESPONSES)]
    rows.append(fb_row(when=D(2026, 10, 2, 9), page=COST, nature=ENTH, role=LA_DATA, summary="spam", hp="bot"))
    return build(rows)


def table(ds, dim, f=NO_FILTER):
    fb = apply_feedback(ds.feedback, f)
    return rx.reaction_table(fb, rx.rows_for(dim, ds, fb, f), dim, rx.reactions_in_view(ds.consultation, fb, f))


def row(t, key):
    counts = t.counts.loc[key]
    return int(t.rows.set_index("key").at[key, "n"]), {r: int(v) for r, v in counts.items() if v}


# -- reactions per category -------------------------------------------------------------------


def test_pages_in_nav_order_with_zero_pages_kept(ds):
    t = table(ds, rx.PAGE)
    form = ds.pages[ds.pages["has_form"]]
    assert list(t.rows["key"]) == list(form["path"])
    assert list(t.rows["label"]) == list(form["label"])
    assert row(t, PATH[P1]) == (6, {ENTH: 3, UNSURE: 1, DIS: 1, NOT_GIVEN: 1})
    assert row(t, PATH[P2]) == (6, {ENTH: 1, UNSURE: 1, DIS: 4})
    assert row(t, PATH[P3]) == (2, {ENTH: 1, OTHER: 1})
    zero = t.rows[~t.rows["key"].isin([PATH[P1], PATH[P2], PATH[P3]])]
    assert len(zero) == len(form) - 3 and (zero["n"] == 0).all()
    assert (t.counts.loc[zero["key"]] == 0).all().all()
    assert t.rows["n"].sum() == len(RESPONSES)  # the spam row counts nowhere


def test_percentages_of_each_category(ds):
    t = table(ds, rx.PAGE)
    shares = t.shares()
    assert shares.at[PATH[P1], ENTH] == pytest.approx(50.0)
    assert shares.at[PATH[P2], DIS] == pytest.approx(400 / 6)
    assert shares.at[PATH[COST], ENTH] == 0.0  # a page without responses is 0, not NaN
    answered = t.rows.set_index("key")["n"] > 0
    assert shares[answered].sum(axis=1).round(6).eq(100).all()


def test_reactions_in_view_follow_the_form_and_the_filter(ds):
    c = ds.consultation
    fb = apply_feedback(ds.feedback, Filters())
    assert rx.reactions_in_view(c, fb, Filters()) == [*c.reaction_labels, NOT_GIVEN]  # no Unrecognised here
    assert rx.reactions_in_view(c, fb, Filters(reactions=(DIS, ENTH))) == [ENTH, DIS]


def test_spam_counts_only_when_included(ds):
    t = table(ds, rx.PAGE, Filters(include_spam=True))
    assert row(t, PATH[COST]) == (1, {ENTH: 1})


def test_roles_and_groups_in_form_order_zeros_kept_and_narrowed(ds):
    c = ds.consultation
    roles = table(ds, rx.ROLE)
    assert list(roles.rows["key"]) == list(c.roles)
    assert row(roles, SUPPLIER) == (4, {DIS: 4})
    assert row(roles, "Local authority digital professional") == (0, {})
    groups = table(ds, rx.ROLE_GROUP)
    assert list(groups.rows["key"]) == list(c.role_group_labels)
    assert row(groups, "Private sector") == (6, {DIS: 5, UNSURE: 1})
    assert row(groups, "Other public sector") == (0, {})
    private = Filters(role_groups=("Private sector",))
    assert list(table(ds, rx.ROLE, private).rows["key"]) == [SUPPLIER, CONSULTANT, "Other private sector professional role"]
    assert list(table(ds, rx.ROLE_GROUP, Filters(roles=(CG_LEAD,))).rows["key"]) == ["Central government"]


def test_page_and_section_filters_narrow_the_pages(ds):
    t = table(ds, rx.PAGE, Filters(pages=(PATH[P2], PATH[P3])))
    assert list(t.rows["key"]) == [PATH[P2], PATH[P3]]
    appendix = table(ds, rx.PAGE, Filters(sections=("Appendix 1: More on how our system works",)))
    assert [k.rsplit("/", 2)[-2] for k in appendix.rows["key"]] == ["context", "status", "value", "quality", "cost"]
    assert appendix.rows["n"].tolist() == [2, 0, 0, 0, 0]


def test_the_export_has_counts_and_percentages(ds):
    out = table(ds, rx.PAGE).export(ds.consultation.short_reaction)
    first = out.set_index("Path").loc["imagining-a-centre-of-excellence/"]   # relative to the site root
    assert (first["Page"], first["Responses"], first["Enthusiastic"], first["Enthusiastic %"]) == (
        "Imagining a Centre of Excellence", 6, 3, 50.0)
    assert list(out.columns[:4]) == ["Page", "Section", "Path", "Responses"]


# -- net score and small numbers ---------------------------------------------------------------


def test_net_score_rank_and_small_number_flags(ds):
    fb = apply_feedback(ds.feedback, Filters())
    s = rx.net_scores(fb, rx.rows_for(rx.PAGE, ds, fb, Filters()), rx.PAGE, ds.consultation).set_index("key")
    assert s.at[PATH[P1], "score"] == pytest.approx((3 - 1) * 100 / 6)
    assert s.at[PATH[P2], "score"] == pytest.approx((1 - 4) * 100 / 6)
    assert (s.at[PATH[P1], "rank"], s.at[PATH[P2], "rank"]) == (1, 2)
    assert s.at[PATH[P3], "score"] == pytest.approx(50.0)  # shown, but flagged and not ranked
    assert bool(s.at[PATH[P3], "small"]) and pd.isna(s.at[PATH[P3], "rank"]) and s.at[PATH[P3], "note"] == "small number"
    assert math.isnan(s.at[PATH[COST], "score"]) and s.at[PATH[COST], "note"] == "no responses"
    assert not s.at[PATH[COST], "small"] and pd.isna(s.at[PATH[COST], "rank"])
    ordered = rx.score_order(s.reset_index())
    assert list(ordered["key"]) == [PATH[P1], PATH[P2], PATH[P3]]


def test_five_responses_are_ranked_four_are_not_and_ties_share_a_rank(build):
    rows = [fb_row(when=D(2026, 10, 1, 9, i), page=page, nature=ENTH, summary=f"s{i}")
            for i, page in enumerate([P1] * 5 + [P2] * 5 + [P3] * 4)]
    ds = build(rows)
    fb = apply_feedback(ds.feedback, Filters())
    s = rx.net_scores(fb, rx.rows_for(rx.PAGE, ds, fb, Filters()), rx.PAGE, ds.consultation).set_index("key")
    assert (s.at[PATH[P1], "rank"], s.at[PATH[P2], "rank"]) == (1, 1)
    assert s.at[PATH[P3], "small"] and pd.isna(s.at[PATH[P3], "rank"]) and s.at[PATH[P3], "score"] == 100


# -- who has been heard from where -------------------------------------------------------------


def gaps_for(ds, f=NO_FILTER):
    fb = apply_feedback(ds.feedback, f)
    pages = rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, f))
    groups = rx.groups_in_view(ds.consultation, f)
    return rx.coverage_gaps(fb, pages, groups), groups


def test_coverage_gaps_per_page(ds):
    gaps, groups = gaps_for(ds)
    assert groups == list(ds.consultation.role_group_labels)
    g = gaps.set_index("key")
    assert g.at[PATH[P1], "missing"] == ("Other public sector", "People with lived or no experience of social care")
    assert g.at[PATH[P2], "missing"] == ("Central government", "Other public sector",
                                         "People with lived or no experience of social care")
    assert g.at[PATH[P2], "heard"] == 2
    assert g.at[PATH[COST], "missing"] == tuple(groups) and g.at[PATH[COST], "n"] == 0
    silent = rx.silent_pages(gaps)
    assert len(silent) == len(gaps) - 3 and "Appendix 1 › Cost" in silent
    unheard = [lab for lab, m in zip(gaps["label"], gaps["missing"]) if "Central government" in m]
    assert "Models for delivery" in unheard and "Imagining a Centre of Excellence" not in unheard
    assert len(unheard) == len(silent) + 1
    shown = rx.gaps_export(gaps, groups).set_index("Page")
    assert shown.at["Appendix 1 › Cost", "Not yet heard from"] == "No feedback at all"
    assert shown.at["Models for delivery", "Groups heard"] == "2 of 5"


def test_coverage_asks_only_about_the_groups_in_view(ds):
    gaps, groups = gaps_for(ds, Filters(role_groups=("Central government",)))
    assert groups == ["Central government"]
    g = gaps.set_index("key")
    assert g.at[PATH[P1], "missing"] == () and g.at[PATH[P2], "missing"] == ("Central government",)


def test_heatmap_counts_shares_and_net_scores(ds):
    c = ds.consultation
    fb = apply_feedback(ds.feedback, Filters())
    pages = rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, Filters()))
    cols = rx.heat_columns(rx.ROLE_GROUP, c, fb, Filters())
    counts = rx.heat(fb, pages, rx.ROLE_GROUP, cols, rx.RESPONSES, c)
    assert counts.counts.at[PATH[P1], "Local authority"] == 4
    assert counts.counts.at[PATH[P2], "Private sector"] == 5
    assert bool(counts.zero.at[PATH[P1], "Other public sector"]) and not counts.zero.at[PATH[P1], "Private sector"]
    assert math.isnan(counts.value.at[PATH[P1], "Other public sector"])  # zero cells are not coloured
    share = rx.heat(fb, pages, rx.ROLE_GROUP, cols, DIS, c)
    assert share.value.at[PATH[P2], "Private sector"] == pytest.approx(80.0)
    assert share.value.at[PATH[P1], "Local authority"] == 0.0
    net = rx.heat(fb, pages, rx.ROLE_GROUP, cols, rx.NET, c)
    assert net.value.at[PATH[P2], "Private sector"] == pytest.approx(-80.0)
    assert bool(net.small.at[PATH[P1], "Local authority"]) and math.isnan(net.value.at[PATH[P1], "Local authority"])
    out = net.export(c.short_reaction)
    cell = out[(out["Page"] == "Models for delivery") & (out["Role group"] == "Private sector")].iloc[0]
    assert (cell["Responses"], cell["Net score"]) == (5, -80.0)


def test_heatmap_columns_leave_out_unrecognised_roles(build):
    ds = build([fb_row(role="Astronaut"), fb_row(role=LA_DATA, summary="other")])
    fb = apply_feedback(ds.feedback, Filters())
    assert rx.heat_columns(rx.ROLE, ds.consultation, fb, Filters()) == list(ds.consultation.roles)
    assert "Unrecognised" in list(rx.rows_for(rx.ROLE, ds, fb, Filters())["key"])  # the bars keep them


# -- from a selection to filters and back ------------------------------------------------------


def frontend_point(fig, trace: int, index: int) -> dict:
    """A point as Streamlit's front end reports a click: the trace's customdata for that point."""
    return {"curve_number": trace, "point_index": index, "customdata": list(fig.data[trace].customdata[index])}


def test_a_selected_bar_gives_its_page_and_reaction_and_the_link_reopens_it(ds):
    c = ds.consultation
    t = table(ds, rx.PAGE)
    fig = figures.reaction_bars(t, c.reaction_colours, c.short_reaction, percent=False)
    trace = [tr.name for tr in fig.data].index("Disagree")
    index = list(t.rows["key"]).index(PATH[P2])
    changes = rx.selection_changes([frontend_point(fig, trace, index)])
    assert changes == {"pages": (PATH[P2],), "reactions": (DIS,)}
    f = replace(Filters(role_groups=("Private sector",)), **changes)
    assert f == Filters(pages=(PATH[P2],), reactions=(DIS,), role_groups=("Private sector",))
    opts = options_for(ds)
    query = to_query(f, opts)
    assert query == {"page": ["Models for delivery"], "group": ["Private sector"], "reaction": ["Disagree"]}
    assert from_query(query, opts) == (f, [])
    assert len(apply_feedback(ds.feedback, f)) == fig.data[trace].x[index] == 4


def test_several_points_select_every_value(ds):
    c = ds.consultation
    t = table(ds, rx.ROLE)
    fig = figures.reaction_bars(t, c.reaction_colours, c.short_reaction, percent=True)
    keys = list(t.rows["key"])
    trace = [tr.name for tr in fig.data].index("Disagree")
    points = [frontend_point(fig, trace, keys.index(SUPPLIER)), frontend_point(fig, trace, keys.index(CONSULTANT)),
              {"curve_number": 9, "point_index": 0}, {"customdata": "not a key"}]
    assert rx.selection_changes(points) == {"roles": (SUPPLIER, CONSULTANT), "reactions": (DIS,)}
    assert rx.selection_changes([]) == {}


def test_a_zero_cell_leads_to_an_empty_view_that_still_round_trips(ds):
    c = ds.consultation
    fb = apply_feedback(ds.feedback, Filters())
    pages = rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, Filters()))
    grid = rx.heat(fb, pages, rx.ROLE_GROUP, rx.heat_columns(rx.ROLE_GROUP, c, fb, Filters()), DIS, c)
    fig = figures.coverage_heatmap(grid, c.short_reaction, colour="#D55E00")
    cells = fig.data[-1]
    index = next(i for i, cd in enumerate(cells.customdata) if cd[0] == PATH[P1] and cd[2] == "Other public sector")
    changes = rx.selection_changes([{"customdata": list(cells.customdata[index])}])
    assert changes == {"pages": (PATH[P1],), "role_groups": ("Other public sector",), "reactions": (DIS,)}
    f = replace(Filters(), **changes)
    assert apply_feedback(ds.feedback, f).empty
    assert rx.matching_responses(apply_feedback(ds.feedback, f), c).empty
    opts = options_for(ds)
    assert from_query(to_query(f, opts), opts) == (f, [])


def test_garbage_next_to_a_selected_view_is_ignored_with_a_notice(ds):
    opts = options_for(ds)
    f = Filters(pages=(PATH[P3],), roles=(CG_LEAD,))
    query = to_query(f, opts) | {"reactions_scale": ["Counts"], "zzz": ["1"], "role": ["Role: Astronaut", CG_LEAD]}
    back, notices = from_query(query, opts)
    assert back == f
    assert notices == ["“zzz” is not a filter of this dashboard.", "“Role: Astronaut” is not a role in this data."]


# -- the matching responses ---------------------------------------------------------------------


def test_matching_responses_newest_first_without_email(ds):
    c = ds.consultation
    assert "email" in ds.feedback.columns and ds.feedback["email"].str.contains("@").any()
    out = rx.matching_responses(apply_feedback(ds.feedback, Filters(pages=(PATH[P2],))), c)
    assert list(out.columns) == ["Submitted", "Page", "Reaction", "Role", "Organisation", "Summary", "Details",
                                 "Reaction (form wording)"]
    assert list(out["Summary"]) == [f"response {i}" for i in range(11, 5, -1)]
    assert out["Reaction"].iloc[0] == "Enthusiastic"
    assert not out.astype(str).apply(lambda col: col.str.contains("@")).any().any()


def test_responses_without_a_timestamp_come_last(build):
    ds = build([fb_row(when="garbage", summary="undated"), fb_row(when=D(2026, 10, 1, 9), summary="dated")])
    out = rx.matching_responses(apply_feedback(ds.feedback, Filters()), ds.consultation)
    assert list(out["Summary"]) == ["dated", "undated"]


def test_the_newest_responses_drawn_are_the_first_of_the_full_table(build):
    """What the page draws (``limit``) is the head of the full, stably sorted table: undated last, ties
    of the same second in sheet order."""
    when = [D(2026, 10, 1, 9), "garbage", D(2026, 10, 2, 9), D(2026, 10, 1, 9), "soon", D(2026, 10, 3, 9)]
    ds = build([fb_row(when=w, summary=f"r{i}") for i, w in enumerate(when)])
    fb = apply_feedback(ds.feedback, Filters())
    full = rx.matching_responses(fb, ds.consultation)
    assert list(full["Summary"]) == ["r5", "r2", "r0", "r3", "r1", "r4"]
    for limit in range(1, 7):
        pd.testing.assert_frame_equal(rx.matching_responses(fb, ds.consultation, limit=limit), full.head(limit))


# -- figures ---------------------------------------------------------------------------------------


def test_bars_draw_the_table_and_mark_zero_pages(ds):
    c = ds.consultation
    t = table(ds, rx.PAGE)
    counts = figures.reaction_bars(t, c.reaction_colours, c.short_reaction, percent=False)
    pct = figures.reaction_bars(t, c.reaction_colours, c.short_reaction, percent=True)
    assert [tr.name for tr in counts.data] == [c.short_reaction[r] for r in t.reactions]
    for tr, r in zip(counts.data, t.reactions):
        assert list(tr.x) == list(t.counts[r])
        assert tr.marker.color == c.reaction_colours[r]
    for tr, r in zip(pct.data, t.reactions):
        assert list(tr.x) == pytest.approx(list(t.shares()[r]))
    def notes(fig):   # each row's name (written above its bar) and the note at the end of its bar
        return dict(zip(t.rows["label"], [a.text for a in fig.layout.annotations if a.name == "n"]))
    assert notes(pct)["Appendix 1 › Cost"] == "none yet" and notes(pct)["Models for delivery"] == "n=6"
    assert notes(counts)["Models for delivery"] == "6"


def test_labels_from_data_are_escaped():
    dim = rx.ROLE
    rows = pd.DataFrame({"key": ["<b>x</b>"], "label": ["<b>x</b>"], "section": [""], "n": [1]})
    t = rx.ReactionTable(dim, rows, pd.DataFrame({ENTH: [1]}, index=["<b>x</b>"]))
    fig = figures.reaction_bars(t, {}, {ENTH: "<i>E</i>"}, percent=False)
    assert list(fig.data[0].y) == ["&lt;b&gt;x&lt;/b&gt;"] and fig.data[0].name == "&lt;i&gt;E&lt;/i&gt;"
    assert "<i>" not in fig.data[0].hovertemplate
    assert figures.wrap_label("A <script> tag that is rather long", 12) == "A &lt;script&gt;<br>tag that is<br>rather long"


def test_heatmap_marks_zero_cells(ds):
    c = ds.consultation
    fb = apply_feedback(ds.feedback, Filters())
    pages = rx.real_pages(rx.rows_for(rx.PAGE, ds, fb, Filters()))
    grid = rx.heat(fb, pages, rx.ROLE_GROUP, list(c.role_group_labels), rx.RESPONSES, c)
    fig = figures.coverage_heatmap(grid, c.short_reaction, colour=figures.NEUTRAL)
    value, zero, cells = fig.data[0], fig.data[1], fig.data[-1]
    i, j = list(grid.counts.index).index(PATH[P2]), grid.columns.index("Private sector")
    assert value.z[i][j] == 5 and zero.z[i][j] is None
    k = grid.columns.index("Central government")
    assert value.z[i][k] is None and zero.z[i][k] == 1 and zero.text[i][k] == "0"
    assert zero.colorscale[0][1] == figures.ZERO_COLOUR
    assert sum(1 for row in zero.z for v in row if v == 1) == int(grid.zero.to_numpy().sum())
    assert len(cells.x) == grid.counts.size


def test_no_responses_at_all_still_lists_every_page_as_zero(build):
    ds = build([])
    c = ds.consultation
    fb = apply_feedback(ds.feedback, NO_FILTER)
    t = table(ds, rx.PAGE)
    assert len(t.rows) == int(ds.pages["has_form"].sum()) and t.rows["n"].sum() == 0
    assert (t.shares() == 0).all().all()
    pages = rx.real_pages(t.rows[["key", "label", "section"]])
    assert rx.score_order(rx.net_scores(fb, pages, rx.PAGE, c)).empty
    grid = rx.heat(fb, pages, rx.ROLE_GROUP, rx.heat_columns(rx.ROLE_GROUP, c, fb, NO_FILTER), rx.NET, c)
    assert grid.zero.all().all()
    figures.coverage_heatmap(grid, c.short_reaction, colour="#000000", negative_colour="#111111")
    figures.reaction_bars(t, c.reaction_colours, c.short_reaction, percent=True)
    assert rx.matching_responses(fb, c).empty
    assert len(rx.silent_pages(rx.coverage_gaps(fb, pages, rx.groups_in_view(c, NO_FILTER)))) == len(pages)
