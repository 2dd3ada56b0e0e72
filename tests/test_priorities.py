"""Priorities rules on literal tables: Likert shares and centring, t-intervals, the quadrant,
sorting, activities (comma-containing texts included), role groups, small numbers, comments."""

import datetime as dt
import json
import math
from dataclasses import replace

import pandas as pd
import pytest

from lib import figures
from lib import priorities as pr
from lib.aggregates import t_interval
from lib.consultation import NOT_GIVEN, Measure
from tests.conftest import survey_row

IDQ, DTC, ADV = "Improving data quality", "Data tool collaboration", "Advocacy across internal hierarchies"
COMMA_ACT = "Advanced technology: Explaining options to local authorities, including how-to guidance and training"
STANDARDS = "Curating standards: Managing processes for changes to relevant standards"
TOOLS = "Data tool collaboration: Maintaining and continuously developing key products which the sector can rely on"
T0 = dt.datetime(2026, 10, 1, 9, 0)
# t quantiles for a two-sided 95% interval, from a printed table of Student's t
T_TABLE = {1: 12.706, 4: 2.776, 9: 2.262, 29: 2.045}

#: The quadrant names as written in lib/data/consultation.yaml.
QUADRANTS = ("Useful and likely to be used", "Useful, less likely to be used", "Likely to be used, less useful",
             "Less useful and less likely to be used")
USEFUL_AND_LIKELY = QUADRANTS[0]


def scores_frame(rows):
    """Literal long scores: (response_id, idea, measure, score)."""
    return pd.DataFrame(rows, columns=["response_id", "idea", "measure", "score"])


def one_measure(idea, measure, values, start=0):
    return [(f"R{start + i}", idea, measure, v) for i, v in enumerate(values)]


# -- Likert shares and centring ---------------------------------------------------------------

def test_likert_shares_and_centring(consultation):
    scores = scores_frame(one_measure(IDQ, "usefulness", [1, 2, 3, 3, 4, 5, 5, 5]))
    got = pr.likert(scores, consultation)
    part = got[(got["idea"] == IDQ) & (got["measure"] == "usefulness")].set_index("score")
    assert list(part["n"]) == [1, 1, 2, 1, 3]
    assert set(part["answered"]) == {8}
    assert list(part["share"]) == pytest.approx([1 / 8, 1 / 8, 2 / 8, 1 / 8, 3 / 8])
    # 1 and 2 left of zero, 3 split half each side, 4 and 5 right, segments end to end
    assert list(part["start"]) == pytest.approx([-3 / 8, -2 / 8, -1 / 8, 1 / 8, 2 / 8])
    assert list(part["end"]) == pytest.approx([-2 / 8, -1 / 8, 1 / 8, 2 / 8, 5 / 8])
    assert part.at[3, "start"] == pytest.approx(-part.at[3, "end"])


def test_likert_without_a_neutral_score_starts_at_zero(consultation):
    scores = scores_frame(one_measure(DTC, "likelihood", [4, 4, 5]))
    part = pr.likert(scores, consultation).query("idea == @DTC and measure == 'likelihood'").set_index("score")
    assert list(part["start"]) == pytest.approx([0, 0, 0, 0, 2 / 3])
    assert list(part["end"]) == pytest.approx([0, 0, 0, 2 / 3, 1])


def test_likert_lists_every_idea_and_measure_with_zeros(consultation):
    got = pr.likert(scores_frame(one_measure(IDQ, "usefulness", [5])), consultation)
    assert len(got) == len(consultation.ideas) * 2 * 5
    unscored = got[(got["idea"] == ADV)]
    assert (unscored[["n", "answered", "share", "start", "end"]] == 0).all().all()
    # the other measure of the scored idea is empty too
    assert got.query("idea == @IDQ and measure == 'likelihood'")["answered"].eq(0).all()


# -- intervals ----------------------------------------------------------------------------------

def usefulness(scores, consultation):
    """The idea table's usefulness columns (n, mean, sd, ci_low, ci_high) by idea."""
    table = pr.idea_table(scores, consultation).set_index("idea")
    cols = [c for c in table.columns if c.startswith("usefulness_")]
    return table[cols].rename(columns=lambda c: c.removeprefix("usefulness_"))


