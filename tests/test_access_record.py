"""The access record: one JSON line per event, and the bounded, thread-safe buffer of recent ones."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading

import pandas as pd
import pytest

from lib import access_record as ar
from lib.filters import Filters

WHEN = dt.datetime(2026, 11, 3, 14, 5, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture(autouse=True)
def empty_record():
    ar.ACCESS_LOG.clear()
    yield
    ar.ACCESS_LOG.clear()


def test_an_entry_holds_who_when_page_filters_rows_and_email():
    filters = Filters(date_from=dt.date(2026, 10, 1), roles=("Local authority leadership",), include_spam=True)
    entry = ar.access_entry("download", who="sam@council.gov.uk", role="analyst", page="Comments",
                            filters=filters, rows=42, email=True, detail="comments.csv", when=WHEN)
    assert entry == {
        "time": "2026-11-03T13:05:09Z", "event": "download", "who": "sam@council.gov.uk", "role": "analyst",
        "page": "Comments",
        "filters": {"date_from": "2026-10-01", "roles": ["Local authority leadership"], "include_spam": True},
        "rows": 42, "email": True, "detail": "comments.csv",
    }


def test_filters_may_be_a_mapping_and_unset_ones_are_left_out():
    assert ar.filters_dict({"pages": ("/a/",), "q": "", "roles": ()}) == {"pages": ["/a/"]}
    assert ar.filters_dict(Filters()) == {}
    assert ar.filters_dict(None) == {}
    with pytest.raises(TypeError):
        ar.filters_dict(["pages"])


def test_unknown_events_and_naive_times_are_refused():
    with pytest.raises(ValueError):
        ar.access_entry("peek", who="x@y.example")
    with pytest.raises(ValueError):
        ar.access_entry("reveal", who="x@y.example", when=dt.datetime(2026, 1, 1))
    assert ar.access_entry("refusal", who=None)["who"] == "anonymous"


def test_the_line_is_one_line_of_json_whatever_a_viewer_typed():
    entry = ar.access_entry("download", who="sam@council.gov.uk", filters={"q": 'x"\n{"event": "forged"}\u2028'},
                            when=WHEN)
    line = ar.format_entry(entry)
    assert "\n" not in line and "\u2028" not in line and line.isascii()
    assert json.loads(line) == entry


def test_record_access_logs_one_line_to_the_access_logger_and_keeps_it(caplog, monkeypatch):
    monkeypatch.setattr(ar.log, "propagate", True)  # caplog listens on the root logger
    with caplog.at_level(logging.INFO, logger=ar.LOGGER_NAME):
        entry = ar.record_access("reveal", who="sam@council.gov.uk", role="analyst", page="Comments", when=WHEN)
    lines = [r for r in caplog.records if r.name == "consultation_insight.access"]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    assert json.loads(lines[0].getMessage()) == entry
    assert ar.ACCESS_LOG.entries() == [entry]


def test_recent_access_is_newest_first_as_a_table():
    for i, event in enumerate(["sign-in", "reveal", "download"]):
        ar.record_access(event, who="sam@council.gov.uk", role="analyst", rows=i or None,
                         when=WHEN + dt.timedelta(minutes=i), filters={"pages": ["/a/"]} if i == 2 else None)
    frame = ar.recent_access()
    assert list(frame.columns) == ["time", "event", "who", "role", "page", "filters", "rows", "email", "detail"]
    assert list(frame["event"]) == ["download", "reveal", "sign-in"]
    assert frame["time"].iloc[0] == pd.Timestamp("2026-11-03T13:07:09Z")
    assert list(frame["filters"]) == ['{"pages": ["/a/"]}', "{}", "{}"]
    assert frame["rows"].tolist() == [2, 1, pd.NA]
    assert list(ar.recent_access(limit=1)["event"]) == ["download"]


def test_an_empty_record_is_an_empty_table():
    frame = ar.recent_access()
    assert frame.empty and list(frame.columns) == ar.COLUMNS


def test_the_buffer_keeps_only_the_most_recent_entries_across_threads():
    record = ar.AccessLog(keep=50)

    def add(n: int) -> None:
        for i in range(200):
            record.add({"thread": n, "i": i})

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = record.entries()
    assert len(entries) == len(record) == 50
    # newest first: each thread's entries appear in descending order, and each thread's last is kept
    for n in range(4):
        mine = [e["i"] for e in entries if e["thread"] == n]
        assert mine == sorted(mine, reverse=True)
    assert any(e["i"] == 199 for e in entries)
