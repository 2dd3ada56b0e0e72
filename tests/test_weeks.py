"""Responses per week: weeks start on Monday by the UK calendar, across the October clock
change; every week of the span listed; partial first and last weeks marked."""

import datetime as dt

import pandas as pd

from lib.aggregates import weekly

D = dt.date


def utc(*stamps: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(stamps), utc=True))


def rows(weeks: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in weeks[["week_start", "days", "partial", "n"]].itertuples(index=False)]


def test_a_week_is_monday_to_sunday_on_the_uk_clock_across_the_clock_change():
    # 2026: British Summer Time ends at 02:00 on Sunday 25 October (clocks go back to 01:00 GMT)
    when = utc(
        "2026-10-04T23:30:00Z",   # 00:30 BST on Monday 5 October: that Monday's week, not the one before
        "2026-10-11T22:59:59Z",   # 23:59:59 BST on Sunday 11 October: still the week of 5 October
        "2026-10-25T00:30:00Z",   # 01:30 BST on Sunday 25 October, before the clocks go back
        "2026-10-25T01:30:00Z",   # 01:30 GMT on the same Sunday, after: the same week
        "2026-10-25T23:30:00Z",   # 23:30 GMT on Sunday 25 October: still the week of 19 October
        "2026-10-26T00:00:00Z",   # midnight GMT, Monday 26 October: a new week
    )
    weeks = weekly(when, tz="Europe/London")
    assert rows(weeks) == [
        (D(2026, 10, 5), 7, False, 2),
        (D(2026, 10, 12), 7, False, 0),     # an empty week is listed, not skipped
        (D(2026, 10, 19), 7, False, 3),
        (D(2026, 10, 26), 1, True, 1),      # the data stops on its Monday
    ]
    assert all(d.weekday() == 0 for d in weeks["week_start"])
    assert list(weeks["week_end"]) == [D(2026, 10, 11), D(2026, 10, 18), D(2026, 10, 25), D(2026, 11, 1)]


def test_partial_first_and_last_weeks_and_the_days_they_cover():
    when = utc("2026-09-16T09:00:00Z", "2026-09-22T09:00:00Z", "2026-09-30T09:00:00Z")   # Wed, Tue, Wed
    weeks = weekly(when, D(2026, 9, 16), D(2026, 10, 1), tz="Europe/London")            # to Thursday 1 Oct
    assert rows(weeks) == [(D(2026, 9, 14), 5, True, 1), (D(2026, 9, 21), 7, False, 1),
                           (D(2026, 9, 28), 4, True, 1)]
    assert list(weeks["first_day"]) == [D(2026, 9, 16), D(2026, 9, 21), D(2026, 9, 28)]
    assert list(weeks["last_day"]) == [D(2026, 9, 20), D(2026, 9, 27), D(2026, 10, 1)]


def test_a_chosen_range_counts_only_its_days_and_missing_times_are_left_out():
    when = pd.concat([utc("2026-09-14T09:00:00Z", "2026-09-20T09:00:00Z", "2026-09-21T09:00:00Z"),
                      pd.Series([pd.NaT], dtype="datetime64[ns, UTC]")], ignore_index=True)
    weeks = weekly(when, D(2026, 9, 15), D(2026, 9, 20))
    assert rows(weeks) == [(D(2026, 9, 14), 6, True, 1)]   # Monday 14 and Monday 21 are outside


def test_no_times_at_all_is_an_empty_table():
    weeks = weekly(pd.Series([], dtype="datetime64[ns, UTC]"))
    assert weeks.empty and list(weeks.columns) == ["week_start", "week_end", "first_day", "last_day", "days",
                                                   "partial", "n"]


def test_within_days_agrees_with_each_times_calendar_day_on_the_uk_clock():
    """Two comparisons with the days' bounds give the days asking each time for its date gives
    (random times across both clock changes, missing ones never inside), in the calendar asked
    for, in the times' own zone, and on the clock of naive times."""
    import random

    from lib.aggregates import within_days

    rng = random.Random(7)
    start = pd.Timestamp("2026-03-27", tz="UTC")
    when = pd.Series([pd.NaT if rng.random() < .1 else start + pd.Timedelta(minutes=rng.randint(0, 60 * 24 * 220))
                      for _ in range(400)], dtype="datetime64[ns, UTC]")
    uk = [None if t is pd.NaT else t.tz_convert("Europe/London").date() for t in when]
    utc = [None if t is pd.NaT else t.date() for t in when]
    for first, last in ((dt.date(2026, 3, 29), dt.date(2026, 10, 25)),   # both clock changes
                        (dt.date(2026, 3, 29), dt.date(2026, 3, 29)), (None, dt.date(2026, 5, 1)),
                        (dt.date(2026, 10, 25), None)):
        def expect(days, first=first, last=last):
            return [d is not None and (first is None or first <= d) and (last is None or d <= last) for d in days]

        assert within_days(when, first, last, "Europe/London").tolist() == expect(uk)
        assert within_days(when, first, last, None).tolist() == expect(utc)
        assert within_days(when.dt.tz_convert("Europe/London"), first, last, None).tolist() == expect(uk)
        assert within_days(when.dt.tz_convert("Europe/London").dt.tz_localize(None), first, last).tolist() \
            == expect(uk)