def test_interval_against_a_hand_computed_example(consultation):
    values = [2, 3, 4, 4, 5]
    n = len(values)
    mean = sum(values) / n                                   # 3.6
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))   # √1.3
    half = T_TABLE[n - 1] * sd / math.sqrt(n)                # t(0.975, 4) · s / √n ≈ 1.4157
    row = usefulness(scores_frame(one_measure(IDQ, "usefulness", values)), consultation).loc[IDQ]
    assert row["n"] == 5
    assert row["mean"] == pytest.approx(3.6)
    assert row["sd"] == pytest.approx(math.sqrt(1.3))
    assert row["ci_low"] == pytest.approx(mean - half, abs=2e-3)   # the table's t has 3 decimals
    assert row["ci_high"] == pytest.approx(mean + half, abs=2e-3)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((2.18429, 5.01571), abs=1e-5)


@pytest.mark.parametrize("df, t", sorted(T_TABLE.items()))
def test_t_quantiles_match_the_printed_table(df, t):
    low, high = t_interval(pd.Series([df + 1]), pd.Series([0.0]), pd.Series([math.sqrt(df + 1)]))
    assert high.iloc[0] == pytest.approx(t, abs=5e-4)   # half-width = t · s/√n with s = √n
    assert low.iloc[0] == pytest.approx(-t, abs=5e-4)


def test_interval_is_undefined_for_one_score_and_none(consultation):
    stats = usefulness(scores_frame(one_measure(IDQ, "usefulness", [4])), consultation)
    one = stats.loc[IDQ]
    assert (one["n"], one["mean"]) == (1, 4.0)
    assert math.isnan(one["ci_low"]) and math.isnan(one["ci_high"]) and math.isnan(one["sd"])
    none = stats.loc[DTC]
    assert none["n"] == 0 and math.isnan(none["mean"]) and math.isnan(none["ci_low"])
    assert pr.interval_text(one["ci_low"], one["ci_high"], 1) == "undefined (1 score)"
    assert pr.interval_text(none["ci_low"], none["ci_high"], 0) == "no scores"
    assert pr.interval_text(2.18429, 5.01571, 5) == "2.18–5.02"


def test_identical_scores_give_a_zero_width_interval(consultation):
    row = usefulness(scores_frame(one_measure(IDQ, "usefulness", [3, 3, 3])), consultation).loc[IDQ]
    assert (row["ci_low"], row["ci_high"]) == (3.0, 3.0)


# -- the idea table, quadrants and sorting ------------------------------------------------------

def quadrant_scores():
    rows = (one_measure(IDQ, "usefulness", [5, 5, 4, 5]) + one_measure(IDQ, "likelihood", [5, 4, 4, 5])
            + one_measure(DTC, "usefulness", [5, 4, 5, 5]) + one_measure(DTC, "likelihood", [1, 2, 1, 2])
            + one_measure(ADV, "usefulness", [1, 2, 2, 1]) + one_measure(ADV, "likelihood", [2, 2]))
    return scores_frame(rows)


def test_idea_table_gap_quadrant_and_shares(consultation):
    scores = quadrant_scores()
    table = pr.idea_table(scores, consultation).set_index("idea")
    assert list(table.index) == list(consultation.ideas)
    lines = pr.overall_means(scores, consultation)
    assert lines["usefulness"] == pytest.approx((19 + 19 + 6) / 12)
    assert lines["likelihood"] == pytest.approx((18 + 6 + 4) / 10)
    assert table.at[IDQ, "quadrant"] == USEFUL_AND_LIKELY
    assert table.at[DTC, "quadrant"] == "Useful, less likely to be used"
    assert table.at[ADV, "quadrant"] == "Less useful and less likely to be used"
    assert table.at["Discovering what works", "quadrant"] == pr.NOT_SCORED
    assert table.at[DTC, "gap"] == pytest.approx(4.75 - 1.5)
    assert table.at[IDQ, "n_any"] == 4 and table.at[ADV, "n_any"] == 4
    assert table.at[ADV, "likelihood_n"] == 2 and table.at[ADV, "likelihood_small"]
    assert table.at[IDQ, "usefulness_high"] == 1.0 and table.at[DTC, "likelihood_high"] == 0.0
    assert math.isnan(table.at["Discovering what works", "usefulness_high"])


