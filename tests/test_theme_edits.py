"""Theme edits (lib.theme_edits): applied as pure data and carried across a recomputation."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from lib.theme_edits import (
    Merge,
    Move,
    Rename,
    Split,
    apply_edits,
    match_themes,
    new_theme_id,
    recompute,
)
from lib.themes import UNTHEMED, find_themes
from tests.themes_eval import eval_frame

RUN = pd.Series({"r1": "T1", "r2": "T1", "r3": "T1", "r4": "T2", "r5": "T2", "r6": "T3", "r7": UNTHEMED})
LABELS = {"T1": "Data quality", "T2": "Funding", "T3": "Standards"}


def test_each_edit():
    edits = [Rename("T1", "Data quality and returns"), Merge("T3", "T2"), Move(("r1",), UNTHEMED),
             Split(("r2", "r7"), "E1", "Validation rules")]
    got = apply_edits(RUN, LABELS, edits)
    assert got.assignment.to_dict() == {"r1": UNTHEMED, "r2": "E1", "r3": "T1", "r4": "T2", "r5": "T2",
                                        "r6": "T2", "r7": "E1"}
    assert got.labels == {"T1": "Data quality and returns", "T2": "Funding", "E1": "Validation rules"}
    assert got.skipped == ()
    assert RUN["r1"] == "T1"  # the input is left alone


def test_edits_that_no_longer_fit_are_skipped_and_said():
    edits = [Rename("T9", "x"), Merge("T1", "T1"), Move(("gone",), "T1"), Split(("gone",), "E1", "y"),
             Merge("T3", "T9")]
    got = apply_edits(RUN, LABELS, edits)
    pd.testing.assert_series_equal(got.assignment, RUN)
    assert [reason for _, reason in got.skipped] == [
        "theme T9 no longer exists", "a theme cannot be merged into itself",
        "none of its responses are in this data", "none of its responses are in this data",
        "theme T9 no longer exists"]


def test_a_theme_emptied_by_moves_loses_its_label():
    got = apply_edits(RUN, LABELS, [Move(("r6",), "T1")])
    assert "T3" not in got.labels and got.assignment["r6"] == "T1"


def test_new_ids_do_not_collide():
    assert new_theme_id(["T1", "E1", "E2"]) == "E3"
    assert new_theme_id([]) == "E1"


@given(st.lists(st.tuples(st.sampled_from(["rename", "merge", "move", "split"]),
                          st.sampled_from(["T1", "T2", "T3", "T4"]), st.sampled_from(["T1", "T2", "T3", UNTHEMED]),
                          st.sets(st.sampled_from(list(RUN.index)), max_size=3)), max_size=6))
def test_every_response_keeps_exactly_one_theme(plan):
    edits = []
    for i, (kind, a, b, rows) in enumerate(plan):
        edits.append({"rename": Rename(a, f"name {i}"), "merge": Merge(a, b),
                      "move": Move(tuple(sorted(rows)), b), "split": Split(tuple(sorted(rows)), f"E{i}", "s")}[kind])
    got = apply_edits(RUN, LABELS, edits)
    assert got.assignment.index.equals(RUN.index)
    assert set(got.assignment) - {UNTHEMED} == set(got.labels)


def test_match_by_overlap_on_shared_responses():
    prev = pd.Series({"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": "T2"})
    # new run: ids shuffled, one new response, a new small theme
    cur = pd.Series({"a": "T2", "b": "T2", "c": "T2", "d": "T1", "e": "T1", "f": "T1", "g": "T3", "h": "T3"})
    assert match_themes(prev, cur) == {"T2": "T1", "T1": "T2"}


def test_edits_persist_across_a_recomputation_with_new_rows():
    prev = pd.Series({"a": "T1", "b": "T1", "c": "T1", "d": "T2", "e": "T2", "f": "T2", "g": "T3", "h": "T3"})
    prev_labels = {"T1": "quality · returns", "T2": "funding · money", "T3": "ai · tools"}
    edits = [Rename("T1", "Data quality"), Merge("T3", "T2"), Split(("c",), "E1", "Validation")]
    # recomputed on more data: automatic ids and labels differ, a theme is new
    cur = pd.Series({"a": "T2", "b": "T2", "c": "T2", "x": "T2", "d": "T1", "e": "T1", "f": "T1", "y": "T1",
                     "z": "T1", "g": "T3", "h": "T3", "p": "T4", "q": "T4", "r": "T4"})
    cur_labels = {"T1": "funding · budgets", "T2": "data quality · checks", "T3": "ai · automation",
                  "T4": "lived experience"}
    auto, auto_labels, seen, changes = recompute(prev, prev_labels, cur, cur_labels, edits)
    # the stored automatic run keeps the old ids; the new theme gets a fresh one
    assert auto.to_dict() == {"a": "T1", "b": "T1", "c": "T1", "x": "T1", "d": "T2", "e": "T2", "f": "T2",
                              "y": "T2", "z": "T2", "g": "T3", "h": "T3", "p": "N1", "q": "N1", "r": "N1"}
    assert auto_labels == {"T1": "data quality · checks", "T2": "funding · budgets", "T3": "ai · automation",
                           "N1": "lived experience"}
    # the edits apply again: rename kept, merge redone, split redone
    assert seen.labels == {"T1": "Data quality", "T2": "funding · budgets", "E1": "Validation",
                           "N1": "lived experience"}
    assert seen.assignment["c"] == "E1" and seen.assignment["g"] == "T2"
    by_theme = changes.set_index("theme")
    assert by_theme.loc["N1", "status"] == "new" and by_theme.loc["N1", "after"] == 3
    assert by_theme.loc["T1", "status"] == "grew" and (by_theme.loc["T1", "before"], by_theme.loc["T1", "after"]) == (2, 3)
    assert by_theme.loc["T2", "status"] == "grew" and by_theme.loc["T2", "after"] == 7
    assert by_theme.loc["T2", "renamed"]  # its automatic label changed with the new data
    assert not by_theme.loc["T1", "renamed"]  # the team's name stayed
    assert by_theme.loc["E1", "status"] == "same"


def test_recomputation_on_the_set_with_new_rows_keeps_the_teams_names():
    full = eval_frame()
    first = full[full["part"] == "tune"]
    before = find_themes(first)
    biggest = before.themes["theme"].iloc[0]
    edits = [Rename(biggest, "Our biggest theme")]
    after = find_themes(full)  # a third more responses
    auto, labels, seen, changes = recompute(before.assignment, before.labels, after.assignment, after.labels, edits)
    assert seen.labels[biggest] == "Our biggest theme"
    kept = before.assignment[before.assignment == biggest].index
    # most of the renamed theme's responses are still under that name
    assert (seen.assignment[kept] == biggest).mean() >= 0.6
    assert set(changes["status"]) <= {"new", "gone", "grew", "shrank", "same"}
