"""The team's themes on literal runs: the run kept after new data (ids carried, fresh ids never
reused, what changed), the corrections reapplied, what the page shows of the filtered part, and
the theme filter and "count each campaign once" in the filter model."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lib.filters import FilterOptions, Filters, apply_feedback, count_each_campaign_once, from_query, to_query
from lib.identity import IDENTITY
from lib.sources import SourceInfo
from lib.store.themes import EditRecord, ThemeRun
from lib.team_themes import (
    closeness,
    collection_key,
    data_key,
    in_theme,
    next_run,
    representatives_in,
    row_themes,
    spread,
    team_view,
    theme_rows,
)
from lib.theme_edits import Merge, Move, Rename, Split
from lib.themes import UNTHEMED, Themes, ThemeSettings

WHEN = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def auto(assignment: dict[str, str], labels: dict[str, str], k: int | None = None) -> Themes:
    """An automatic run as ``find_themes`` returns it (only what the team layer reads)."""
    series = pd.Series(assignment, dtype=object, name="theme")
    table = pd.DataFrame({"theme": list(labels), "label": list(labels.values()),
                          "size": [int((series == t).sum()) for t in labels], "words": [()] * len(labels)})
    return Themes(series, table, pd.Series(np.nan, index=series.index), pd.DataFrame(columns=["k", "silhouette"]),
                  len(labels), pd.DataFrame(index=series.index), ThemeSettings(k=k))


def record(i: int, edit) -> EditRecord:
    return EditRecord(i, edit, "ana@council.gov.uk", WHEN)


def stored(assignment, labels, issued=(), version=1) -> ThemeRun:
    return ThemeRun("demo", assignment, labels, None, len(labels), "old", len(assignment), issued=tuple(issued),
                    version=version, computed_at=WHEN)


def test_the_first_run_keeps_the_automatic_ids():
    run = next_run(None, auto({"a": "T1", "b": "T1", "c": "T2", "d": UNTHEMED}, {"T1": "Funding", "T2": "Skills"}),
                   [], collection="demo", key="k1")
    assert dict(run.assignment) == {"a": "T1", "b": "T1", "c": "T2", "d": UNTHEMED}
    assert (dict(run.labels), run.issued, run.changes, run.responses) == (
        {"T1": "Funding", "T2": "Skills"}, ("T1", "T2"), (), 4)


def test_new_data_carries_ids_by_overlap_and_never_reuses_a_given_out_id():
    before = stored({"a": "T1", "b": "T1", "c": "T2", "d": "T2"}, {"T1": "Funding", "T2": "Skills"},
                    issued=("N1", "T1", "T2", "T3"))
    # the new run numbers its themes afresh: its T2 is the old T1 (a, b), its T1 is new (e, f, g)
    fresh = auto({"a": "T2", "b": "T2", "c": "T3", "d": "T3", "e": "T1", "f": "T1", "g": "T1"},
                 {"T1": "Standards", "T2": "Funding", "T3": "Skills"})
    run = next_run(before, fresh, [], collection="demo", key="k2")
    assert dict(run.assignment) == {"a": "T1", "b": "T1", "c": "T2", "d": "T2", "e": "N2", "f": "N2", "g": "N2"}
    assert dict(run.labels) == {"T1": "Funding", "T2": "Skills", "N2": "Standards"}
    assert set(run.issued) == {"N1", "N2", "T1", "T2", "T3"}
    changes = {c["theme"]: (c["status"], c["before"], c["after"]) for c in run.changes}
    assert changes == {"T1": ("same", 2, 2), "T2": ("same", 2, 2), "N2": ("new", 0, 3)}


def test_the_team_corrections_are_reapplied_after_new_data():
    before = stored({"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": "T2", "f": "T3", "g": "T3"},
                    {"T1": "Funding · money", "T2": "Skills · analysts", "T3": "Care leavers"})
    edits = [record(1, Rename("T1", "Funding")), record(2, Merge("T3", "T2")),
             record(3, Split(("c",), "E1", "Small councils")), record(4, Move(("e",), UNTHEMED))]
    seen = team_view(before, edits)
    assert dict(seen.assignment) == {"a": "T1", "b": "T1", "c": "E1", "d": "T2", "e": UNTHEMED, "f": "T2", "g": "T2"}
    assert seen.labels == {"T2": "Skills · analysts", "T1": "Funding", "E1": "Small councils"}
    # two new responses: h joins the funding theme, i the skills one; automatic ids differ
    fresh = auto({"a": "T2", "b": "T2", "c": "T2", "h": "T2", "d": "T1", "e": "T1", "i": "T1", "f": "T3", "g": "T3"},
                 {"T1": "Skills · training", "T2": "Funding · grants", "T3": "Care leavers · records"})
    run = next_run(before, fresh, [e.edit for e in edits], collection="demo", key="k3")
    after = team_view(run, edits)
    assert dict(after.assignment) == {"a": "T1", "b": "T1", "c": "E1", "h": "T1", "d": "T2", "e": UNTHEMED,
                                      "i": "T2", "f": "T2", "g": "T2"}
    assert after.labels == {"T2": "Skills · training", "T1": "Funding", "E1": "Small councils"}
    assert after.skipped == ()
    changes = {c["theme"]: (c["status"], c["renamed"], c["before"], c["after"]) for c in run.changes}
    assert changes["T1"] == ("grew", False, 2, 3)
    assert changes["T2"] == ("grew", True, 3, 4)     # its automatic label moved on: "Skills · training"


def test_a_correction_whose_theme_is_gone_is_skipped_with_why():
    run = stored({"a": "T1", "b": "T1"}, {"T1": "Funding"})
    view = team_view(run, [record(1, Rename("T9", "Gone"))])
    assert [(e, why) for e, why in view.skipped] == [(Rename("T9", "Gone"), "theme T9 no longer exists")]


def test_theme_choices_are_unique_and_end_with_unthemed():
    view = team_view(stored({"a": "T1", "b": "T2", "c": "T2"}, {"T1": "Funding", "T2": "Funding"}), [])
    assert view.choices() == {"T2": "Funding (T2)", "T1": "Funding (T1)", UNTHEMED: UNTHEMED}


def test_collections_and_data_keys():
    info = SourceInfo("workbook", "responses.xlsx", pd.Timestamp("2026-11-01", tz="UTC"), "/data/responses.xlsx")
    assert collection_key(info) == "workbook:/data/responses.xlsx"
    assert collection_key(SourceInfo("demo", "demo.xlsx", pd.Timestamp("2026-11-01", tz="UTC"))) == "demo"
    assert data_key(["b", "a"]) == data_key(["a", "b"]) != data_key(["a", "b", "c"])


# -- the filtered part -------------------------------------------------------------------------

FRAME = pd.DataFrame({
    IDENTITY: ["a", "b", "c", "d", "e"],
    "reaction": ["I’m enthusiastic about this", "I disagree with this", "I’m enthusiastic about this",
                 "", "I’m unsure about this"],
    "page_label": ["Value", "Value", "Quality", "Value", "Quality"],
    "role_group": ["Local authority", "Private sector", "Local authority", "Local authority", "Central government"],
    "submitted_at": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05"], utc=True),
})
SHORT = {"I’m enthusiastic about this": "Enthusiastic", "I disagree with this": "Disagree",
         "I’m unsure about this": "Unsure"}
VIEW = team_view(stored({"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": UNTHEMED, "z": "T2"},
                        {"T1": "Funding", "T2": "Skills"}), [])


@pytest.mark.parametrize("worked_out", [False, True], ids=["mapped now", "taken from row_themes"])
def test_theme_rows_count_the_filtered_part(worked_out):
    of = row_themes(FRAME, VIEW) if worked_out else None
    rows = theme_rows(FRAME.iloc[[0, 1, 3, 4]], VIEW, SHORT, of=of)
    assert rows[["theme", "responses", "overall"]].values.tolist() == [["T1", 2, 3], ["T2", 1, 2], [UNTHEMED, 1, 1]]
    assert rows["share"].tolist() == [0.5, 0.25, 0.25]
    assert rows["reaction_mix"].tolist() == ["many said Enthusiastic, some said Disagree",
                                             "no reaction given", "all said Unsure"]


def test_representatives_are_nearest_the_whole_theme_centre():
    vectors = pd.DataFrame([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6], [1.0, 0.0]], index=["a", "b", "c", "d"])
    # centre of T1 (a, b, c) is about (0.6, 0.53): c is closest, then a and b (a first on a tie by order)
    assert representatives_in(FRAME, VIEW, "T1", vectors)[IDENTITY].tolist() == ["c", "a", "b"]
    assert representatives_in(FRAME.iloc[[0, 1]], VIEW, "T1", vectors, n=1)[IDENTITY].tolist() == ["a"]
    assert representatives_in(FRAME, VIEW, UNTHEMED, vectors)[IDENTITY].tolist() == ["e"]
    of = row_themes(FRAME, VIEW)   # each row's theme worked out once, a part's taken by index
    assert representatives_in(FRAME.iloc[[0, 1]], VIEW, "T1", vectors, n=1, of=of)[IDENTITY].tolist() == ["a"]
    assert in_theme(FRAME.iloc[[1, 2, 3]], VIEW, "T1", of)[IDENTITY].tolist() == ["b", "c"]
    # the rows in view as a mask on the whole frame (the page's View.rows): the same rows
    assert in_theme(FRAME, VIEW, "T1", of, rows=np.array([False, True, True, True, False]))[IDENTITY].tolist() \
        == ["b", "c"]
    assert theme_rows(FRAME.iloc[[0, 1, 3, 4]], VIEW, SHORT, of=of[[True, True, False, True, True]]).equals(
        theme_rows(FRAME.iloc[[0, 1, 3, 4]], VIEW, SHORT, of=of))
    close = closeness(VIEW, "T1", vectors)   # worked out once for the theme, whatever the filters
    assert close.index.tolist() == ["a", "b", "c"] and close["c"] > close["a"] > close["b"]
    assert representatives_in(FRAME, VIEW, "T1", vectors, of=of, close=close)[IDENTITY].tolist() == ["c", "a", "b"]


def test_spread_is_pages_by_role_groups_in_order():
    table = spread(FRAME, VIEW, "T1", ["Quality", "Value"], ["Local authority", "Central government",
                                                             "Private sector"])
    assert table.index.tolist() == ["Quality", "Value"]
    assert table.values.tolist() == [[1, 0, 0], [1, 0, 1]]


# -- the filter model ----------------------------------------------------------------------------


@pytest.fixture
def feedback():
    return FRAME.assign(is_spam=False, is_duplicate=False, section="", page_path=FRAME["page_label"],
                        role="", organisation="")


def test_the_theme_filter_applies_by_identity(feedback):
    themes = VIEW.assignment
    assert apply_feedback(feedback, Filters(themes=("T1",)), themes=themes)[IDENTITY].tolist() == ["a", "b", "c"]
    assert apply_feedback(feedback, Filters(themes=("T2", UNTHEMED)), themes=themes)[IDENTITY].tolist() == ["d", "e"]
    # a response not in the run (new since) counts as Unthemed
    assert apply_feedback(feedback, Filters(themes=(UNTHEMED,)), themes=themes.drop("d"))[IDENTITY].tolist() == \
        ["d", "e"]


def test_each_campaign_is_counted_once_from_its_earliest_response_in_view(feedback):
    campaigns = pd.Series({"b": "C1", "c": "C1", "e": "C1", "a": "C2", "d": "C2"})
    assert count_each_campaign_once(feedback, campaigns)[IDENTITY].tolist() == ["a", "b"]
    later = feedback.iloc[2:]     # c, d, e: C1's first here is c, C2's is d
    assert count_each_campaign_once(later, campaigns)[IDENTITY].tolist() == ["c", "d"]
    assert apply_feedback(feedback, Filters(count_once=True), campaigns=campaigns)[IDENTITY].tolist() == ["a", "b"]
    assert len(apply_feedback(feedback, Filters(count_once=False), campaigns=campaigns)) == 5


def test_theme_and_campaign_switch_travel_in_the_url():
    opts = FilterOptions(None, None, themes={"T1": "Funding · grants", UNTHEMED: UNTHEMED})
    f = Filters(themes=("T1",), count_once=True)
    query = to_query(f, opts)
    assert query == {"theme": ["Funding · grants"], "count_once": ["true"]}
    assert from_query(query, opts) == (f, [])
    assert from_query({"theme": ["Gone theme"]}, opts)[1] == ["“Gone theme” is not a theme in this data."]


def test_spread_shows_not_given_only_when_someone_is_in_it():
    frame = FRAME.assign(role_group=["Local authority", "Not given", "Local authority", "Local authority",
                                     "Local authority"])
    groups = ["Local authority", "Private sector", "Not given", "Unrecognised"]
    assert spread(frame, VIEW, "T1", ["Value", "Quality"], groups).columns.tolist() == [
        "Local authority", "Private sector", "Not given"]
    assert spread(FRAME, VIEW, "T1", ["Value", "Quality"], groups).columns.tolist() == [
        "Local authority", "Private sector"]