@pytest.mark.parametrize("x, y, expected", [
    (4, 4, USEFUL_AND_LIKELY), (3, 3, USEFUL_AND_LIKELY),   # on both lines: the higher side
    (4, 2, "Useful, less likely to be used"), (2, 4, "Likely to be used, less useful"),
    (2, 2, "Less useful and less likely to be used"), (float("nan"), 4, pr.NOT_SCORED),
])
def test_quadrant(x, y, expected):
    assert pr.quadrant(x, y, 3, 3, QUADRANTS) == expected


def test_the_sorts_offered_are_named_after_the_measures(consultation):
    assert pr.sorts(consultation) == {"Mean usefulness": "usefulness_mean", "Mean likelihood": "likelihood_mean",
                                      "Gap (usefulness − likelihood)": "gap"}
    other = replace(consultation, measures=(Measure("impact", "How big?", "Impact"), Measure("ease", "How easy?")))
    assert pr.sorts(other) == {"Mean impact": "impact_mean", "Mean ease": "ease_mean", "Gap (impact − ease)": "gap"}


def test_sorting_by_each_measure_and_the_gap(consultation):
    table = pr.idea_table(quadrant_scores(), consultation)
    # ties (4.75) in the consultation's order
    assert list(pr.sort_ideas(table, "Mean usefulness", consultation)["idea"][:3]) == [DTC, IDQ, ADV]
    assert list(pr.sort_ideas(table, "Mean likelihood", consultation)["idea"][:3]) == [IDQ, ADV, DTC]
    assert list(pr.sort_ideas(table, "Gap (usefulness − likelihood)", consultation)["idea"][:3]) == [DTC, IDQ, ADV]
    by_gap = pr.sort_ideas(table, "Gap (usefulness − likelihood)", consultation)
    assert by_gap["gap"].iloc[3:].isna().all()       # unscored ideas last, in the consultation's order
    unscored = [i for i in consultation.ideas if i not in (IDQ, DTC, ADV)]
    assert list(by_gap["idea"].iloc[3:]) == unscored
    with pytest.raises(ValueError, match="can be sorted by"):
        pr.sort_ideas(table, "Colour", consultation)


def test_an_empty_survey_gives_empty_tables_not_errors(consultation):
    empty = scores_frame([])
    table = pr.idea_table(empty, consultation)
    assert len(table) == 13 and table["usefulness_n"].eq(0).all() and table["quadrant"].eq(pr.NOT_SCORED).all()
    assert pr.likert(empty, consultation)["share"].eq(0).all()
    assert all(math.isnan(v) for v in pr.overall_means(empty, consultation).values())


# -- role groups and small numbers --------------------------------------------------------------

def test_small_number_threshold():
    assert pr.is_small(0) and pr.is_small(4)
    assert not pr.is_small(5) and not pr.is_small(6)


def test_empty_and_single_response_groups(build, consultation):
    use = json.dumps({IDQ: 4, DTC: 2})
    rows = [survey_row(T0, role="Local authority leadership", use=use, like=json.dumps({IDQ: 3}))]
    rows += [survey_row(T0 + dt.timedelta(hours=h), role="Data and digital consultant", use=json.dumps({IDQ: h}))
             for h in range(1, 6)]
    ds = build([], rows)
    sizes = pr.group_sizes(ds.survey, consultation)
    assert list(sizes.index) == list(consultation.role_group_labels)     # no empty catch-alls
    assert sizes["Local authority"] == 1 and sizes["Private sector"] == 5 and sizes["Central government"] == 0
    groups = pr.group_idea_table(ds.scores, ds.survey, consultation)
    la = groups[groups["role_group"] == "Local authority"].set_index("idea")
    assert la["small_group"].all() and (la["respondents"] == 1).all()
    assert la.at[IDQ, "usefulness_n"] == 1 and la.at[IDQ, "usefulness_mean"] == 4
    assert math.isnan(la.at[IDQ, "usefulness_ci_low"])                  # one score: undefined
    cg = groups[groups["role_group"] == "Central government"]
    assert len(cg) == 13 and cg["usefulness_n"].eq(0).all() and cg["small_group"].all()
    assert cg["quadrant"].eq(pr.NOT_SCORED).all()
    private = groups[groups["role_group"] == "Private sector"].set_index("idea")
    assert not private["small_group"].any()
    assert private.at[IDQ, "usefulness_mean"] == 3 and private.at[IDQ, "usefulness_n"] == 5
    assert not math.isnan(private.at[IDQ, "usefulness_ci_low"])
    acts = pr.group_activity_table(ds.activities, ds.survey, consultation)
    assert acts.groupby("role_group")["respondents"].first().to_dict() == sizes.to_dict()
    assert acts[acts["role_group"] == "Central government"]["share"].isna().all()


