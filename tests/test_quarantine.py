"""A row that still fails is quarantined, never the load: the failing rows are found by halving,
counted and listed with their sheet row and reason, and everything else loads (issue 9)."""

import datetime as dt
import re

import pandas as pd
import pytest

import lib.normalise as normalise
import lib.survey as survey
from lib.limits import Limits
from lib.normalise import isolate_rows
from lib.summary import summarise
from tests.conftest import fb_row, survey_row

T0 = dt.datetime(2026, 10, 1, 9, 0)
BOMB = "💣 planted"


def fail_on_bomb(real):
    """``real``, except that it raises on any text holding the planted marker (an unforeseen bug)."""
    def wrapped(text, *args, **kwargs):
        if BOMB in str(text):
            raise RuntimeError("planted failure")
        return real(text, *args, **kwargs)
    return wrapped


def test_a_failing_feedback_row_is_quarantined_and_the_rest_loads(build, monkeypatch):
    monkeypatch.setattr(normalise, "match_key", fail_on_bomb(normalise.match_key))
    rows = [fb_row(when=T0 + dt.timedelta(hours=i), summary=f"Point {i}") for i in range(6)]
    rows[3] = fb_row(nature=BOMB, summary="Point 3")
    rows.append(fb_row(summary="cheap pills", hp="bot"))
    ds = build(rows)
    q = ds.feedback_quality
    assert list(q.quarantined) == [5]                 # header is row 1: data row 4 is sheet row 5
    assert re.fullmatch(r"RuntimeError in label \(normalise\.py:\d+\); details in the server log", q.quarantined[5])
    assert (q.rows_read, q.kept, q.spam, q.duplicates) == (7, 5, 1, 0)
    assert ds.feedback["summary"].tolist() == ["Point 0", "Point 1", "Point 2", "Point 4", "Point 5", "cheap pills"]
    fb = summarise(ds)["feedback"]
    assert (fb["rows_read"], fb["kept"], fb["quarantined"]) == (7, 5, 1)
    assert fb["kept"] + fb["spam"] + fb["duplicates"] + fb["quarantined"] == fb["rows_read"]


def test_a_failing_survey_row_is_quarantined_and_the_rest_loads(build, monkeypatch):
    monkeypatch.setattr(survey.ActivityMatcher, "split", _failing_split(survey.ActivityMatcher.split))
    rows = [survey_row(when=T0, comments="a"), survey_row(when=T0, activities=BOMB, comments="b"),
            survey_row(when=T0 + dt.timedelta(hours=1), comments="c")]
    ds = build([], rows)
    q = ds.survey_quality
    assert list(q.quarantined) == [3]
    assert re.fullmatch(r"RuntimeError in _survey_rows \(survey\.py:\d+\); details in the server log", q.quarantined[3])
    assert (q.rows_read, q.kept) == (3, 2)
    assert ds.survey["comments"].tolist() == ["a", "c"]
    assert summarise(ds)["survey"]["quarantined"] == 1


def _failing_split(real):
    def split(self, cell, *args, **kwargs):
        if BOMB in cell:
            raise RuntimeError("planted failure")
        return real(self, cell, *args, **kwargs)
    return split


def _work(calls: list):
    """A vectorised step that raises when any value is a multiple of 7 (counting its calls)."""
    def work(part: pd.DataFrame) -> pd.DataFrame:
        calls.append(len(part))
        if (part["v"] % 7 == 0).any():
            raise ValueError(f"bad value in {len(part)} rows")
        return part.assign(w=part["v"] * 2)
    return work


def test_isolation_costs_one_call_when_nothing_fails():
    calls: list = []
    rows = pd.DataFrame({"v": [1, 2, 3]}, index=pd.Index([2, 3, 4], name="row"))
    out, quarantined = isolate_rows(rows, _work(calls), "T")
    assert (calls, quarantined, out["w"].tolist()) == ([3], {}, [2, 4, 6])


def test_isolation_finds_exactly_the_failing_rows_in_few_calls():
    calls: list = []
    n = 1000
    rows = pd.DataFrame({"v": range(1, n + 1)}, index=pd.RangeIndex(2, n + 2, name="row"))
    out, quarantined = isolate_rows(rows, _work(calls), "T")
    failing = {r for r, v in zip(rows.index, rows["v"]) if v % 7 == 0}
    assert set(quarantined) == failing
    assert {re.sub(r":\d+", "", r) for r in quarantined.values()} == {
        "ValueError in work (test_quarantine.py); details in the server log"}
    assert out["v"].tolist() == [v for v in range(1, n + 1) if v % 7]
    # 142 failing rows among 1000: far fewer calls than one per row, plus the halving's overhead
    assert len(calls) <= 2 * len(failing) * 4 + 1


def test_isolation_stops_halving_at_its_budget_and_still_counts_every_row():
    calls: list = []
    n = 1000
    rows = pd.DataFrame({"v": range(1, n + 1)}, index=pd.RangeIndex(2, n + 2, name="row"))
    out, quarantined = isolate_rows(rows, _work(calls), "T", Limits(max_isolation_calls=20))
    assert len(calls) <= 20 + 2 * 10   # the budget, plus one try for each part still waiting (2 per level)
    assert len(out) + len(quarantined) == n
    assert not (out["v"] % 7 == 0).any()
    assert {r for r, v in zip(rows.index, rows["v"]) if v % 7 == 0} <= set(quarantined)


@pytest.mark.parametrize("n", [0, 1])
def test_isolation_of_tiny_tables(n):
    rows = pd.DataFrame({"v": [7] * n}, index=pd.RangeIndex(2, 2 + n, name="row"))
    out, quarantined = isolate_rows(rows, _work([]), "T")
    assert list(out.columns) == ["v", "w"] and out.empty
    assert {r: re.sub(r":\d+", "", why) for r, why in quarantined.items()} == (
        {2: "ValueError in work (test_quarantine.py); details in the server log"} if n else {})