def test_a_catch_all_group_appears_when_seen(build, consultation):
    ds = build([], [survey_row(role="Astronaut", use=json.dumps({IDQ: 2}))])
    sizes = pr.group_sizes(ds.survey, consultation)
    assert sizes.get("Unrecognised") == 1 and NOT_GIVEN not in sizes.index


# -- activities -----------------------------------------------------------------------------

def test_activity_counts_with_comma_containing_texts(build, consultation):
    rows = [survey_row(T0, activities=f"{COMMA_ACT}, {STANDARDS}"),
            survey_row(T0 + dt.timedelta(hours=1), activities=COMMA_ACT),
            survey_row(T0 + dt.timedelta(hours=2), activities=json.dumps([TOOLS, COMMA_ACT])),
            survey_row(T0 + dt.timedelta(hours=3))]
    ds = build([], rows)
    table = pr.activity_table(ds.activities, ds.survey, consultation).set_index("label")
    assert len(table) == 39
    assert table.at[COMMA_ACT, "n"] == 3 and table.at[COMMA_ACT, "share"] == pytest.approx(3 / 4)
    assert table.at[STANDARDS, "n"] == 1 and table.at[TOOLS, "n"] == 1
    assert table.at[COMMA_ACT, "section"] == "Advanced technology"
    assert table.at[COMMA_ACT, "activity"] == COMMA_ACT.split(": ", 1)[1]
    assert table["n"].sum() == 5
    top = pr.top_activities(pr.activity_table(ds.activities, ds.survey, consultation))
    assert list(top["label"]) == [COMMA_ACT, TOOLS, STANDARDS]    # tie (1 each): longlist order


def test_top_activities_keep_ten_and_drop_unticked(consultation):
    labels = consultation.activity_labels
    survey = pd.DataFrame({"response_id": [f"R{i}" for i in range(12)]})
    acts = pd.DataFrame([(f"R{r}", "", "", labels[k]) for k in range(12) for r in range(12 - k)],
                        columns=["response_id", "activity_section", "activity", "label"])
    top = pr.top_activities(pr.activity_table(acts, survey, consultation))
    assert list(top["label"]) == list(labels[:10])
    assert list(top["n"]) == list(range(12, 2, -1))
    assert pr.top_activities(pr.activity_table(acts.iloc[:0], survey, consultation)).empty


def test_activity_shares_are_undefined_without_respondents(consultation):
    empty = pd.DataFrame(columns=["response_id", "activity_section", "activity", "label"])
    table = pr.activity_table(empty, pd.DataFrame({"response_id": []}), consultation)
    assert table["n"].eq(0).all() and table["share"].isna().all()


# -- comments and exports -------------------------------------------------------------------

def test_survey_comments_have_no_email_and_newest_first(build):
    rows = [survey_row(T0, comments="First", email="a@example.org", org="Acme"),
            survey_row(T0 + dt.timedelta(days=1), comments="  "),
            survey_row(T0 + dt.timedelta(days=2), comments="=Second, later", email="b@example.org"),
            survey_row("no date", comments="Undated")]
    ds = build([], rows)
    got = pr.survey_comments(ds.survey)
    assert "email" not in {c.lower() for c in got.columns}
    assert not got.astype(str).apply(lambda col: col.str.contains("@example.org")).any().any()
    assert list(got["Comment"]) == ["=Second, later", "First", "Undated"]
    assert list(got.columns) == list(pr.COMMENT_COLUMNS.values())


def test_idea_export_shows_undefined_intervals(consultation):
    scores = scores_frame(one_measure(IDQ, "usefulness", [4]) + one_measure(DTC, "usefulness", [2, 3, 4, 4, 5]))
    out = pr.idea_export(pr.idea_table(scores, consultation), {"usefulness": "Usefulness", "likelihood": "Likelihood"})
    by_idea = out.set_index("Idea")
    assert by_idea.at[IDQ, "Usefulness: 95% CI"] == "undefined (1 score)"
    assert math.isnan(by_idea.at[IDQ, "Usefulness: 95% CI low"])
    assert by_idea.at[DTC, "Usefulness: 95% CI"] == "2.18–5.02"
    assert by_idea.at[ADV, "Likelihood: 95% CI"] == "no scores"


def test_likert_export_counts_and_shares(consultation):
    scores = scores_frame(one_measure(IDQ, "usefulness", [1, 5, 5, 3]))
    titles = {"usefulness": "Usefulness", "likelihood": "Likelihood"}
    out = pr.likert_export(pr.likert(scores, consultation), titles, [IDQ])
    row = out[(out["Idea"] == IDQ) & (out["Measure"] == "Usefulness")].iloc[0]
    assert [row[f"Score {s}: n"] for s in pr.SCORES] == [1, 0, 1, 0, 2]
    assert row["Score 5: share"] == 0.5 and row["Answered"] == 4


# -- figures ----------------------------------------------------------------------------------

TITLES = {"usefulness": "Usefulness", "likelihood": "Likelihood"}


def test_likert_figure_draws_the_centred_segments(consultation):
    scores = quadrant_scores()
    shares = pr.likert(scores, consultation)
    order = list(pr.sort_ideas(pr.idea_table(scores, consultation), "Mean usefulness", consultation)["idea"])
    fig = figures.likert_bars(shares, order, TITLES)
    assert len(fig.data) == 10
    for trace in fig.data:
        measure = "usefulness" if trace.xaxis == "x" else "likelihood"
        score = int(trace.legendgroup)
        seg = shares[(shares["measure"] == measure) & (shares["score"] == score)].set_index("idea").reindex(order)
        assert list(trace.base) == pytest.approx(list(seg["start"] * 100), abs=0.01)
        assert list(trace.x) == pytest.approx(list(seg["share"] * 100), abs=0.01)
        assert list(trace.y) == [figures.esc(i) for i in order]


def test_quadrant_figure_labels_every_idea_and_shades_the_useful_and_likely_quadrant(consultation):
    scores = pd.concat([scores_frame(one_measure(idea, m, [1 + (k + j) % 5 for j in range(6)], start=10 * k))
                        for k, idea in enumerate(consultation.ideas) for m in ("usefulness", "likelihood")])
    table = pr.idea_table(scores, consultation)
    lines = pr.overall_means(scores, consultation)
    fig = figures.quadrant_chart(table, lines, TITLES, highlight=USEFUL_AND_LIKELY)
    labels = [a.text for a in fig.layout.annotations if a.name == "idea"]
    assert labels == [figures.wrap_label(i, 24) for i in table["idea"]]
    assert list(fig.data[0].x) == pytest.approx(list(table["usefulness_mean"]))
    rect = next(s for s in fig.layout.shapes if s.type == "rect")
    assert (rect.x0, rect.y0) == pytest.approx((lines["usefulness"], lines["likelihood"]))
    assert any(a.text == f"<b>{USEFUL_AND_LIKELY}</b>" for a in fig.layout.annotations)


def test_plotly_text_from_data_is_escaped(consultation):
    table = pd.DataFrame([{"idea": "<img src=x onerror=alert(1)>", "n_any": 3, "quadrant": USEFUL_AND_LIKELY,
                           **{f"{m}_{s}": v for m in ("usefulness", "likelihood")
                              for s, v in (("mean", 4.0), ("ci_low", 3.0), ("ci_high", 5.0), ("n", 3))}}])
    fig = figures.quadrant_chart(table, {"usefulness": 3.0, "likelihood": 3.0}, TITLES, highlight=USEFUL_AND_LIKELY)
    texts = [a.text for a in fig.layout.annotations] + list(fig.data[0].hovertext)
    assert not any("<img" in t for t in texts)
    assert any("&lt;img" in t for t in texts)
    top = pd.DataFrame({"section": ["<b>S</b>"], "activity": ["<script>x</script>"], "n": [1], "share": [0.5]})
    bar = figures.top_activity_bars(top)
    assert "<script>" not in bar.data[0].y[0] and "&lt;b&gt;S&lt;/b&gt;" in bar.data[0].customdata[0][1]


def test_labels_are_placed_without_overlapping():
    px = [100, 110, 120, 130, 400, 405]
    py = [100, 104, 98, 102, 300, 300]
    sizes = [(120, 18)] * 6
    offsets = figures.place_labels(px, py, sizes, [8] * 6, (800, 500))
    boxes = [(x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
             for x, y, (dx, dy), (w, h) in zip(px, py, offsets, sizes)]
    for i in range(6):
        x0, y0, x1, y1 = boxes[i]
        assert x0 >= 0 and y0 >= 0 and x1 <= 800 and y1 <= 500
        for j in range(i + 1, 6):   # apart on one axis at least (touching edges allowed)
            a, b = boxes[i], boxes[j]
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (i, j)
        for x, y in zip(px, py):   # no label covers a point
            assert not (boxes[i][0] < x < boxes[i][2] and boxes[i][1] < y < boxes[i][3])


def test_quadrant_figure_for_one_response_and_for_none(consultation):
    one = scores_frame([("R1", IDQ, "usefulness", 4), ("R1", IDQ, "likelihood", 2), ("R1", DTC, "usefulness", 5)])
    table = pr.idea_table(one, consultation)
    fig = figures.quadrant_chart(table, pr.overall_means(one, consultation), TITLES, highlight=USEFUL_AND_LIKELY)
    assert list(fig.data[0].x) == [4.0] and list(fig.data[0].y) == [2.0]     # DTC has no likelihood: not placed
    assert "95% CI undefined (1 score), n=1" in fig.data[0].hovertext[0]
    assert "1 response scored it" in fig.data[0].hovertext[0]
    assert list(fig.data[0].error_x.array) == [0] and list(fig.data[0].error_y.arrayminus) == [0]
    low, high = fig.layout.xaxis.range
    assert low <= 4 <= high and high - low >= 1.5
    assert [a.text for a in fig.layout.annotations if a.name == "idea"] == [figures.wrap_label(IDQ, 24)]
    only_use = scores_frame([("R1", IDQ, "usefulness", 4)])
    empty = figures.quadrant_chart(pr.idea_table(only_use, consultation), pr.overall_means(only_use, consultation),
                                   TITLES, highlight=USEFUL_AND_LIKELY)
    assert len(empty.data[0].x) == 0 and not empty.layout.shapes


# -- the counting by codes equals pandas' groupbys ------------------------------------------------


def plain_idea_table(scores, consultation):
    """``idea_table`` as groupbys on the text columns (what the counting by codes replaced)."""
    use, like = pr.measure_keys(consultation)
    grid = pd.MultiIndex.from_product([list(consultation.ideas), [m.key for m in consultation.measures]],
                                      names=["idea", "measure"])
    stats = scores.groupby(["idea", "measure"])["score"].agg(["count", "mean", "std"]).reindex(grid)
    stats = stats.rename(columns={"count": "n", "std": "sd"})
    stats["n"] = stats["n"].fillna(0).astype(int)
    stats["ci_low"], stats["ci_high"] = t_interval(stats["n"], stats["mean"], stats["sd"])
    stats = stats.reset_index()
    wide = stats.pivot(index="idea", columns="measure", values=["n", "mean", "sd", "ci_low", "ci_high"])
    wide.columns = [f"{measure}_{stat}" for stat, measure in wide.columns]
    wide = wide.reindex(list(consultation.ideas))
    high = scores[scores["score"] > pr.NEUTRAL].groupby(["idea", "measure"]).size()
    out = pd.DataFrame({"idea": list(consultation.ideas)})
    out["n_any"] = out["idea"].map(scores.groupby("idea")["response_id"].nunique()).fillna(0).astype(int)
    means = scores.groupby("measure")["score"].mean()
    lines = {m: float(means.get(m, float("nan"))) for m in (use, like)}
    for m in (use, like):
        out[f"{m}_n"] = wide[f"{m}_n"].fillna(0).astype(int).to_numpy()
        for stat in ("mean", "sd", "ci_low", "ci_high"):
            out[f"{m}_{stat}"] = wide[f"{m}_{stat}"].astype(float).to_numpy()
        ticks = out["idea"].map(lambda i, m=m: high.get((i, m), 0)).astype(int)
        out[f"{m}_high"] = (ticks / out[f"{m}_n"].where(out[f"{m}_n"] > 0)).astype(float)
        out[f"{m}_small"] = out[f"{m}_n"] < pr.SMALL_NUMBER
    out["gap"] = out[f"{use}_mean"] - out[f"{like}_mean"]
    out["quadrant"] = [pr.quadrant(x, y, lines[use], lines[like], consultation.quadrants)
                       for x, y in zip(out[f"{use}_mean"], out[f"{like}_mean"])]
    return out, lines


def test_idea_table_equals_the_groupbys_on_random_scores(consultation):
    """Random small long tables (ideas and measures outside the consultation, responses scoring
    twice, none at all): the table counted by codes is pandas' groupby result."""
    import random

    rng = random.Random(3)
    ideas = [*list(consultation.ideas)[:4], "An idea not in the consultation"]
    measures = [m.key for m in consultation.measures] + ["other"]
    for _ in range(40):
        rows = [(f"R{rng.randint(0, 12)}", rng.choice(ideas), rng.choice(measures), rng.randint(1, 5))
                for _ in range(rng.randint(0, 60))]
        scores = scores_frame(rows).astype({"score": int})
        expected, lines = plain_idea_table(scores, consultation)
        pd.testing.assert_frame_equal(pr.idea_table(scores, consultation), expected, check_exact=False, rtol=1e-12)
        assert pr.overall_means(scores, consultation) == pytest.approx(lines, nan_ok=True)
        # the viewer's frames hold these columns as categoricals (lib.dataset.CATEGORICAL): coded alike
        labelled = scores.astype({"response_id": "category", "idea": "category", "measure": "category"})
        pd.testing.assert_frame_equal(pr.idea_table(labelled, consultation), expected, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("viewer", [False, True], ids=["normalised", "as a viewer gets it"])
def test_the_page_summary_is_the_tables_of_the_filtered_survey(build, consultation, viewer):
    """``summary`` restricts the dataset's scores and activities to the survey responses given;
    ``group_summary`` to one group's (the same from the viewer's frames, whose ids, ideas and
    groups are categorical)."""
    rows = [survey_row(T0, role="Local authority leadership", use=json.dumps({IDQ: 4, DTC: 2}),
                       activities=json.dumps([STANDARDS])),
            survey_row(T0 + dt.timedelta(hours=1), role="Data and digital consultant", use=json.dumps({IDQ: 2}),
                       like=json.dumps({IDQ: 5}), activities=json.dumps([STANDARDS, TOOLS]), comments="More"),
            survey_row(T0 + dt.timedelta(hours=2), role="Data and digital consultant", use=json.dumps({DTC: 5}))]
    ds = build([], rows)
    if viewer:
        from lib.dataset import compact, expand
        ds = expand(compact(ds))
    survey = ds.survey.iloc[1:]                       # the filters left out the first response
    whole = pr.summary(ds.scores, ds.activities, survey, consultation)
    assert whole.numbers == pr.SurveyNumbers(responses=2, scored=2, ticked=1, commented=1)
    ideas = whole.ideas.set_index("idea")
    assert ideas.at[IDQ, "usefulness_n"] == 1 and ideas.at[IDQ, "usefulness_mean"] == 2   # not the 4 left out
    assert ideas.at[DTC, "usefulness_mean"] == 5
    assert whole.means == pytest.approx({"usefulness": 3.5, "likelihood": 5.0})
    assert whole.activity_table.set_index("label").at[STANDARDS, "n"] == 1
    assert list(whole.top["label"]) == [TOOLS, STANDARDS]          # a tie: longlist order
    assert whole.sizes["Private sector"] == 2 and whole.sizes["Local authority"] == 0
    part = pr.group_summary(whole, survey, "Private sector", consultation)
    assert len(part.members) == 2 and len(part.scores) == 3
    empty = pr.group_summary(whole, survey, "Local authority", consultation)
    assert empty.members.empty and empty.scores.empty and empty.top.empty


def plain_likert(scores, consultation):
    """``likert`` as groupbys on the text columns (what the counting by codes replaced)."""
    ideas, measures = list(consultation.ideas), [m.key for m in consultation.measures]
    grid = pd.MultiIndex.from_product([ideas, measures, list(pr.SCORES)], names=["idea", "measure", "score"])
    n = scores.groupby(["idea", "measure", "score"]).size().reindex(grid, fill_value=0).astype(int)
    out = n.rename("n").reset_index()
    out["answered"] = out.groupby(["idea", "measure"])["n"].transform("sum").astype(int)
    out["share"] = (out["n"] / out["answered"].where(out["answered"] > 0)).fillna(0.0)
    below, neutral = out["score"] < pr.NEUTRAL, out["score"] == pr.NEUTRAL
    key = [out["idea"], out["measure"]]
    left = -(out["share"].where(below, 0.0).groupby(key).transform("sum")
             + out["share"].where(neutral, 0.0).groupby(key).transform("sum") / 2)
    out["start"] = left + out.groupby(["idea", "measure"])["share"].cumsum() - out["share"]
    out["end"] = out["start"] + out["share"]
    return out


def test_likert_equals_the_groupbys_on_random_scores(consultation):
    """Scores outside 1–5 (0, 6, a half) and ideas or measures outside the consultation are not
    counted; a measure nobody answered has shares of 0."""
    import random

    rng = random.Random(5)
    ideas = [*list(consultation.ideas)[:3], "An idea not in the consultation"]
    measures = [m.key for m in consultation.measures] + ["other"]
    for _ in range(30):
        rows = [(f"R{rng.randint(0, 12)}", rng.choice(ideas), rng.choice(measures),
                 rng.choice([1, 2, 3, 4, 5, 5, 4, 0, 6, 2.5])) for _ in range(rng.randint(0, 60))]
        scores = scores_frame(rows).astype({"score": float})
        expected = plain_likert(scores, consultation)
        pd.testing.assert_frame_equal(pr.likert(scores, consultation), expected, check_exact=False, rtol=1e-12)
        labelled = scores.astype({"idea": "category", "measure": "category"})
        pd.testing.assert_frame_equal(pr.likert(labelled, consultation), expected, check_exact=False, rtol=1e-12)


def test_each_groups_idea_table_is_the_table_of_its_members_scores(consultation):
    """``group_idea_table`` counts every group in one pass; each group's rows are ``idea_table`` of
    its own members' scores (against its own overall means), its size and small-number flag beside."""
    import random

    rng = random.Random(11)
    ideas = [*list(consultation.ideas)[:4], "An idea not in the consultation"]
    measures = [m.key for m in consultation.measures] + ["other"]
    groups = list(consultation.role_group_labels)[:3]
    for _ in range(25):
        survey = pd.DataFrame({"response_id": [f"R{i}" for i in range(12)],
                               "role_group": [rng.choice(groups) for _ in range(12)]})
        rows = [(f"R{rng.randint(0, 14)}", rng.choice(ideas), rng.choice(measures), rng.randint(1, 5))
                for _ in range(rng.randint(0, 60))]   # R12 to R14: scores of no response in view
        scores = scores_frame(rows).astype({"score": int})
        table = pr.group_idea_table(scores, survey, consultation)
        sizes = pr.group_sizes(survey, consultation)
        for name, respondents in sizes.items():
            mine = table[table["role_group"] == name].reset_index(drop=True)
            members = survey.loc[survey["role_group"] == name, "response_id"]
            expected = pr.idea_table(scores[scores["response_id"].isin(members)], consultation)
            assert (mine["respondents"] == respondents).all()
            assert (mine["small_group"] == pr.is_small(int(respondents))).all()
            pd.testing.assert_frame_equal(mine.drop(columns=["role_group", "respondents", "small_group"]),
                                          expected, check_exact=False, rtol=1e-12)
